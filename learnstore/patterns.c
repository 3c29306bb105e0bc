/*
 * patterns.c - learned patterns: recording sightings (race-free, merged
 * by content hash), recording applications with the effectiveness and
 * priority arithmetic of the Python store, rescoring, soft deletion, the
 * filtered read and the read of one pattern.
 */
#include "learnstore.h"
#include "internal.h"

#include <assert.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Fill a new pattern row with the store's starting values. */
static void
new_pattern(struct learning_patterns *p, const struct ls_pattern_input *in,
            const char *id, const char *now, const char *tags,
            const char *hash)
{
    p->id = id;
    p->pattern_type = in->pattern_type;
    p->pattern_name = in->pattern_name;
    p->description = in->description;
    p->occurrence_count = 1;
    p->has_occurrence_count = true;
    p->first_seen = p->last_seen = p->last_confirmed = now;
    p->led_to_success_count = 0;
    p->has_led_to_success_count = true;
    p->led_to_failure_count = 0;
    p->has_led_to_failure_count = true;
    p->effectiveness_score = 0.5;
    p->has_effectiveness_score = true;
    p->variance = 0;
    p->has_variance = true;
    p->suggested_action = in->suggested_action;
    p->context_tags = tags;
    p->priority_score = 0.5;
    p->has_priority_score = true;
    p->quarantine_status = "pending";
    p->provenance_job_hash = in->provenance_job_hash;
    if (in->provenance_sheet_num != NULL) {
        p->provenance_sheet_num = *in->provenance_sheet_num;
        p->has_provenance_sheet_num = true;
    }
    p->trust_score = 0.5;
    p->has_trust_score = true;
    p->trust_calculation_date = now;
    p->active = 1;
    p->has_active = true;
    p->content_hash = hash;
    p->instrument_name = in->instrument_name;
}

/*
 * The sighting of a pattern whose id matched no row: under BEGIN
 * IMMEDIATE, which takes the write lock before the reads so that no
 * other process can insert the same id between our reads and our insert,
 * the update again (another process may have inserted it meanwhile),
 * else the merge into the pattern with the same content hash (its id to
 * id), else a new pattern.  Returns an SC_* code.
 */
static int
first_sighting(sc_db *db, const struct ls_pattern_input *in,
               char id[LS_HASH_HEX], const char *now, const char *tags,
               const char *hash)
{
    struct learning_pattern_by_content_hash_row merged;
    int64_t changed = 0;
    int rc;

    memset(&merged, 0, sizeof(merged));
    if ((rc = sc_batch_begin_op(db)) != SC_OK)
        return rc;
    rc = learning_pattern_seen_again(db, id, now, in->description,
                                     in->suggested_action, tags, hash,
                                     &changed);
    if (rc == SC_OK && changed == 0) {
        rc = learning_pattern_by_content_hash(db, hash, &merged);
        if (rc == SC_OK) {
            rc = learning_pattern_merged(db, merged.id, now, NULL);
            if (rc == SC_OK)
                snprintf(id, LS_HASH_HEX, "%s", merged.id);
        } else if (rc == SC_NOTFOUND) {
            struct learning_patterns fresh = LEARNING_PATTERNS_INIT;
            new_pattern(&fresh, in, id, now, tags, hash);
            rc = learning_patterns_insert(db, &fresh);
        }
        learning_pattern_by_content_hash_row_free(&merged);
    }
    return sc_batch_end(db, rc);
}

/*
 * Record one sighting of a pattern, counting it exactly once even when
 * other processes record the same pattern at the same moment.  As the
 * Python store: a pattern with this id is updated; otherwise one with
 * the same content hash (the highest priority first) takes the sighting
 * and its id is returned; otherwise a new pattern is inserted.
 */
