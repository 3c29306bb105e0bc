/*
 * test_extremes.c - every public ls_* function that takes numbers (other
 * than the lengths of the caller's own buffers), called with the extremes
 * of int64_t and double, then again after extreme values were written into
 * the file by another program, and under time zones far from UTC with the
 * clock pinned at the first and last second of datetime's years.  SQLite
 * files only; time pinned with LEARNSTORE_NOW.
 *
 * Why it exists: under the sanitizer build (CI's `make check` with clang
 * -fsanitize=address,undefined -fno-sanitize-recover=all) any undefined
 * behaviour on such a number -- a signed overflow, a double converted
 * beyond int64_t -- aborts the program, and LeakSanitizer (or valgrind)
 * fails it for anything a call leaves unfreed.  It began as an ad-hoc
 * sweep that found signed overflows and out-of-range conversions, which
 * the library now refuses.  Those refusals, as the library documents
 * them, are checked exactly (SC_MISUSE, or -1 from ls_format_time); every
 * other call only for returning an SC_* code: what it returns for such
 * numbers is not the point, that it returns is.
 */
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"
#include "learnstore.h"
#include "engine.h"

#define T0 1780000000.0             /* a fixed "now" for the tests */
/* datetime's first and last whole second, in seconds from the epoch */
#define FIRST_SECOND -62135596800.0
#define LAST_SECOND 253402300799.0

/* The integers tried: both ends, around 0, the 32-bit end, 2^62 - 1 (the
 * largest drift window: two of them still make a 64-bit integer) and
 * 2^62. */
static const int64_t ints[] = {
    INT64_MIN, INT64_MIN + 1, -1, 0, 1, INT_MAX, INT64_MAX / 2,
    INT64_MAX / 2 + 1, INT64_MAX,
};

/* The doubles tried: not a number, both infinities, the largest finite
 * ones, both zeros, beyond int64_t either way (9.3e18 > 2^63), and the
 * smallest subnormal. */
static const double doubles[] = {
    NAN, INFINITY, -INFINITY, 1e308, -1e308, 0.0, -0.0, 9.3e18, -9.3e18,
    5e-324,
};

#define NINTS (sizeof(ints) / sizeof(ints[0]))
#define NDOUBLES (sizeof(doubles) / sizeof(doubles[0]))

/* What the running checks are about ("int64 -1"), for their messages. */
static char at[128];

/* Set what the running checks are about, printf-style. */
static void
say(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(at, sizeof(at), fmt, ap);
    va_end(ap);
}

/* CHECK_RC(db, call, ANY): call returns an SC_* code, any of them. */
#define ANY INT_MIN

/* Whether db says why a call failed with rc: a failure other than "not
 * found" comes with a message of its own, not "not an error" or none. */
static bool
says_why(sc_db *db, int rc)
{
    const char *m = sc_errmsg(db);

    return rc == SC_OK || rc == SC_NOTFOUND
           || (m != NULL && m[0] != '\0' && strcmp(m, "not an error") != 0);
}

/* Check the code call (on db) returns: want, or with ANY any SC_* code
 * (an outcome the test does not pin, as long as the call returns one),
 * and that a failure says why. */
#define CHECK_RC(db, call, want) do {                                   \
        int t_rc_ = (call), t_want_ = (want);                           \
        if (t_want_ == ANY && (t_rc_ < SC_OK || t_rc_ > SC_ERROR))      \
            T_FAIL("%s: %s returned %d, no SC_* code", at, #call,       \
                   t_rc_);                                              \
        else if (t_want_ != ANY && t_rc_ != t_want_)                    \
            T_FAIL("%s: %s returned %d, expected %d", at, #call, t_rc_, \
                   t_want_);                                            \
        else if (!says_why((db), t_rc_))                                \
            T_FAIL("%s: %s returned %s with the message \"%s\"", at,  \
                   #call, sc_errstr(t_rc_), sc_errmsg(db));             \
    } while (0)

/* Pin the clock at t seconds from the epoch. */
static void
pin_time(double t)
{
    char buf[64];

    snprintf(buf, sizeof(buf), "%.6f", t);
    setenv("LEARNSTORE_NOW", buf, 1);
}

/* Whether t (seconds from the epoch) is within datetime's years 1 to
 * 9999, where the library accepts an expiry.  NaN is not. */
static bool
within_years(double t)
{
    return t >= FIRST_SECOND && t < LAST_SECOND + 1;
}

/* v saturated into an int, for the functions that take one. */
static int
as_int(int64_t v)
{
    return v > INT_MAX ? INT_MAX : v < INT_MIN ? INT_MIN : (int)v;
}

/* The code a drift read must give for window before it reads anything:
 * SC_MISUSE below least (0, or 1 where Python divides by the window) or
 * above INT64_MAX / 2 (two windows are read), else ANY. */
static int
window_refusal(int64_t window, int64_t least)
{
    return window < least || window > INT64_MAX / 2 ? SC_MISUSE : ANY;
}

/* Whether a - b leaves int64_t, worked out in unsigned arithmetic, which
 * wraps where the signed one would be undefined: it does when a and b
 * differ in sign and the wrapped difference's sign is not a's. */
static bool
difference_overflows(int64_t a, int64_t b)
{
    uint64_t ua = (uint64_t)a, ub = (uint64_t)b, d = ua - ub;

    return (((ua ^ ub) & (ua ^ d)) >> 63) != 0;
}

/* ---- callbacks: every row taken, none kept ------------------------------ */

/* Take a pattern row; 0 (go on). */
static int
take_pattern(const struct learning_patterns *r, void *arg)
{
    (void)r, (void)arg;
    return 0;
}

/* Take a pattern row with its analysis; 0 (go on). */
static int
take_why(const struct learning_patterns *r, const struct ls_why *w,
         void *arg)
{
    (void)r, (void)w, (void)arg;
    return 0;
}

/* Take an execution row; 0 (go on). */
static int
take_execution(const struct learning_executions *r, void *arg)
{
    (void)r, (void)arg;
    return 0;
}

/* Take a workspace hash; 0 (go on). */
static int
take_workspace(const char *r, void *arg)
{
    (void)r, (void)arg;
    return 0;
}

