/*
 * budget.c - the exploration budget (how much pattern selection
 * explores), with its floor and ceiling, history and statistics; the
 * entropy of applications over patterns, and the responses that inject
 * diversity when it falls.
 */
#include "learnstore.h"
#include "internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Record a clamped exploration budget. */
int
ls_update_exploration_budget(sc_db *db, const char *job_hash, double value,
                             const char *adjustment_type,
                             const double *entropy, const char *reason,
                             double floor, double ceiling,
                             struct learning_exploration_budget *out)
{
    struct learning_exploration_budget row =
        LEARNING_EXPLORATION_BUDGET_INIT;
    char id[LS_UUID_LEN], now[LS_TIME_LEN], a[64], b[64], why[160];
    double stored = lsi_max(floor, lsi_min(ceiling, value));
    int rc;

    if (out != NULL)
        memset(out, 0, sizeof(*out));
    if ((rc = ls_uuid4(id)) != SC_OK)
        return rc;
    lsi_format_local(lsi_now_us(), now);
    row.adjustment_type = adjustment_type;
    row.adjustment_reason = reason;
    /* The Python store names the bound it enforced, in its own words. */
    if (value < floor) {
        lsi_py_fixed(value, 3, a);
        lsi_py_fixed(floor, 3, b);
        snprintf(why, sizeof(why), "Budget %s enforced to floor %s", a, b);
        row.adjustment_type = "floor_enforced";
        row.adjustment_reason = why;
    } else if (value > ceiling) {
        lsi_py_fixed(value, 3, a);
        lsi_py_fixed(ceiling, 3, b);
        snprintf(why, sizeof(why), "Budget %s enforced to ceiling %s", a, b);
        row.adjustment_type = "ceiling_enforced";
        row.adjustment_reason = why;
    }
    row.id = id;
    row.job_hash = job_hash;
    row.recorded_at = now;
    row.budget_value = stored;
    if (entropy != NULL) {
        row.entropy_at_time = *entropy;
        row.has_entropy_at_time = true;
    }
    rc = learning_exploration_budget_insert(db, &row);
    if (rc == SC_OK && out != NULL) {
        *out = row;
        out->id = lsi_strdup(row.id);
        out->job_hash = lsi_strdup(row.job_hash);
        out->recorded_at = lsi_strdup(row.recorded_at);
        out->adjustment_type = lsi_strdup(row.adjustment_type);
        out->adjustment_reason = lsi_strdup(row.adjustment_reason);
        if (out->id == NULL || out->recorded_at == NULL
            || (row.job_hash != NULL && out->job_hash == NULL)
            || (row.adjustment_type != NULL && out->adjustment_type == NULL)
            || (row.adjustment_reason != NULL
                && out->adjustment_reason == NULL)) {
            learning_exploration_budget_free(out);
            rc = SC_NOMEM;
        }
    }
    return rc;
}

/* The latest budget record, of job_hash or (NULL or "") of any job. */
int
ls_get_exploration_budget(sc_db *db, const char *job_hash,
                          struct learning_exploration_budget *out)
{
    if (job_hash != NULL && job_hash[0] != '\0')
        return learning_latest_budget_job(db, job_hash, out);
    return learning_latest_budget(db, out);
}

/* A caller's callback for budget records. */
struct budget_each {
    int (*each)(const struct learning_exploration_budget *, void *);
    void *arg;
};

/* get_exploration_budget_history: newest first, of job_hash unless it
 * is NULL or "". */
int
ls_get_exploration_budget_history(sc_db *db, const char *job_hash,
                                  int64_t limit,
                                  int (*each)(const struct
                                              learning_exploration_budget *,
                                              void *),
                                  void *arg)
{
    static const sc_order newest = {
        LEARNING_EXPLORATION_BUDGET_COL_RECORDED_AT, true
    };
    sc_where w = SC_WHERE_INIT;
    int rc;

    if (each == NULL)
        return lsi_misuse(db, __func__, "each is NULL");
    if (job_hash != NULL && job_hash[0] != '\0')
        sc_where_add(&w, "job_hash = ?", 1, sc_text(job_hash));
    rc = learning_exploration_budget_select(db, &w, &newest, 1, limit, 0,
                                            each, arg);
    sc_where_fini(&w);
    return rc;
}

/* calculate_budget_adjustment: the first record is the initial budget;
 * then below the entropy threshold the budget is boosted, otherwise it
 * decays.  Read and write in one batch. */