int
ls_record_pattern(sc_db *db, const struct ls_pattern_input *in,
                  char id_out[LS_HASH_HEX])
{
    char id[LS_HASH_HEX], now[LS_TIME_LEN], hash[33], *tags, *norm;
    int64_t changed = 0;
    int rc;

    if (in == NULL)
        return lsi_misuse(db, __func__, "pattern is NULL");
    if (in->pattern_type == NULL)
        return lsi_misuse(db, __func__, "pattern_type is NULL");
    if (in->pattern_name == NULL)
        return lsi_misuse(db, __func__, "pattern_name is NULL");
    if ((rc = lsi_check_list(db, __func__, "context_tags", in->context_tags,
                             in->ncontext_tags, true)) != SC_OK
        || (rc = lsi_normalize_name(in->pattern_name, &norm)) != SC_OK)
        return rc;
    rc = lsi_pattern_hashes(in->pattern_type, norm, in->description, id,
                            hash);
    free(norm);
    if (rc != SC_OK)
        return rc;
    lsi_format_local(lsi_now_us(), now);
    if ((tags = ls_json_list(in->context_tags, in->ncontext_tags)) == NULL)
        return SC_NOMEM;
    /* An existing pattern changes only where the Python store's UPDATE
     * changes it.  That one statement is atomic on its own, so a pattern
     * seen again commits once, with no lock taken ahead; no row changed
     * means there is none yet. */
    rc = learning_pattern_seen_again(db, id, now, in->description,
                                     in->suggested_action, tags, hash,
                                     &changed);
    if (rc == SC_OK && changed == 0)
        rc = first_sighting(db, in, id, now, tags, hash);
    /* On PostgreSQL another process's first sighting of this pattern can
     * commit between our look and our insert (on SQLite BEGIN IMMEDIATE
     * rules that out): the insert then fails on the key, its level rolled
     * back, and the sighting is counted on the row that won. */
    if (rc == SC_CONSTRAINT) {
        char why[256];
        snprintf(why, sizeof(why), "%s", sc_errmsg(db));
        rc = learning_pattern_seen_again(db, id, now, in->description,
                                         in->suggested_action, tags, hash,
                                         &changed);
        if (rc == SC_OK && changed == 0)
            rc = sc_fail(db, SC_CONSTRAINT, "%s", why);
    }
    free(tags);
    if (rc == SC_OK && id_out != NULL)
        memcpy(id_out, id, LS_HASH_HEX);
    return rc;
}

/* Tallies over a pattern's most recent applications. */
struct recent {
    int n, successes, ngrounded;
    double grounding;
};

/* Count one recent application: success, grounding (a query
 * callback). */
static int
tally(const struct learning_recent_applications_row *a, void *arg)
{
    struct recent *r = arg;

    r->n++;
    if (a->has_pattern_led_to_success && a->pattern_led_to_success)
        r->successes++;
    if (a->has_grounding_confidence) {
        r->ngrounded++;
        r->grounding += a->grounding_confidence;
    }
    return 0;
}

/*
 * The effectiveness and priority of the pattern whose scoring columns
 * are s, as the Python store computes them at naive wall time now_wall:
 *
 *   n = successes + failures; n < 3: 0.55;
 *   else hist = (s + 0.5) / (n + 1), recent = success rate of the last 5
 *   applications by applied_at (hist when there are none), g = mean of
 *   their non-NULL grounding (1.0 when none), days = whole days since
 *   last_confirmed (rounded down, as timedelta.days; 0 when unset):
 *   eff = (0.7 recent + (1 - 0.7) hist) * 0.9 ** (days / 30) * (0.7 + 0.3 g)
 *   priority = clamp(eff * max(0.6, min(1, log10(occ + 1) / 2)) * (1 - var))
 *
 * in that order of operations, so the doubles are the Python store's.
 * Returns SC_OK or the query's error.
 */