/* Take an escalation row; 0 (go on). */
static int
take_escalation(const struct learning_escalation_decisions *r, void *arg)
{
    (void)r, (void)arg;
    return 0;
}

/* Take an exploration budget row; 0 (go on). */
static int
take_budget(const struct learning_exploration_budget *r, void *arg)
{
    (void)r, (void)arg;
    return 0;
}

/* Take an evolution trajectory row; 0 (go on). */
static int
take_entry(const struct learning_evolution_trajectory *r, void *arg)
{
    (void)r, (void)arg;
    return 0;
}

/* Take a pattern entropy row; 0 (go on). */
static int
take_entropy(const struct learning_pattern_entropy_history *r, void *arg)
{
    (void)r, (void)arg;
    return 0;
}

/* Take an entropy response row; 0 (go on). */
static int
take_response(const struct learning_entropy_responses *r, void *arg)
{
    (void)r, (void)arg;
    return 0;
}

/* Take a pattern discovery row; 0 (go on). */
static int
take_discovery(const struct learning_pattern_discovery_events *r,
               void *arg)
{
    (void)r, (void)arg;
    return 0;
}

/* Take a rate-limit row; 0 (go on). */
static int
take_rate_limit(const struct learning_rate_limit_events *r, void *arg)
{
    (void)r, (void)arg;
    return 0;
}

/* ---- calls that hand something back, which they free -------------------- */

/* ls_calculate_effectiveness_drift, its result freed; returns its code. */
static int
effectiveness_drift(sc_db *db, const char *pid, int64_t window,
                    double threshold)
{
    struct ls_drift d;
    int rc = ls_calculate_effectiveness_drift(db, pid, window, threshold,
                                              &d);

    if (rc == SC_OK)
        ls_drift_free(&d);
    return rc;
}

/* ls_calculate_epistemic_drift, its result freed; returns its code. */
static int
epistemic_drift(sc_db *db, const char *pid, int64_t window,
                double threshold)
{
    struct ls_epistemic_drift d;
    int rc = ls_calculate_epistemic_drift(db, pid, window, threshold, &d);

    if (rc == SC_OK)
        ls_epistemic_drift_free(&d);
    return rc;
}

/* ls_get_drifting_patterns, its list freed; returns its code. */
static int
drifting(sc_db *db, double threshold, int64_t window, int64_t limit)
{
    struct ls_drift *d = NULL;
    size_t n = 0;
    int rc = ls_get_drifting_patterns(db, threshold, window, limit, &d, &n);

    if (rc == SC_OK)
        ls_drifts_free(d, n);
    return rc;
}

/* ls_get_epistemic_drifting_patterns, its list freed; returns its code. */
static int
epistemic_drifting(sc_db *db, double threshold, int64_t window,
                   int64_t limit)
{
    struct ls_epistemic_drift *d = NULL;
    size_t n = 0;
    int rc = ls_get_epistemic_drifting_patterns(db, threshold, window, limit,
                                                &d, &n);

    if (rc == SC_OK)
        ls_epistemic_drifts_free(d, n);
    return rc;
}

/* ls_retire_drifting_patterns, its list freed; returns its code. */
static int
retire_drifting(sc_db *db, double threshold, int64_t window)
{
    struct ls_retired *r = NULL;
    size_t n = 0;
    int rc = ls_retire_drifting_patterns(db, threshold, window, false, &r,
                                         &n);

    if (rc == SC_OK)
        ls_retired_free(r, n);
    return rc;
}

/* ls_get_recurring_issues, its list freed; returns its code. */
static int
recurring_issues(sc_db *db, int64_t min_occurrences, const int64_t *window)
{
    struct ls_recurring_issue *r = NULL;
    size_t n = 0;
    int rc = ls_get_recurring_issues(db, min_occurrences, window, &r, &n);

    if (rc == SC_OK)
        ls_recurring_issues_free(r, n);
    return rc;
}

/* ls_trigger_entropy_response, the row freed; returns its code. */
static int
trigger_response(sc_db *db, double entropy, double threshold,
                 const struct ls_entropy_response_config *c)
{
    struct learning_entropy_responses o;
    int rc = ls_trigger_entropy_response(db, "j", entropy, threshold, c,
                                         &o);

    if (rc == SC_OK)
        learning_entropy_responses_free(&o);
    return rc;
}

/* ls_update_success_factors, the factors freed; returns its code. */
static int
update_factors(sc_db *db, const char *pid, const struct ls_factor_update *u)
{
    struct ls_success_factors f;
    int rc = ls_update_success_factors(db, pid, u, &f);

    if (rc == SC_OK)
        ls_success_factors_free(&f);
    return rc;
}

/* ls_update_exploration_budget, the row freed; returns its code. */
static int
update_budget(sc_db *db, double value, const double *entropy, double floor,
              double ceiling)
{
    struct learning_exploration_budget b;
    int rc = ls_update_exploration_budget(db, "j", value, "x", entropy, "r",
                                          floor, ceiling, &b);

    if (rc == SC_OK)
        learning_exploration_budget_free(&b);
    return rc;
}

/* ls_calculate_budget_adjustment, the row freed; returns its code. */
static int
adjust_budget(sc_db *db, double entropy, const struct ls_budget_params *p)
{
    struct learning_exploration_budget b;
    int rc = ls_calculate_budget_adjustment(db, "j", entropy, p, &b);

    if (rc == SC_OK)
        learning_exploration_budget_free(&b);
    return rc;
}

/* ls_analyze_pattern_why, the analysis freed; returns its code. */
static int
analyze_why(sc_db *db, const char *pid)
{
    struct ls_why w;
    int rc = ls_analyze_pattern_why(db, pid, &w);

    if (rc == SC_OK)
        ls_why_free(&w);
    return rc;
}

/* ls_get_optimal_execution_window, freed; returns its code. */
static int
execution_window(sc_db *db)
{
    struct ls_execution_window w;
    int rc = ls_get_optimal_execution_window(db, NULL, &w);

    if (rc == SC_OK)
        ls_execution_window_free(&w);
    return rc;
}

/* ls_promote_ready_patterns, its lists freed; returns its code. */
static int
promote(sc_db *db)
{
    struct ls_promotion p;
    int rc = ls_promote_ready_patterns(db, &p);

    if (rc == SC_OK)
        ls_promotion_free(&p);
    return rc;
}

