/*
 * test_ops.c - the learning store's operations beyond recording: the
 * pattern lifecycle, trust, success factors, discovery broadcast, drift,
 * the evolution trajectory, budgets and entropy, execution statistics.
 * Every expected number is worked out in the comments (and checked with
 * a few lines of Python reimplementing the Python store's formulas);
 * time is pinned with LEARNSTORE_NOW and the zone is UTC, so T0 is
 * 2026-05-28T20:26:40, an evening.  Usage: test_ops [ADMIN_URI]: on
 * SQLite files, or with the URI of a PostgreSQL role that may create
 * databases, on a database per test (engine.h); the same numbers hold on
 * both.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "learnstore.h"
#include "engine.h"

#define T0 1780000000.0
#define DAY 86400.0

static void
pin_time(double t)
{
    char buf[64];

    snprintf(buf, sizeof(buf), "%.6f", t);
    setenv("LEARNSTORE_NOW", buf, 1);
}

/* A fresh store of its own (a file, or a database: engine.h). */
static sc_db *
fresh(const char *name)
{
    return eng_fresh(name);
}

/* Run printf-formatted SQL on db. */
static void
sql(sc_db *db, const char *fmt, ...)
{
    char text[2048];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    if (eng_exec(db, text) != 0)
        T_FAIL("sql: %s: %s", text, eng_err);
}

/* The first row of q on db as text, its columns joined by a space, as
 * SQLite renders them (engine.h), into buf. */
static const char *
text_of(sc_db *db, const char *q, char *buf, size_t size)
{
    return eng_text(db, q, buf, size);
}

/* A pattern row with the given id, counts, effectiveness and status. */
static void
put_pattern(sc_db *db, const char *id, int64_t s, int64_t f, double eff,
            const char *status)
{
    sql(db, "INSERT INTO patterns (id, pattern_type, pattern_name,"
        " occurrence_count, first_seen, last_seen, last_confirmed,"
        " led_to_success_count, led_to_failure_count, effectiveness_score,"
        " priority_score, quarantine_status, trust_score, active)"
        " VALUES ('%s', 't', 'name of %s', 1, '2026-05-01T00:00:00',"
        " '2026-05-01T00:00:00', '2026-05-01T00:00:00', %lld, %lld, %.17g,"
        " 0.5, '%s', 0.5, 1)", id, id, (long long)s, (long long)f, eff,
        status);
}

/* Pattern names handed to a callback. */
struct names {
    int n;
    char id[16][40];
    double value[16];
};

static int
keep(const struct learning_patterns *p, void *arg)
{
    struct names *x = arg;

    if (x->n < 16) {
        snprintf(x->id[x->n], 40, "%s", p->id);
        x->value[x->n] = p->trust_score;
    }
    x->n++;
    return 0;
}

/* ---- lifecycle ---------------------------------------------------------- */

/* promote_ready_patterns at its boundaries: pending with >= 3
 * applications and effectiveness >= 0.60 are validated, < 0.35
 * quarantined; validated (or legacy 'active') below 0.30 with >= 3
 * applications are degraded. */
static void
test_promote(void)
{
    sc_db *db = fresh("promote.db");
    struct ls_promotion p;
    char buf[512];

    pin_time(T0);
    CHECK_INT(ls_promote_ready_patterns(db, &p), SC_OK);
    CHECK(p.npromoted == 0 && p.nquarantined == 0 && p.ndegraded == 0);
    ls_promotion_free(&p);
    put_pattern(db, "a-promote", 2, 1, 0.60, "pending");    /* = 0.60 */
    put_pattern(db, "b-quarantine", 1, 3, 0.349, "pending");
    put_pattern(db, "c-stays", 2, 1, 0.35, "pending");      /* = 0.35 */
    put_pattern(db, "d-too-few", 2, 0, 0.9, "pending");     /* 2 apps */
    put_pattern(db, "e-degrade", 1, 2, 0.25, "validated");
    put_pattern(db, "f-legacy", 0, 5, 0.1, "active");
    put_pattern(db, "g-holds", 1, 2, 0.30, "validated");    /* = 0.30 */
    put_pattern(db, "h-few", 0, 2, 0.1, "validated");       /* 2 apps */
    CHECK_INT(ls_promote_ready_patterns(db, &p), SC_OK);
    CHECK_INT(p.npromoted, 1);
    CHECK_STR(p.npromoted ? p.promoted[0] : NULL, "a-promote");
    CHECK_INT(p.nquarantined, 1);
    CHECK_STR(p.nquarantined ? p.quarantined[0] : NULL, "b-quarantine");
    CHECK_INT(p.ndegraded, 2);
    ls_promotion_free(&p);
    CHECK_STR(eng_rows(db, "SELECT id || '=' || quarantine_status FROM "
                       "patterns ORDER BY id", buf, sizeof buf),
              "a-promote=validated b-quarantine=quarantined c-stays=pending"
              " d-too-few=pending e-degrade=quarantined f-legacy=quarantined"
              " g-holds=validated h-few=validated");
    CHECK_STR(text_of(db, "SELECT validated_at FROM patterns WHERE id = "
                      "'a-promote'", buf, sizeof buf), "2026-05-28T20:26:40");
    CHECK_STR(text_of(db, "SELECT quarantined_at FROM patterns WHERE id = "
                      "'f-legacy'", buf, sizeof buf), "2026-05-28T20:26:40");
    sc_close(db);
}

/* The operator's transitions, their times and reasons; the statuses a
 * QuarantineStatus can hold; unknown patterns. */
static void
test_quarantine(void)
{
    sc_db *db = fresh("quarantine.db");
    struct names x;
    char buf[128];

    pin_time(T0);
    put_pattern(db, "p", 0, 0, 0.5, "pending");
    put_pattern(db, "q", 0, 0, 0.5, "pending");
    sql(db, "UPDATE patterns SET priority_score = 0 WHERE id = 'q'");
    CHECK_INT(ls_quarantine_pattern(db, "p", "flaky"), SC_OK);
    CHECK_INT(ls_quarantine_pattern(db, "q", NULL), SC_OK);
    CHECK_STR(text_of(db, "SELECT quarantine_status || ' ' || quarantined_at"
                      " || ' ' || quarantine_reason FROM patterns WHERE id = "
                      "'p'", buf, sizeof buf),
              "quarantined 2026-05-28T20:26:40 flaky");
    /* min priority 0: the priority-0 pattern is listed too */
    memset(&x, 0, sizeof(x));
    CHECK_INT(ls_get_quarantined_patterns(db, 50, keep, &x), SC_OK);
    CHECK_INT(x.n, 2);
    sql(db, "UPDATE patterns SET active = 0 WHERE id = 'q'");
    memset(&x, 0, sizeof(x));
    CHECK_INT(ls_get_quarantined_patterns(db, 50, keep, &x), SC_OK);
    CHECK_INT(x.n, 1);
    pin_time(T0 + 1);
    CHECK_INT(ls_validate_pattern(db, "p"), SC_OK);
    CHECK_STR(text_of(db, "SELECT quarantine_status || ' ' || validated_at ||"
                      " ' ' || quarantined_at || ' ' || "
                      "coalesce(quarantine_reason, 'none') FROM patterns "
                      "WHERE id = 'p'", buf, sizeof buf),
              "validated 2026-05-28T20:26:41 2026-05-28T20:26:40 none");
    CHECK_INT(ls_retire_pattern(db, "p"), SC_OK);
    CHECK_STR(text_of(db, "SELECT quarantine_status FROM patterns WHERE id ="
                      " 'p'", buf, sizeof buf), "retired");
    pin_time(T0 + 2);
    CHECK_INT(ls_update_quarantine_status(db, "p", "quarantined"), SC_OK);
    CHECK_STR(text_of(db, "SELECT quarantined_at FROM patterns WHERE id = "
                      "'p'", buf, sizeof buf), "2026-05-28T20:26:42");
    CHECK_INT(ls_update_quarantine_status(db, "p", "pending"), SC_OK);
    CHECK_STR(text_of(db, "SELECT quarantine_status || ' ' || quarantined_at"
                      " FROM patterns WHERE id = 'p'", buf, sizeof buf),
              "pending 2026-05-28T20:26:42");
    CHECK_INT(ls_update_quarantine_status(db, "p", "bogus"), SC_MISUSE);
    CHECK_INT(ls_update_quarantine_status(db, "nope", "retired"),
              SC_NOTFOUND);
    CHECK_INT(ls_quarantine_pattern(db, "nope", NULL), SC_NOTFOUND);
    CHECK_INT(ls_validate_pattern(db, "nope"), SC_NOTFOUND);
    CHECK_INT(ls_retire_pattern(db, "nope"), SC_NOTFOUND);
    /* soft delete: once; a second time finds it inactive already */
    CHECK_INT(ls_soft_delete_pattern(db, "p"), SC_OK);
    CHECK_INT(ls_soft_delete_pattern(db, "p"), SC_NOTFOUND);
    sc_close(db);
}

/* Provenance: times as fromisoformat(...).isoformat() writes them, the
 * record's clamped trust. */