static int
rescore(sc_db *db, const char *id, const struct learning_pattern_scores_row *s,
        int64_t now_wall, double *effectiveness, double *priority)
{
    const double alpha = 0.7;
    int64_t succ = s->has_led_to_success_count ? s->led_to_success_count : 0;
    int64_t fail = s->has_led_to_failure_count ? s->led_to_failure_count : 0;
    int64_t occ = s->has_occurrence_count ? s->occurrence_count : 1;
    double var = s->has_variance ? s->variance : 0, eff, freq;
    int rc;

    if (lsi_sum_double(succ, fail, 0) < 3) {
        eff = 0.55;
    } else {
        struct recent r = { 0, 0, 0, 0 };
        double hist, recent, g, combined, decay;
        int64_t days = 0, confirmed;

        rc = learning_recent_applications(db, id, 5, tally, &r);
        if (rc != SC_OK)
            return rc;
        hist = ((double)succ + 0.5) / lsi_sum_double(succ, fail, 1);
        recent = r.n > 0 ? (double)r.successes / (double)r.n : hist;
        g = r.ngrounded > 0 ? r.grounding / r.ngrounded : 1.0;
        if (s->last_confirmed != NULL
            && lsi_wall_of(s->last_confirmed, &confirmed) == 0)
            days = lsi_floor_div(now_wall - confirmed, LSI_DAY_US);
        combined = alpha * recent + (1 - alpha) * hist;
        decay = pow(0.9, (double)days / 30.0);
        eff = combined * decay * (0.7 + 0.3 * g);
    }
    freq = lsi_max(0.6, lsi_min(1.0, log10(lsi_sum_double(occ, 0, 1)) / 2.0));
    *effectiveness = eff;
    *priority = lsi_max(0.0, lsi_min(1.0, eff * freq * (1 - var)));
    return SC_OK;
}

/* Write the two scores of pattern id, and nothing else. */
static int
write_scores(sc_db *db, const char *id, double eff, double priority)
{
    static const int cols[] = {
        LEARNING_PATTERNS_COL_EFFECTIVENESS_SCORE,
        LEARNING_PATTERNS_COL_PRIORITY_SCORE
    };
    struct learning_patterns p = LEARNING_PATTERNS_INIT;

    p.id = id;
    p.effectiveness_score = eff;
    p.has_effectiveness_score = true;
    p.priority_score = priority;
    p.has_priority_score = true;
    return learning_patterns_update_cols(db, &p, cols,
                                         sizeof cols / sizeof cols[0]);
}

/* Read pattern id's scoring columns, rescore it at now_wall and write the
 * scores; *eff (may be NULL) gets the effectiveness.  SC_NOTFOUND when
 * there is no such pattern. */
static int
rescore_pattern(sc_db *db, const char *id, int64_t now_wall, double *eff)
{
    struct learning_pattern_scores_row s;
    double e, pr;
    int rc;

    if ((rc = learning_pattern_scores(db, id, &s)) != SC_OK)
        return rc;
    rc = rescore(db, id, &s, now_wall, &e, &pr);
    learning_pattern_scores_row_free(&s);
    if (rc == SC_OK)
        rc = write_scores(db, id, e, pr);
    if (rc == SC_OK && eff != NULL)
        *eff = e;
    return rc;
}

/*
 * The scoring columns of pattern id once one application is added to
 * before (read just now): the count it raises one more, as SQL raises
 * it (NULL stays NULL), and a success confirms the pattern at now_text
 * (borrowed by *after).  SC_CORRUPT when the count has no successor in
 * a 64-bit integer (SQL would make it a real, which no read takes).
 */
static int
counted(sc_db *db, const struct learning_pattern_scores_row *before,
        bool led_to_success, const char *now_text,
        struct learning_pattern_scores_row *after)
{
    bool has = led_to_success ? before->has_led_to_success_count
        : before->has_led_to_failure_count;
    int64_t *count;

    *after = *before;
    count = led_to_success ? &after->led_to_success_count
        : &after->led_to_failure_count;
    if (has && *count == INT64_MAX)
        return sc_fail(db, SC_CORRUPT, "column '%s' holds %" PRId64
                       ", one more is no 64-bit integer",
                       led_to_success ? "led_to_success_count"
                       : "led_to_failure_count", *count);
    if (has)
        ++*count;
    if (led_to_success)
        after->last_confirmed = now_text;
    return SC_OK;
}