/* ls_get_pattern_provenance, freed; returns its code. */
static int
provenance(sc_db *db, const char *pid)
{
    struct ls_provenance p;
    int rc = ls_get_pattern_provenance(db, pid, &p);

    if (rc == SC_OK)
        ls_provenance_free(&p);
    return rc;
}

/* ls_get_pattern_by_id, the row freed (also after a failure, as its
 * contract allows); returns its code. */
static int
pattern_by_id(sc_db *db, const char *pid)
{
    struct learning_patterns p;
    int rc = ls_get_pattern_by_id(db, pid, &p);

    learning_patterns_free(&p);
    return rc;
}

/* ls_get_success_factors, freed; returns its code. */
static int
get_factors(sc_db *db, const char *pid)
{
    struct ls_success_factors f;
    int rc = ls_get_success_factors(db, pid, &f);

    if (rc == SC_OK)
        ls_success_factors_free(&f);
    return rc;
}

/* ls_get_pattern_drift_summary, freed; returns its code. */
static int
drift_summary(sc_db *db)
{
    struct ls_drift_summary s;
    int rc = ls_get_pattern_drift_summary(db, &s);

    if (rc == SC_OK)
        ls_drift_summary_free(&s);
    return rc;
}

/* ls_get_epistemic_drift_summary, freed; returns its code. */
static int
epistemic_summary(sc_db *db)
{
    struct ls_epistemic_summary s;
    int rc = ls_get_epistemic_drift_summary(db, &s);

    if (rc == SC_OK)
        ls_epistemic_summary_free(&s);
    return rc;
}

/* ls_get_exploration_budget of any job, the row freed; returns its
 * code. */
static int
latest_budget(sc_db *db)
{
    struct learning_exploration_budget b;
    int rc = ls_get_exploration_budget(db, NULL, &b);

    if (rc == SC_OK)
        learning_exploration_budget_free(&b);
    return rc;
}

/* ls_get_last_entropy_response of any job, the row freed; returns its
 * code. */
static int
last_response(sc_db *db)
{
    struct learning_entropy_responses r;
    int rc = ls_get_last_entropy_response(db, NULL, &r);

    if (rc == SC_OK)
        learning_entropy_responses_free(&r);
    return rc;
}

/* ls_get_workspace_cluster of "w", the id freed; returns its code. */
static int
workspace_cluster(sc_db *db)
{
    char *c = NULL;
    int rc = ls_get_workspace_cluster(db, "w", &c);

    free(c);
    return rc;
}

/* ---- a store with something in it --------------------------------------- */

/*
 * A fresh store (file name) holding a pattern with 12 applications and
 * success factors, an error recovery, a rate limit, a workspace cluster,
 * a discovery and two evolution cycles; its pattern's id into pid.
 * Returns the store for the caller to sc_close, or NULL after failing the
 * running test.
 */
static sc_db *
seeded(const char *name, char pid[LS_HASH_HEX])
{
    sc_db *db = eng_fresh(name);
    struct ls_pattern_input in = { .pattern_type = "t", .pattern_name = "p",
                                   .description = "d",
                                   .suggested_action = "s",
                                   .provenance_job_hash = "j" };
    struct ls_factor_update u = { .prior_sheet_status = "ok",
                                  .retry_iteration = 1 };
    struct ls_discovery d = { .pattern_name = "p", .pattern_type = "t",
                              .job_id = "job", .effectiveness_score = 1.0,
                              .ttl_seconds = 300 };
    double g;
    int k;

    if (db == NULL)
        return NULL;
    CHECK_RC(db, ls_record_pattern(db, &in, pid), SC_OK);
    for (k = 0; k < 12; k++) {
        g = k / 12.0;
        CHECK_RC(db, ls_record_pattern_application(db, pid, "x", k % 3 != 0, 0,
                                               1, &g, NULL, NULL), SC_OK);
    }
    CHECK_RC(db, update_factors(db, pid, &u), SC_OK);
    CHECK_RC(db, ls_record_error_recovery(db, "E", 1, 2, true, NULL, NULL),
             SC_OK);
    CHECK_RC(db, ls_record_rate_limit_event(db, "E", 60, "job", NULL, NULL),
             SC_OK);
    CHECK_RC(db, ls_assign_workspace_cluster(db, "w", "c"), SC_OK);
    d.pattern_id = pid;
    CHECK_RC(db, ls_record_pattern_discovery(db, &d, NULL), SC_OK);
    CHECK_RC(db, ls_record_evolution_cycle(db, 1, 5, 2, "s", "OK", "{}", NULL),
             SC_OK);
    CHECK_RC(db, ls_record_evolution_cycle(db, 2, 5, 2, "s", "OK", "{}", NULL),
             SC_OK);
    return db;
}

/* ---- integer arguments -------------------------------------------------- */

/* The pattern reads with v as their limit (and the why read's minimum). */
static void
int_pattern_reads(sc_db *db, int64_t v)
{
    struct ls_pattern_filter f = LS_PATTERN_FILTER_INIT;
    const char *tags[] = { "api" };

    f.limit = v;
    CHECK_RC(db, ls_get_patterns(db, &f, take_pattern, NULL), ANY);
    CHECK_RC(db, ls_get_quarantined_patterns(db, v, take_pattern, NULL), ANY);
    CHECK_RC(db, ls_get_high_trust_patterns(db, 0.5, v, take_pattern, NULL),
             ANY);
    CHECK_RC(db, ls_get_low_trust_patterns(db, 0.5, v, take_pattern, NULL),
             ANY);
    CHECK_RC(db, ls_get_patterns_for_auto_apply(db, 0, false, v, NULL, 0,
                                            take_pattern, NULL), ANY);
    CHECK_RC(db, ls_get_patterns_for_auto_apply(db, 0, true, v, tags, 1,
                                            take_pattern, NULL), ANY);
    CHECK_RC(db, ls_get_patterns_with_why(db, v, v, take_why, NULL), ANY);
    CHECK_RC(db, ls_get_retired_patterns(db, v, take_pattern, NULL), ANY);
}