static void
test_provenance(void)
{
    sc_db *db = fresh("provenance.db");
    struct ls_provenance p;

    pin_time(T0);
    put_pattern(db, "p", 0, 0, 0.5, "quarantined");
    sql(db, "UPDATE patterns SET first_seen = '2026-01-01 10:00:00.5',"
        " last_seen = '2026-01-02T03:04:05Z', quarantined_at = '2026-01-03',"
        " trust_score = 1.5, provenance_job_hash = 'jh',"
        " provenance_sheet_num = 7, trust_calculation_date = NULL");
    CHECK_INT(ls_get_pattern_provenance(db, "p", &p), SC_OK);
    CHECK_STR(p.pattern_name, "name of p");
    CHECK_STR(p.quarantine_status, "quarantined");
    CHECK_STR(p.first_seen, "2026-01-01T10:00:00.500000");
    CHECK_STR(p.last_seen, "2026-01-02T03:04:05+00:00");
    CHECK_STR(p.last_confirmed, "2026-05-01T00:00:00");
    CHECK_STR(p.quarantined_at, "2026-01-03T00:00:00");
    CHECK(p.validated_at == NULL && p.trust_calculation_date == NULL);
    CHECK(p.trust_score == 1.0);
    CHECK_STR(p.provenance_job_hash, "jh");
    CHECK(p.has_provenance_sheet_num && p.provenance_sheet_num == 7);
    ls_provenance_free(&p);
    CHECK_INT(ls_get_pattern_provenance(db, "nope", &p), SC_NOTFOUND);
    sc_close(db);
}

/* ---- trust -------------------------------------------------------------- */

/*
 * calculate_trust_score: occurrences 4, successes 2, failures 1, last
 * confirmed 45 days ago, quarantined: 0.5 + 0.3 * 0.5 - 0.4 * 0.25 +
 * 0.2 * 0.9 ** 1.5 - 0.2 = 0.5207629936490925.  Validated with 5
 * successes of 1 occurrence: 0.5 + 0.3 + 0.2 + 0.1 = 1.1, clamped to 1.
 * Pending, 0 occurrences (counted as 1), confirmed now: 0.5 + 0.2 = 0.7.
 */
static void
test_trust(void)
{
    sc_db *db = fresh("trust.db");
    struct names x;
    double t;
    int64_t n;
    char buf[64];
    const char *api[] = { "api" };

    pin_time(T0);
    put_pattern(db, "a", 2, 1, 0.5, "quarantined");
    sql(db, "UPDATE patterns SET occurrence_count = 4, last_confirmed ="
        " '2026-04-13T20:26:40' WHERE id = 'a'");
    CHECK_INT(ls_calculate_trust_score(db, "a", &t), SC_OK);
    CHECK(t == 0.5207629936490925);
    CHECK_STR(text_of(db, "SELECT trust_calculation_date FROM patterns "
                      "WHERE id = 'a'", buf, sizeof buf),
              "2026-05-28T20:26:40");
    put_pattern(db, "b", 5, 0, 0.5, "validated");
    sql(db, "UPDATE patterns SET last_confirmed = '2026-05-28T20:26:40'"
        " WHERE id = 'b'");
    CHECK_INT(ls_calculate_trust_score(db, "b", &t), SC_OK);
    CHECK(t == 1.0);
    put_pattern(db, "c", 0, 0, 0.5, "pending");
    sql(db, "UPDATE patterns SET occurrence_count = 0, last_confirmed = "
        "'2026-05-28T20:26:40' WHERE id = 'c'");
    CHECK_INT(ls_calculate_trust_score(db, "c", &t), SC_OK);
    CHECK(t == 0.7);
    CHECK_INT(ls_calculate_trust_score(db, "nope", &t), SC_NOTFOUND);
    /* update_trust_score: unset trust counts as 0.5; 0.5 - 0.2 = 0.3;
     * 0.95 + 0.1 clamps to 1 */
    sql(db, "UPDATE patterns SET trust_score = NULL WHERE id = 'c'");
    CHECK_INT(ls_update_trust_score(db, "c", -0.2, &t), SC_OK);
    CHECK(t == 0.3);
    sql(db, "UPDATE patterns SET trust_score = 0.95 WHERE id = 'c'");
    CHECK_INT(ls_update_trust_score(db, "c", 0.1, &t), SC_OK);
    CHECK(t == 1.0);
    CHECK_INT(ls_update_trust_score(db, "nope", 0.1, &t), SC_NOTFOUND);
    CHECK_INT(ls_recalculate_all_trust_scores(db, &n), SC_OK);
    CHECK_INT(n, 3);
    /* a 0.52, b 1.0, c 0.7: high (>= 0.7) b, c; low (<= 0.6) a */
    memset(&x, 0, sizeof(x));
    CHECK_INT(ls_get_high_trust_patterns(db, 0.7, 50, keep, &x), SC_OK);
    CHECK_INT(x.n, 2);
    memset(&x, 0, sizeof(x));
    CHECK_INT(ls_get_low_trust_patterns(db, 0.6, 50, keep, &x), SC_OK);
    CHECK_INT(x.n, 1);
    CHECK_STR(x.id[0], "a");

    /* Auto-apply looks at 2 * limit candidates by trust, then priority,
     * before it filters by tag: with limit 1 the two most trusted carry
     * no "api" tag, so none is offered though a third does. */
    sql(db, "DELETE FROM patterns");
    put_pattern(db, "v1", 0, 0, 0.5, "validated");
    put_pattern(db, "v2", 0, 0, 0.5, "validated");
    put_pattern(db, "v3", 0, 0, 0.5, "validated");
    put_pattern(db, "r", 0, 0, 0.5, "retired");
    put_pattern(db, "p", 0, 0, 0.5, "pending");
    sql(db, "UPDATE patterns SET trust_score = 0.99, context_tags = '[]'"
        " WHERE id = 'v1';"
        "UPDATE patterns SET trust_score = 0.9, priority_score = 0.9,"
        " context_tags = '[\"x\"]' WHERE id = 'v2';"
        "UPDATE patterns SET trust_score = 0.9, priority_score = 0.1,"
        " context_tags = '[\"api\"]', active = 0 WHERE id = 'v3';"
        "UPDATE patterns SET trust_score = 1.0 WHERE id IN ('r', 'p')");
    memset(&x, 0, sizeof(x));
    CHECK_INT(ls_get_patterns_for_auto_apply(db, 0.85, true, 3, NULL, 0,
                                             keep, &x), SC_OK);
    CHECK_INT(x.n, 3);                  /* inactive v3 too, as Python */
    CHECK_STR(x.id[0], "v1");
    CHECK_STR(x.id[1], "v2");           /* same trust: priority first */
    memset(&x, 0, sizeof(x));
    CHECK_INT(ls_get_patterns_for_auto_apply(db, 0.85, true, 1, api, 1,
                                             keep, &x), SC_OK);
    CHECK_INT(x.n, 0);
    memset(&x, 0, sizeof(x));
    CHECK_INT(ls_get_patterns_for_auto_apply(db, 0.85, true, 2, api, 1,
                                             keep, &x), SC_OK);
    CHECK_INT(x.n, 1);
    CHECK_STR(x.id[0], "v3");
    memset(&x, 0, sizeof(x));
    CHECK_INT(ls_get_patterns_for_auto_apply(db, 0.85, false, 10, NULL, 0,
                                             keep, &x), SC_OK);
    CHECK_INT(x.n, 4);                  /* pending p, not retired r */
    CHECK_STR(x.id[0], "p");
    sc_close(db);
}

/* ---- success factors ---------------------------------------------------- */

static int
keep_why(const struct learning_patterns *p, const struct ls_why *w,
         void *arg)
{
    struct names *x = arg;

    if (x->n < 16) {
        snprintf(x->id[x->n], 40, "%s", p->id);
        x->value[x->n] = w->confidence;
    }
    x->n++;
    return 0;
}

/*
 * Counts at the edge of a 64-bit integer: the success rate sums them as
 * Python's ints (2^63 - 1 successes and 1 failure: rate 1.0, the sum
 * not overflowing); an occurrence count that has no successor, or a
 * real beyond the range, is refused with SC_CORRUPT and nothing changes.
 */
static void
test_success_factors_at_the_edge(void)
{
    sc_db *db = fresh("factors-edge.db");
    struct ls_factor_update u = { 0 };
    struct ls_success_factors f;
    char buf[512];

    pin_time(T0);
    put_pattern(db, "p", INT64_MAX, 1, 0.5, "pending");
    sql(db, "UPDATE patterns SET success_factors = '{\"occurrence_count\": "
        "2}' WHERE id = 'p'");
    CHECK_INT(ls_update_success_factors(db, "p", &u, &f), SC_OK);
    CHECK_INT(f.occurrence_count, 3);
    CHECK(f.success_rate == 1.0);
    ls_success_factors_free(&f);
    sql(db, "UPDATE patterns SET success_factors = '{\"occurrence_count\": "
        "9223372036854775807}' WHERE id = 'p'");
    CHECK_INT(ls_update_success_factors(db, "p", &u, &f), SC_CORRUPT);
    sql(db, "UPDATE patterns SET success_factors = '{\"occurrence_count\": "
        "1e300}' WHERE id = 'p'");
    CHECK_INT(ls_update_success_factors(db, "p", &u, &f), SC_CORRUPT);
    CHECK_STR(text_of(db, "SELECT success_factors FROM patterns WHERE id ="
                      " 'p'", buf, sizeof buf), "{\"occurrence_count\": 1e300}");
    /* Stored factors that are not JSON, or not an object, say so (the
     * code came without a message before). */
    sql(db, "UPDATE patterns SET success_factors = '{oops' WHERE id = 'p'");
    CHECK_INT(ls_update_success_factors(db, "p", &u, &f), SC_CORRUPT);
    CHECK_STR(sc_errmsg(db), "update_success_factors: stored "
              "success_factors '{oops' is not JSON");
    sql(db, "UPDATE patterns SET success_factors = '[1]' WHERE id = 'p'");
    CHECK_INT(ls_get_success_factors(db, "p", &f), SC_CORRUPT);
    CHECK_STR(sc_errmsg(db), "get_success_factors: stored success_factors "
              "'[1]' are not a JSON object");
    sc_close(db);
}