int
ls_calculate_budget_adjustment(sc_db *db, const char *job_hash,
                               double current_entropy,
                               const struct ls_budget_params *params,
                               struct learning_exploration_budget *out)
{
    static const struct ls_budget_params dflt = LS_BUDGET_PARAMS_INIT;
    const struct ls_budget_params *p = params != NULL ? params : &dflt;
    struct learning_exploration_budget cur;
    char reason[160], e[64], t[64];
    const char *type;
    double value;
    int rc;

    if (out != NULL)
        memset(out, 0, sizeof(*out));
    if ((rc = sc_batch_begin_op(db)) != SC_OK)
        return rc;
    rc = ls_get_exploration_budget(db, job_hash, &cur);
    if (rc == SC_NOTFOUND) {
        rc = ls_update_exploration_budget(db, job_hash, p->initial_budget,
                                          "initial", &current_entropy,
                                          "Initial budget set", p->floor,
                                          p->ceiling, out);
        return sc_batch_end(db, rc);
    }
    if (rc != SC_OK)
        return sc_batch_end(db, rc);
    lsi_py_fixed(current_entropy, 3, e);
    lsi_py_fixed(p->entropy_threshold, 3, t);
    if (current_entropy < p->entropy_threshold) {
        value = cur.budget_value + p->boost_amount;
        type = "boost";
        snprintf(reason, sizeof(reason), "Entropy %s < threshold %s", e, t);
    } else {
        value = cur.budget_value * p->decay_rate;
        type = "decay";
        snprintf(reason, sizeof(reason),
                 "Entropy %s >= threshold, decaying", e);
    }
    learning_exploration_budget_free(&cur);
    rc = ls_update_exploration_budget(db, job_hash, value, type,
                                      &current_entropy, reason, p->floor,
                                      p->ceiling, out);
    return sc_batch_end(db, rc);
}

/* get_exploration_budget_statistics. */
int
ls_get_exploration_budget_statistics(sc_db *db, const char *job_hash,
                                     struct ls_budget_stats *out)
{
    struct learning_budget_stats_row r;
    struct learning_exploration_budget cur;
    int rc;

    memset(out, 0, sizeof(*out));
    rc = job_hash != NULL && job_hash[0] != '\0'
        ? learning_budget_stats_job(db, job_hash, &r)
        : learning_budget_stats(db, &r);
    if (rc != SC_OK || !r.has_total || r.total == 0)
        return rc;
    out->total_adjustments = r.total;
    out->avg_budget = r.has_avg_val ? r.avg_val : 0.0;
    out->min_budget = r.has_min_val ? r.min_val : 0.0;
    out->max_budget = r.has_max_val ? r.max_val : 0.0;
    out->floor_enforcements = r.has_floor_count ? r.floor_count : 0;
    out->boost_count = r.has_boost_count ? r.boost_count : 0;
    out->decay_count = r.has_decay_count ? r.decay_count : 0;
    if ((rc = ls_get_exploration_budget(db, job_hash, &cur)) == SC_OK) {
        out->has_current_budget = true;
        out->current_budget = cur.budget_value;
        learning_exploration_budget_free(&cur);
    } else if (rc == SC_NOTFOUND) {
        rc = SC_OK;
    }
    return rc;
}

/* ---- pattern entropy ---------------------------------------------------- */

/* Application counts per pattern, in the order SQLite groups them. */
struct counts {
    int64_t *v;
    size_t n;
};

static int
add_count(struct counts *c, int64_t n)
{
    int64_t *v = realloc(c->v, (c->n + 1) * sizeof(*v));

    if (v == NULL)
        return SC_NOMEM;
    v[c->n++] = n;
    c->v = v;
    return 0;
}

static int
keep_count(const struct learning_pattern_application_counts_row *r,
           void *arg)
{
    return add_count(arg, r->has_app_count ? r->app_count : 0);
}

/*
 * Shannon entropy of the counts c with a positive count (total of them
 * in total), as Python computes it: p = count / total; H = -sum(p *
 * log2(p)) summed in order; the maximum log2(k) for k > 1 counts, else
 * 1.0; diversity H / max.  *dominant gets max(p).
 */
static void
shannon(const struct counts *c, int64_t total, double *h, double *hmax,
        double *diversity, double *dominant, int64_t *k)
{
    double sum = 0, p;
    size_t i;

    *k = 0;
    *dominant = 0;
    for (i = 0; i < c->n; i++) {
        if (c->v[i] <= 0)
            continue;
        p = (double)c->v[i] / (double)total;
        if (*k == 0 || p > *dominant)
            *dominant = p;
        (*k)++;
        if (p > 0)
            sum += p * log2(p);
    }
    *h = -sum;
    *hmax = *k > 1 ? log2((double)*k) : 1.0;
    *diversity = *hmax > 0 ? *h / *hmax : 0.0;
}

