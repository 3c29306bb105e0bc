/*
 * trust.c - pattern trust scores: calculated from a pattern's record,
 * nudged by a delta, recalculated for all, and the patterns trusted
 * enough (or too little), including those safe to apply unasked.
 */
#include "learnstore.h"
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/*
 * Calculate, write and return the trust score of pattern_id at now:
 * 0.5 + 0.3 * success rate - 0.4 * failure rate (each out of the
 * occurrences, 1 when there are 0, at most 1) + 0.2 * 0.9 ** (days since
 * last confirmed / 30), less 0.2 when quarantined, plus 0.1 when
 * validated, clamped into [0, 1].  Runs inside the caller's batch.
 */
static int
calculate(sc_db *db, const char *id, int64_t now, double *trust)
{
    struct learning_pattern_trust_inputs_row r;
    int64_t total, confirmed, days = 0;
    double success_rate, failure_rate, age, t;
    const char *status;
    char when[LS_TIME_LEN];
    int rc;

    if ((rc = learning_pattern_trust_inputs(db, id, &r)) != SC_OK)
        return rc;
    total = r.has_occurrence_count ? r.occurrence_count : 0;
    if (total == 0)
        total = 1;
    success_rate = lsi_min(1.0, (double)(r.has_led_to_success_count
                                         ? r.led_to_success_count : 0)
                                / (double)total);
    failure_rate = lsi_min(1.0, (double)(r.has_led_to_failure_count
                                         ? r.led_to_failure_count : 0)
                                / (double)total);
    if (r.last_confirmed != NULL
        && lsi_wall_of(r.last_confirmed, &confirmed) == 0)
        days = lsi_floor_div(lsi_local_wall(now) - confirmed, LSI_DAY_US);
    age = pow(0.9, (double)days / 30.0);
    t = 0.5 + (success_rate * 0.3) - (failure_rate * 0.4) + (age * 0.2);
    status = r.quarantine_status != NULL && r.quarantine_status[0] != '\0'
             ? r.quarantine_status : "pending";
    if (strcmp(status, "quarantined") == 0)
        t -= 0.2;
    if (strcmp(status, "validated") == 0)
        t += 0.1;
    t = lsi_clamp01(t);
    learning_pattern_trust_inputs_row_free(&r);
    lsi_format_local(now, when);
    if ((rc = learning_pattern_trust(db, id, t, when, NULL)) == SC_OK
        && trust != NULL)
        *trust = t;
    return rc;
}

/* calculate_trust_score. */
int
ls_calculate_trust_score(sc_db *db, const char *pattern_id, double *trust)
{
    int rc;

    if (pattern_id == NULL)
        return lsi_misuse(db, __func__, "pattern_id is NULL");
    if ((rc = sc_batch_begin_op(db)) != SC_OK)
        return rc;
    rc = calculate(db, pattern_id, lsi_now_us(), trust);
    return sc_batch_end(db, rc);
}

/* update_trust_score: the record's trust (clamped, 0.5 when unset) plus
 * delta, clamped, written with the time. */
int
ls_update_trust_score(sc_db *db, const char *pattern_id, double delta,
                      double *trust)
{
    struct learning_pattern_trust_inputs_row r;
    char when[LS_TIME_LEN];
    double t;
    int rc;

    if (pattern_id == NULL)
        return lsi_misuse(db, __func__, "pattern_id is NULL");
    if ((rc = sc_batch_begin_op(db)) != SC_OK)
        return rc;
    if ((rc = learning_pattern_trust_inputs(db, pattern_id, &r)) == SC_OK) {
        t = r.has_trust_score ? lsi_clamp01(r.trust_score) : 0.5;
        t = lsi_clamp01(t + delta);
        learning_pattern_trust_inputs_row_free(&r);
        lsi_format_local(lsi_now_us(), when);
        rc = learning_pattern_trust(db, pattern_id, t, when, NULL);
        if (rc == SC_OK && trust != NULL)
            *trust = t;
    }
    return sc_batch_end(db, rc);
}

/* A growing list of malloc'd ids. */
struct ids {
    char **v;
    size_t n;
};

/* Keep a copy of a pattern id (a query callback). */
static int
keep_id(const struct learning_pattern_ids_row *r, void *arg)
{
    struct ids *l = arg;
    char **v = realloc(l->v, (l->n + 1) * sizeof(*v));

    if (v == NULL)
        return SC_NOMEM;
    l->v = v;
    if ((v[l->n] = strdup(r->id != NULL ? r->id : "")) == NULL)
        return SC_NOMEM;
    l->n++;
    return 0;
}

