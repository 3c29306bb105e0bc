/*
 * drift.c - how patterns change over time: effectiveness drift (recent
 * applications against older ones), epistemic drift (grounding
 * confidence), their summaries, retiring what drifts badly, and the
 * evolution trajectory the Python store keeps beside them.
 */
#include "learnstore.h"
#include "internal.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- effectiveness drift ------------------------------------------------ */

/* Applications read for one drift calculation. */
struct apps {
    int64_t n;
    int64_t window;
    int64_t succ[2];            /* successes: [0] recent, [1] older */
    int64_t count[2];
    double grounding;           /* sum, recent then older */
    int64_t ngrounded;
};

/* Count one application into its window (a query callback). */
static int
count_app(const struct learning_recent_applications_row *a, void *arg)
{
    struct apps *x = arg;
    int w = x->n < x->window ? 0 : 1;

    x->n++;
    x->count[w]++;
    if (a->has_pattern_led_to_success && a->pattern_led_to_success)
        x->succ[w]++;
    if (a->has_grounding_confidence) {
        x->grounding += a->grounding_confidence;
        x->ngrounded++;
    }
    return 0;
}

/* Free a drift's strings and zero it. */
void
ls_drift_free(struct ls_drift *d)
{
    if (d == NULL)
        return;
    free(d->pattern_id);
    free(d->pattern_name);
    memset(d, 0, sizeof(*d));
}

/* Free an array of n drifts. */
void
ls_drifts_free(struct ls_drift *d, size_t n)
{
    size_t i;

    for (i = 0; d != NULL && i < n; i++)
        ls_drift_free(&d[i]);
    free(d);
}

/* SC_OK when fn (its __func__) can use window_size: at least `least`
 * (1 where the window divides, else 0), with two windows still a 64-bit
 * integer (Python's sqlite3 refuses a larger LIMIT with OverflowError).
 * Else records "name: window_size N is negative" ("is not positive",
 * "is too large") and returns SC_MISUSE. */
static int
check_window(sc_db *db, const char *fn, int64_t window_size, int64_t least)
{
    if (window_size >= least && window_size <= INT64_MAX / 2)
        return SC_OK;
    return lsi_misuse(db, fn, "window_size %lld is %s",
                      (long long)window_size,
                      window_size > 0 ? "too large"
                      : window_size < 0 ? "negative" : "not positive");
}

/* The effectiveness drift of a pattern, as Python's
 * calculate_effectiveness_drift. */
int
ls_calculate_effectiveness_drift(sc_db *db, const char *pattern_id,
                                 int64_t window_size, double drift_threshold,
                                 struct ls_drift *out)
{
    struct learning_pattern_name_row name;
    struct apps x;
    double drift;
    int rc;

    memset(out, 0, sizeof(*out));
    memset(&x, 0, sizeof(x));
    if (pattern_id == NULL)
        return lsi_misuse(db, __func__, "pattern_id is NULL");
    if ((rc = check_window(db, __func__, window_size, 0)) != SC_OK
        || (rc = learning_pattern_name(db, pattern_id, &name)) != SC_OK)
        return rc;
    x.window = window_size;
    rc = learning_recent_applications(db, pattern_id, window_size * 2,
                                      count_app, &x);
    if (rc == SC_OK && x.n < window_size * 2)
        rc = SC_NOTFOUND;           /* not enough applications */
    if (rc == SC_OK) {
        /* Laplace-smoothed success rates of each window. */
        out->effectiveness_after = ((double)x.succ[0] + 0.5)
                                   / (double)(x.count[0] + 1);
        out->effectiveness_before = ((double)x.succ[1] + 0.5)
                                    / (double)(x.count[1] + 1);
        out->grounding_confidence_avg = x.ngrounded > 0
            ? x.grounding / (double)x.ngrounded : 1.0;
        drift = out->effectiveness_after - out->effectiveness_before;
        out->drift_magnitude = fabs(drift);
        out->drift_direction = drift > 0.05 ? "positive"
                               : drift < -0.05 ? "negative" : "stable";
        /* Low grounding amplifies the signal. */
        out->threshold_exceeded =
            out->drift_magnitude
            / lsi_max(out->grounding_confidence_avg, 0.5) > drift_threshold;
        out->window_size = window_size;
        out->applications_analyzed = x.n;
        out->pattern_id = strdup(pattern_id);
        out->pattern_name = lsi_strdup(name.pattern_name);
        if (out->pattern_id == NULL
            || (name.pattern_name != NULL && out->pattern_name == NULL))
            rc = SC_NOMEM;
    }
    learning_pattern_name_row_free(&name);
    if (rc != SC_OK)
        ls_drift_free(out);
    return rc;
}