/*
 * The first success keeps the lists as given; the second merges them
 * sorted without duplicates and takes the success rate from the counts
 * (2 of 3).  The JSON is json.dumps(factors.to_dict()).
 */
static void
test_success_factors(void)
{
    sc_db *db = fresh("factors.db");
    const char *v1[] = { "regex", "file", "regex" };
    const char *v2[] = { "artifact", "file" };
    double g = 0.9;
    struct ls_factor_update u = { .validation_types = v1,
                                  .nvalidation_types = 3 };
    struct ls_success_factors f;
    struct ls_why w;
    struct names x;
    char buf[512];

    pin_time(T0);
    put_pattern(db, "p", 0, 0, 0.5, "pending");
    put_pattern(db, "bare", 0, 0, 0.5, "pending");
    CHECK_INT(ls_get_success_factors(db, "p", &f), SC_NOTFOUND);
    CHECK_INT(ls_update_success_factors(db, "p", &u, &f), SC_OK);
    CHECK_INT(f.nvalidation_types, 3);
    ls_success_factors_free(&f);
    CHECK_STR(text_of(db, "SELECT success_factors FROM patterns WHERE id ="
                      " 'p'", buf, sizeof buf),
              "{\"validation_types\": [\"regex\", \"file\", \"regex\"], "
              "\"error_categories\": [], \"prior_sheet_status\": null, "
              "\"time_of_day_bucket\": \"evening\", \"retry_iteration\": 0, "
              "\"escalation_was_pending\": false, \"grounding_confidence\": "
              "null, \"occurrence_count\": 1, \"success_rate\": 1.0}");
    CHECK_STR(text_of(db, "SELECT success_factors_updated_at FROM patterns "
                      "WHERE id = 'p'", buf, sizeof buf),
              "2026-05-28T20:26:40");

    sql(db, "UPDATE patterns SET led_to_success_count = 2,"
        " led_to_failure_count = 1 WHERE id = 'p'");
    pin_time(T0 - 15 * 3600);           /* 05:26: morning */
    u.validation_types = v2;
    u.nvalidation_types = 2;
    u.prior_sheet_status = "failed";
    u.retry_iteration = 2;
    u.escalation_was_pending = true;
    u.grounding_confidence = &g;
    CHECK_INT(ls_update_success_factors(db, "p", &u, NULL), SC_OK);
    CHECK_STR(text_of(db, "SELECT success_factors FROM patterns WHERE id ="
                      " 'p'", buf, sizeof buf),
              "{\"validation_types\": [\"artifact\", \"file\", \"regex\"], "
              "\"error_categories\": [], \"prior_sheet_status\": \"failed\", "
              "\"time_of_day_bucket\": \"morning\", \"retry_iteration\": 2, "
              "\"escalation_was_pending\": true, \"grounding_confidence\": "
              "0.9, \"occurrence_count\": 2, \"success_rate\": "
              "0.6666666666666666}");
    CHECK_INT(ls_get_success_factors(db, "p", &f), SC_OK);
    CHECK(f.success_rate == 2.0 / 3 && f.occurrence_count == 2);
    CHECK_STR(f.prior_sheet_status, "failed");
    ls_success_factors_free(&f);

    /* confidence = min(1, 2 / 10) * 2/3 = 0.13333333333333333 */
    CHECK_INT(ls_analyze_pattern_why(db, "p", &w), SC_OK);
    CHECK_STR(w.factors_summary, "validation types: artifact, file, regex; "
              "typically succeeds in: morning; prior sheet was: failed");
    CHECK_INT(w.nkey_conditions, 3);
    CHECK_STR(w.key_conditions[0], "High grounding confidence (0.90)");
    CHECK_STR(w.key_conditions[1], "Often succeeds after 2 retries");
    CHECK_STR(w.key_conditions[2], "Works with 3 validation types");
    CHECK(w.confidence == 0.13333333333333333);
    CHECK_INT(w.nrecommendations, 2);
    CHECK_STR(w.recommendations[0],
              "Need more observations for reliable analysis");
    CHECK_STR(w.recommendations[1], "Best applied during morning");
    CHECK(w.has_observations && w.observation_count == 2);
    ls_why_free(&w);
    CHECK_INT(ls_analyze_pattern_why(db, "bare", &w), SC_OK);
    CHECK(!w.has_factors && w.confidence == 0.0 && !w.has_observations);
    CHECK_STR(w.factors_summary, "No success factors captured yet");
    CHECK_STR(w.recommendations[0], "Apply this pattern more times to "
              "capture success factors");
    ls_why_free(&w);
    CHECK_INT(ls_analyze_pattern_why(db, "nope", &w), SC_NOTFOUND);
    CHECK_INT(ls_update_success_factors(db, "nope", &u, NULL), SC_NOTFOUND);

    memset(&x, 0, sizeof(x));
    CHECK_INT(ls_get_patterns_with_why(db, 2, 20, keep_why, &x), SC_OK);
    CHECK_INT(x.n, 1);
    CHECK(x.value[0] == 0.13333333333333333);
    memset(&x, 0, sizeof(x));
    CHECK_INT(ls_get_patterns_with_why(db, 3, 20, keep_why, &x), SC_OK);
    CHECK_INT(x.n, 0);
    sc_close(db);
}

/* ---- discovery ---------------------------------------------------------- */

struct events {
    int n;
    char name[8][32];
};

static int
keep_event(const struct learning_pattern_discovery_events *e, void *arg)
{
    struct events *x = arg;

    if (x->n < 8)
        snprintf(x->name[x->n], 32, "%s", e->pattern_name);
    x->n++;
    return 0;
}

static void
test_discovery(void)
{
    sc_db *db = fresh("discovery.db");
    const char *tags[] = { "api" };
    struct ls_discovery d = { "pid", "found it", "retry", "job-a", 0.8,
                              tags, 1, 300 };
    struct events x;
    char id[LS_UUID_LEN], buf[128];
    int64_t n;

    pin_time(T0);
    CHECK_INT(ls_record_pattern_discovery(db, &d, id), SC_OK);
    CHECK_STR(text_of(db, "SELECT recorded_at || ' ' || expires_at || ' ' ||"
                      " context_tags FROM pattern_discovery_events", buf,
                      sizeof buf),
              "2026-05-28T20:26:40 2026-05-28T20:31:40 [\"api\"]");
    pin_time(T0 + 1);
    d.pattern_name = "weak";
    d.effectiveness_score = 0.2;
    d.job_id = "job-b";
    CHECK_INT(ls_record_pattern_discovery(db, &d, NULL), SC_OK);
    memset(&x, 0, sizeof(x));
    CHECK_INT(ls_check_recent_pattern_discoveries(db, "job-a", NULL, 0.0, 20,
                                                  keep_event, &x), SC_OK);
    CHECK_INT(x.n, 1);
    CHECK_STR(x.name[0], "weak");
    memset(&x, 0, sizeof(x));
    CHECK_INT(ls_check_recent_pattern_discoveries(db, NULL, "retry", 0.5, 20,
                                                  keep_event, &x), SC_OK);
    CHECK_INT(x.n, 1);
    CHECK_STR(x.name[0], "found it");
    memset(&x, 0, sizeof(x));
    CHECK_INT(ls_get_active_pattern_discoveries(db, "", keep_event, &x),
              SC_OK);
    CHECK_INT(x.n, 2);
    CHECK_STR(x.name[0], "weak");       /* newest first */
    pin_time(T0 + 300);                 /* the first expires now */
    memset(&x, 0, sizeof(x));
    CHECK_INT(ls_get_active_pattern_discoveries(db, NULL, keep_event, &x),
              SC_OK);
    CHECK_INT(x.n, 1);
    CHECK_INT(ls_cleanup_expired_pattern_discoveries(db, &n), SC_OK);
    CHECK_INT(n, 1);
    sc_close(db);
}

/* ---- drift -------------------------------------------------------------- */

/* Ten applications of pattern "p": five successes (grounding 0.9), then
 * four failures and a success (grounding 0.5), a second apart. */
static void
drifting_pattern(sc_db *db)
{
    static const bool ok[10] = { true, true, true, true, true,
                                 false, false, true, false, false };
    double g;
    bool recorded;
    int i;

    put_pattern(db, "p", 0, 0, 0.5, "pending");
    for (i = 0; i < 10; i++) {
        g = i < 5 ? 0.9 : 0.5;
        pin_time(T0 + i);
        CHECK_INT(ls_record_pattern_application(db, "p", "e", ok[i], 0, 0,
                                                &g, &recorded, NULL),
                  SC_OK);
    }
}