/* calculate_pattern_entropy: the entropy of applications over patterns,
 * now. */
int
ls_calculate_pattern_entropy(sc_db *db, struct ls_pattern_entropy *out)
{
    struct counts c = { NULL, 0 };
    int64_t total = 0, k;
    size_t i;
    int rc;

    memset(out, 0, sizeof(*out));
    lsi_format_local(lsi_now_us(), out->calculated_at);
    if ((rc = learning_pattern_application_counts(db, keep_count, &c))
        != SC_OK) {
        free(c.v);
        return rc;
    }
    out->unique_pattern_count = (int64_t)c.n;
    for (i = 0; i < c.n; i++) {
        total += c.v[i];
        out->effective_pattern_count += c.v[i] > 0;
    }
    if (total == 0 || out->effective_pattern_count == 0) {
        out->effective_pattern_count = 0;
        free(c.v);
        return SC_OK;
    }
    out->total_applications = total;
    shannon(&c, total, &out->shannon_entropy, &out->max_possible_entropy,
            &out->diversity_index, &out->dominant_pattern_share, &k);
    free(c.v);
    return SC_OK;
}

/* record_pattern_entropy: a snapshot for the history. */
int
ls_record_pattern_entropy(sc_db *db, const struct ls_pattern_entropy *m,
                          char id_out[LS_UUID_LEN])
{
    struct learning_pattern_entropy_history row =
        LEARNING_PATTERN_ENTROPY_HISTORY_INIT;
    char id[LS_UUID_LEN];
    int rc;

    if (m == NULL)
        return lsi_misuse(db, __func__, "entropy is NULL");
    if ((rc = ls_uuid4(id)) != SC_OK)
        return rc;
    row.id = id;
    row.calculated_at = m->calculated_at;
    row.shannon_entropy = m->shannon_entropy;
    row.max_possible_entropy = m->max_possible_entropy;
    row.diversity_index = m->diversity_index;
    row.unique_pattern_count = m->unique_pattern_count;
    row.effective_pattern_count = m->effective_pattern_count;
    row.total_applications = m->total_applications;
    row.dominant_pattern_share = m->dominant_pattern_share;
    row.threshold_exceeded = m->threshold_exceeded ? 1 : 0;
    row.has_threshold_exceeded = true;
    rc = learning_pattern_entropy_history_insert(db, &row);
    if (rc == SC_OK && id_out != NULL)
        memcpy(id_out, id, LS_UUID_LEN);
    return rc;
}

/* get_pattern_entropy_history: the latest first, threshold_exceeded as
 * 0 or 1. */
int
ls_get_pattern_entropy_history(sc_db *db, int64_t limit,
                               int (*each)(const struct
                                   learning_pattern_entropy_history *,
                                   void *),
                               void *arg)
{
    static const sc_order latest = {
        LEARNING_PATTERN_ENTROPY_HISTORY_COL_CALCULATED_AT, true
    };

    if (each == NULL)
        return lsi_misuse(db, __func__, "each is NULL");
    return learning_pattern_entropy_history_select(db, NULL, &latest, 1,
                                                   limit, 0, each, arg);
}

/* ---- entropy responses -------------------------------------------------- */

/* The latest entropy response, of job_hash unless NULL or "". */
int
ls_get_last_entropy_response(sc_db *db, const char *job_hash,
                             struct learning_entropy_responses *out)
{
    int rc;

    if (job_hash != NULL && job_hash[0] != '\0')
        rc = learning_latest_entropy_response_job(db, job_hash, out);
    else
        rc = learning_latest_entropy_response(db, out);
    return rc;
}

/* check_entropy_response_needed, as Python decides it. */
int
ls_check_entropy_response_needed(sc_db *db, const char *job_hash,
                                 double entropy_threshold,
                                 double cooldown_seconds,
                                 struct ls_entropy_check *out)
{
    struct learning_entropy_responses last;
    struct counts c = { NULL, 0 };
    int64_t total = 0, at, k;
    double since, h, hmax, diversity, dominant;
    char a[64], b[64];
    size_t i;
    int rc;