/*
 * Record one application of a pattern and rescore the pattern, all in one
 * batch: the pattern's scoring columns read first (and the pattern found),
 * the application inserted, its last applications read, then one UPDATE
 * raising the count in SQL and writing the two scores, computed from the
 * columns as that UPDATE leaves them (the Python store raises the count,
 * reads the row back and writes the scores: a statement more, and a
 * second rewrite of the row).
 */
int
ls_record_pattern_application(sc_db *db, const char *pattern_id,
                              const char *execution_id, bool led_to_success,
                              int64_t retry_before, int64_t retry_after,
                              const double *grounding_confidence,
                              bool *recorded, char id_out[LS_UUID_LEN])
{
    struct learning_pattern_applications app =
        LEARNING_PATTERN_APPLICATIONS_INIT;
    struct learning_pattern_scores_row before, after;
    char id[LS_UUID_LEN], now_text[LS_TIME_LEN];
    int64_t now = lsi_now_us(), now_wall = lsi_local_wall(now);
    double eff, priority;
    int rc;

    if (recorded != NULL)
        *recorded = false;
    if (pattern_id == NULL)
        return lsi_misuse(db, __func__, "pattern_id is NULL");
    if ((rc = ls_uuid4(id)) != SC_OK)
        return rc;
    /* The id is returned even when nothing is recorded, as in Python. */
    if (id_out != NULL)
        memcpy(id_out, id, LS_UUID_LEN);
    lsi_format_wall(now_wall, "", now_text);
    if ((rc = sc_batch_begin_op(db)) != SC_OK)
        return rc;
    rc = learning_pattern_scores(db, pattern_id, &before);
    if (rc == SC_NOTFOUND)
        return sc_batch_end(db, SC_OK);
    if (rc != SC_OK)
        return sc_batch_end(db, rc);
    app.id = id;
    app.pattern_id = pattern_id;
    app.execution_id = execution_id;
    app.applied_at = now_text;
    app.pattern_led_to_success = led_to_success;
    app.has_pattern_led_to_success = true;
    app.retry_count_before = retry_before;
    app.has_retry_count_before = true;
    app.retry_count_after = retry_after;
    app.has_retry_count_after = true;
    if (grounding_confidence != NULL) {
        app.grounding_confidence = *grounding_confidence;
        app.has_grounding_confidence = true;
    }
    rc = counted(db, &before, led_to_success, now_text, &after);
    if (rc == SC_OK)
        rc = learning_pattern_applications_insert(db, &app);
    if (rc == SC_OK)
        rc = rescore(db, pattern_id, &after, now_wall, &eff, &priority);
    learning_pattern_scores_row_free(&before);
    if (rc == SC_OK)
        rc = led_to_success
            ? learning_pattern_applied_success(db, pattern_id, now_text, eff,
                                               priority, NULL)
            : learning_pattern_applied_failure(db, pattern_id, eff,
                                               priority, NULL);
    rc = sc_batch_end(db, rc);
    if (recorded != NULL)
        *recorded = rc == SC_OK;
    return rc;
}

/* Rescore one pattern now. */
int
ls_update_pattern_effectiveness(sc_db *db, const char *pattern_id,
                                double *effectiveness)
{
    int rc;

    if (pattern_id == NULL)
        return lsi_misuse(db, __func__, "pattern_id is NULL");
    if ((rc = sc_batch_begin_op(db)) != SC_OK)
        return rc;
    rc = rescore_pattern(db, pattern_id, lsi_local_wall(lsi_now_us()),
                         effectiveness);
    return sc_batch_end(db, rc);
}

/* A growing list of malloc'd ids. */
struct ids {
    char **v;
    size_t n, cap;
    bool failed;
};

/* Append a copy of id to the list (a query callback). */
static int
add_id(struct ids *l, const char *id)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        char **v = realloc(l->v, cap * sizeof(*v));
        if (v == NULL)
            return SC_NOMEM;
        l->v = v;
        l->cap = cap;
    }
    if ((l->v[l->n] = lsi_strdup(id != NULL ? id : "")) == NULL)
        return SC_NOMEM;
    l->n++;
    return 0;
}