/*
 * Effectiveness drift: before (5 + 0.5) / 6 = 0.9166666666666666, after
 * (1 + 0.5) / 6 = 0.25; magnitude 0.6666666666666666; grounding mean
 * 0.7000000000000001 (summed newest first); 0.667 / max(0.7, 0.5) >
 * 0.2: exceeded, negative.  Epistemic: after 0.5, before 0.9, change
 * -0.4, mean 0.7000000000000001, entropy (std dev / mean)
 * 0.2857142857142857, 0.4 * 1.2857 > 0.15: weakening.
 */
static void
test_drift(void)
{
    sc_db *db = fresh("drift.db");
    struct ls_drift d, *v;
    struct ls_epistemic_drift e, *ev;
    struct ls_drift_summary s;
    struct ls_epistemic_summary es;
    struct ls_retired *r;
    struct names x;
    size_t n;
    char buf[160];

    drifting_pattern(db);
    put_pattern(db, "quiet", 0, 0, 0.5, "pending");
    CHECK_INT(ls_calculate_effectiveness_drift(db, "quiet", 5, 0.2, &d),
              SC_NOTFOUND);
    CHECK_INT(ls_calculate_effectiveness_drift(db, "nope", 5, 0.2, &d),
              SC_NOTFOUND);
    CHECK_INT(ls_calculate_effectiveness_drift(db, "p", 6, 0.2, &d),
              SC_NOTFOUND);                     /* 12 needed */
    CHECK_INT(ls_calculate_effectiveness_drift(db, "p", 5, 0.2, &d), SC_OK);
    CHECK(d.effectiveness_before == 0.9166666666666666);
    CHECK(d.effectiveness_after == 0.25);
    CHECK(d.grounding_confidence_avg == 0.7000000000000001);
    CHECK(d.drift_magnitude == 0.6666666666666666);
    CHECK_STR(d.drift_direction, "negative");
    CHECK(d.threshold_exceeded && d.applications_analyzed == 10);
    CHECK_STR(d.pattern_name, "name of p");
    ls_drift_free(&d);
    /* 0.952 is not above 0.96 */
    CHECK_INT(ls_calculate_effectiveness_drift(db, "p", 5, 0.96, &d), SC_OK);
    CHECK(!d.threshold_exceeded);
    ls_drift_free(&d);

    CHECK_INT(ls_get_drifting_patterns(db, 0.2, 5, 20, &v, &n), SC_OK);
    CHECK_INT(n, 1);
    ls_drifts_free(v, n);
    CHECK_INT(ls_get_drifting_patterns(db, 0.2, 5, 0, &v, &n), SC_OK);
    CHECK_INT(n, 0);
    ls_drifts_free(v, n);
    CHECK_INT(ls_get_pattern_drift_summary(db, &s), SC_OK);
    CHECK(s.total_patterns == 2 && s.patterns_analyzed == 1);
    CHECK(s.patterns_drifting == 1
          && s.avg_drift_magnitude == 0.6666666666666666);
    CHECK_STR(s.most_drifted, "p");
    ls_drift_summary_free(&s);

    CHECK_INT(ls_calculate_epistemic_drift(db, "p", 5, 0.15, &e), SC_OK);
    CHECK(e.confidence_after == 0.5 && e.confidence_before == 0.9);
    CHECK(e.belief_change == 0.5 - 0.9);
    CHECK(e.belief_entropy == 0.2857142857142857);
    CHECK_STR(e.drift_direction, "weakening");
    CHECK(e.threshold_exceeded);
    ls_epistemic_drift_free(&e);
    CHECK_INT(ls_calculate_epistemic_drift(db, "p", 0, 0.15, &e), SC_MISUSE);
    CHECK_INT(ls_get_epistemic_drifting_patterns(db, 0.15, 5, 20, &ev, &n),
              SC_OK);
    CHECK_INT(n, 1);
    ls_epistemic_drifts_free(ev, n);
    CHECK_INT(ls_get_epistemic_drift_summary(db, &es), SC_OK);
    CHECK(es.patterns_analyzed == 1 && es.patterns_with_epistemic_drift == 1);
    CHECK(es.avg_belief_change == 0.5 - 0.9);
    CHECK_STR(es.most_unstable, "p");
    ls_epistemic_summary_free(&es);

    CHECK_INT(ls_retire_drifting_patterns(db, 0.2, 5, true, &r, &n), SC_OK);
    CHECK_INT(n, 1);
    CHECK_STR(n ? r[0].pattern_id : NULL, "p");
    ls_retired_free(r, n);
    CHECK_STR(text_of(db, "SELECT priority_score, suggested_action "
                      "FROM patterns WHERE id = 'p'", buf, sizeof buf),
              "0.0 Auto-retired: drift negative (0.67), effectiveness 0.92 "
              "\xe2\x86\x92 0.25");
    memset(&x, 0, sizeof(x));
    CHECK_INT(ls_get_retired_patterns(db, 50, keep, &x), SC_OK);
    CHECK_INT(x.n, 1);
    sc_close(db);
}

/* ---- evolution trajectory ----------------------------------------------- */

struct cycles {
    int n;
    int64_t cycle[8];
    char notes[8][128];
};

static int
keep_cycle(const struct learning_evolution_trajectory *t, void *arg)
{
    struct cycles *x = arg;

    if (x->n < 8) {
        x->cycle[x->n] = t->cycle;
        snprintf(x->notes[x->n], 128, "%s", t->notes);
    }
    x->n++;
    return 0;
}

static void
test_evolution(void)
{
    sc_db *db = fresh("evolution.db");
    const char *i16[] = { "drift", "infra" }, *i17[] = { "infra" };
    const char *i18[] = { "drift", "infra", "drift" };
    struct ls_evolution_entry e = { 16, 3, 1, i16, 2, 0.5, 100, 50, 0.9,
                                    0, 0, NULL };
    struct ls_recurring_issue *ri;
    struct cycles x;
    size_t n;
    int64_t lo = 17, three = 2;
    char buf[256];

    pin_time(T0);
    CHECK_INT(ls_record_evolution_entry(db, &e, NULL), SC_OK);
    CHECK_INT(ls_record_evolution_entry(db, &e, NULL), SC_CONSTRAINT);
    e.cycle = 17;
    e.issue_classes = i17;
    e.nissue_classes = 1;
    e.notes = "seventeen";
    CHECK_INT(ls_record_evolution_entry(db, &e, NULL), SC_OK);
    e.cycle = 18;
    e.issue_classes = i18;
    e.nissue_classes = 3;
    CHECK_INT(ls_record_evolution_entry(db, &e, NULL), SC_OK);
    CHECK_STR(text_of(db, "SELECT issue_classes || '|' || notes FROM "
                      "evolution_trajectory WHERE cycle = 16", buf,
                      sizeof buf), "[\"drift\", \"infra\"]|");
    memset(&x, 0, sizeof(x));
    CHECK_INT(ls_get_trajectory(db, &lo, NULL, 50, keep_cycle, &x), SC_OK);
    CHECK_INT(x.n, 2);
    CHECK_INT(x.cycle[0], 18);
    memset(&x, 0, sizeof(x));
    CHECK_INT(ls_get_evolution_history(db, 1, keep_cycle, &x), SC_OK);
    CHECK_INT(x.n, 1);
    /* From cycle 18 down: drift (18, 18 again, 16), infra (18, 17, 16) */
    CHECK_INT(ls_get_recurring_issues(db, 2, NULL, &ri, &n), SC_OK);
    CHECK_INT(n, 2);
    if (n == 2) {
        CHECK_STR(ri[0].issue, "drift");
        CHECK_INT(ri[0].ncycles, 3);
        CHECK(ri[0].cycles[0] == 18 && ri[0].cycles[1] == 18
              && ri[0].cycles[2] == 16);
        CHECK_STR(ri[1].issue, "infra");
        CHECK_INT(ri[1].ncycles, 3);
    }
    ls_recurring_issues_free(ri, n);
    /* The latest two cycles: drift twice (18), infra twice (18, 17) */
    CHECK_INT(ls_get_recurring_issues(db, 2, &three, &ri, &n), SC_OK);
    CHECK_INT(n, 2);
    if (n == 2)
        CHECK(ri[1].cycles[0] == 18 && ri[1].cycles[1] == 17);
    ls_recurring_issues_free(ri, n);
    CHECK_INT(ls_get_recurring_issues(db, 4, NULL, &ri, &n), SC_OK);
    CHECK_INT(n, 0);
    ls_recurring_issues_free(ri, n);

    CHECK_INT(ls_record_evolution_cycle(db, 25, 5, 3, "Fixed export",
                                        "SUCCESS", "{\"patterns\": 6}",
                                        NULL), SC_OK);
    CHECK_STR(text_of(db, "SELECT evolutions_completed, "
                      "evolutions_deferred, issue_classes, cv_avg, "
                      "loc_accuracy, notes FROM evolution_trajectory WHERE "
                      "cycle = 25", buf, sizeof buf),
              "3 2 [\"success\"] 0.0 1.0 Fixed export\n\nOutcome: SUCCESS\n"
              "Learning snapshot: {\"patterns\": 6}");
    /* Deferred beyond 64 bits is refused (the subtraction overflowed);
     * at the edge it is written. */
    CHECK_INT(ls_record_evolution_cycle(db, 26, INT64_MIN, 1, "s", "SUCCESS",
                                        "{}", NULL), SC_MISUSE);
    CHECK_INT(ls_record_evolution_cycle(db, 26, INT64_MAX, -1, "s",
                                        "SUCCESS", "{}", NULL), SC_MISUSE);
    CHECK_INT(ls_record_evolution_cycle(db, 26, INT64_MAX, 0, "s", "SUCCESS",
                                        "{}", NULL), SC_OK);
    CHECK_STR(text_of(db, "SELECT evolutions_deferred FROM "
                      "evolution_trajectory WHERE cycle = 26", buf,
                      sizeof buf), "9223372036854775807");
    sc_close(db);
}