    memset(out, 0, sizeof(*out));
    rc = ls_get_last_entropy_response(db, job_hash, &last);
    if (rc == SC_OK) {
        if (lsi_wall_of(last.recorded_at, &at) != 0)
            rc = lsi_fail(db, SC_CORRUPT, __func__, "the last entropy "
                          "response's recorded_at '%.64s' is not a time",
                          last.recorded_at ? last.recorded_at : "");
        learning_entropy_responses_free(&last);
        if (rc != SC_OK)
            return rc;
        since = (double)(lsi_local_wall(lsi_now_us()) - at) / 1e6;
        if (since < cooldown_seconds) {
            lsi_py_fixed(cooldown_seconds - since, 0, a);
            snprintf(out->reason, sizeof(out->reason),
                     "Cooldown active (%ss remaining)", a);
            return SC_OK;
        }
    } else if (rc != SC_NOTFOUND) {
        return rc;
    }
    if ((rc = learning_applied_pattern_counts(db, keep_count, &c))
        != SC_OK) {
        free(c.v);
        return rc;
    }
    for (i = 0; i < c.n; i++)
        total += c.v[i];
    if (c.n == 0 || total == 0) {
        free(c.v);
        snprintf(out->reason, sizeof(out->reason),
                 "No pattern applications to analyze");
        return SC_OK;
    }
    /* Every row counts here (HAVING app_count > 0 left no others). */
    shannon(&c, total, &h, &hmax, &diversity, &dominant, &k);
    free(c.v);
    out->has_entropy = true;
    out->entropy = diversity;
    lsi_py_fixed(diversity, 3, a);
    lsi_py_fixed(entropy_threshold, 3, b);
    out->needed = diversity < entropy_threshold;
    snprintf(out->reason, sizeof(out->reason),
             out->needed ? "Entropy %s < threshold %s"
                         : "Entropy %s >= threshold %s (healthy)", a, b);
    return SC_OK;
}

/* Ids of the patterns revisited. */
struct revisits {
    char **v;
    size_t n;
};

/* Keep a revisited pattern's id (a query callback). */
static int
keep_revisit(const struct learning_quarantined_to_revisit_row *r, void *arg)
{
    struct revisits *x = arg;
    char **v = realloc(x->v, (x->n + 1) * sizeof(*v));

    if (v == NULL)
        return SC_NOMEM;
    x->v = v;
    if ((v[x->n] = strdup(r->id != NULL ? r->id : "")) == NULL)
        return SC_NOMEM;
    x->n++;
    return 0;
}

/* trigger_entropy_response: boost the budget, send quarantined patterns
 * back to pending, and record the response; one batch. */
int
ls_trigger_entropy_response(sc_db *db, const char *job_hash,
                            double entropy_at_trigger, double threshold_used,
                            const struct ls_entropy_response_config *config,
                            struct learning_entropy_responses *out)
{
    static const struct ls_entropy_response_config dflt =
        LS_ENTROPY_RESPONSE_CONFIG_INIT;
    const struct ls_entropy_response_config *cfg =
        config != NULL ? config : &dflt;
    struct learning_entropy_responses row = LEARNING_ENTROPY_RESPONSES_INIT;
    struct learning_exploration_budget cur;
    struct revisits rv = { NULL, 0 };
    char id[LS_UUID_LEN], now[LS_TIME_LEN], reason[160], e[64], t[64];
    const char *actions[2];
    size_t nactions = 0, i;
    char *actions_json = NULL, *revisited = NULL;
    int rc;