/* Keep one pattern id (a query callback). */
static int
keep_id(const struct learning_pattern_ids_row *r, void *arg)
{
    return add_id(arg, r->id);
}

/* Free the list. */
static void
ids_free(struct ids *l)
{
    size_t i;

    for (i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    memset(l, 0, sizeof(*l));
}

/* Rescore every pattern, in one batch. */
int
ls_recalculate_all_pattern_priorities(sc_db *db, int64_t *updated)
{
    struct ids l = { NULL, 0, 0, false };
    size_t i;
    int rc;

    *updated = 0;
    if ((rc = sc_batch_begin_op(db)) != SC_OK)
        return rc;
    rc = learning_pattern_ids(db, keep_id, &l);
    for (i = 0; rc == SC_OK && i < l.n; i++) {
        rc = rescore_pattern(db, l.v[i], lsi_local_wall(lsi_now_us()), NULL);
        if (rc == SC_NOTFOUND)
            rc = SC_OK;
        else if (rc == SC_OK)
            (*updated)++;
    }
    ids_free(&l);
    rc = sc_batch_end(db, rc);
    if (rc != SC_OK)
        *updated = 0;
    return rc;
}

/* Soft-delete an active pattern. */
int
ls_soft_delete_pattern(sc_db *db, const char *pattern_id)
{
    int64_t changes = 0;
    int rc;

    if (pattern_id == NULL)
        return lsi_misuse(db, __func__, "pattern_id is NULL");
    rc = learning_pattern_soft_delete(db, pattern_id, &changes);
    return rc == SC_OK && changes == 0 ? SC_NOTFOUND : rc;
}

/* The row as Python's PatternRecord holds it. */
void
lsi_pattern_record(const struct learning_patterns *in,
                   struct learning_patterns *out)
{
    *out = *in;
    out->trust_score = in->has_trust_score ? lsi_clamp01(in->trust_score)
                                           : 0.5;
    out->has_trust_score = true;
    if (in->has_effectiveness_score)
        out->effectiveness_score = lsi_clamp01(in->effectiveness_score);
    if (in->has_variance)
        out->variance = lsi_max(0.0, in->variance);
    if (in->has_priority_score)
        out->priority_score = lsi_max(0.0, in->priority_score);
    if (in->quarantine_status == NULL || in->quarantine_status[0] == '\0')
        out->quarantine_status = "pending";
    if (!in->has_active) {
        out->active = 1;
        out->has_active = true;
    }
}

/* A caller's callback for pattern records. */
struct pattern_each {
    int (*each)(const struct learning_patterns *, void *);
    void *arg;
};

/* Hand a row over as a PatternRecord (a select callback). */
static int
as_record(const struct learning_patterns *row, void *arg)
{
    const struct pattern_each *x = arg;
    struct learning_patterns r;

    lsi_pattern_record(row, &r);
    return x->each(&r, x->arg);
}

/* Call each for the patterns the filter lets through, best first. */
int
ls_get_patterns(sc_db *db, const struct ls_pattern_filter *f,
                int (*each)(const struct learning_patterns *, void *),
                void *arg)
{
    static const sc_order best = {
        LEARNING_PATTERNS_COL_PRIORITY_SCORE, true
    };
    struct pattern_each x = { each, arg };
    sc_where w = SC_WHERE_INIT;
    sc_value *tags = NULL;
    char *clause = NULL;
    size_t i;
    int rc;

    if (f == NULL)
        return lsi_misuse(db, __func__, "filter is NULL");
    if (each == NULL)
        return lsi_misuse(db, __func__, "each is NULL");
    /* A NULL tag binds NULL, which no tag equals (Python's IN with
     * None). */
    if ((rc = lsi_check_list(db, __func__, "context_tags", f->context_tags,
                             f->ncontext_tags, true)) != SC_OK)
        return rc;
    sc_where_add(&w, "priority_score >= ?", 1, sc_real(f->min_priority));
    if (!f->include_inactive)
        sc_where_add(&w, "COALESCE(active, 1) = 1", 0);
    /* "if pattern_type:" in Python: an empty type is no filter. */
    if (f->pattern_type != NULL && f->pattern_type[0] != '\0')
        sc_where_add(&w, "pattern_type = ?", 1, sc_text(f->pattern_type));
    if (f->instrument_name != NULL && f->include_universal)
        sc_where_add(&w, "(instrument_name = ? OR instrument_name IS NULL)",
                     1, sc_text(f->instrument_name));
    else if (f->instrument_name != NULL)
        sc_where_add(&w, "instrument_name = ?", 1,
                     sc_text(f->instrument_name));
    if (f->quarantine_status != NULL)
        sc_where_add(&w, "quarantine_status = ?", 1,
                     sc_text(f->quarantine_status));
    else if (f->exclude_quarantined)
        sc_where_add(&w, "quarantine_status != 'quarantined'", 0);
    if (f->has_min_trust)
        sc_where_add(&w, "trust_score >= ?", 1, sc_real(f->min_trust));
    if (f->has_max_trust)
        sc_where_add(&w, "trust_score <= ?", 1, sc_real(f->max_trust));
    if (f->ncontext_tags > 0) {
        /* Any of the tags in the JSON list: one placeholder per tag.
         * PostgreSQL has no json_each() of SQLite's shape: the list's
         * elements as text there. */
        static const char sqlite_head[] = "EXISTS (SELECT 1 FROM "
            "json_each(context_tags) WHERE value IN (?";
        static const char pg_head[] = "EXISTS (SELECT 1 FROM "
            "json_array_elements_text(CAST(context_tags AS json)) AS "
            "t(value) WHERE value IN (?";
        const char *head = sc_sqlite(db) != NULL ? sqlite_head : pg_head;
        size_t len = strlen(head) + 1 + 3 * f->ncontext_tags + 2, used;
        tags = calloc(f->ncontext_tags, sizeof(*tags));
        clause = malloc(len);
        if (tags == NULL || clause == NULL) {
            rc = SC_NOMEM;
            goto done;
        }
        used = (size_t)snprintf(clause, len, "%s", head);
        for (i = 0; i < f->ncontext_tags; i++) {
            if (i > 0)
                used += (size_t)snprintf(clause + used, len - used, ", ?");
            tags[i] = sc_text(f->context_tags[i]);
        }
        snprintf(clause + used, len - used, "))");
        sc_where_addv(&w, clause, tags, f->ncontext_tags);
    }
    rc = learning_patterns_select(db, &w, &best, 1, f->limit, 0, as_record,
                                  &x);
done:
    free(tags);
    free(clause);
    sc_where_fini(&w);
    return rc;
}

/*
 * get_pattern_by_id: read pattern_id's row into *out as Python's
 * PatternRecord holds it (lsi_pattern_record: trust clamped, 0.5 when
 * unset, effectiveness clamped, variance and priority at least 0, status
 * "pending" and active 1 when unset), every string malloc'd: free it with
 * learning_patterns_free(), also after a failure (*out is zeroed then).
 * Returns SC_OK, SC_NOTFOUND when there is no such pattern, SC_MISUSE for
 * a NULL pattern_id, SC_NOMEM or the read's error.
 */
int
ls_get_pattern_by_id(sc_db *db, const char *pattern_id,
                     struct learning_patterns *out)
{
    struct learning_patterns r;
    char *status;
    int rc;

    assert(db != NULL && out != NULL);
    memset(out, 0, sizeof(*out));
    if (pattern_id == NULL)
        return lsi_misuse(db, __func__, "pattern_id is NULL");
    if ((rc = learning_patterns_get(db, pattern_id, out)) != SC_OK)
        return rc;
    lsi_pattern_record(out, &r);
    /* An unset status reads as a static "pending": the row owns its
     * strings, so it gets its own copy. */
    if (r.quarantine_status != out->quarantine_status) {
        if ((status = lsi_strdup(r.quarantine_status)) == NULL) {
            learning_patterns_free(out);
            return SC_NOMEM;
        }
        free((char *)out->quarantine_status);
        r.quarantine_status = status;
    }
    *out = r;
    return SC_OK;
}