/* ---- budget and entropy ------------------------------------------------- */

struct budgets {
    int n;
    double value[8];
};

static int
keep_budget(const struct learning_exploration_budget *b, void *arg)
{
    struct budgets *x = arg;

    if (x->n < 8)
        x->value[x->n] = b->budget_value;
    x->n++;
    return 0;
}

/* The initial 0.15; low entropy boosts to 0.25; healthy entropy decays
 * to 0.25 * 0.95 = 0.2375. */
static void
test_budget_adjustment(void)
{
    sc_db *db = fresh("adjust.db");
    struct learning_exploration_budget b;
    struct ls_budget_stats st;
    struct budgets x;

    pin_time(T0);
    CHECK_INT(ls_get_exploration_budget_statistics(db, "j", &st), SC_OK);
    CHECK(!st.has_current_budget && st.total_adjustments == 0
          && st.avg_budget == 0);
    CHECK_INT(ls_calculate_budget_adjustment(db, "j", 0.5, NULL, &b), SC_OK);
    CHECK(b.budget_value == 0.15);
    CHECK_STR(b.adjustment_type, "initial");
    CHECK_STR(b.adjustment_reason, "Initial budget set");
    learning_exploration_budget_free(&b);
    pin_time(T0 + 1);
    CHECK_INT(ls_calculate_budget_adjustment(db, "j", 0.1, NULL, &b), SC_OK);
    CHECK(b.budget_value == 0.25);
    CHECK_STR(b.adjustment_type, "boost");
    CHECK_STR(b.adjustment_reason, "Entropy 0.100 < threshold 0.300");
    learning_exploration_budget_free(&b);
    pin_time(T0 + 2);
    CHECK_INT(ls_calculate_budget_adjustment(db, "j", 0.5, NULL, &b), SC_OK);
    CHECK(b.budget_value == 0.2375);
    CHECK_STR(b.adjustment_type, "decay");
    CHECK_STR(b.adjustment_reason, "Entropy 0.500 >= threshold, decaying");
    learning_exploration_budget_free(&b);
    memset(&x, 0, sizeof(x));
    CHECK_INT(ls_get_exploration_budget_history(db, "j", 50, keep_budget,
                                                &x), SC_OK);
    CHECK_INT(x.n, 3);
    CHECK(x.value[0] == 0.2375 && x.value[2] == 0.15);
    CHECK_INT(ls_get_exploration_budget_statistics(db, NULL, &st), SC_OK);
    CHECK(st.has_current_budget && st.current_budget == 0.2375);
    CHECK(fabs(st.avg_budget - 0.2125) < 1e-15);
    CHECK(st.min_budget == 0.15 && st.max_budget == 0.25);
    CHECK(st.total_adjustments == 3 && st.boost_count == 1
          && st.decay_count == 1 && st.floor_enforcements == 0);
    sc_close(db);
}

/*
 * Entropy over applications: a (3), b (1), c (0): p = 0.75, 0.25; H =
 * 0.8112781244591328 bits; 2 patterns applied, so the maximum is 1.0 and
 * the diversity H; dominant 0.75.
 */
static void
test_entropy(void)
{
    sc_db *db = fresh("entropy.db");
    struct ls_pattern_entropy m;
    struct ls_entropy_check c;
    struct learning_entropy_responses r;
    struct learning_exploration_budget b;
    struct ls_entropy_response_stats st;
    char id[LS_UUID_LEN], buf[160];
    bool rec;
    int i;

    pin_time(T0);
    CHECK_INT(ls_calculate_pattern_entropy(db, &m), SC_OK);
    CHECK(m.unique_pattern_count == 0 && m.diversity_index == 0);
    CHECK_INT(ls_check_entropy_response_needed(db, "j", 0.3, 3600, &c),
              SC_OK);
    CHECK(!c.needed && !c.has_entropy);
    CHECK_STR(c.reason, "No pattern applications to analyze");
    put_pattern(db, "a", 0, 0, 0.5, "pending");
    put_pattern(db, "b", 0, 0, 0.5, "quarantined");
    put_pattern(db, "c", 0, 0, 0.5, "quarantined");
    sql(db, "UPDATE patterns SET last_seen = '2026-05-02T00:00:00' WHERE id"
        " = 'c'");
    /* One pattern applied: H = -(1.0 * log2(1.0)) = -0.0 */
    CHECK_INT(ls_record_pattern_application(db, "a", "e", true, 0, 0, NULL,
                                            &rec, NULL), SC_OK);
    CHECK_INT(ls_check_entropy_response_needed(db, "j", 0.3, 3600, &c),
              SC_OK);
    CHECK(c.needed && c.has_entropy && c.entropy == 0 && signbit(c.entropy));
    CHECK_STR(c.reason, "Entropy -0.000 < threshold 0.300");
    for (i = 0; i < 2; i++)
        CHECK_INT(ls_record_pattern_application(db, "a", "e", true, 0, 0,
                                                NULL, &rec, NULL), SC_OK);
    CHECK_INT(ls_record_pattern_application(db, "b", "e", false, 0, 0, NULL,
                                            &rec, NULL), SC_OK);
    CHECK_INT(ls_calculate_pattern_entropy(db, &m), SC_OK);
    CHECK_STR(m.calculated_at, "2026-05-28T20:26:40");
    CHECK(m.unique_pattern_count == 3 && m.effective_pattern_count == 2);
    CHECK(m.total_applications == 4);
    CHECK(m.shannon_entropy == 0.8112781244591328);
    CHECK(m.max_possible_entropy == 1.0);
    CHECK(m.diversity_index == 0.8112781244591328);
    CHECK(m.dominant_pattern_share == 0.75);
    m.threshold_exceeded = true;
    CHECK_INT(ls_record_pattern_entropy(db, &m, id), SC_OK);
    CHECK_STR(text_of(db, "SELECT threshold_exceeded, "
                      "dominant_pattern_share FROM pattern_entropy_history",
                      buf, sizeof buf), "1 0.75");
    CHECK_INT(ls_check_entropy_response_needed(db, "j", 0.9, 3600, &c),
              SC_OK);
    CHECK(c.needed);
    CHECK_STR(c.reason, "Entropy 0.811 < threshold 0.900");
    CHECK_INT(ls_check_entropy_response_needed(db, "j", 0.5, 3600, &c),
              SC_OK);
    CHECK(!c.needed && c.entropy == 0.8112781244591328);
    CHECK_STR(c.reason, "Entropy 0.811 >= threshold 0.500 (healthy)");

    /* The response: no budget yet, so 0.15 + 0.10; of the quarantined
     * patterns only one may be revisited: c, seen last (2026-05-02, b on
     * 05-01), goes back to pending. */
    struct ls_entropy_response_config cfg = LS_ENTROPY_RESPONSE_CONFIG_INIT;
    cfg.max_quarantine_revisits = 1;
    CHECK_INT(ls_trigger_entropy_response(db, "j", 0.2, 0.3, &cfg, &r),
              SC_OK);
    CHECK_STR(r.actions_taken, "[\"budget_boost\", \"quarantine_revisit\"]");
    CHECK_STR(r.patterns_revisited, "[\"c\"]");
    CHECK(r.budget_boosted == 1 && r.quarantine_revisits == 1);
    learning_entropy_responses_free(&r);
    CHECK_STR(text_of(db, "SELECT quarantine_status || ' ' || "
                      "quarantine_reason FROM patterns WHERE id = 'c'", buf,
                      sizeof buf),
              "pending Entropy response: revisiting for revalidation");
    CHECK_INT(ls_get_exploration_budget(db, "j", &b), SC_OK);
    CHECK(b.budget_value == 0.15 + 0.10);
    CHECK_STR(b.adjustment_reason, "Entropy response: diversity 0.200 < "
              "0.300");
    learning_exploration_budget_free(&b);
    /* Cooldown: 3600 s just after, 1800 s (1799.6 rounds) half an hour
     * on. */
    CHECK_INT(ls_check_entropy_response_needed(db, "j", 0.9, 3600, &c),
              SC_OK);
    CHECK(!c.needed && !c.has_entropy);
    CHECK_STR(c.reason, "Cooldown active (3600s remaining)");
    pin_time(T0 + 1800.4);
    CHECK_INT(ls_check_entropy_response_needed(db, "j", 0.9, 3600, &c),
              SC_OK);
    CHECK_STR(c.reason, "Cooldown active (1800s remaining)");
    CHECK_INT(ls_check_entropy_response_needed(db, "other", 0.9, 3600, &c),
              SC_OK);
    CHECK(c.needed);                    /* another job has no cooldown */
    CHECK_INT(ls_get_last_entropy_response(db, "other", &r), SC_NOTFOUND);
    CHECK_INT(ls_get_last_entropy_response(db, NULL, &r), SC_OK);
    CHECK_STR(r.job_hash, "j");
    learning_entropy_responses_free(&r);
    CHECK_INT(ls_get_entropy_response_statistics(db, "j", &st), SC_OK);
    CHECK(st.total_responses == 1 && st.avg_entropy_at_trigger == 0.2);
    CHECK(st.budget_boosts == 1 && st.quarantine_revisits == 1);
    CHECK(st.has_last_response);
    CHECK_STR(st.last_response, "2026-05-28T20:26:40");
    CHECK_INT(ls_get_entropy_response_statistics(db, "other", &st), SC_OK);
    CHECK(st.total_responses == 0 && !st.has_last_response);
    sc_close(db);
}