/* ---- epistemic drift ---------------------------------------------------- */

/* Grounding confidences read for one epistemic drift. */
struct confidences {
    double *v;
    size_t n, cap;
};

static int
keep_confidence(const struct learning_grounded_applications_row *r,
                void *arg)
{
    struct confidences *c = arg;

    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 16;
        double *v = realloc(c->v, cap * sizeof(*v));
        if (v == NULL)
            return SC_NOMEM;
        c->v = v;
        c->cap = cap;
    }
    c->v[c->n++] = r->grounding_confidence;
    return 0;
}

/* Free an epistemic drift's strings and zero it. */
void
ls_epistemic_drift_free(struct ls_epistemic_drift *d)
{
    if (d == NULL)
        return;
    free(d->pattern_id);
    free(d->pattern_name);
    memset(d, 0, sizeof(*d));
}

void
ls_epistemic_drifts_free(struct ls_epistemic_drift *d, size_t n)
{
    size_t i;

    for (i = 0; d != NULL && i < n; i++)
        ls_epistemic_drift_free(&d[i]);
    free(d);
}

/* Python's sum(values) / len(values), summed left to right. */
static double
mean(const double *v, size_t n)
{
    double s = 0;
    size_t i;

    for (i = 0; i < n; i++)
        s += v[i];
    return s / (double)n;
}

/* The epistemic drift of a pattern, as Python's
 * calculate_epistemic_drift. */
int
ls_calculate_epistemic_drift(sc_db *db, const char *pattern_id,
                             int64_t window_size, double drift_threshold,
                             struct ls_epistemic_drift *out)
{
    struct learning_pattern_name_row name;
    struct confidences c = { NULL, 0, 0 };
    size_t w = (size_t)window_size, i;
    double m, var = 0, change;
    int rc;

    memset(out, 0, sizeof(*out));
    if (pattern_id == NULL)
        return lsi_misuse(db, __func__, "pattern_id is NULL");
    if ((rc = check_window(db, __func__, window_size, 1)) != SC_OK)
        return rc;                  /* Python divides by the window */
    if ((rc = learning_pattern_name(db, pattern_id, &name)) != SC_OK)
        return rc;
    rc = learning_grounded_applications(db, pattern_id, window_size * 2,
                                        keep_confidence, &c);
    if (rc == SC_OK && c.n < 2 * w)
        rc = SC_NOTFOUND;
    if (rc == SC_OK) {
        out->confidence_after = mean(c.v, w);
        out->confidence_before = mean(c.v + w, w);
        change = out->confidence_after - out->confidence_before;
        out->belief_change = change;
        m = mean(c.v, c.n);
        if (m > 0) {
            for (i = 0; i < c.n; i++)
                var += pow(c.v[i] - m, 2.0);
            var /= (double)c.n;
            out->belief_entropy = lsi_min(1.0, sqrt(var) / m);
        } else {
            out->belief_entropy = 0.0;
        }
        out->drift_direction = change > 0.05 ? "strengthening"
                               : change < -0.05 ? "weakening" : "stable";
        out->threshold_exceeded =
            fabs(change) * (1 + out->belief_entropy) > drift_threshold;
        out->window_size = window_size;
        out->applications_analyzed = (int64_t)c.n;
        out->pattern_id = strdup(pattern_id);
        out->pattern_name = lsi_strdup(name.pattern_name);
        if (out->pattern_id == NULL
            || (name.pattern_name != NULL && out->pattern_name == NULL))
            rc = SC_NOMEM;
    }
    free(c.v);
    learning_pattern_name_row_free(&name);
    if (rc != SC_OK)
        ls_epistemic_drift_free(out);
    return rc;
}