/* The other reads with v as their limit, sheet, cycle or count. */
static void
int_other_reads(sc_db *db, int64_t v)
{
    CHECK_RC(db, ls_get_similar_executions(db, NULL, NULL, &v, v,
                                       take_execution, NULL), ANY);
    CHECK_RC(db, ls_get_recent_executions(db, v, NULL, take_execution, NULL),
             ANY);
    CHECK_RC(db, ls_get_similar_workspaces(db, "c", v, take_workspace, NULL),
             ANY);
    CHECK_RC(db, ls_check_recent_pattern_discoveries(db, NULL, NULL, 0, v,
                                                 take_discovery, NULL), ANY);
    CHECK_RC(db, ls_get_trajectory(db, &v, &v, v, take_entry, NULL), ANY);
    CHECK_RC(db, ls_get_trajectory(db, NULL, &v, 5, take_entry, NULL), ANY);
    CHECK_RC(db, ls_get_evolution_history(db, v, take_entry, NULL), ANY);
    CHECK_RC(db, recurring_issues(db, v, &v), ANY);
    CHECK_RC(db, recurring_issues(db, v, NULL), ANY);
    CHECK_RC(db, ls_get_escalation_history(db, NULL, NULL, v, take_escalation,
                                       NULL), ANY);
    CHECK_RC(db, ls_get_similar_escalation(db, 0.5, 50, 1e308, 1e308, v,
                                       take_escalation, NULL), ANY);
    CHECK_RC(db, ls_get_exploration_budget_history(db, NULL, v, take_budget,
                                               NULL), ANY);
    CHECK_RC(db, ls_get_pattern_entropy_history(db, v, take_entropy, NULL),
             ANY);
    CHECK_RC(db, ls_get_entropy_response_history(db, NULL, v, take_response,
                                             NULL), ANY);
}

/* The drift reads with window v: refused exactly as documented (a window
 * below 0, below 1 where it divides, or above INT64_MAX / 2); then with
 * limit v and a usable window. */
static void
int_drifts(sc_db *db, const char *pid, int64_t v)
{
    CHECK_RC(db, effectiveness_drift(db, pid, v, 0.2), window_refusal(v, 0));
    CHECK_RC(db, epistemic_drift(db, pid, v, 0.2), window_refusal(v, 1));
    CHECK_RC(db, drifting(db, 0.0, v, v), window_refusal(v, 0));
    CHECK_RC(db, epistemic_drifting(db, 0.0, v, v), window_refusal(v, 1));
    CHECK_RC(db, retire_drifting(db, 0.2, v), window_refusal(v, 0));
    CHECK_RC(db, drifting(db, 0.0, 5, v), ANY);
    CHECK_RC(db, epistemic_drifting(db, 0.0, 5, v), ANY);
}

/* The writes of structures with v in every integer member. */
static void
int_struct_writes(sc_db *db, const char *pid, int64_t v)
{
    struct ls_factor_update u = { .retry_iteration = v };
    struct ls_escalation e = { .job_id = "job", .sheet_num = v,
                               .confidence = 0.5, .action = "retry",
                               .validation_pass_rate = 0.5,
                               .retry_count = v };
    struct ls_outcome o = { .job_id = "job",
                            .sheet_id = "sheet-9223372036854775807",
                            .status = "completed", .duration_seconds = 1,
                            .retry_count = v,
                            .validation_pass_rate = 0.5 };
    struct ls_evolution_entry n = { .cycle = v, .evolutions_completed = v,
                                    .evolutions_deferred = v,
                                    .implementation_loc = v,
                                    .test_loc = v,
                                    .research_candidates_resolved = v,
                                    .research_candidates_created = v };

    CHECK_RC(db, update_factors(db, pid, &u), ANY);
    CHECK_RC(db, ls_record_escalation_decision(db, &e, NULL), ANY);
    CHECK_RC(db, ls_record_outcome(db, &o, "/tmp", NULL, NULL, 0, NULL), ANY);
    CHECK_RC(db, ls_record_evolution_entry(db, &n, NULL), ANY);
}

/* The other writes and the reads that take v as a count. */
static void
int_counts(sc_db *db, const char *pid, int64_t v)
{
    struct ls_entropy_response_config c = LS_ENTROPY_RESPONSE_CONFIG_INIT;
    struct ls_wait_advice a;
    bool found;
    double wait;
    size_t j;

    c.max_quarantine_revisits = v;
    CHECK_RC(db, trigger_response(db, 0.1, 0.3, &c), ANY);
    CHECK_RC(db, ls_record_pattern_application(db, pid, "x", v & 1, v, v, NULL,
                                           NULL, NULL), ANY);
    CHECK_RC(db, ls_get_learned_wait_time(db, "E", NULL, as_int(v), &found,
                                      &wait), ANY);
    for (j = 0; j < NDOUBLES; j++) {
        CHECK_RC(db, ls_get_learned_wait_time_with_fallback(db, "E", doubles[j],
                                                        NULL, as_int(v),
                                                        doubles[j], &a),
                 ANY);
    }
}

/* Every call above with v. */
static void
int_calls(sc_db *db, const char *pid, int64_t v)
{
    int_pattern_reads(db, v);
    int_other_reads(db, v);
    int_drifts(db, pid, v);
    int_struct_writes(db, pid, v);
    int_counts(db, pid, v);
}

/*
 * ls_record_evolution_cycle with every pair of the integers as its
 * generated and applied counts, each pair its own cycle (from first):
 * SC_MISUSE exactly when generated - applied leaves 64 bits, else SC_OK
 * with that difference stored as the deferred count.
 */
static void
cycle_differences(sc_db *db, int64_t first)
{
    int64_t cycle = first, a, b;
    char q[128], want[32], got[32];
    size_t i, j;

    for (i = 0; i < NINTS; i++) {
        for (j = 0; j < NINTS; j++) {
            a = ints[i];
            b = ints[j];
            say("cycle %lld: generated %lld, applied %lld", (long long)cycle,
                (long long)a, (long long)b);
            if (difference_overflows(a, b)) {
                CHECK_RC(db, ls_record_evolution_cycle(db, cycle++, a, b, "s",
                                                   "OK", "{}", NULL),
                         SC_MISUSE);
                continue;
            }
            CHECK_RC(db, ls_record_evolution_cycle(db, cycle, a, b, "s", "OK",
                                               "{}", NULL), SC_OK);
            snprintf(q, sizeof(q), "SELECT evolutions_deferred FROM "
                     "evolution_trajectory WHERE cycle = %lld",
                     (long long)cycle++);
            /* It does not overflow: the signed difference is defined. */
            snprintf(want, sizeof(want), "%lld", (long long)(a - b));
            CHECK_STR(eng_text(db, q, got, sizeof(got)), want);
        }
    }
}