/* ---- executions --------------------------------------------------------- */

static int
count_ws(const char *ws, void *arg)
{
    struct names *x = arg;

    if (x->n < 16)
        snprintf(x->id[x->n], 40, "%s", ws);
    x->n++;
    return 0;
}

static void
test_execution_stats(void)
{
    sc_db *db = fresh("stats.db");
    struct ls_execution_stats s;
    struct ls_execution_window w;
    struct ls_wait_advice a;
    struct ls_outcome o = { .job_id = "j", .sheet_id = "s1",
                            .validation_pass_rate = 1 };
    struct names x;
    char *cluster;
    int i;

    pin_time(T0);
    CHECK_INT(ls_get_execution_stats(db, &s), SC_OK);
    CHECK(s.total_executions == 0 && s.success_without_retry_rate == 0
          && s.avg_pattern_effectiveness == 0 && s.unique_workspaces == 0);
    o.success_without_retry = true;
    CHECK_INT(ls_record_outcome(db, &o, "/a", NULL, NULL, 0, NULL), SC_OK);
    o.success_without_retry = false;
    CHECK_INT(ls_record_outcome(db, &o, "/a", NULL, NULL, 0, NULL), SC_OK);
    CHECK_INT(ls_record_outcome(db, &o, "/b", NULL, NULL, 0, NULL), SC_OK);
    put_pattern(db, "p", 0, 0, 0.4, "pending");
    put_pattern(db, "q", 0, 0, 0.8, "pending");
    /* Recoveries: hour 20 three successes (optimal), hour 21 three
     * failures (avoid), hour 22 two successes (too few). */
    for (i = 0; i < 8; i++) {
        pin_time(T0 + (i < 3 ? 0 : i < 6 ? 3600 : 7200) + i);
        CHECK_INT(ls_record_error_recovery(db, i < 6 ? "E1" : "E2", 10, 20,
                                           i < 3 || i >= 6, NULL, NULL),
                  SC_OK);
    }
    CHECK_INT(ls_get_execution_stats(db, &s), SC_OK);
    CHECK(s.total_executions == 3 && s.success_without_retry_rate == 1.0 / 3);
    CHECK(s.total_patterns == 2 && fabs(s.avg_pattern_effectiveness - 0.6)
                                   < 1e-15);
    CHECK(s.total_error_recoveries == 8 && s.unique_workspaces == 2);
    /* The distinct workspaces are stepped through in the index's order:
     * repeats before, between and after the others count once. */
    CHECK_INT(ls_record_outcome(db, &o, "/c", NULL, NULL, 0, NULL), SC_OK);
    CHECK_INT(ls_record_outcome(db, &o, "/a", NULL, NULL, 0, NULL), SC_OK);
    CHECK_INT(ls_record_outcome(db, &o, "/c", NULL, NULL, 0, NULL), SC_OK);
    CHECK_INT(ls_get_execution_stats(db, &s), SC_OK);
    CHECK(s.total_executions == 6 && s.unique_workspaces == 3);
    /* 8 samples: confidence 8 / 50 = 0.16 */
    CHECK_INT(ls_get_optimal_execution_window(db, NULL, &w), SC_OK);
    CHECK(w.noptimal == 1 && w.optimal_hours[0] == 20);
    CHECK(w.navoid == 1 && w.avoid_hours[0] == 21);
    CHECK(w.confidence == 0.16 && w.sample_count == 8);
    ls_execution_window_free(&w);
    CHECK_INT(ls_get_optimal_execution_window(db, "E2", &w), SC_OK);
    CHECK(w.noptimal == 0 && w.navoid == 0 && w.sample_count == 2);
    ls_execution_window_free(&w);

    /* Learned wait with fallback: E1 has 3 successes of 20 s: learned 20,
     * confidence 3 / 10 = 0.3 < 0.7: blend w = 0.3 / 0.7 of max(20,
     * 50 / 2 = 25) and 50; none for E9; 10 successes: learned. */
    CHECK_INT(ls_get_learned_wait_time_with_fallback(db, "E9", 50, NULL, 3,
                                                     0.7, &a), SC_OK);
    CHECK(a.delay == 50 && a.confidence == 0);
    CHECK_STR(a.strategy, "static_fallback");
    CHECK_INT(ls_get_learned_wait_time_with_fallback(db, "E1", 50, NULL, 3,
                                                     0.7, &a), SC_OK);
    CHECK(a.confidence == 0.3);
    CHECK(a.delay == (0.3 / 0.7) * 25.0 + (1 - 0.3 / 0.7) * 50);
    CHECK_STR(a.strategy, "global_learned_blend");
    for (i = 0; i < 7; i++)
        CHECK_INT(ls_record_error_recovery(db, "E1", 10, 30, true, "m",
                                           NULL), SC_OK);
    CHECK_INT(ls_get_learned_wait_time_with_fallback(db, "E1", 50, NULL, 3,
                                                     0.7, &a), SC_OK);
    /* ten waits 20, 20, 20, 30 x 7: mean 27, min 20: learned 23.5 <
     * floor 25 */
    CHECK(a.confidence == 1.0 && a.delay == 25.0);
    CHECK_STR(a.strategy, "global_learned");
    {
        int64_t k;
        CHECK_INT(ls_get_error_recovery_sample_count(db, "E1", &k), SC_OK);
        CHECK_INT(k, 10);
    }

    /* clusters */
    pin_time(T0);
    CHECK_INT(ls_get_workspace_cluster(db, "w1", &cluster), SC_NOTFOUND);
    CHECK_INT(ls_assign_workspace_cluster(db, "w1", "c1"), SC_OK);
    pin_time(T0 + 1);
    CHECK_INT(ls_assign_workspace_cluster(db, "w2", "c1"), SC_OK);
    CHECK_INT(ls_assign_workspace_cluster(db, "w3", "c2"), SC_OK);
    CHECK_INT(ls_get_workspace_cluster(db, "w1", &cluster), SC_OK);
    CHECK_STR(cluster, "c1");
    free(cluster);
    memset(&x, 0, sizeof(x));
    CHECK_INT(ls_get_similar_workspaces(db, "c1", 10, count_ws, &x), SC_OK);
    CHECK_INT(x.n, 2);
    CHECK_STR(x.id[0], "w2");           /* latest assigned first */
    pin_time(T0 + 2);
    CHECK_INT(ls_assign_workspace_cluster(db, "w2", "c2"), SC_OK);
    memset(&x, 0, sizeof(x));
    CHECK_INT(ls_get_similar_workspaces(db, "c1", 10, count_ws, &x), SC_OK);
    CHECK_INT(x.n, 1);
    sc_close(db);
}

/* ---- rate limits and escalations ---------------------------------------- */

struct codes {
    int n;
    char text[8][32];
};

static int
keep_limit(const struct learning_rate_limit_events *e, void *arg)
{
    struct codes *x = arg;

    if (x->n < 8)
        snprintf(x->text[x->n], 32, "%s", e->error_code);
    x->n++;
    return 0;
}

static int
keep_expiry(const struct learning_rate_limit_events *e, void *arg)
{
    struct codes *x = arg;

    if (x->n < 8)
        snprintf(x->text[x->n], 32, "%s", e->expires_at);
    x->n++;
    return 0;
}

static int
keep_escalation(const struct learning_escalation_decisions *e, void *arg)
{
    struct codes *x = arg;

    if (x->n < 8)
        snprintf(x->text[x->n], 32, "%s %.2f", e->guidance ? e->guidance
                                                           : "-",
                 e->confidence);
    x->n++;
    return 0;
}

