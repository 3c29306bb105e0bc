/*
 * factors.c - why a pattern succeeds: the success factors kept as JSON
 * in its row (updated on each success, as the Python store's
 * SuccessFactors), and the analysis built from them.
 */
#include "learnstore.h"
#include "internal.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Free the members of f and zero it. */
void
ls_success_factors_free(struct ls_success_factors *f)
{
    size_t i;

    if (f == NULL)
        return;
    for (i = 0; i < f->nvalidation_types; i++)
        free(f->validation_types[i]);
    for (i = 0; i < f->nerror_categories; i++)
        free(f->error_categories[i]);
    free(f->validation_types);
    free(f->error_categories);
    free(f->prior_sheet_status);
    free(f->time_of_day_bucket);
    memset(f, 0, sizeof(*f));
}

/* Append a copy of s to the list; SC_OK or SC_NOMEM. */
static int
push(char ***v, size_t *n, const char *s)
{
    char **p = realloc(*v, (*n + 1) * sizeof(**v));

    if (p == NULL)
        return SC_NOMEM;
    *v = p;
    if ((p[*n] = strdup(s)) == NULL)
        return SC_NOMEM;
    (*n)++;
    return SC_OK;
}

/* The strings of JSON list member key of obj into a list (other items
 * are skipped: C holds strings only). */
static int
read_list(const struct lsj *obj, const char *key, char ***v, size_t *n)
{
    const struct lsj *l = lsj_get(obj, key);
    size_t i;
    int rc;

    for (i = 0; l != NULL && l->type == LSJ_ARRAY && i < l->n; i++)
        if (l->items[i].type == LSJ_STRING
            && (rc = push(v, n, l->items[i].s)) != SC_OK)
            return rc;
    return SC_OK;
}

/* The number member key of obj, or dflt; *set false for null. */
static double
read_real(const struct lsj *obj, const char *key, double dflt, bool *set)
{
    const struct lsj *v = lsj_get(obj, key);

    if (set != NULL)
        *set = v != NULL && v->type != LSJ_NULL;
    if (v == NULL)
        return dflt;
    if (v->type == LSJ_INT || v->type == LSJ_REAL)
        return v->type == LSJ_INT ? (double)v->i : v->d;
    if (v->type == LSJ_BOOL)
        return v->b;
    return dflt;
}

/* The integer member key of obj, or dflt. */
static int64_t
read_int(const struct lsj *obj, const char *key, int64_t dflt)
{
    const struct lsj *v = lsj_get(obj, key);

    if (v == NULL)
        return dflt;
    if (v->type == LSJ_INT)
        return v->i;
    if (v->type == LSJ_REAL) {
        /* Truncated as int() truncates; beyond the range the nearer end
         * (converting such a double is undefined in C), NaN the default. */
        if (v->d != v->d)
            return dflt;
        if (v->d >= 9223372036854775808.0)
            return INT64_MAX;
        if (v->d < -9223372036854775808.0)
            return INT64_MIN;
        return (int64_t)v->d;
    }
    if (v->type == LSJ_BOOL)
        return v->b;
    return dflt;
}

/* A copy of the string member key of obj, NULL for null or absent. */
static int
read_text(const struct lsj *obj, const char *key, char **out)
{
    const struct lsj *v = lsj_get(obj, key);

    *out = NULL;
    if (v == NULL || v->type != LSJ_STRING)
        return SC_OK;
    return (*out = strdup(v->s)) != NULL ? SC_OK : SC_NOMEM;
}

/* SuccessFactors.from_dict(json.loads(text)), clamped as its
 * __post_init__ clamps: success rate into [0, 1], occurrences at least
 * 1.  SC_CORRUPT when text is not a JSON object, recorded on db for fn
 * (its caller's __func__). */
static int
parse_factors(sc_db *db, const char *fn, const char *text,
              struct ls_success_factors *f)
{
    struct lsj *v;
    bool set;
    int rc;