/* Every function that takes an integer, with each of the integers. */
static void
test_integer_arguments(void)
{
    char pid[LS_HASH_HEX];
    sc_db *db;
    size_t i;

    pin_time(T0);
    say("seeding");
    if ((db = seeded("ints.db", pid)) == NULL)
        return;
    for (i = 0; i < NINTS; i++) {
        say("int64 %lld", (long long)ints[i]);
        int_calls(db, pid, ints[i]);
    }
    cycle_differences(db, 1000);
    sc_close(db);
}

/* ---- double arguments --------------------------------------------------- */

/* The calls that take no store: ls_format_time refuses NaN and times
 * beyond 10^12 seconds (-1, text empty) and formats the rest; ls_clamp01
 * keeps every number in [0, 1] and gives NaN back. */
static void
double_values(double d)
{
    char t[LS_TIME_LEN];
    int want = d >= -1e12 && d <= 1e12 ? 0 : -1;
    double c = ls_clamp01(d);

    CHECK_INT(ls_format_time(d, true, t), want);
    if (want == -1)
        CHECK_STR(t, "");
    CHECK_INT(ls_format_time(d, false, t), want);
    if (want == -1)
        CHECK_STR(t, "");
    if (isnan(d))
        CHECK(isnan(c));
    else
        CHECK(c >= 0 && c <= 1);
}

/* A pinned clock of d: taken when d is within datetime's years (to the
 * microsecond), else the real clock is read.  Pinned at T0 again
 * after. */
static void
double_clock(double d)
{
    char buf[64];

    snprintf(buf, sizeof(buf), "%.17g", d);
    setenv("LEARNSTORE_NOW", buf, 1);
    if (within_years(d))
        CHECK(fabs(ls_now() - d) < 1e-6);
    else
        CHECK(fabs(ls_now() - (double)time(NULL)) < 60);
    pin_time(T0);
}

/* The expiries of d seconds: a rate limit's (0.8 of its duration) and a
 * discovery's, refused unless they stay within datetime's years (the
 * clock is at T0, far from both ends, whatever the zone). */
static void
double_expiries(sc_db *db, const char *pid, double d)
{
    struct ls_discovery x = { .pattern_id = pid, .pattern_name = "p",
                              .pattern_type = "t", .job_id = "job",
                              .effectiveness_score = d, .ttl_seconds = d };

    CHECK_RC(db, ls_record_rate_limit_event(db, "E", d, "job", NULL, NULL),
             within_years(T0 + 0.8 * d) ? SC_OK : SC_MISUSE);
    CHECK_RC(db, ls_record_pattern_discovery(db, &x, NULL),
             within_years(T0 + d) ? SC_OK : SC_MISUSE);
}

/* The entropy and exploration budget calls with d. */
static void
double_budget(sc_db *db, double d)
{
    struct ls_entropy_check ec;
    struct ls_budget_params p = LS_BUDGET_PARAMS_INIT;
    struct ls_entropy_response_config c = LS_ENTROPY_RESPONSE_CONFIG_INIT;

    CHECK_RC(db, ls_check_entropy_response_needed(db, "j", d, d, &ec), ANY);
    CHECK_RC(db, ls_check_entropy_response_needed(db, NULL, d, -d, &ec), ANY);
    CHECK_RC(db, update_budget(db, d, &d, d, -d), ANY);
    CHECK_RC(db, update_budget(db, d, &d, 0.05, 0.5), ANY);
    p.floor = p.ceiling = p.decay_rate = d;
    p.boost_amount = p.entropy_threshold = p.initial_budget = d;
    CHECK_RC(db, adjust_budget(db, d, &p), ANY);
    c.budget_boost_amount = c.budget_floor = c.budget_ceiling = d;
    CHECK_RC(db, trigger_response(db, d, d, &c), ANY);
}

/* The pattern calls with d as a score, threshold or grounding. */
static void
double_patterns(sc_db *db, const char *pid, double d)
{
    struct ls_factor_update u = { .grounding_confidence = &d };
    struct ls_pattern_filter f = LS_PATTERN_FILTER_INIT;
    double trust;

    CHECK_RC(db, ls_update_trust_score(db, pid, d, &trust), ANY);
    CHECK_RC(db, ls_record_pattern_application(db, pid, "x", true, 0, 0, &d,
                                           NULL, NULL), ANY);
    CHECK_RC(db, update_factors(db, pid, &u), ANY);
    CHECK_RC(db, analyze_why(db, pid), ANY);
    CHECK_RC(db, retire_drifting(db, d, 1), ANY);
    CHECK_RC(db, effectiveness_drift(db, pid, 2, d), ANY);
    CHECK_RC(db, epistemic_drift(db, pid, 2, d), ANY);
    CHECK_RC(db, ls_get_patterns_for_auto_apply(db, d, false, 5, NULL, 0,
                                            take_pattern, NULL), ANY);
    CHECK_RC(db, ls_get_high_trust_patterns(db, d, 5, take_pattern, NULL), ANY);
    f.min_priority = d;
    f.has_min_trust = f.has_max_trust = true;
    f.min_trust = f.max_trust = d;
    CHECK_RC(db, ls_get_patterns(db, &f, take_pattern, NULL), ANY);
}