static void
test_limits_and_escalations(void)
{
    sc_db *db = fresh("active.db");
    struct ls_escalation e = { .job_id = "j", .sheet_num = 1,
                               .action = "retry" };
    struct codes x;
    struct {
        const char *guidance, *outcome;
        double confidence, rate;
    } rows[] = {
        { "far", "success", 0.9, 50 },      /* outside the tolerance */
        { "fail-near", "failed", 0.50, 50 },
        { "none", NULL, 0.55, 55 },
        { "skip", "skipped", 0.60, 60 },
        { "ok-far", "success", 0.64, 64 },
        { "ok-near", "success", 0.51, 51 },
    };
    size_t i;

    pin_time(T0);
    CHECK_INT(ls_record_rate_limit_event(db, "E1", 100, "j", "m1", NULL),
              SC_OK);
    CHECK_INT(ls_record_rate_limit_event(db, "E2", 200, "j", "m2", NULL),
              SC_OK);
    CHECK_INT(ls_record_rate_limit_event(db, "E3", 1, "j", "m1", NULL),
              SC_OK);
    pin_time(T0 + 10);                  /* E3 expired at T0 + 0.8 */
    memset(&x, 0, sizeof(x));
    CHECK_INT(ls_get_active_rate_limits(db, NULL, keep_limit, &x), SC_OK);
    CHECK_INT(x.n, 2);
    CHECK_STR(x.text[0], "E2");         /* latest expiry first */
    memset(&x, 0, sizeof(x));
    CHECK_INT(ls_get_active_rate_limits(db, "m1", keep_limit, &x), SC_OK);
    CHECK_INT(x.n, 1);
    CHECK_STR(x.text[0], "E1");
    /* An expiry before its recording reads as the recording time. */
    sql(db, "INSERT INTO rate_limit_events VALUES ('odd', 'E4', 'm9',"
        " '2026-05-28T21:00:00+00:00', '2026-05-28T20:30:00+00:00', 'j',"
        " 1)");
    memset(&x, 0, sizeof(x));
    CHECK_INT(ls_get_active_rate_limits(db, "m9", keep_expiry, &x), SC_OK);
    CHECK_INT(x.n, 1);
    CHECK_STR(x.text[0], "2026-05-28T21:00:00+00:00");

    /* Similar escalations to (0.5, 50): within 0.15 and 15; success first
     * (the nearer first: 0.01 + 1/100 before 0.14 + 14/100), then
     * skipped, then none, then the rest; the record clamps confidence
     * and reads an unknown action as abort. */
    for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        e.guidance = rows[i].guidance;
        e.outcome_after_action = rows[i].outcome;
        e.confidence = rows[i].confidence;
        e.validation_pass_rate = rows[i].rate;
        CHECK_INT(ls_record_escalation_decision(db, &e, NULL), SC_OK);
    }
    memset(&x, 0, sizeof(x));
    CHECK_INT(ls_get_similar_escalation(db, 0.5, 50, 0.15, 15.0, 5,
                                        keep_escalation, &x), SC_OK);
    CHECK_INT(x.n, 5);
    CHECK_STR(x.text[0], "ok-near 0.51");
    CHECK_STR(x.text[1], "ok-far 0.64");
    CHECK_STR(x.text[2], "skip 0.60");
    CHECK_STR(x.text[3], "none 0.55");
    CHECK_STR(x.text[4], "fail-near 0.50");
    memset(&x, 0, sizeof(x));
    CHECK_INT(ls_get_similar_escalation(db, 0.5, 50, 0.15, 15.0, 2,
                                        keep_escalation, &x), SC_OK);
    CHECK_INT(x.n, 2);
    sql(db, "UPDATE escalation_decisions SET confidence = 1.7, action = "
        "'explode' WHERE guidance = 'far'");
    memset(&x, 0, sizeof(x));
    CHECK_INT(ls_get_escalation_history(db, "j", "explode", 20,
                                        keep_escalation, &x), SC_OK);
    CHECK_INT(x.n, 1);
    CHECK_STR(x.text[0], "far 1.00");
    sc_close(db);
}


struct exec_rows {
    int n;
    char status[4][16];
    double duration[4], pass_rate[4];
    char codes[4][16];
};

static int
keep_exec(const struct learning_executions *e, void *arg)
{
    struct exec_rows *x = arg;

    if (x->n < 4) {
        snprintf(x->status[x->n], 16, "%s", e->status);
        x->duration[x->n] = e->duration_seconds;
        x->pass_rate[x->n] = e->validation_pass_rate;
        snprintf(x->codes[x->n], 16, "%s", e->error_codes);
    }
    x->n++;
    return 0;
}

/* get_recent_executions hands rows over as ExecutionRecord holds them:
 * a NULL status "", NULL error codes "[]", a negative duration 0, a pass
 * rate above 1 clamped; the stored row is unchanged. */
static void
test_recent_executions(void)
{
    sc_db *db = fresh("recent.db");
    struct exec_rows x;
    char buf[64];

    sql(db, "INSERT INTO executions (id, workspace_hash, job_hash,"
        " sheet_num, completed_at, duration_seconds, status,"
        " validation_pass_rate, error_codes) VALUES"
        " ('e1', 'w1', 'j', 1, '2026-01-01T00:00:01', -5, NULL, 1.5, NULL),"
        " ('e2', 'w2', 'j', 2, '2026-01-01T00:00:02', 3, 'failed', 0.5,"
        " '[\"E1\"]')");
    memset(&x, 0, sizeof(x));
    CHECK_INT(ls_get_recent_executions(db, 20, NULL, keep_exec, &x), SC_OK);
    CHECK_INT(x.n, 2);
    CHECK_STR(x.status[0], "failed");       /* newest completed first */
    CHECK_STR(x.status[1], "");
    CHECK(x.duration[1] == 0 && x.pass_rate[1] == 1.0);
    CHECK_STR(x.codes[1], "[]");
    memset(&x, 0, sizeof(x));
    CHECK_INT(ls_get_recent_executions(db, 20, "w1", keep_exec, &x), SC_OK);
    CHECK_INT(x.n, 1);
    memset(&x, 0, sizeof(x));
    CHECK_INT(ls_get_recent_executions(db, 1, "", keep_exec, &x), SC_OK);
    CHECK_INT(x.n, 1);
    CHECK_STR(text_of(db, "SELECT duration_seconds FROM executions WHERE id"
                      " = 'e1'", buf, sizeof buf), "-5.0");
    sc_close(db);
}

/* recalculate_all_pattern_priorities rescores every pattern: with fewer
 * than 3 applications effectiveness 0.55, priority 0.55 * max(0.6,
 * log10(occ + 1) / 2): occurrences 1 give 0.33, 99 give 0.55 * 1.0. */
static void
test_recalculate_priorities(void)
{
    sc_db *db = fresh("recalc.db");
    struct learning_patterns p;
    int64_t n;

    pin_time(T0);
    CHECK_INT(ls_recalculate_all_pattern_priorities(db, &n), SC_OK);
    CHECK_INT(n, 0);
    put_pattern(db, "one", 0, 0, 0.9, "pending");
    put_pattern(db, "many", 1, 0, 0.9, "pending");
    sql(db, "UPDATE patterns SET occurrence_count = 99 WHERE id = 'many'");
    CHECK_INT(ls_recalculate_all_pattern_priorities(db, &n), SC_OK);
    CHECK_INT(n, 2);
    CHECK_INT(learning_patterns_get(db, "one", &p), SC_OK);
    CHECK(p.effectiveness_score == 0.55 && p.priority_score == 0.55 * 0.6);
    learning_patterns_free(&p);
    CHECK_INT(learning_patterns_get(db, "many", &p), SC_OK);
    CHECK(p.priority_score == 0.55);
    learning_patterns_free(&p);
    sc_close(db);
}

/* ---- what both engines must agree on --------------------------------- */

/*
 * Statistics keep a double's every digit (PostgreSQL's REAL is single
 * precision: 0.123456789 read back as 0.12345679): budgets 0.123456789
 * and 0.2, their mean as SQLite's avg() sums them; an entropy response
 * at 0.123456789; one pattern of effectiveness 0.123456789.
 */
static void
test_statistics_keep_doubles(void)
{
    sc_db *db = fresh("doubles.db");
    struct ls_budget_stats st;
    struct ls_entropy_response_stats es;
    struct ls_execution_stats xs;
    struct learning_entropy_responses r;
    struct ls_entropy_response_config cfg = LS_ENTROPY_RESPONSE_CONFIG_INIT;

    pin_time(T0);
    CHECK_INT(ls_update_exploration_budget(db, "j", 0.123456789, "boost",
                                           NULL, NULL, 0.05, 0.5, NULL),
              SC_OK);
    pin_time(T0 + 1);
    CHECK_INT(ls_update_exploration_budget(db, "j", 0.2, "decay", NULL,
                                           NULL, 0.05, 0.5, NULL), SC_OK);
    CHECK_INT(ls_get_exploration_budget_statistics(db, "j", &st), SC_OK);
    CHECK(st.min_budget == 0.123456789 && st.max_budget == 0.2);
    CHECK(st.avg_budget == (0.123456789 + 0.2) / 2);
    CHECK_INT(ls_get_exploration_budget_statistics(db, NULL, &st), SC_OK);
    CHECK(st.min_budget == 0.123456789);
    cfg.max_quarantine_revisits = 0;
    CHECK_INT(ls_trigger_entropy_response(db, "j", 0.123456789, 0.3, &cfg,
                                          &r), SC_OK);
    learning_entropy_responses_free(&r);
    CHECK_INT(ls_get_entropy_response_statistics(db, "j", &es), SC_OK);
    CHECK(es.total_responses == 1 && es.avg_entropy_at_trigger
                                     == 0.123456789);
    CHECK_INT(ls_get_entropy_response_statistics(db, NULL, &es), SC_OK);
    CHECK(es.avg_entropy_at_trigger == 0.123456789);
    put_pattern(db, "p", 0, 0, 0.123456789, "pending");
    CHECK_INT(ls_get_execution_stats(db, &xs), SC_OK);
    CHECK(xs.total_patterns == 1
          && xs.avg_pattern_effectiveness == 0.123456789);
    sc_close(db);
}

/*
 * Unset values sort as SQLite sorts them, below every value (PostgreSQL
 * puts NULL above): the newest first puts them last, an ascending order
 * first.  Rows another writer left: a workspace with no assignment time,
 * a retired pattern never seen, a quarantined one never seen, a candidate
 * for auto-apply with no priority.
 */