/* recalculate_all_trust_scores, in one batch. */
int
ls_recalculate_all_trust_scores(sc_db *db, int64_t *updated)
{
    struct ids l = { NULL, 0 };
    int64_t now = lsi_now_us();
    size_t i;
    int rc;

    *updated = 0;
    if ((rc = sc_batch_begin_op(db)) != SC_OK)
        return rc;
    rc = learning_pattern_ids(db, keep_id, &l);
    for (i = 0; rc == SC_OK && i < l.n; i++) {
        rc = calculate(db, l.v[i], now, NULL);
        if (rc == SC_OK)
            (*updated)++;
        else if (rc == SC_NOTFOUND)
            rc = SC_OK;
    }
    for (i = 0; i < l.n; i++)
        free(l.v[i]);
    free(l.v);
    rc = sc_batch_end(db, rc);
    if (rc != SC_OK)
        *updated = 0;
    return rc;
}

/* Patterns with trust at least threshold, by priority. */
int
ls_get_high_trust_patterns(sc_db *db, double threshold, int64_t limit,
                           int (*each)(const struct learning_patterns *,
                                       void *),
                           void *arg)
{
    struct ls_pattern_filter f = LS_PATTERN_FILTER_INIT;

    f.min_priority = 0.0;
    f.has_min_trust = true;
    f.min_trust = threshold;
    f.limit = limit;
    return ls_get_patterns(db, &f, each, arg);
}

/* Patterns with trust at most threshold, by priority. */
int
ls_get_low_trust_patterns(sc_db *db, double threshold, int64_t limit,
                          int (*each)(const struct learning_patterns *,
                                      void *),
                          void *arg)
{
    struct ls_pattern_filter f = LS_PATTERN_FILTER_INIT;

    f.min_priority = 0.0;
    f.has_max_trust = true;
    f.max_trust = threshold;
    f.limit = limit;
    return ls_get_patterns(db, &f, each, arg);
}

/* The state of an auto-apply read on db. */
struct auto_apply {
    sc_db *db;
    int (*each)(const struct learning_patterns *, void *);
    void *arg;
    const char *const *tags;
    size_t ntags;
    int64_t left;               /* how many more may be handed over */
};

/* Whether the JSON list text (stored tags, read for db) shares a string
 * with the n tags (a NULL tag shares none, as None in Python's "in"). */
static int
shares_tag(sc_db *db, const char *text, const char *const *tags, size_t n,
           bool *yes)
{
    struct lsj *v;
    size_t i, k;
    int rc;

    *yes = false;
    if ((rc = lsi_parse_stored(db, "ls_get_patterns_for_auto_apply",
                               "context_tags",
                               text != NULL && text[0] != '\0' ? text : "[]",
                               &v)) != SC_OK)
        return rc;
    for (i = 0; v->type == LSJ_ARRAY && i < v->n && !*yes; i++)
        for (k = 0; v->items[i].type == LSJ_STRING && k < n && !*yes; k++)
            *yes = tags[k] != NULL && strcmp(v->items[i].s, tags[k]) == 0;
    lsj_free(v);
    return SC_OK;
}

/* Hand over a candidate that carries one of the tags (a query
 * callback). */
static int
offer(const struct learning_patterns *row, void *arg)
{
    struct auto_apply *a = arg;
    struct learning_patterns r;
    bool yes = true;
    int rc;

    if (a->left <= 0)
        return 0;
    if (a->ntags > 0
        && (rc = shares_tag(a->db, row->context_tags, a->tags, a->ntags,
                            &yes)) != SC_OK)
        return rc;
    if (!yes)
        return 0;
    a->left--;
    lsi_pattern_record(row, &r);
    return a->each(&r, a->arg);
}

/* get_patterns_for_auto_apply: of the 2 * limit most trusted candidates
 * (trust at least trust_threshold, not retired, validated when
 * require_validated), those sharing a tag with tags (when any are
 * given), at most limit. */
int
ls_get_patterns_for_auto_apply(sc_db *db, double trust_threshold,
                               bool require_validated, int64_t limit,
                               const char *const *tags, size_t ntags,
                               int (*each)(const struct learning_patterns *,
                                           void *),
                               void *arg)
{
    struct auto_apply a = { db, each, arg, tags, ntags, limit };
    int64_t candidates;
    int rc;

    if (each == NULL)
        return lsi_misuse(db, __func__, "each is NULL");
    if ((rc = lsi_check_list(db, __func__, "tags", tags, ntags, true))
        != SC_OK)
        return rc;
    /* Nothing may be handed over: read no candidates (a negative LIMIT
     * would read every one, to hand none over). */
    if (limit <= 0)
        return SC_OK;
    /* Twice the limit, saturated: no table holds 2^62 rows. */
    candidates = limit > INT64_MAX / 2 ? INT64_MAX : limit * 2;
    if (require_validated)
        return learning_auto_apply_validated(db, trust_threshold,
                                             candidates, offer, &a);
    return learning_auto_apply_any(db, trust_threshold, candidates, offer,
                                   &a);
}