/* The other records and reads with d in every double. */
static void
double_records(sc_db *db, double d)
{
    struct ls_escalation e = { .job_id = "job", .sheet_num = 1,
                               .confidence = d, .action = "retry",
                               .validation_pass_rate = d, .retry_count = 1 };
    struct ls_outcome o = { .job_id = "job", .sheet_id = "sheet-1",
                            .status = "completed", .duration_seconds = d,
                            .validation_pass_rate = d };
    struct ls_evolution_entry n = { .cycle = 0, .cv_avg = d,
                                    .loc_accuracy = d };
    struct ls_pattern_entropy m;

    memset(&m, 0, sizeof(m));
    m.shannon_entropy = m.max_possible_entropy = m.diversity_index = d;
    m.dominant_pattern_share = d;
    CHECK_RC(db, ls_record_error_recovery(db, "E", d, d, true, NULL, NULL),
             ANY);
    CHECK_RC(db, ls_record_escalation_decision(db, &e, NULL), ANY);
    CHECK_RC(db, ls_record_outcome(db, &o, "/tmp", NULL, NULL, 0, NULL), ANY);
    CHECK_RC(db, ls_record_evolution_entry(db, &n, NULL), ANY);
    CHECK_RC(db, ls_record_pattern_entropy(db, &m, NULL), ANY);
    CHECK_RC(db, ls_get_similar_escalation(db, d, d, d, d, 5, take_escalation,
                                       NULL), ANY);
    CHECK_RC(db, ls_check_recent_pattern_discoveries(db, NULL, NULL, d, 5,
                                                 take_discovery, NULL), ANY);
}

/* Every call above with d that needs a store. */
static void
double_calls(sc_db *db, const char *pid, double d)
{
    double_expiries(db, pid, d);
    double_budget(db, d);
    double_patterns(db, pid, d);
    double_records(db, d);
}

/* Every function that takes a double, with each of the doubles. */
static void
test_double_arguments(void)
{
    char pid[LS_HASH_HEX];
    sc_db *db;
    size_t i;

    pin_time(T0);
    say("seeding");
    if ((db = seeded("doubles.db", pid)) == NULL)
        return;
    for (i = 0; i < NDOUBLES; i++) {
        say("double %g", doubles[i]);
        double_values(doubles[i]);
        double_clock(doubles[i]);
        double_calls(db, pid, doubles[i]);
    }
    sc_close(db);
}

/* ---- extreme values stored by another program --------------------------- */

/* Far past and 64-bit ends: counts at both ends, reals at +-1e308, times
 * in year 1 with a +23:59 offset, JSON numbers beyond int64_t and
 * double; the cycles of the int64 ends (recorded by the calls) made
 * free for the two seeded ones. */
static const char far_past[] =
    "DELETE FROM evolution_trajectory"
    " WHERE cycle IN (-9223372036854775808, 9223372036854775807);"
    "UPDATE patterns SET occurrence_count = 9223372036854775807,"
    " led_to_success_count = 9223372036854775806,"
    " led_to_failure_count = -9223372036854775808, variance = -1e308,"
    " effectiveness_score = 1e308, trust_score = -1e308,"
    " priority_score = 1e308,"
    " provenance_sheet_num = -9223372036854775808,"
    " last_confirmed = '0001-01-01T00:00:00+23:59',"
    " quarantine_status = 'quarantined', active = -9223372036854775808,"
    " success_factors = '{\"occurrence_count\": 9223372036854775806,"
    " \"retry_iteration\": -9223372036854775808, \"success_rate\": 1e400,"
    " \"grounding_confidence\": -Infinity,"
    " \"escalation_was_pending\": 1e300}';"
    "UPDATE pattern_applications SET grounding_confidence = 1e308,"
    " retry_count_before = -9223372036854775808,"
    " applied_at = '9999-12-31T23:59:59.999999';"
    "UPDATE error_recoveries SET time_of_day = -9223372036854775808,"
    " actual_wait = -1e308, recorded_at = '0001-01-01';"
    "INSERT INTO error_recoveries (id, error_code, actual_wait,"
    " recovery_success, time_of_day) VALUES"
    " ('a', 'E', 1e308, 1, 9223372036854775807),"
    " ('b', 'E', 1, 1, 9223372036854775807),"
    " ('c', 'E', 1, 0, 9223372036854775807);"
    "UPDATE rate_limit_events SET"
    " expires_at = '9999-12-31T23:59:59.999999-23:59',"
    " recorded_at = '0001-01-01T00:00:00+23:59', duration_seconds = 1e308;"
    "UPDATE evolution_trajectory SET cycle = -9223372036854775808,"
    " evolutions_deferred = 9223372036854775807,"
    " research_candidates_created = -9223372036854775808 WHERE cycle = 1;"
    "UPDATE evolution_trajectory SET cycle = 9223372036854775807"
    " WHERE cycle = 2;"
    "UPDATE exploration_budget SET budget_value = 1e308,"
    " recorded_at = '9999-12-31T23:59:59.999999';"
    "UPDATE entropy_responses SET"
    " recorded_at = '0001-01-01T00:00:00+23:59',"
    " quarantine_revisits = 9223372036854775807,"
    " budget_boosted = -9223372036854775808, entropy_at_trigger = -1e308;"
    "UPDATE pattern_discovery_events SET"
    " expires_at = '9999-12-31T23:59:59.999999',"
    " effectiveness_score = -1e308;"
    "UPDATE escalation_decisions SET sheet_num = -9223372036854775808,"
    " retry_count = 9223372036854775807, confidence = 1e308;"
    "UPDATE executions SET retry_count = -9223372036854775808,"
    " sheet_num = 9223372036854775807, duration_seconds = -1e308,"
    " completed_at = '9999-12-31T23:59:59.999999'";

/* Far future and the other ends: the last microsecond of year 9999 at
 * -23:59, counts at the low end, JSON numbers beyond the other way. */
static const char far_future[] =
    "UPDATE patterns SET"
    " last_confirmed = '9999-12-31T23:59:59.999999-23:59',"
    " occurrence_count = -9223372036854775808,"
    " led_to_success_count = -9223372036854775808,"
    " led_to_failure_count = -9223372036854775807,"
    " success_factors = '{\"occurrence_count\": -9223372036854775808,"
    " \"success_rate\": -1e400, \"retry_iteration\": 9.3e18}';"
    "UPDATE entropy_responses SET"
    " recorded_at = '9999-12-31T23:59:59.999999-23:59';"
    "UPDATE rate_limit_events SET"
    " expires_at = '0001-01-01T00:00:00+23:59'";