    memset(f, 0, sizeof(*f));
    if ((rc = lsi_parse_stored(db, fn, "success_factors", text, &v))
        != SC_OK)
        return rc;
    if (v->type != LSJ_OBJECT) {
        lsj_free(v);
        return lsi_fail(db, SC_CORRUPT, fn, "stored success_factors "
                        "'%.40s' are not a JSON object", text);
    }
    if ((rc = read_list(v, "validation_types", &f->validation_types,
                        &f->nvalidation_types)) == SC_OK
        && (rc = read_list(v, "error_categories", &f->error_categories,
                           &f->nerror_categories)) == SC_OK
        && (rc = read_text(v, "prior_sheet_status", &f->prior_sheet_status))
           == SC_OK)
        rc = read_text(v, "time_of_day_bucket", &f->time_of_day_bucket);
    f->retry_iteration = read_int(v, "retry_iteration", 0);
    f->escalation_was_pending = read_int(v, "escalation_was_pending", 0)
                                != 0;
    f->grounding_confidence = read_real(v, "grounding_confidence", 0, &set);
    f->has_grounding_confidence = set;
    f->occurrence_count = read_int(v, "occurrence_count", 1);
    if (f->occurrence_count < 1)
        f->occurrence_count = 1;
    f->success_rate = lsi_clamp01(read_real(v, "success_rate", 1.0, NULL));
    lsj_free(v);
    if (rc != SC_OK)
        ls_success_factors_free(f);
    return rc;
}

/* json.dumps(factors.to_dict()), malloc'd; NULL when memory runs out. */
static char *
dump_factors(const struct ls_success_factors *f)
{
    struct lsi_buf b = LSI_BUF_INIT;

    lsi_buf_str(&b, "{\"validation_types\": ");
    lsi_buf_json_list(&b, (const char *const *)f->validation_types,
                      f->nvalidation_types);
    lsi_buf_str(&b, ", \"error_categories\": ");
    lsi_buf_json_list(&b, (const char *const *)f->error_categories,
                      f->nerror_categories);
    lsi_buf_str(&b, ", \"prior_sheet_status\": ");
    if (f->prior_sheet_status != NULL)
        lsi_buf_json_string(&b, f->prior_sheet_status);
    else
        lsi_buf_str(&b, "null");
    lsi_buf_str(&b, ", \"time_of_day_bucket\": ");
    if (f->time_of_day_bucket != NULL)
        lsi_buf_json_string(&b, f->time_of_day_bucket);
    else
        lsi_buf_str(&b, "null");
    lsi_buf_printf(&b, ", \"retry_iteration\": %lld, "
                   "\"escalation_was_pending\": %s, "
                   "\"grounding_confidence\": ",
                   (long long)f->retry_iteration,
                   f->escalation_was_pending ? "true" : "false");
    if (f->has_grounding_confidence)
        lsi_buf_json_real(&b, f->grounding_confidence);
    else
        lsi_buf_str(&b, "null");
    lsi_buf_printf(&b, ", \"occurrence_count\": %lld, \"success_rate\": ",
                   (long long)f->occurrence_count);
    lsi_buf_json_real(&b, f->success_rate);
    lsi_buf_str(&b, "}");
    return lsi_buf_take(&b);
}

/* SuccessFactors.get_time_bucket(hour). */
static const char *
time_bucket(int64_t hour)
{
    if (hour >= 5 && hour < 12)
        return "morning";
    if (hour >= 12 && hour < 17)
        return "afternoon";
    if (hour >= 17 && hour < 21)
        return "evening";
    return "night";
}