    if (out != NULL)
        memset(out, 0, sizeof(*out));
    if (job_hash == NULL)
        return lsi_misuse(db, __func__, "job_hash is NULL");
    if ((rc = ls_uuid4(id)) != SC_OK)
        return rc;
    if ((rc = sc_batch_begin_op(db)) != SC_OK)
        return rc;
    if (cfg->boost_budget) {
        double value = 0.15 + cfg->budget_boost_amount;
        rc = ls_get_exploration_budget(db, job_hash, &cur);
        if (rc == SC_OK) {
            value = cur.budget_value + cfg->budget_boost_amount;
            learning_exploration_budget_free(&cur);
        }
        if (rc == SC_OK || rc == SC_NOTFOUND) {
            lsi_py_fixed(entropy_at_trigger, 3, e);
            lsi_py_fixed(threshold_used, 3, t);
            snprintf(reason, sizeof(reason),
                     "Entropy response: diversity %s < %s", e, t);
            rc = ls_update_exploration_budget(db, job_hash, value, "boost",
                                              &entropy_at_trigger, reason,
                                              cfg->budget_floor,
                                              cfg->budget_ceiling, NULL);
        }
        if (rc == SC_OK)
            actions[nactions++] = "budget_boost";
    }
    if (rc == SC_OK && cfg->revisit_quarantine) {
        rc = learning_quarantined_to_revisit(db, cfg->max_quarantine_revisits,
                                             keep_revisit, &rv);
        for (i = 0; rc == SC_OK && i < rv.n; i++)
            rc = learning_pattern_revisited(db, rv.v[i], NULL);
        if (rc == SC_OK && rv.n > 0)
            actions[nactions++] = "quarantine_revisit";
    }
    if (rc == SC_OK) {
        lsi_format_local(lsi_now_us(), now);
        if ((actions_json = ls_json_list(actions, nactions)) == NULL
            || (revisited = ls_json_list((const char *const *)rv.v, rv.n))
               == NULL)
            rc = SC_NOMEM;
    }
    if (rc == SC_OK) {
        row.id = id;
        row.job_hash = job_hash;
        row.recorded_at = now;
        row.entropy_at_trigger = entropy_at_trigger;
        row.threshold_used = threshold_used;
        row.actions_taken = actions_json;
        row.budget_boosted = cfg->boost_budget ? 1 : 0;
        row.has_budget_boosted = true;
        row.quarantine_revisits = (int64_t)rv.n;
        row.has_quarantine_revisits = true;
        row.patterns_revisited = revisited;
        rc = learning_entropy_responses_insert(db, &row);
    }
    rc = sc_batch_end(db, rc);
    if (rc == SC_OK && out != NULL)
        rc = learning_entropy_responses_get(db, id, out);
    for (i = 0; i < rv.n; i++)
        free(rv.v[i]);
    free(rv.v);
    free(actions_json);
    free(revisited);
    return rc;
}

/* A caller's callback for entropy responses. */
struct response_each {
    int (*each)(const struct learning_entropy_responses *, void *);
    void *arg;
};

/* Hand a response over as EntropyResponseRecord holds it: budget_boosted
 * 0 or 1, an unset or empty patterns_revisited "[]". */
static int
as_response(const struct learning_entropy_responses *row, void *arg)
{
    const struct response_each *x = arg;
    struct learning_entropy_responses r = *row;

    r.budget_boosted = r.has_budget_boosted && r.budget_boosted != 0;
    r.has_budget_boosted = true;
    if (r.patterns_revisited == NULL || r.patterns_revisited[0] == '\0')
        r.patterns_revisited = "[]";
    return x->each(&r, x->arg);
}

/* get_entropy_response_history: newest first. */
int
ls_get_entropy_response_history(sc_db *db, const char *job_hash,
                                int64_t limit,
                                int (*each)(const struct
                                            learning_entropy_responses *,
                                            void *),
                                void *arg)
{
    static const sc_order newest = {
        LEARNING_ENTROPY_RESPONSES_COL_RECORDED_AT, true
    };
    struct response_each x = { each, arg };
    sc_where w = SC_WHERE_INIT;
    int rc;

    if (each == NULL)
        return lsi_misuse(db, __func__, "each is NULL");
    if (job_hash != NULL && job_hash[0] != '\0')
        sc_where_add(&w, "job_hash = ?", 1, sc_text(job_hash));
    rc = learning_entropy_responses_select(db, &w, &newest, 1, limit, 0,
                                           as_response, &x);
    sc_where_fini(&w);
    return rc;
}

/* get_entropy_response_statistics. */
int
ls_get_entropy_response_statistics(sc_db *db, const char *job_hash,
                                   struct ls_entropy_response_stats *out)
{
    struct learning_entropy_response_stats_row r;
    struct learning_entropy_responses last;
    int rc;

    memset(out, 0, sizeof(*out));
    rc = job_hash != NULL && job_hash[0] != '\0'
        ? learning_entropy_response_stats_job(db, job_hash, &r)
        : learning_entropy_response_stats(db, &r);
    if (rc != SC_OK || !r.has_total || r.total == 0)
        return rc;
    out->total_responses = r.total;
    out->avg_entropy_at_trigger = r.has_avg_entropy ? r.avg_entropy : 0.0;
    out->budget_boosts = r.has_budget_boosts ? r.budget_boosts : 0;
    out->quarantine_revisits = r.has_total_revisits ? r.total_revisits : 0;
    if ((rc = ls_get_last_entropy_response(db, job_hash, &last)) == SC_OK) {
        out->has_last_response = true;
        if (lsi_iso_normalize(last.recorded_at, out->last_response) != 0)
            snprintf(out->last_response, sizeof(out->last_response), "%s",
                     last.recorded_at);
        learning_entropy_responses_free(&last);
    } else if (rc == SC_NOTFOUND) {
        rc = SC_OK;
    }
    return rc;
}