/* Infinite reals (SQLite reads 9e999 as one) where the store keeps
 * scores, waits, durations and budgets. */
static const char infinite[] =
    "UPDATE patterns SET variance = 9e999, effectiveness_score = -9e999,"
    " trust_score = 9e999, priority_score = -9e999;"
    "UPDATE pattern_applications SET grounding_confidence = -9e999;"
    "UPDATE error_recoveries SET actual_wait = 9e999,"
    " suggested_wait = -9e999;"
    "UPDATE rate_limit_events SET duration_seconds = -9e999;"
    "UPDATE exploration_budget SET budget_value = -9e999,"
    " entropy_at_time = 9e999;"
    "UPDATE entropy_responses SET entropy_at_trigger = 9e999,"
    " threshold_used = -9e999;"
    "UPDATE pattern_discovery_events SET effectiveness_score = 9e999;"
    "UPDATE escalation_decisions SET confidence = -9e999,"
    " validation_pass_rate = 9e999;"
    "UPDATE executions SET duration_seconds = 9e999,"
    " validation_pass_rate = -9e999, confidence_score = 9e999;"
    "UPDATE pattern_entropy_history SET shannon_entropy = 9e999,"
    " diversity_index = -9e999";

/* The reads and updates that take nothing but the store (and pid). */
static void
plain_calls(sc_db *db, const char *pid)
{
    struct ls_execution_stats es;
    struct ls_pattern_entropy m;
    struct ls_budget_stats bs;
    struct ls_entropy_response_stats rs;
    int64_t count;
    double score;
    bool limited;

    CHECK_RC(db, ls_get_execution_stats(db, &es), ANY);
    CHECK_RC(db, execution_window(db), ANY);
    CHECK_RC(db, ls_recalculate_all_pattern_priorities(db, &count), ANY);
    CHECK_RC(db, ls_recalculate_all_trust_scores(db, &count), ANY);
    CHECK_RC(db, ls_update_pattern_effectiveness(db, pid, &score), ANY);
    CHECK_RC(db, ls_calculate_trust_score(db, pid, &score), ANY);
    CHECK_RC(db, promote(db), ANY);
    CHECK_RC(db, provenance(db, pid), ANY);
    CHECK_RC(db, pattern_by_id(db, pid), ANY);
    CHECK_RC(db, get_factors(db, pid), ANY);
    CHECK_RC(db, analyze_why(db, pid), ANY);
    CHECK_RC(db, ls_get_patterns_with_why(db, 1, 20, take_why, NULL), ANY);
    CHECK_RC(db, drift_summary(db), ANY);
    CHECK_RC(db, epistemic_summary(db), ANY);
    CHECK_RC(db, ls_calculate_pattern_entropy(db, &m), ANY);
    CHECK_RC(db, ls_get_exploration_budget_statistics(db, NULL, &bs), ANY);
    CHECK_RC(db, ls_get_entropy_response_statistics(db, NULL, &rs), ANY);
    CHECK_RC(db, ls_is_rate_limited(db, NULL, NULL, &limited, &score), ANY);
    CHECK_RC(db, ls_is_rate_limited(db, "E", NULL, &limited, &score), ANY);
    CHECK_RC(db, ls_get_active_rate_limits(db, NULL, take_rate_limit, NULL),
             ANY);
    CHECK_RC(db, ls_get_active_pattern_discoveries(db, NULL, take_discovery,
                                               NULL), ANY);
    CHECK_RC(db, latest_budget(db), ANY);
    CHECK_RC(db, last_response(db), ANY);
    CHECK_RC(db, ls_get_error_recovery_sample_count(db, "E", &count), ANY);
    CHECK_RC(db, workspace_cluster(db), ANY);
}

/* The cleanups, last: they delete what the reads should meet. */
static void
cleanup_calls(sc_db *db)
{
    int64_t deleted;

    CHECK_RC(db, ls_cleanup_expired_rate_limits(db, &deleted), ANY);
    CHECK_RC(db, ls_cleanup_expired_pattern_discoveries(db, &deleted), ANY);
}

/* Every call of the two tests above, then the plain ones, on db after
 * the stored values of round (named in the messages). */
static void
all_calls(sc_db *db, const char *pid, const char *round)
{
    size_t i;

    for (i = 0; i < NINTS; i++) {
        say("%s, int64 %lld", round, (long long)ints[i]);
        int_calls(db, pid, ints[i]);
    }
    for (i = 0; i < NDOUBLES; i++) {
        say("%s, double %g", round, doubles[i]);
        double_calls(db, pid, doubles[i]);
    }
    say("%s, no numbers", round);
    plain_calls(db, pid);
}

/* Write sql into db's file on its own connection, as another program
 * would; fails the running test when SQLite refuses it. */
static void
store(sc_db *db, const char *sql)
{
    if (eng_exec(db, sql) != 0)
        T_FAIL("%s: %s", at, eng_err);
}

/* The same calls on a store whose rows another program set to extreme
 * values: the far past, the far future, then infinities. */
static void
test_stored_extremes(void)
{
    char pid[LS_HASH_HEX];
    sc_db *db;

    pin_time(T0);
    say("seeding");
    if ((db = seeded("stored.db", pid)) == NULL)
        return;
    all_calls(db, pid, "as recorded");
    say("storing the far past");
    store(db, far_past);
    all_calls(db, pid, "far past");
    say("storing the far future");
    store(db, far_future);
    all_calls(db, pid, "far future");
    say("storing infinities");
    store(db, infinite);
    all_calls(db, pid, "infinities");
    cleanup_calls(db);
    sc_close(db);
}

/* ---- time zones --------------------------------------------------------- */

/* POSIX zones (no tzdata needed), each with its offset east of UTC in
 * December and January, the months of datetime's ends. */
static const struct zone {
    const char *tz;
    double offset;
} zones[] = {
    { "UTC0", 0 },
    { "<+14>-14", 14 * 3600 },
    { "<-12>+12", -12 * 3600 },
    { "<+0545>-5:45", 5 * 3600 + 45 * 60 },
    { "EST5EDT,M3.2.0,M11.1.0", -5 * 3600 },
};