static void
test_unset_values_sort_low(void)
{
    sc_db *db = fresh("nulls.db");
    struct ls_entropy_response_config cfg = LS_ENTROPY_RESPONSE_CONFIG_INIT;
    struct learning_entropy_responses r;
    struct names x;
    char buf[64];

    pin_time(T0);
    sql(db, "INSERT INTO workspace_clusters VALUES ('w-unset', 'c', NULL),"
        " ('w-old', 'c', '2026-01-01T00:00:00'),"
        " ('w-new', 'c', '2026-02-01T00:00:00')");
    memset(&x, 0, sizeof(x));
    CHECK_INT(ls_get_similar_workspaces(db, "c", 10, count_ws, &x), SC_OK);
    CHECK_INT(x.n, 3);
    CHECK_STR(x.id[0], "w-new");
    CHECK_STR(x.id[1], "w-old");
    CHECK_STR(x.id[2], "w-unset");

    put_pattern(db, "r-unset", 0, 0, 0.5, "pending");
    put_pattern(db, "r-seen", 0, 0, 0.5, "pending");
    sql(db, "UPDATE patterns SET priority_score = 0");
    sql(db, "UPDATE patterns SET last_seen = NULL WHERE id = 'r-unset'");
    memset(&x, 0, sizeof(x));
    CHECK_INT(ls_get_retired_patterns(db, 1, keep, &x), SC_OK);
    CHECK_INT(x.n, 1);
    CHECK_STR(x.id[0], "r-seen");

    sql(db, "UPDATE patterns SET quarantine_status = 'quarantined'");
    cfg.max_quarantine_revisits = 1;
    CHECK_INT(ls_trigger_entropy_response(db, "j", 0.1, 0.3, &cfg, &r),
              SC_OK);
    CHECK_STR(r.patterns_revisited, "[\"r-seen\"]");
    learning_entropy_responses_free(&r);
    CHECK_STR(text_of(db, "SELECT quarantine_status FROM patterns WHERE id"
                      " = 'r-unset'", buf, sizeof buf), "quarantined");

    sql(db, "DELETE FROM patterns");
    put_pattern(db, "a-unset", 0, 0, 0.5, "validated");
    put_pattern(db, "b-low", 0, 0, 0.5, "validated");
    sql(db, "UPDATE patterns SET trust_score = 0.9, priority_score = 0.1;"
        "UPDATE patterns SET priority_score = NULL WHERE id = 'a-unset'");
    memset(&x, 0, sizeof(x));
    CHECK_INT(ls_get_patterns_for_auto_apply(db, 0.85, true, 1, NULL, 0,
                                             keep, &x), SC_OK);
    CHECK_INT(x.n, 1);
    CHECK_STR(x.id[0], "b-low");
    sc_close(db);
}

/*
 * Patterns read one by one are read in id order, as SQLite reads them
 * (its key's index), so that ties keep that order: two patterns drifting
 * alike, "q" recorded and applied first, are reported "p" first, and the
 * summary names "p" the most drifted.
 */
static void
test_ties_in_id_order(void)
{
    static const char *ids[] = { "q", "p" };
    sc_db *db = fresh("ties.db");
    struct ls_drift *v;
    struct ls_drift_summary s;
    bool recorded;
    double g = 0.5;
    size_t n, k;
    int i;

    for (k = 0; k < 2; k++) {
        put_pattern(db, ids[k], 0, 0, 0.5, "pending");
        for (i = 0; i < 10; i++) {
            pin_time(T0 + 20 * k + i);
            CHECK_INT(ls_record_pattern_application(db, ids[k], "e", i < 5,
                                                    0, 0, &g, &recorded,
                                                    NULL), SC_OK);
        }
    }
    CHECK_INT(ls_get_drifting_patterns(db, 0.2, 5, 20, &v, &n), SC_OK);
    CHECK_INT(n, 2);
    if (n == 2) {
        CHECK_STR(v[0].pattern_id, "p");
        CHECK_STR(v[1].pattern_id, "q");
        CHECK(v[0].drift_magnitude == v[1].drift_magnitude);
    }
    ls_drifts_free(v, n);
    CHECK_INT(ls_get_pattern_drift_summary(db, &s), SC_OK);
    CHECK_STR(s.most_drifted, "p");
    ls_drift_summary_free(&s);
    sc_close(db);
}

/*
 * A negative limit is no limit, as SQLite's LIMIT -1 (and the Python
 * store, which hands its limit to SQLite) reads it, where PostgreSQL
 * refuses a negative LIMIT; a limit of 0 lists nothing.  Two of
 * everything.
 */
static void
test_negative_limit_is_none(void)
{
    sc_db *db = fresh("limits.db");
    struct ls_escalation e = { .job_id = "j", .sheet_num = 1,
                               .action = "retry", .confidence = 0.5,
                               .validation_pass_rate = 50 };
    struct ls_outcome o = { .job_id = "j", .sheet_id = "s1",
                            .validation_pass_rate = 1 };
    struct ls_pattern_filter f = LS_PATTERN_FILTER_INIT;
    struct names x;
    struct codes c;
    struct exec_rows r;

    pin_time(T0);
    put_pattern(db, "a", 0, 0, 0.5, "validated");
    put_pattern(db, "b", 0, 0, 0.5, "validated");
    sql(db, "UPDATE patterns SET trust_score = 0.9, priority_score = 0");
    memset(&x, 0, sizeof(x));
    CHECK_INT(ls_get_high_trust_patterns(db, 0.7, -1, keep, &x), SC_OK);
    CHECK_INT(x.n, 2);
    memset(&x, 0, sizeof(x));
    CHECK_INT(ls_get_high_trust_patterns(db, 0.7, 0, keep, &x), SC_OK);
    CHECK_INT(x.n, 0);
    memset(&x, 0, sizeof(x));
    /* Auto-apply reads every candidate (LIMIT -2) and offers at most
     * limit of them: none. */
    CHECK_INT(ls_get_patterns_for_auto_apply(db, 0.85, true, -1, NULL, 0,
                                             keep, &x), SC_OK);
    CHECK_INT(x.n, 0);
    memset(&x, 0, sizeof(x));
    CHECK_INT(ls_get_retired_patterns(db, -1, keep, &x), SC_OK);
    CHECK_INT(x.n, 2);
    f.min_priority = 0;
    f.limit = -1;
    memset(&x, 0, sizeof(x));
    CHECK_INT(ls_get_patterns(db, &f, keep, &x), SC_OK);
    CHECK_INT(x.n, 2);
    CHECK_INT(ls_record_escalation_decision(db, &e, NULL), SC_OK);
    CHECK_INT(ls_record_escalation_decision(db, &e, NULL), SC_OK);
    memset(&c, 0, sizeof(c));
    CHECK_INT(ls_get_escalation_history(db, "j", NULL, -1, keep_escalation,
                                        &c), SC_OK);
    CHECK_INT(c.n, 2);
    memset(&c, 0, sizeof(c));
    CHECK_INT(ls_get_similar_escalation(db, 0.5, 50, 0.15, 15.0, -1,
                                        keep_escalation, &c), SC_OK);
    CHECK_INT(c.n, 2);
    CHECK_INT(ls_record_outcome(db, &o, "/a", NULL, NULL, 0, NULL), SC_OK);
    CHECK_INT(ls_record_outcome(db, &o, "/a", NULL, NULL, 0, NULL), SC_OK);
    memset(&r, 0, sizeof(r));
    CHECK_INT(ls_get_recent_executions(db, -1, NULL, keep_exec, &r), SC_OK);
    CHECK_INT(r.n, 2);
    CHECK_INT(ls_assign_workspace_cluster(db, "w1", "c1"), SC_OK);
    CHECK_INT(ls_assign_workspace_cluster(db, "w2", "c1"), SC_OK);
    memset(&x, 0, sizeof(x));
    CHECK_INT(ls_get_similar_workspaces(db, "c1", -1, count_ws, &x), SC_OK);
    CHECK_INT(x.n, 2);
    sc_close(db);
}

static const struct t_test tests[] = {
    T_TEST(test_promote),
    T_TEST(test_quarantine),
    T_TEST(test_provenance),
    T_TEST(test_trust),
    T_TEST(test_success_factors),
    T_TEST(test_success_factors_at_the_edge),
    T_TEST(test_discovery),
    T_TEST(test_drift),
    T_TEST(test_evolution),
    T_TEST(test_budget_adjustment),
    T_TEST(test_entropy),
    T_TEST(test_execution_stats),
    T_TEST(test_limits_and_escalations),
    T_TEST(test_recent_executions),
    T_TEST(test_recalculate_priorities),
    T_TEST(test_statistics_keep_doubles),
    T_TEST(test_unset_values_sort_low),
    T_TEST(test_ties_in_id_order),
    T_TEST(test_negative_limit_is_none),
};

int
main(int argc, char **argv)
{
    int status;

    if (argc > 2) {
        printf("usage: test_ops [ADMIN_URI]\n");
        return 2;
    }
    setenv("TZ", "UTC", 1);
    tzset();
    if (eng_init("ops", argc > 1 ? argv[1] : NULL) != 0)
        return 1;
    status = T_RUN_ALL(tests);
    eng_fini();
    return status;
}