/* ---- drifting patterns -------------------------------------------------- */

/* A growing list of pattern ids from a grouped count. */
struct id_list {
    char **v;
    bool *null;                 /* the id was NULL */
    size_t n;
};

/* Append an id (NULL kept as such). */
static int
add_id(struct id_list *l, const char *id)
{
    char **v = realloc(l->v, (l->n + 1) * sizeof(*v));
    bool *nl;

    if (v == NULL)
        return SC_NOMEM;
    l->v = v;
    if ((nl = realloc(l->null, (l->n + 1) * sizeof(*nl))) == NULL)
        return SC_NOMEM;
    l->null = nl;
    nl[l->n] = id == NULL;
    if ((v[l->n] = strdup(id != NULL ? id : "")) == NULL)
        return SC_NOMEM;
    l->n++;
    return 0;
}

/* Keep a candidate's id (either query of drift candidates). */
static int
keep_id(const struct learning_patterns_applied_at_least_row *r, void *arg)
{
    return add_id(arg, r->pattern_id);
}

static void
ids_free(struct id_list *l)
{
    size_t i;

    for (i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    free(l->null);
    memset(l, 0, sizeof(*l));
}

/* Sort n items of size sz by key descending, keeping the order of equal
 * keys (Python's list.sort(key=..., reverse=True) is stable). */
static void
stable_sort_desc(void *items, size_t n, size_t sz,
                 double (*key)(const void *))
{
    char *base = items, *tmp = malloc(sz);
    size_t i, j;

    if (tmp == NULL)
        return;
    for (i = 1; i < n; i++) {
        memcpy(tmp, base + i * sz, sz);
        for (j = i; j > 0 && key(base + (j - 1) * sz) < key(tmp); j--)
            memcpy(base + j * sz, base + (j - 1) * sz, sz);
        memcpy(base + j * sz, tmp, sz);
    }
    free(tmp);
}

/*
 * A kind of drift, for the code that gathers and ranks either record: its
 * candidates (patterns with at least min_count applications, or grounded
 * applications), its measure of one pattern (SC_NOTFOUND: no such
 * pattern), whether a record is over its threshold, the key its listing
 * is ranked by (descending), and its record's free and size.
 */
struct drift_kind {
    int (*candidates)(sc_db *db, int64_t min_count,
                      learning_patterns_applied_at_least_row_each_fn *each,
                      void *arg);
    int (*measure)(sc_db *db, const char *pattern_id, int64_t window_size,
                   double threshold, void *out);
    bool (*exceeded)(const void *record);
    double (*key)(const void *record);
    void (*free_one)(void *record);
    size_t size;
};

/* Room for a record of either kind. */
union drift_record {
    struct ls_drift effectiveness;
    struct ls_epistemic_drift epistemic;
};

static int
measure_effectiveness(sc_db *db, const char *pattern_id, int64_t window_size,
                      double threshold, void *out)
{
    return ls_calculate_effectiveness_drift(db, pattern_id, window_size,
                                            threshold, out);
}

static bool
effectiveness_exceeded(const void *p)
{
    return ((const struct ls_drift *)p)->threshold_exceeded;
}

static double
magnitude_key(const void *p)
{
    return ((const struct ls_drift *)p)->drift_magnitude;
}

static void
effectiveness_free(void *p)
{
    ls_drift_free(p);
}

static int
measure_epistemic(sc_db *db, const char *pattern_id, int64_t window_size,
                  double threshold, void *out)
{
    return ls_calculate_epistemic_drift(db, pattern_id, window_size,
                                        threshold, out);
}

static bool
epistemic_exceeded(const void *p)
{
    return ((const struct ls_epistemic_drift *)p)->threshold_exceeded;
}

static double
change_key(const void *p)
{
    return fabs(((const struct ls_epistemic_drift *)p)->belief_change);
}

static void
epistemic_free(void *p)
{
    ls_epistemic_drift_free(p);
}

static const struct drift_kind effectiveness = {
    learning_patterns_applied_at_least, measure_effectiveness,
    effectiveness_exceeded, magnitude_key, effectiveness_free,
    sizeof(struct ls_drift)
};

static const struct drift_kind epistemic = {
    learning_patterns_grounded_at_least, measure_epistemic,
    epistemic_exceeded, change_key, epistemic_free,
    sizeof(struct ls_epistemic_drift)
};

/*
 * The drift of kind k of every candidate with min_count applications, in
 * the candidates' order: those over the threshold, or all of them when
 * all is set.  *out gets a malloc'd array of *n records (NULL when none
 * or on failure).  The reads share one read transaction.
 */
static int
collect(sc_db *db, const struct drift_kind *k, int64_t min_count,
        int64_t window_size, double threshold, bool all, void **out,
        size_t *n)
{
    struct id_list ids = { NULL, NULL, 0 };
    union drift_record d;
    bool began = lsi_read_begin(db);
    char *v = NULL, *grown;
    size_t i;
    int rc;

    assert(k->size <= sizeof(d));
    *n = 0;
    rc = k->candidates(db, min_count, keep_id, &ids);
    for (i = 0; rc == SC_OK && i < ids.n; i++) {
        if (ids.null[i])
            continue;           /* WHERE id = NULL finds no pattern */
        rc = k->measure(db, ids.v[i], window_size, threshold, &d);
        if (rc == SC_NOTFOUND) {
            rc = SC_OK;
            continue;
        }
        if (rc != SC_OK)
            break;
        if (!all && !k->exceeded(&d)) {
            k->free_one(&d);
            continue;
        }
        if ((grown = realloc(v, (*n + 1) * k->size)) == NULL) {
            k->free_one(&d);
            rc = SC_NOMEM;
            break;
        }
        v = grown;
        memcpy(v + *n * k->size, &d, k->size);
        (*n)++;
    }
    ids_free(&ids);
    rc = lsi_read_end(db, began, rc);
    if (rc != SC_OK) {
        for (i = 0; i < *n; i++)
            k->free_one(v + i * k->size);
        free(v);
        v = NULL;
        *n = 0;
    }
    *out = v;
    return rc;
}

/* The drifting patterns of kind k: candidates with 2 * window_size
 * applications over the threshold, by k's key descending (ties in the
 * candidates' order), at most limit (negative: all). */
static int
drifting(sc_db *db, const struct drift_kind *k, double threshold,
         int64_t window_size, int64_t limit, void **out, size_t *n)
{
    char *v;
    int rc;

    rc = collect(db, k, window_size * 2, window_size, threshold, false, out,
                 n);
    if (rc != SC_OK)
        return rc;
    v = *out;
    stable_sort_desc(v, *n, k->size, k->key);
    while (limit >= 0 && *n > (size_t)limit) {
        --*n;
        k->free_one(v + *n * k->size);
    }
    return SC_OK;
}

/* get_drifting_patterns. */
int
ls_get_drifting_patterns(sc_db *db, double drift_threshold,
                         int64_t window_size, int64_t limit,
                         struct ls_drift **out, size_t *n)
{
    void *v;
    int rc;

    if ((rc = check_window(db, __func__, window_size, 0)) != SC_OK)
        return rc;
    rc = drifting(db, &effectiveness, drift_threshold, window_size, limit,
                  &v, n);
    *out = v;
    return rc;
}

/* get_epistemic_drifting_patterns. */
int
ls_get_epistemic_drifting_patterns(sc_db *db, double drift_threshold,
                                   int64_t window_size, int64_t limit,
                                   struct ls_epistemic_drift **out,
                                   size_t *n)
{
    void *v;
    int rc;

    if ((rc = check_window(db, __func__, window_size, 1)) != SC_OK)
        return rc;
    rc = drifting(db, &epistemic, drift_threshold, window_size, limit, &v,
                  n);
    *out = v;
    return rc;
}

/* The number of patterns. */
static int
pattern_total(sc_db *db, int64_t *total)
{
    struct learning_pattern_total_row r;
    int rc;

    *total = 0;
    if ((rc = learning_pattern_total(db, &r)) == SC_OK)
        *total = r.count;
    learning_pattern_total_row_free(&r);
    return rc;
}

/* get_pattern_drift_summary: patterns with 10 applications, at the
 * default window (5) and threshold (0.2). */
int
ls_get_pattern_drift_summary(sc_db *db, struct ls_drift_summary *out)
{
    struct ls_drift *v;
    void *all;
    size_t n, i, most = 0;
    double sum = 0;
    int rc;

    memset(out, 0, sizeof(*out));
    if ((rc = pattern_total(db, &out->total_patterns)) != SC_OK)
        return rc;
    if ((rc = collect(db, &effectiveness, 10, 5, 0.2, true, &all, &n))
        != SC_OK)
        return rc;
    v = all;
    out->patterns_analyzed = (int64_t)n;
    for (i = 0; i < n; i++) {
        out->patterns_drifting += v[i].threshold_exceeded;
        sum += v[i].drift_magnitude;
        if (v[i].drift_magnitude > v[most].drift_magnitude)
            most = i;
    }
    if (n > 0) {
        out->avg_drift_magnitude = sum / (double)n;
        if ((out->most_drifted = strdup(v[most].pattern_id)) == NULL)
            rc = SC_NOMEM;
    }
    ls_drifts_free(v, n);
    return rc;
}

/* Free a summary's id. */
void
ls_drift_summary_free(struct ls_drift_summary *s)
{
    if (s != NULL) {
        free(s->most_drifted);
        s->most_drifted = NULL;
    }
}

/* get_epistemic_drift_summary: patterns with 10 grounded applications,
 * at the default window (5) and threshold (0.15). */
int
ls_get_epistemic_drift_summary(sc_db *db, struct ls_epistemic_summary *out)
{
    struct ls_epistemic_drift *v;
    void *all;
    size_t n, i, most = 0;
    double change = 0, entropy = 0;
    int rc;

    memset(out, 0, sizeof(*out));
    if ((rc = pattern_total(db, &out->total_patterns)) != SC_OK)
        return rc;
    if ((rc = collect(db, &epistemic, 10, 5, 0.15, true, &all, &n))
        != SC_OK)
        return rc;
    v = all;
    out->patterns_analyzed = (int64_t)n;
    for (i = 0; i < n; i++) {
        out->patterns_with_epistemic_drift += v[i].threshold_exceeded;
        change += v[i].belief_change;
        entropy += v[i].belief_entropy;
        if (fabs(v[i].belief_change) > fabs(v[most].belief_change))
            most = i;
    }
    if (n > 0) {
        out->avg_belief_change = change / (double)n;
        out->avg_belief_entropy = entropy / (double)n;
        if ((out->most_unstable = strdup(v[most].pattern_id)) == NULL)
            rc = SC_NOMEM;
    }
    ls_epistemic_drifts_free(v, n);
    return rc;
}

void
ls_epistemic_summary_free(struct ls_epistemic_summary *s)
{
    if (s != NULL) {
        free(s->most_unstable);
        s->most_unstable = NULL;
    }
}

/* ---- retirement --------------------------------------------------------- */

/* Free n retirements. */
void
ls_retired_free(struct ls_retired *r, size_t n)
{
    size_t i;

    for (i = 0; r != NULL && i < n; i++) {
        free(r[i].pattern_id);
        free(r[i].pattern_name);
    }
    free(r);
}

/* retire_drifting_patterns: of up to 100 drifting patterns, those
 * drifting negatively (any direction unless require_negative) get
 * priority 0 and the reason in suggested_action.  One batch. */
int
ls_retire_drifting_patterns(sc_db *db, double drift_threshold,
                            int64_t window_size, bool require_negative,
                            struct ls_retired **out, size_t *n)
{
    struct ls_drift *d = NULL;
    struct ls_retired *v;
    size_t nd = 0, i;
    char reason[256], mag[64], before[64], after[64];
    int rc;

    *out = NULL;
    *n = 0;
    if ((rc = sc_batch_begin_op(db)) != SC_OK)
        return rc;
    rc = ls_get_drifting_patterns(db, drift_threshold, window_size, 100, &d,
                                  &nd);
    for (i = 0; rc == SC_OK && i < nd; i++) {
        if (require_negative && strcmp(d[i].drift_direction, "negative"))
            continue;
        if (!d[i].threshold_exceeded)
            continue;
        lsi_py_fixed(d[i].drift_magnitude, 2, mag);
        lsi_py_fixed(d[i].effectiveness_before, 2, before);
        lsi_py_fixed(d[i].effectiveness_after, 2, after);
        snprintf(reason, sizeof(reason), "Auto-retired: drift %s (%s), "
                 "effectiveness %s \xe2\x86\x92 %s", d[i].drift_direction,
                 mag, before, after);
        rc = learning_pattern_retired_by_drift(db, d[i].pattern_id, reason,
                                               NULL);
        if (rc != SC_OK)
            break;
        if ((v = realloc(*out, (*n + 1) * sizeof(*v))) == NULL) {
            rc = SC_NOMEM;
            break;
        }
        *out = v;
        v[*n].pattern_id = d[i].pattern_id;
        v[*n].pattern_name = d[i].pattern_name;
        v[*n].drift_magnitude = d[i].drift_magnitude;
        d[i].pattern_id = d[i].pattern_name = NULL;     /* moved */
        (*n)++;
    }
    ls_drifts_free(d, nd);
    rc = sc_batch_end(db, rc);
    if (rc != SC_OK) {
        ls_retired_free(*out, *n);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

/* A caller's callback for retired pattern records. */
struct retired_each {
    int (*each)(const struct learning_patterns *, void *);
    void *arg;
};

/* Hand a retired row over as get_retired_patterns builds its records:
 * PatternRecord's clamps, and active, content hash and instrument left
 * at the record's defaults (true, None, None), which that method does
 * not read. */
static int
as_retired(const struct learning_patterns *row, void *arg)
{
    const struct retired_each *x = arg;
    struct learning_patterns r;

    lsi_pattern_record(row, &r);
    r.active = 1;
    r.has_active = true;
    r.content_hash = NULL;
    r.instrument_name = NULL;
    return x->each(&r, x->arg);
}

/* get_retired_patterns: priority 0, the latest seen first. */
int
ls_get_retired_patterns(sc_db *db, int64_t limit,
                        int (*each)(const struct learning_patterns *,
                                    void *),
                        void *arg)
{
    struct retired_each x = { each, arg };

    if (each == NULL)
        return lsi_misuse(db, __func__, "each is NULL");
    return learning_retired_patterns(db, limit, as_retired, &x);
}

/* ---- evolution trajectory ----------------------------------------------- */

/* record_evolution_entry; SC_CONSTRAINT when the cycle is recorded. */
int
ls_record_evolution_entry(sc_db *db, const struct ls_evolution_entry *e,
                          char id_out[LS_UUID_LEN])
{
    struct learning_evolution_trajectory row =
        LEARNING_EVOLUTION_TRAJECTORY_INIT;
    char id[LS_UUID_LEN], now[LS_TIME_LEN], *issues;
    int rc;

    if (e == NULL)
        return lsi_misuse(db, __func__, "entry is NULL");
    if ((rc = lsi_check_list(db, __func__, "issue_classes", e->issue_classes,
                             e->nissue_classes, true)) != SC_OK
        || (rc = ls_uuid4(id)) != SC_OK)
        return rc;
    lsi_format_local(lsi_now_us(), now);
    if ((issues = ls_json_list(e->issue_classes, e->nissue_classes)) == NULL)
        return SC_NOMEM;
    row.id = id;
    row.cycle = e->cycle;
    row.recorded_at = now;
    row.evolutions_completed = e->evolutions_completed;
    row.evolutions_deferred = e->evolutions_deferred;
    row.issue_classes = issues;
    row.cv_avg = e->cv_avg;
    row.implementation_loc = e->implementation_loc;
    row.test_loc = e->test_loc;
    row.loc_accuracy = e->loc_accuracy;
    row.research_candidates_resolved = e->research_candidates_resolved;
    row.has_research_candidates_resolved = true;
    row.research_candidates_created = e->research_candidates_created;
    row.has_research_candidates_created = true;
    row.notes = e->notes != NULL ? e->notes : "";
    rc = learning_evolution_trajectory_insert(db, &row);
    free(issues);
    if (rc == SC_OK && id_out != NULL)
        memcpy(id_out, id, LS_UUID_LEN);
    return rc;
}

/* record_evolution_cycle: the entry of a cycle, from its candidates and
 * outcome. */
int
ls_record_evolution_cycle(sc_db *db, int64_t cycle_number,
                          int64_t candidates_generated,
                          int64_t candidates_applied,
                          const char *changes_summary, const char *outcome,
                          const char *learning_snapshot_json,
                          char id_out[LS_UUID_LEN])
{
    struct ls_evolution_entry e;
    struct lsi_buf notes = LSI_BUF_INIT;
    char *lower;
    const char *issues[1];
    int rc;

    if (changes_summary == NULL)
        return lsi_misuse(db, __func__, "changes_summary is NULL");
    if (outcome == NULL)
        return lsi_misuse(db, __func__, "outcome is NULL");
    if (learning_snapshot_json == NULL)
        return lsi_misuse(db, __func__, "learning_snapshot is NULL");
    /* Deferred = generated - applied must be a 64-bit integer, as
     * Python's sqlite3 binds it (OverflowError beyond). */
    if (candidates_applied > 0
        ? candidates_generated < INT64_MIN + candidates_applied
        : candidates_generated > INT64_MAX + candidates_applied)
        return lsi_misuse(db, __func__, "candidates_generated %lld - "
                          "candidates_applied %lld is no 64-bit integer",
                          (long long)candidates_generated,
                          (long long)candidates_applied);
    if ((rc = lsi_lower(outcome, &lower)) != SC_OK)
        return rc;
    lsi_buf_printf(&notes, "%s\n\nOutcome: %s\nLearning snapshot: %s",
                   changes_summary, outcome, learning_snapshot_json);
    if (notes.failed) {
        free(lower);
        lsi_buf_fini(&notes);
        return SC_NOMEM;
    }
    memset(&e, 0, sizeof(e));
    issues[0] = lower;
    e.cycle = cycle_number;
    e.evolutions_completed = candidates_applied;
    e.evolutions_deferred = candidates_generated - candidates_applied;
    e.issue_classes = issues;
    e.nissue_classes = 1;
    e.cv_avg = 0.0;
    e.loc_accuracy = 1.0;
    e.notes = notes.p;
    rc = ls_record_evolution_entry(db, &e, id_out);
    free(lower);
    lsi_buf_fini(&notes);
    return rc;
}

/* A caller's callback for trajectory entries. */
struct entry_each {
    int (*each)(const struct learning_evolution_trajectory *, void *);
    void *arg;
};

/* Hand an entry over as EvolutionTrajectoryEntry holds it: unset
 * research counts 0, unset notes "". */
static int
as_entry(const struct learning_evolution_trajectory *row, void *arg)
{
    const struct entry_each *x = arg;
    struct learning_evolution_trajectory r = *row;

    if (!r.has_research_candidates_resolved)
        r.research_candidates_resolved = 0;
    if (!r.has_research_candidates_created)
        r.research_candidates_created = 0;
    r.has_research_candidates_resolved = true;
    r.has_research_candidates_created = true;
    if (r.notes == NULL)
        r.notes = "";
    return x->each(&r, x->arg);
}

/* get_trajectory: cycles in [start, end] (NULL: open), the latest cycle
 * first, at most limit. */
int
ls_get_trajectory(sc_db *db, const int64_t *start_cycle,
                  const int64_t *end_cycle, int64_t limit,
                  int (*each)(const struct learning_evolution_trajectory *,
                              void *),
                  void *arg)
{
    static const sc_order latest = {
        LEARNING_EVOLUTION_TRAJECTORY_COL_CYCLE, true
    };
    struct entry_each x = { each, arg };
    sc_where w = SC_WHERE_INIT;
    int rc;

    if (each == NULL)
        return lsi_misuse(db, __func__, "each is NULL");
    if (start_cycle != NULL)
        sc_where_add(&w, "cycle >= ?", 1, sc_int(*start_cycle));
    if (end_cycle != NULL)
        sc_where_add(&w, "cycle <= ?", 1, sc_int(*end_cycle));
    rc = learning_evolution_trajectory_select(db, &w, &latest, 1, limit, 0,
                                              as_entry, &x);
    sc_where_fini(&w);
    return rc;
}

/* get_evolution_history: the latest last_n cycles. */
int
ls_get_evolution_history(sc_db *db, int64_t last_n,
                         int (*each)(const struct
                                     learning_evolution_trajectory *,
                                     void *),
                         void *arg)
{
    return ls_get_trajectory(db, NULL, NULL, last_n, each, arg);
}

/* Issue classes gathered so far, in first-seen order, for get_recurring_
 * issues on db (where a failure is recorded). */
struct issues {
    sc_db *db;
    struct ls_recurring_issue *v;
    size_t n;
};

/* Count one cycle's issue classes into the struct issues at arg. */
static int
gather(const struct learning_trajectory_issues_row *r, void *arg)
{
    struct issues *x = arg;
    struct lsj *l;
    size_t i, k;
    int rc;

    if ((rc = lsi_parse_stored(x->db, "ls_get_recurring_issues",
                               "issue_classes", r->issue_classes, &l))
        != SC_OK)
        return rc;
    for (i = 0; rc == SC_OK && l->type == LSJ_ARRAY && i < l->n; i++) {
        struct ls_recurring_issue *it;
        int64_t *c;
        if (l->items[i].type != LSJ_STRING)
            continue;           /* C keys issues by their text */
        for (k = 0; k < x->n; k++)
            if (strcmp(x->v[k].issue, l->items[i].s) == 0)
                break;
        if (k == x->n) {
            if ((it = realloc(x->v, (x->n + 1) * sizeof(*it))) == NULL) {
                rc = SC_NOMEM;
                break;
            }
            x->v = it;
            memset(&it[k], 0, sizeof(*it));
            if ((it[k].issue = strdup(l->items[i].s)) == NULL) {
                rc = SC_NOMEM;
                break;
            }
            x->n++;
        }
        it = &x->v[k];
        if ((c = realloc(it->cycles, (it->ncycles + 1) * sizeof(*c)))
            == NULL) {
            rc = SC_NOMEM;
            break;
        }
        it->cycles = c;
        c[it->ncycles++] = r->cycle;
    }
    lsj_free(l);
    if (rc == SC_NOMEM)
        rc = lsi_fail(x->db, rc, "ls_get_recurring_issues", "out of memory");
    return rc;
}

/* Order cycles from the latest. */
static int
cmp_desc(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

    return (x < y) - (x > y);
}

/* Free n recurring issues. */
void
ls_recurring_issues_free(struct ls_recurring_issue *v, size_t n)
{
    size_t i;

    for (i = 0; v != NULL && i < n; i++) {
        free(v[i].issue);
        free(v[i].cycles);
    }
    free(v);
}

/* get_recurring_issues: issue classes seen in at least min_occurrences
 * cycles (of the latest *window_cycles when window_cycles is set), in the
 * order first seen from the latest cycle, each with its cycles, latest
 * first. */
int
ls_get_recurring_issues(sc_db *db, int64_t min_occurrences,
                        const int64_t *window_cycles,
                        struct ls_recurring_issue **out, size_t *n)
{
    struct issues x = { db, NULL, 0 };
    size_t i, k;
    int rc;

    *out = NULL;
    *n = 0;
    if (window_cycles != NULL)
        rc = learning_trajectory_issues_window(db, *window_cycles, gather,
                                               &x);
    else
        rc = learning_trajectory_issues(db, gather, &x);
    if (rc != SC_OK) {
        ls_recurring_issues_free(x.v, x.n);
        return rc;
    }
    for (i = 0, k = 0; i < x.n; i++) {
        if ((int64_t)x.v[i].ncycles >= min_occurrences) {
            qsort(x.v[i].cycles, x.v[i].ncycles, sizeof(int64_t), cmp_desc);
            x.v[k++] = x.v[i];
        } else {
            free(x.v[i].issue);
            free(x.v[i].cycles);
        }
    }
    *out = x.v;
    *n = k;
    return SC_OK;
}