/* The clock pinned at now: taken (it is within datetime's years) and
 * formatted either way; a rate limit of 60 s (expiring in 48 s, UTC) and
 * a discovery of 300 s (local, offset from UTC) are refused exactly when
 * their expiry leaves datetime's years. */
static void
zone_clock(sc_db *db, const char *pid, const struct zone *z, double now)
{
    struct ls_discovery x = { .pattern_id = pid, .pattern_name = "p",
                              .pattern_type = "t", .job_id = "job",
                              .effectiveness_score = 1, .ttl_seconds = 300 };
    char t[LS_TIME_LEN];
    double back;
    int parsed;

    CHECK(ls_now() == now);
    CHECK_INT(ls_format_time(now, true, t), 0);
    CHECK_INT(ls_format_time(now, false, t), 0);
    parsed = ls_parse_time(t, false, &back);     /* -1: text it refuses */
    CHECK(parsed == 0 || parsed == -1);
    CHECK_RC(db, ls_record_rate_limit_event(db, "E", 60, "job", NULL, NULL),
             within_years(now + 48) ? SC_OK : SC_MISUSE);
    CHECK_RC(db, ls_record_pattern_discovery(db, &x, NULL),
             within_years(now + z->offset + 300) ? SC_OK : SC_MISUSE);
}

/* The writes that stamp the time, local or UTC. */
static void
zone_writes(sc_db *db, const char *pid)
{
    struct ls_pattern_input in = { .pattern_type = "t", .pattern_name = "p",
                                   .provenance_job_hash = "j" };
    struct ls_outcome o = { .job_id = "job", .sheet_id = "sheet-1",
                            .status = "completed",
                            .validation_pass_rate = 1 };
    struct ls_escalation e = { .job_id = "job", .sheet_num = 1,
                               .confidence = 0.5, .action = "retry",
                               .validation_pass_rate = 50 };
    struct ls_factor_update u = { .retry_iteration = 1 };
    struct ls_pattern_entropy m;
    double g = 0.5;
    int rc;

    CHECK_RC(db, ls_record_pattern(db, &in, NULL), ANY);
    CHECK_RC(db, ls_record_pattern_application(db, pid, "x", true, 0, 1, &g,
                                           NULL, NULL), ANY);
    CHECK_RC(db, ls_record_error_recovery(db, "E", 1, 2, true, NULL, NULL),
             ANY);
    CHECK_RC(db, ls_record_outcome(db, &o, "/tmp", NULL, NULL, 0, NULL), ANY);
    CHECK_RC(db, ls_record_escalation_decision(db, &e, NULL), ANY);
    CHECK_RC(db, update_factors(db, pid, &u), ANY);
    CHECK_RC(db, ls_assign_workspace_cluster(db, "w", "c"), ANY);
    CHECK_RC(db, ls_quarantine_pattern(db, pid, "r"), ANY);
    CHECK_RC(db, ls_validate_pattern(db, pid), ANY);
    CHECK_RC(db, rc = ls_calculate_pattern_entropy(db, &m), ANY);
    if (rc == SC_OK)
        CHECK_RC(db, ls_record_pattern_entropy(db, &m, NULL), ANY);
    CHECK_RC(db, adjust_budget(db, 0.1, NULL), ANY);
    CHECK_RC(db, trigger_response(db, 0.1, 0.3, NULL), ANY);
}

/* The reads that measure from now, and the plain calls. */
static void
zone_reads(sc_db *db, const char *pid)
{
    struct ls_entropy_check ec;

    CHECK_RC(db, ls_check_entropy_response_needed(db, "j", 0.3, 3600, &ec),
             ANY);
    CHECK_RC(db, ls_check_recent_pattern_discoveries(db, NULL, NULL, 0, 20,
                                                 take_discovery, NULL), ANY);
    CHECK_RC(db, effectiveness_drift(db, pid, 5, 0.2), ANY);
    CHECK_RC(db, ls_get_recent_executions(db, 10, NULL, take_execution, NULL),
             ANY);
    plain_calls(db, pid);
}

/* The clock at datetime's first second, its last, and T0, in zones 14
 * hours either side of UTC, a quarter-hour one and one with daylight
 * saving time: local readings beyond datetime's years are taken without
 * an assert, expiries beyond them refused.  TZ is restored after. */
static void
test_time_zones(void)
{
    static const double nows[] = { FIRST_SECOND, LAST_SECOND, T0 };
    const char *was = getenv("TZ");
    bool had_tz = was != NULL;
    char saved[64], name[32], pid[LS_HASH_HEX];
    size_t i, j;
    sc_db *db;

    /* A copy: setenv may free the string getenv gave. */
    snprintf(saved, sizeof(saved), "%s", had_tz ? was : "");
    for (i = 0; i < sizeof(zones) / sizeof(zones[0]); i++) {
        setenv("TZ", zones[i].tz, 1);
        tzset();
        pin_time(T0);
        say("TZ %s, seeding", zones[i].tz);
        snprintf(name, sizeof(name), "zone%zu.db", i);
        if ((db = seeded(name, pid)) == NULL)
            break;
        for (j = 0; j < sizeof(nows) / sizeof(nows[0]); j++) {
            say("TZ %s, now %.0f", zones[i].tz, nows[j]);
            pin_time(nows[j]);
            zone_clock(db, pid, &zones[i], nows[j]);
            zone_writes(db, pid);
            zone_reads(db, pid);
        }
        cleanup_calls(db);
        sc_close(db);
    }
    if (had_tz)
        setenv("TZ", saved, 1);
    else
        unsetenv("TZ");
    tzset();
    pin_time(T0);
}

static const struct t_test tests[] = {
    T_TEST(test_integer_arguments),
    T_TEST(test_double_arguments),
    T_TEST(test_stored_extremes),
    T_TEST(test_time_zones),
};

/* Run the tests in UTC, on SQLite files in a scratch folder (no
 * arguments); the exit status of T_RUN_ALL. */
int
main(int argc, char **argv)
{
    int status;

    (void)argv;
    if (argc > 1) {
        printf("usage: test_extremes\n");
        return 2;
    }
    setenv("TZ", "UTC", 1);
    tzset();
    if (eng_init("extremes", NULL) != 0)
        return 1;
    status = T_RUN_ALL(tests);
    eng_fini();
    return status;
}