/* Order two strings by code point (strcmp of UTF-8 is that order). */
static int
cmp_text(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* sorted(set(list) | set(more)) into *v, *n; SC_OK or SC_NOMEM. */
static int
merge_sorted(char ***v, size_t *n, const char *const *more, size_t nmore)
{
    size_t i, j, k;
    int rc;

    for (i = 0; i < nmore; i++)
        if ((rc = push(v, n, more[i])) != SC_OK)
            return rc;
    if (*n > 1)
        qsort(*v, *n, sizeof(**v), cmp_text);
    for (i = 0, k = 0; i < *n; i++) {
        for (j = 0; j < k; j++)
            if (strcmp((*v)[j], (*v)[i]) == 0)
                break;
        if (j < k)
            free((*v)[i]);
        else
            (*v)[k++] = (*v)[i];
    }
    *n = k;
    return SC_OK;
}

/* Update a pattern's success factors after a success, as Python's
 * update_success_factors.  One batch. */
int
ls_update_success_factors(sc_db *db, const char *pattern_id,
                          const struct ls_factor_update *u,
                          struct ls_success_factors *out)
{
    struct learning_pattern_factor_inputs_row r;
    struct ls_success_factors f;
    char now[LS_TIME_LEN], *json = NULL;
    int64_t wall = lsi_local_wall(lsi_now_us()), hour;
    int64_t succ, fail;
    double applied;
    size_t i;
    int rc;

    memset(&f, 0, sizeof(f));
    if (out != NULL)
        memset(out, 0, sizeof(*out));
    if (pattern_id == NULL)
        return lsi_misuse(db, __func__, "pattern_id is NULL");
    if (u == NULL)
        return lsi_misuse(db, __func__, "update is NULL");
    /* The factors hold strings, kept sorted and merged: no NULLs. */
    if ((rc = lsi_check_list(db, __func__, "validation_types",
                             u->validation_types,
                             u->nvalidation_types, false)) != SC_OK
        || (rc = lsi_check_list(db, __func__, "error_categories",
                                u->error_categories,
                                u->nerror_categories, false)) != SC_OK)
        return rc;
    hour = lsi_floor_div(wall, 3600 * LSI_US);
    hour -= lsi_floor_div(hour, 24) * 24;
    lsi_format_wall(wall, "", now);
    if ((rc = sc_batch_begin_op(db)) != SC_OK)
        return rc;
    if ((rc = learning_pattern_factor_inputs(db, pattern_id, &r)) != SC_OK)
        return sc_batch_end(db, rc);
    succ = r.has_led_to_success_count ? r.led_to_success_count : 0;
    fail = r.has_led_to_failure_count ? r.led_to_failure_count : 0;
    if (r.success_factors != NULL && r.success_factors[0] != '\0') {
        rc = parse_factors(db, __func__, r.success_factors, &f);
        if (rc == SC_OK && f.occurrence_count == INT64_MAX)
            rc = sc_fail(db, SC_CORRUPT, "success_factors' occurrence_count "
                         "%" PRId64 ": one more is no 64-bit integer",
                         f.occurrence_count);
        if (rc == SC_OK) {
            f.occurrence_count++;
            if (u->nvalidation_types > 0)
                rc = merge_sorted(&f.validation_types, &f.nvalidation_types,
                                  u->validation_types, u->nvalidation_types);
            if (rc == SC_OK && u->nerror_categories > 0)
                rc = merge_sorted(&f.error_categories, &f.nerror_categories,
                                  u->error_categories, u->nerror_categories);
            if (rc == SC_OK && u->prior_sheet_status != NULL
                && u->prior_sheet_status[0] != '\0') {
                free(f.prior_sheet_status);
                if ((f.prior_sheet_status = strdup(u->prior_sheet_status))
                    == NULL)
                    rc = SC_NOMEM;
            }
            if (u->grounding_confidence != NULL) {
                f.grounding_confidence = *u->grounding_confidence;
                f.has_grounding_confidence = true;
            }
            /* Set after the record's clamping, as Python does. */
            if ((applied = lsi_sum_double(succ, fail, 0)) > 0)
                f.success_rate = (double)succ / applied;
        }
    } else {
        for (i = 0; rc == SC_OK && i < u->nvalidation_types; i++)
            rc = push(&f.validation_types, &f.nvalidation_types,
                      u->validation_types[i]);
        for (i = 0; rc == SC_OK && i < u->nerror_categories; i++)
            rc = push(&f.error_categories, &f.nerror_categories,
                      u->error_categories[i]);
        if (rc == SC_OK && u->prior_sheet_status != NULL
            && (f.prior_sheet_status = strdup(u->prior_sheet_status))
               == NULL)
            rc = SC_NOMEM;
        if (u->grounding_confidence != NULL) {
            f.grounding_confidence = *u->grounding_confidence;
            f.has_grounding_confidence = true;
        }
        f.occurrence_count = 1;
        f.success_rate = 1.0;
    }
    learning_pattern_factor_inputs_row_free(&r);
    if (rc == SC_OK) {
        free(f.time_of_day_bucket);
        f.time_of_day_bucket = strdup(time_bucket(hour));
        f.retry_iteration = u->retry_iteration;
        f.escalation_was_pending = u->escalation_was_pending;
        if (f.time_of_day_bucket == NULL
            || (json = dump_factors(&f)) == NULL)
            rc = SC_NOMEM;
    }
    if (rc == SC_OK)
        rc = learning_pattern_factors(db, pattern_id, json, now, NULL);
    free(json);
    rc = sc_batch_end(db, rc);
    if (rc == SC_OK && out != NULL)
        *out = f;
    else
        ls_success_factors_free(&f);
    return rc;
}

/* A pattern's success factors; SC_NOTFOUND when the pattern is unknown
 * or has none. */
int
ls_get_success_factors(sc_db *db, const char *pattern_id,
                       struct ls_success_factors *out)
{
    struct learning_pattern_factor_inputs_row r;
    int rc;

    memset(out, 0, sizeof(*out));
    if (pattern_id == NULL)
        return lsi_misuse(db, __func__, "pattern_id is NULL");
    if ((rc = learning_pattern_factor_inputs(db, pattern_id, &r)) != SC_OK)
        return rc;
    if (r.success_factors == NULL || r.success_factors[0] == '\0')
        rc = SC_NOTFOUND;
    else
        rc = parse_factors(db, __func__, r.success_factors, out);
    learning_pattern_factor_inputs_row_free(&r);
    return rc;
}

/* Free the members of an analysis and zero it. */
void
ls_why_free(struct ls_why *w)
{
    size_t i;

    if (w == NULL)
        return;
    free(w->pattern_name);
    free(w->pattern_type);
    free(w->factors_summary);
    for (i = 0; i < w->nkey_conditions; i++)
        free(w->key_conditions[i]);
    for (i = 0; i < w->nrecommendations; i++)
        free(w->recommendations[i]);
    free(w->key_conditions);
    free(w->recommendations);
    memset(w, 0, sizeof(*w));
}

/* Append printf-formatted text to a list of strings. */
static int
push_fmt(char ***v, size_t *n, const char *fmt, ...)
{
    char text[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    return push(v, n, text);
}

/* Append ", "-joined items after prefix to the buffer. */
static void
joined(struct lsi_buf *b, const char *prefix, char *const *items, size_t n)
{
    size_t i;

    lsi_buf_str(b, prefix);
    for (i = 0; i < n; i++) {
        if (i > 0)
            lsi_buf_str(b, ", ");
        lsi_buf_str(b, items[i]);
    }
}

/* The analysis of Python's analyze_pattern_why from the factors f (NULL:
 * none captured). */
static int
analyze(struct ls_why *w, const struct ls_success_factors *f)
{
    struct lsi_buf b = LSI_BUF_INIT;
    char g[64];
    int rc = SC_OK;
    bool any = false;

    w->has_factors = f != NULL;
    if (f == NULL) {
        w->factors_summary = strdup("No success factors captured yet");
        w->confidence = 0.0;
        rc = push(&w->recommendations, &w->nrecommendations,
                  "Apply this pattern more times to capture success "
                  "factors");
        return rc == SC_OK && w->factors_summary == NULL ? SC_NOMEM : rc;
    }
    if (f->nvalidation_types > 0) {
        joined(&b, "validation types: ", f->validation_types,
               f->nvalidation_types);
        any = true;
    }
    if (f->nerror_categories > 0) {
        if (any)
            lsi_buf_str(&b, "; ");
        joined(&b, "error categories: ", f->error_categories,
               f->nerror_categories);
        any = true;
    }
    if (f->time_of_day_bucket != NULL && f->time_of_day_bucket[0] != '\0') {
        lsi_buf_printf(&b, "%stypically succeeds in: %s", any ? "; " : "",
                       f->time_of_day_bucket);
        any = true;
    }
    if (f->prior_sheet_status != NULL && f->prior_sheet_status[0] != '\0') {
        lsi_buf_printf(&b, "%sprior sheet was: %s", any ? "; " : "",
                       f->prior_sheet_status);
        any = true;
    }
    if (!any)
        lsi_buf_str(&b, "Context captured");
    if ((w->factors_summary = lsi_buf_take(&b)) == NULL)
        return SC_NOMEM;
    if (f->has_grounding_confidence && f->grounding_confidence != 0
        && f->grounding_confidence > 0.7) {
        lsi_py_fixed(f->grounding_confidence, 2, g);
        rc = push_fmt(&w->key_conditions, &w->nkey_conditions,
                      "High grounding confidence (%s)", g);
    }
    if (rc == SC_OK && f->retry_iteration == 0)
        rc = push(&w->key_conditions, &w->nkey_conditions,
                  "Succeeds on first attempt");
    else if (rc == SC_OK && f->retry_iteration > 0)
        rc = push_fmt(&w->key_conditions, &w->nkey_conditions,
                      "Often succeeds after %lld retries",
                      (long long)f->retry_iteration);
    if (rc == SC_OK && f->nvalidation_types > 0)
        rc = push_fmt(&w->key_conditions, &w->nkey_conditions,
                      "Works with %zu validation types",
                      f->nvalidation_types);
    if (rc == SC_OK && !f->escalation_was_pending)
        rc = push(&w->key_conditions, &w->nkey_conditions,
                  "Succeeds without escalation");
    w->confidence = lsi_min(1.0, (double)f->occurrence_count / 10.0)
                    * f->success_rate;
    if (rc == SC_OK && f->occurrence_count < 5)
        rc = push(&w->recommendations, &w->nrecommendations,
                  "Need more observations for reliable analysis");
    if (rc == SC_OK && f->success_rate > 0.8)
        rc = push(&w->recommendations, &w->nrecommendations,
                  "High confidence pattern - consider for auto-apply");
    if (rc == SC_OK && f->success_rate < 0.5)
        rc = push(&w->recommendations, &w->nrecommendations,
                  "Low success rate - review pattern relevance");
    if (rc == SC_OK && f->time_of_day_bucket != NULL
        && f->time_of_day_bucket[0] != '\0')
        rc = push_fmt(&w->recommendations, &w->nrecommendations,
                      "Best applied during %s", f->time_of_day_bucket);
    w->has_observations = true;
    w->observation_count = f->occurrence_count;
    w->success_rate = f->success_rate;
    return rc;
}

/* Why pattern_id succeeds, as Python's analyze_pattern_why.  SC_NOTFOUND
 * for an unknown pattern. */
int
ls_analyze_pattern_why(sc_db *db, const char *pattern_id, struct ls_why *out)
{
    struct learning_pattern_factor_inputs_row r;
    struct ls_success_factors f;
    bool has = false;
    int rc;

    memset(out, 0, sizeof(*out));
    if (pattern_id == NULL)
        return lsi_misuse(db, __func__, "pattern_id is NULL");
    if ((rc = learning_pattern_factor_inputs(db, pattern_id, &r)) != SC_OK)
        return rc;
    out->pattern_name = lsi_strdup(r.pattern_name);
    out->pattern_type = lsi_strdup(r.pattern_type);
    out->trust_score = r.has_trust_score ? lsi_clamp01(r.trust_score) : 0.5;
    /* Unset: the column's default, as the pattern's record reads it. */
    out->effectiveness_score = r.has_effectiveness_score
                               ? lsi_clamp01(r.effectiveness_score) : 0.5;
    if (r.success_factors != NULL && r.success_factors[0] != '\0') {
        rc = parse_factors(db, __func__, r.success_factors, &f);
        has = rc == SC_OK;
    }
    learning_pattern_factor_inputs_row_free(&r);
    if (rc == SC_OK && (out->pattern_name == NULL
                        || out->pattern_type == NULL))
        rc = SC_NOMEM;
    if (rc == SC_OK)
        rc = analyze(out, has ? &f : NULL);
    if (has)
        ls_success_factors_free(&f);
    if (rc != SC_OK)
        ls_why_free(out);
    return rc;
}

/* The state of get_patterns_with_why. */
struct with_why {
    sc_db *db;
    int64_t min_observations;
    char **ids;
    size_t n;
};

/* Keep the id of a pattern whose factors count enough observations (a
 * query callback). */
static int
consider(const struct learning_patterns *p, void *arg)
{
    struct with_why *x = arg;
    struct ls_success_factors f;
    int rc;

    if (p->success_factors == NULL || p->success_factors[0] == '\0')
        return 0;
    if ((rc = parse_factors(x->db, "ls_get_patterns_with_why",
                            p->success_factors, &f)) != SC_OK)
        return rc;
    if (f.occurrence_count >= x->min_observations)
        rc = push(&x->ids, &x->n, p->id);
    ls_success_factors_free(&f);
    return rc;
}

/* Patterns with success factors, best first, each with its analysis. */
int
ls_get_patterns_with_why(sc_db *db, int64_t min_observations, int64_t limit,
                         int (*each)(const struct learning_patterns *,
                                     const struct ls_why *, void *),
                         void *arg)
{
    struct with_why x = { db, min_observations, NULL, 0 };
    struct learning_patterns row, rec;
    struct ls_why w;
    size_t i;
    int rc;

    if (each == NULL)
        return lsi_misuse(db, __func__, "each is NULL");
    rc = learning_patterns_with_factors(db, limit, consider, &x);
    for (i = 0; rc == SC_OK && i < x.n; i++) {
        if ((rc = learning_patterns_get(db, x.ids[i], &row)) != SC_OK)
            break;
        if ((rc = ls_analyze_pattern_why(db, x.ids[i], &w)) == SC_OK) {
            lsi_pattern_record(&row, &rec);
            rc = each(&rec, &w, arg);
            ls_why_free(&w);
        }
        learning_patterns_free(&row);
    }
    for (i = 0; i < x.n; i++)
        free(x.ids[i]);
    free(x.ids);
    return rc;
}
