/*
 * test_store.c - every operation of the learning store library against a
 * real store, with the expected numbers worked out by hand in comments.
 * Time is pinned through LEARNSTORE_NOW so the arithmetic is exact.
 * Usage: test_store [ADMIN_URI]: on SQLite files, or with the URI of a
 * PostgreSQL role that may create databases, on a database per test
 * (engine.h); the same numbers hold on both.
 */
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "learnstore.h"
#include "listing.h"
#include "engine.h"

#define T0 1780000000.0     /* a fixed "now" for the tests */
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

#define NEAR(a, b) (fabs((a) - (b)) < 1e-9)

/* ---- executions --------------------------------------------------------- */

struct execs {
    int n;
    struct learning_executions first;
    char ids[8][LS_UUID_LEN];
};

static int
keep_exec(const struct learning_executions *e, void *arg)
{
    struct execs *x = arg;

    if (x->n == 0) {
        x->first = *e;                  /* scalars only are used */
        x->first.id = x->first.workspace_hash = x->first.job_hash = NULL;
        x->first.error_codes = x->first.started_at = NULL;
        x->first.completed_at = x->first.status = x->first.model = NULL;
    }
    if (x->n < 8)
        snprintf(x->ids[x->n], LS_UUID_LEN, "%s", e->id);
    x->n++;
    return 0;
}

static void
test_record_outcome(void)
{
    sc_db *db = fresh("outcome.db");
    const char *errors[] = { "E1", "E\"2" };
    struct ls_outcome o = {
        .job_id = "my-job", .sheet_id = "sheet-12", .status = "completed",
        .retry_count = 1, .validation_pass_rate = 0.9,
        .completed_at = "2026-01-01T00:00:00",
    };
    struct learning_executions e;
    char id[LS_UUID_LEN], ws[LS_HASH_HEX];

    CHECK_INT(ls_record_outcome(db, &o, "/srv/ws", "m1", errors, 2, id),
              SC_OK);
    CHECK_INT(strlen(id), 36);
    CHECK(id[14] == '4');                       /* UUID version 4 */
    CHECK_INT(learning_executions_get(db, id, &e), SC_OK);
    CHECK_STR(e.job_hash, "3cc5d3c84b82d2cf");  /* spec: hash_job("my-job") */
    CHECK_INT(ls_hash_workspace("/srv/ws", ws), SC_OK);
    CHECK_STR(e.workspace_hash, ws);
    CHECK_INT(e.sheet_num, 12);
    /* 0.9 - 0.1 * min(1, 5) = 0.8, no first-try bonus */
    CHECK(e.has_confidence_score && NEAR(e.confidence_score, 0.8));
    CHECK_STR(e.error_codes, "[\"E1\", \"E\\\"2\"]");
    CHECK(e.has_success_without_retry && !e.success_without_retry);
    CHECK_STR(e.model, "m1");
    learning_executions_free(&e);

    /* 0.95 + 0.1 (first try) = 1.05, clamped to 1; sheet id without
     * digits gives 0 */
    o.sheet_id = "final";
    o.retry_count = 0;
    o.success_without_retry = true;
    o.validation_pass_rate = 0.95;
    CHECK_INT(ls_record_outcome(db, &o, "/srv/ws", NULL, NULL, 0, id), SC_OK);
    CHECK_INT(learning_executions_get(db, id, &e), SC_OK);
    CHECK(NEAR(e.confidence_score, 1.0));
    CHECK_INT(e.sheet_num, 0);
    CHECK_STR(e.error_codes, "[]");
    learning_executions_free(&e);

    /* 0.9 - 0.1 * min(7, 5) = 0.4 */
    o.retry_count = 7;
    o.success_without_retry = false;
    o.validation_pass_rate = 0.9;
    CHECK_INT(ls_record_outcome(db, &o, "/srv/ws", NULL, NULL, 0, id), SC_OK);
    CHECK_INT(learning_executions_get(db, id, &e), SC_OK);
    CHECK(NEAR(e.confidence_score, 0.4));
    learning_executions_free(&e);
    sc_close(db);
}

static void
test_similar_executions(void)
{
    sc_db *db = fresh("similar.db");
    struct ls_outcome o = { .job_id = "a", .sheet_id = "s1",
                            .validation_pass_rate = 1 };
    const char *done[] = { "2026-01-01T00:00:01", "2026-01-03T00:00:00",
                           "2026-01-02T00:00:00" };
    char ids[3][LS_UUID_LEN], job_a[LS_HASH_HEX];
    struct execs x;
    int64_t sheet = 1;
    int i;

    for (i = 0; i < 3; i++) {
        o.completed_at = done[i];
        CHECK_INT(ls_record_outcome(db, &o, "/w", NULL, NULL, 0, ids[i]),
                  SC_OK);
    }
    o.job_id = "b";
    CHECK_INT(ls_record_outcome(db, &o, "/w", NULL, NULL, 0, NULL), SC_OK);
    ls_hash_job("a", NULL, job_a);
    memset(&x, 0, sizeof(x));
    CHECK_INT(ls_get_similar_executions(db, job_a, NULL, &sheet, 10,
                                        keep_exec, &x), SC_OK);
    CHECK_INT(x.n, 3);                          /* job b is filtered out */
    CHECK_STR(x.ids[0], ids[1]);                /* newest completed first */
    CHECK_STR(x.ids[1], ids[2]);
    CHECK_STR(x.ids[2], ids[0]);
    memset(&x, 0, sizeof(x));
    CHECK_INT(ls_get_similar_executions(db, NULL, NULL, NULL, 2, keep_exec,
                                        &x), SC_OK);
    CHECK_INT(x.n, 2);                          /* limit */
    sheet = 2;
    memset(&x, 0, sizeof(x));
    CHECK_INT(ls_get_similar_executions(db, job_a, NULL, &sheet, 10,
                                        keep_exec, &x), SC_OK);
    CHECK_INT(x.n, 0);
    sc_close(db);
}

static void
test_learned_wait_time(void)
{
    sc_db *db = fresh("wait.db");
    bool found;
    double wait;

    CHECK_INT(ls_record_error_recovery(db, "E429", 5, 10, true, "m",
                                       NULL), SC_OK);
    CHECK_INT(ls_record_error_recovery(db, "E429", 5, 20, true, "m",
                                       NULL), SC_OK);
    CHECK_INT(ls_get_learned_wait_time(db, "E429", NULL, 3, &found, &wait),
              SC_OK);
    CHECK(!found);                              /* 2 samples < 3 */
    CHECK_INT(ls_record_error_recovery(db, "E429", 5, 30, true, "x",
                                       NULL), SC_OK);
    CHECK_INT(ls_record_error_recovery(db, "E429", 5, 1, false, "m",
                                       NULL), SC_OK);
    CHECK_INT(ls_record_error_recovery(db, "E500", 5, 2, true, "m",
                                       NULL), SC_OK);
    CHECK_INT(ls_get_learned_wait_time(db, "E429", NULL, 3, &found, &wait),
              SC_OK);
    /* successes 10, 20, 30: average 20, minimum 10 -> (20 + 10) / 2 */
    CHECK(found && NEAR(wait, 15.0));
    CHECK_INT(ls_get_learned_wait_time(db, "E429", "m", 2, &found, &wait),
              SC_OK);
    /* model m: 10 and 20 -> (15 + 10) / 2 */
    CHECK(found && NEAR(wait, 12.5));
    sc_close(db);
}

/* ---- patterns ---------------------------------------------------------- */

static void
test_record_pattern(void)
{
    sc_db *db = fresh("pattern.db");
    const char *tags1[] = { "api" }, *tags2[] = { "net", "slow" };
    struct ls_pattern_input in = {
        .pattern_type = "retry", .pattern_name = "  Wait  for\tthe API ",
        .description = "first", .context_tags = tags1, .ncontext_tags = 1,
        .suggested_action = "wait",
    };
    struct learning_patterns p;
    char id[LS_HASH_HEX];

    pin_time(T0);
    CHECK_INT(ls_record_pattern(db, &in, id), SC_OK);
    /* sha256("retry:wait for the api")[:16], from Python's hashlib */
    CHECK_STR(id, "01ce68b501f9ddf8");
    CHECK_INT(learning_patterns_get(db, id, &p), SC_OK);
    CHECK_INT(p.occurrence_count, 1);
    CHECK(NEAR(p.effectiveness_score, 0.5) && NEAR(p.priority_score, 0.5));
    CHECK(NEAR(p.trust_score, 0.5) && NEAR(p.variance, 0));
    CHECK_STR(p.quarantine_status, "pending");
    CHECK_INT(p.active, 1);
    CHECK_STR(p.first_seen, p.last_seen);
    CHECK_STR(p.last_confirmed, p.last_seen);
    CHECK_STR(p.trust_calculation_date, p.last_seen);
    CHECK_STR(p.context_tags, "[\"api\"]");
    CHECK_INT(p.led_to_success_count, 0);
    learning_patterns_free(&p);

    /* Seen again: one more occurrence; description and action kept when
     * not given; tags replaced; re-activated. */
    CHECK_SQL(db, "UPDATE patterns SET active = 0");
    pin_time(T0 + 60);
    in.description = NULL;
    in.suggested_action = NULL;
    in.context_tags = tags2;
    in.ncontext_tags = 2;
    in.pattern_name = "wait for the api";
    CHECK_INT(ls_record_pattern(db, &in, id), SC_OK);
    CHECK_STR(id, "01ce68b501f9ddf8");
    CHECK_INT(learning_patterns_get(db, id, &p), SC_OK);
    CHECK_INT(p.occurrence_count, 2);
    CHECK_STR(p.description, "first");
    CHECK_STR(p.suggested_action, "wait");
    CHECK_STR(p.context_tags, "[\"net\", \"slow\"]");
    CHECK_INT(p.active, 1);
    CHECK(strcmp(p.last_seen, p.first_seen) > 0);
    learning_patterns_free(&p);
    in.description = "second";
    CHECK_INT(ls_record_pattern(db, &in, id), SC_OK);
    CHECK_INT(learning_patterns_get(db, id, &p), SC_OK);
    CHECK_STR(p.description, "second");
    learning_patterns_free(&p);
    sc_close(db);
}

/*
 * Values another writer left that C cannot hold stay as the Python store
 * would leave them: a description with a NUL byte is kept whole (not cut
 * at the NUL), a count stored as text becomes 'lots' + 1 = 1 in SQL; the
 * columns the operation does not change keep their type and bytes.  An
 * operation that must read such a row reports it and changes nothing.
 * SQLite's alone: PostgreSQL's column types refuse those values (checked
 * there instead), so no writer can leave them.
 */
static void
test_updates_touch_only_their_columns(void)
{
    sc_db *db = fresh("untouched.db");
    struct ls_pattern_input in = { .pattern_type = "t", .pattern_name = "n" };
    char id[LS_HASH_HEX], buf[160], sql[200];
    bool recorded;

    pin_time(T0);
    CHECK_INT(ls_record_pattern(db, &in, id), SC_OK);
    if (eng_is_pg(db)) {
        CHECK(eng_exec(db, "UPDATE patterns SET description = 'a' || "
                       "chr(0) || 'b'") != 0);
        CHECK(eng_exec(db, "UPDATE patterns SET occurrence_count = 'lots'")
              != 0);
        CHECK(eng_exec(db, "UPDATE patterns SET variance = 'wide'") != 0);
        pin_time(T0 + 60);
        CHECK_INT(ls_record_pattern(db, &in, id), SC_OK);
        CHECK_STR(eng_text(db, "SELECT occurrence_count, variance, "
                           "coalesce(description, '-') FROM patterns", buf,
                           sizeof buf), "2 0.0 -");
        CHECK_INT(ls_record_pattern_application(db, id, "e", false, 0, 0,
                                                NULL, &recorded, NULL),
                  SC_OK);
        CHECK(recorded);
        sc_close(db);
        return;
    }
    snprintf(sql, sizeof sql, "UPDATE patterns SET description = 'a' || "
             "char(0) || 'b', occurrence_count = 'lots', "
             "led_to_failure_count = 2.5, variance = 'wide' WHERE id = '%s'",
             id);
    CHECK_SQL(db, sql);
    pin_time(T0 + 60);
    CHECK_INT(ls_record_pattern(db, &in, id), SC_OK);
    CHECK_STR(eng_text(db, "SELECT length(CAST(description AS BLOB)) || ':'"
                       " || typeof(occurrence_count) || ':' || "
                       "occurrence_count FROM patterns", buf, sizeof buf),
              "3:integer:1");
    /* Scoring reads the row, and a read reports what C cannot hold
     * (SC_CORRUPT naming the column) instead of converting it; the
     * application is not recorded and the row stays as it was. */
    CHECK_INT(ls_record_pattern_application(db, id, "e", false, 0, 0, NULL,
                                            &recorded, NULL), SC_CORRUPT);
    CHECK(!recorded);
    CHECK(strstr(sc_errmsg(db), "column '") != NULL);
    CHECK_STR(eng_text(db, "SELECT led_to_failure_count || ':' || "
                       "typeof(variance) || ':' || variance || ':' || "
                       "length(CAST(description AS BLOB)) || ':' || "
                       "(SELECT count(*) FROM pattern_applications) FROM "
                       "patterns", buf, sizeof buf), "2.5:text:wide:3:0");
    sc_close(db);
}

/*
 * lsi_sum_double() is the exact sum rounded once, as Python's float() of
 * its int sum: across 2^63 either way, mixed signs, and the one sum
 * (-2^64) whose magnitude no uint64_t holds.
 */
/* learnstore/internal.h's (runtime/internal.h comes first on this
 * program's include path). */
double lsi_sum_double(int64_t a, int64_t b, int c);

static void
test_count_sums(void)
{
    static const struct {
        int64_t a, b;
        int c;
        double sum;
    } cases[] = {
        { 2, 1, 0, 3.0 },
        { 2, 1, 1, 4.0 },
        { INT64_MAX, 1, 0, 9223372036854775808.0 },
        { INT64_MAX, INT64_MAX, 1, 18446744073709551615.0 },
        { INT64_MAX, -1, 1, 9223372036854775807.0 },
        { INT64_MIN, 5, 1, -9223372036854775802.0 },
        { INT64_MIN, -1, 0, -9223372036854775809.0 },
        { INT64_MIN, INT64_MIN, 1, -18446744073709551615.0 },
        { INT64_MIN, INT64_MIN, 0, -18446744073709551616.0 },
        { -3, -4, 1, -6.0 },
        { 0, 0, 0, 0.0 },
        /* 2^53 + 1 is no double: one rounding, to even */
        { 9007199254740992, 0, 1, 9007199254740992.0 },
        { 9007199254740992, 2, 1, 9007199254740996.0 },
    };
    size_t i;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (lsi_sum_double(cases[i].a, cases[i].b, cases[i].c)
            != cases[i].sum)
            T_FAIL("case %zu: %.17g, expected %.17g", i,
                   lsi_sum_double(cases[i].a, cases[i].b, cases[i].c),
                   cases[i].sum);
}

/*
 * A count with no successor in a 64-bit integer: SQL would raise it to a
 * real, which no read takes (PostgreSQL refuses it as out of range), so
 * the application is refused with SC_CORRUPT naming the column and
 * nothing changes.  The other count may be at the edge.
 */
static void
test_application_count_at_the_edge(void)
{
    sc_db *db = fresh("edge.db");
    struct ls_pattern_input in = { .pattern_type = "t", .pattern_name = "n" };
    struct learning_patterns p;
    char id[LS_HASH_HEX], buf[160], sql[200];
    bool recorded;

    pin_time(T0);
    CHECK_INT(ls_record_pattern(db, &in, id), SC_OK);
    snprintf(sql, sizeof sql, "UPDATE patterns SET led_to_success_count = "
             "9223372036854775807 WHERE id = '%s'", id);
    CHECK(eng_exec(db, sql) == 0);
    CHECK_INT(ls_record_pattern_application(db, id, "e", true, 0, 0, NULL,
                                            &recorded, NULL), SC_CORRUPT);
    CHECK(!recorded);
    CHECK(strstr(sc_errmsg(db), "led_to_success_count") != NULL);
    CHECK_INT(ls_record_pattern_application(db, id, "e", false, 0, 0, NULL,
                                            &recorded, NULL), SC_OK);
    CHECK(recorded);
    CHECK_STR(eng_text(db, "SELECT led_to_success_count || ':' || "
                       "led_to_failure_count || ':' || (SELECT count(*) "
                       "FROM pattern_applications) FROM patterns", buf,
                       sizeof buf), "9223372036854775807:1:1");
    /* Scored from 2^63 applications, summed as Python's ints (no
     * overflow): hist = (float(s) + 0.5) / float(s + f + 1) = 1.0, the
     * one recent application failed, no decay, no grounding:
     * eff = (0.7 * 0 + (1 - 0.7) * 1.0) * 1.0 * 1.0, priority eff * 0.6
     * (Python: 0.30000000000000004 and 0.18000000000000002). */
    CHECK_INT(learning_patterns_get(db, id, &p), SC_OK);
    CHECK(p.effectiveness_score == 0.30000000000000004);
    CHECK(p.priority_score == 0.18000000000000002);
    learning_patterns_free(&p);
    sc_close(db);
}

/*
 * An operation failing inside a caller's batch: refused before it changes
 * a row (a count at its edge), the batch goes on; failing after it
 * changed one (a trigger refuses the pattern's rescoring, after the
 * application's insert), the batch goes with it on SQLite, which takes
 * no savepoint for an operation, and the error says so; on PostgreSQL
 * the operation's savepoint undoes it alone.
 */
static void
test_failed_operation_in_batch(void)
{
    sc_db *db = fresh("opbatch.db");
    struct ls_pattern_input a = { .pattern_type = "t", .pattern_name = "a" };
    struct ls_pattern_input b = { .pattern_type = "t", .pattern_name = "b" };
    char ida[LS_HASH_HEX], idb[LS_HASH_HEX], buf[160], sql[200];
    bool pg = eng_is_pg(db);

    pin_time(T0);
    CHECK_INT(ls_record_pattern(db, &a, ida), SC_OK);
    snprintf(sql, sizeof sql, "UPDATE patterns SET led_to_success_count = "
             "9223372036854775807 WHERE id = '%s'", ida);
    CHECK(eng_exec(db, sql) == 0);
    CHECK_INT(sc_batch_begin(db), SC_OK);
    CHECK_INT(ls_record_pattern(db, &b, idb), SC_OK);
    CHECK_INT(ls_record_pattern_application(db, ida, "e", true, 0, 0, NULL,
                                            NULL, NULL), SC_CORRUPT);
    CHECK_INT(ls_record_pattern_application(db, idb, "e", true, 0, 0, NULL,
                                            NULL, NULL), SC_OK);
    CHECK_INT(sc_batch_commit(db), SC_OK);
    CHECK_STR(eng_text(db, "SELECT count(*) || ':' || (SELECT count(*) FROM "
                       "pattern_applications) FROM patterns", buf,
                       sizeof buf), "2:1");

    CHECK_SQL(db, pg ? "CREATE FUNCTION test_refuse() RETURNS trigger "
              "LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused'; "
              "END $$; CREATE TRIGGER test_refuse BEFORE UPDATE OF "
              "effectiveness_score ON patterns FOR EACH ROW EXECUTE "
              "FUNCTION test_refuse()"
              : "CREATE TRIGGER test_refuse BEFORE UPDATE OF "
              "effectiveness_score ON patterns BEGIN SELECT RAISE(ABORT, "
              "'refused'); END");
    CHECK_INT(sc_batch_begin(db), SC_OK);
    CHECK_INT(ls_record_pattern(db, &b, NULL), SC_OK);
    CHECK(ls_record_pattern_application(db, idb, "e", true, 0, 0, NULL,
                                        NULL, NULL) != SC_OK);
    if (pg) {
        CHECK(strstr(sc_errmsg(db), "rolled back") == NULL);
        CHECK_INT(sc_batch_commit(db), SC_OK);
    } else {
        CHECK(strncmp(sc_errmsg(db), "the batch was rolled back: ", 27)
              == 0);
        CHECK_INT(ls_record_pattern(db, &b, NULL), SC_ERROR);
        CHECK_INT(sc_batch_commit(db), SC_ERROR);
    }
    CHECK_INT(sc_batch_depth(db), 0);
    CHECK_SQL(db, pg ? "DROP TRIGGER test_refuse ON patterns" :
              "DROP TRIGGER test_refuse");
    /* Nothing of the application; the sighting before it (b's second)
     * kept on PostgreSQL only. */
    snprintf(sql, sizeof sql, "SELECT occurrence_count || ':' || (SELECT "
             "count(*) FROM pattern_applications) FROM patterns WHERE id = "
             "'%s'", idb);
    CHECK_STR(eng_text(db, sql, buf, sizeof buf), pg ? "2:1" : "1:1");
    sc_close(db);
}

/* The gate's read end, in a process that applies a pattern below. */
static int gate_fd = -1;

/* SQL function learnstore_test_gate(): wait until the gate opens (its
 * write end closed by every process). */
static void
gate_wait(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    char c;

    (void)argc;
    (void)argv;
    while (read(gate_fd, &c, 1) > 0)
        ;
    sqlite3_result_null(ctx);
}

/* What the test tells a child to do: the store and the pattern. */
struct child_work {
    char target[512];
    char id[LS_HASH_HEX];
};

/*
 * A child process, forked before the test opens anything (so that it
 * holds nothing of the parent's: valgrind checks each process's leaks):
 * wait for its work on fd, then open the store, pinned at time t, and
 * record one application of the pattern (ok: a success).  Exits 0 when
 * it was recorded.
 */
static void
apply_in_child(int fd, double t, bool ok)
{
    struct child_work w;
    sc_db *db = NULL;
    bool recorded = false;
    int rc = SC_ERROR;

    if (read(fd, &w, sizeof w) != (ssize_t)sizeof w)
        _exit(2);
    pin_time(t);
    rc = ls_open(&db, w.target);
    if (rc == SC_OK && sc_sqlite(db) != NULL)
        rc = sqlite3_create_function(sc_sqlite(db), "learnstore_test_gate",
                                     0, SQLITE_UTF8, NULL, gate_wait, NULL,
                                     NULL) == SQLITE_OK ? SC_OK : SC_ERROR;
    if (rc == SC_OK)
        rc = ls_record_pattern_application(db, w.id, "e", ok, 0, 0, NULL,
                                           &recorded, NULL);
    if (rc != SC_OK)
        fprintf(stderr, "apply_in_child: %s\n", sc_errmsg(db));
    sc_close(db);
    _exit(rc == SC_OK && recorded ? 0 : 1);
}

/*
 * Two processes apply one pattern at once, the first held inside its
 * operation after its insert (by a trigger that waits on a gate the test
 * holds: a pipe on SQLite, an advisory lock on PostgreSQL) while the
 * second starts.  The second must not score the pattern from counts read
 * before the first raised them: it waits for the first (SQLite's batch
 * takes the write lock at its start, PostgreSQL's read locks the row), so
 * both counts land and the stored effectiveness is the one the final
 * counts and applications give (the pattern has applications enough for
 * the counts to matter: 3 successes, 1 failure; no ties in time).
 */
static void
test_concurrent_applications(void)
{
    struct ls_pattern_input in = { .pattern_type = "t", .pattern_name = "n" };
    struct learning_patterns p;
    struct child_work w;
    char buf[160];
    double eff, stored;
    int gate[2], work[2][2], status = 0, k;
    pid_t pid[2] = { -1, -1 };
    sc_db *db;
#ifdef ENGINE_PG
    PGconn *holder = NULL;
    PGresult *r;
#endif

    if (pipe(gate) != 0 || pipe(work[0]) != 0 || pipe(work[1]) != 0) {
        T_FAIL("pipe");
        return;
    }
    fflush(NULL);
    for (k = 0; k < 2; k++) {
        if ((pid[k] = fork()) == 0) {
            close(gate[1]);
            close(work[k][1]);
            gate_fd = gate[0];
            apply_in_child(work[k][0], T0 + 10 * (k + 1), k == 0);
        }
        close(work[k][0]);
    }
    memset(&w, 0, sizeof w);
    db = fresh("concurrent.db");
    if (db == NULL) {
        /* The children read no work and end. */
        for (k = 0; k < 2; k++) {
            close(work[k][1]);
            waitpid(pid[k], &status, 0);
        }
        close(gate[0]);
        close(gate[1]);
        return;
    }
    pin_time(T0);
    CHECK_INT(ls_record_pattern(db, &in, w.id), SC_OK);
    for (k = 0; k < 4; k++) {
        pin_time(T0 + k);
        CHECK_INT(ls_record_pattern_application(db, w.id, "e", k != 1, 0, 0,
                                                NULL, NULL, NULL), SC_OK);
    }
    if (!eng_is_pg(db)) {
        snprintf(w.target, sizeof w.target, "%s",
                 sqlite3_db_filename(sc_sqlite(db), "main"));
        CHECK_SQL(db, "CREATE TRIGGER test_gate AFTER INSERT ON "
                  "pattern_applications BEGIN SELECT "
                  "learnstore_test_gate(); END");
    } else {
#ifdef ENGINE_PG
        snprintf(w.target, sizeof w.target, "%s", eng_store_uri(db));
        CHECK_SQL(db, "CREATE FUNCTION test_gate() RETURNS trigger "
                  "LANGUAGE plpgsql AS $$ BEGIN PERFORM "
                  "pg_advisory_xact_lock_shared(4242); RETURN NEW; END $$; "
                  "CREATE TRIGGER test_gate AFTER INSERT ON "
                  "pattern_applications FOR EACH ROW EXECUTE FUNCTION "
                  "test_gate()");
        holder = eng_connect(w.target);
        CHECK(holder != NULL);
        if (holder != NULL) {
            r = PQexec(holder, "SELECT pg_advisory_lock(4242)");
            CHECK_INT(PQresultStatus(r), PGRES_TUPLES_OK);
            PQclear(r);
        }
#endif
    }
    for (k = 0; k < 2; k++) {
        CHECK(write(work[k][1], &w, sizeof w) == (ssize_t)sizeof w);
        close(work[k][1]);
        /* The first is held at its insert before the second starts. */
        nanosleep(&(struct timespec){ 0, 300000000L }, NULL);
    }
    close(gate[1]);
#ifdef ENGINE_PG
    if (holder != NULL)
        PQfinish(holder);
#endif
    for (k = 0; k < 2; k++) {
        CHECK(pid[k] > 0 && waitpid(pid[k], &status, 0) == pid[k]);
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    close(gate[0]);
    CHECK_SQL(db, eng_is_pg(db) ? "DROP TRIGGER test_gate ON "
              "pattern_applications" : "DROP TRIGGER test_gate");
    CHECK_STR(eng_text(db, "SELECT led_to_success_count || ':' || "
                       "led_to_failure_count FROM patterns", buf,
                       sizeof buf), "4:2");
    CHECK_INT(learning_patterns_get(db, w.id, &p), SC_OK);
    stored = p.effectiveness_score;
    learning_patterns_free(&p);
    pin_time(T0 + 30);
    CHECK_INT(ls_update_pattern_effectiveness(db, w.id, &eff), SC_OK);
    if (eff != stored)
        T_FAIL("effectiveness %.17g stored, %.17g from the final counts",
               stored, eff);
    sc_close(db);
}

/* Record pattern "p" and return its id in id. */
static void
make_pattern(sc_db *db, const char *type, const char *name,
             char id[LS_HASH_HEX])
{
    struct ls_pattern_input in = { .pattern_type = type,
                                   .pattern_name = name };

    CHECK_INT(ls_record_pattern(db, &in, id), SC_OK);
}

static void
apply(sc_db *db, const char *id, double t, bool ok, const double *g)
{
    bool recorded;

    pin_time(t);
    CHECK_INT(ls_record_pattern_application(db, id, "exec", ok, 1, 0, g,
                                            &recorded, NULL), SC_OK);
    CHECK(recorded);
}

static void
test_pattern_application_scores(void)
{
    sc_db *db = fresh("apply.db");
    struct learning_patterns p;
    double g1 = 0.8, g3 = 0.5;
    char id[LS_HASH_HEX];
    bool recorded;
    int64_t n;

    pin_time(T0);
    make_pattern(db, "retry", "backoff", id);
    /* Unknown pattern: nothing written. */
    CHECK_INT(ls_record_pattern_application(db, "nope", "e", true, 0, 0,
                                            NULL, &recorded, NULL), SC_OK);
    CHECK(!recorded);
    CHECK_INT(learning_pattern_applications_count(db, NULL, &n), SC_OK);
    CHECK_INT(n, 0);

    /* One success: n = 1 < 3 -> effectiveness 0.55; occurrence 1 ->
     * weight max(0.6, min(1, log10(2) / 2 = 0.15)) = 0.6;
     * priority = 0.55 * 0.6 * (1 - 0) = 0.33 */
    apply(db, id, T0 + 1, true, &g1);
    CHECK_INT(learning_patterns_get(db, id, &p), SC_OK);
    CHECK_INT(p.led_to_success_count, 1);
    CHECK(NEAR(p.effectiveness_score, 0.55));
    CHECK(NEAR(p.priority_score, 0.33));
    learning_patterns_free(&p);

    /* S (g NULL), then F (g 0.5) one second after the last success:
     * s = 2, f = 1, n = 3: hist = 2.5 / 4 = 0.625; recent = 2/3;
     * g = mean(0.8, 0.5) = 0.65; decay 0.9^(0 whole days / 30) = 1;
     * eff = (0.7 * 2/3 + 0.3 * 0.625) * (0.7 + 0.3 * 0.65)
     *     = 0.6541667 * 0.895 = 0.5854792; priority = eff * 0.6 */
    apply(db, id, T0 + 2, true, NULL);
    apply(db, id, T0 + 3, false, &g3);
    CHECK_INT(learning_patterns_get(db, id, &p), SC_OK);
    CHECK_INT(p.led_to_success_count, 2);
    CHECK_INT(p.led_to_failure_count, 1);
    CHECK(fabs(p.effectiveness_score - 0.5854792) < 1e-6);
    CHECK(fabs(p.priority_score - 0.3512875) < 1e-6);
    learning_patterns_free(&p);

    /* A failure 60 days after the last success: s = 2, f = 2, n = 4;
     * hist = 2.5 / 5 = 0.5; recent = 2/4 = 0.5; g = mean(0.8, 0.5) =
     * 0.65; decay 0.9^(60/30) = 0.81;
     * eff = (0.35 + 0.15) * 0.81 * 0.895 = 0.3624750 */
    apply(db, id, T0 + 2 + 60 * DAY, false, NULL);
    CHECK_INT(learning_patterns_get(db, id, &p), SC_OK);
    CHECK(fabs(p.effectiveness_score - 0.362475) < 1e-6);
    CHECK(fabs(p.priority_score - 0.362475 * 0.6) < 1e-6);
    learning_patterns_free(&p);

    /* Only the last 5 applications count: after three more successes the
     * last five by applied_at are F (T0+3, g 0.5), F (+60 days), S, S, S:
     * recent = 3/5 = 0.6;
     * s = 5, f = 2, n = 7: hist = 5.5 / 8 = 0.6875; groundings of those
     * five: 0.5 only -> g = 0.5; decay 1 (last success now);
     * eff = (0.42 + 0.20625) * (0.7 + 0.15) = 0.62625 * 0.85 = 0.5323125 */
    apply(db, id, T0 + 3 + 60 * DAY, true, NULL);
    apply(db, id, T0 + 4 + 60 * DAY, true, NULL);
    apply(db, id, T0 + 5 + 60 * DAY, true, NULL);
    CHECK_INT(learning_patterns_get(db, id, &p), SC_OK);
    CHECK(fabs(p.effectiveness_score - 0.5323125) < 1e-9);
    learning_patterns_free(&p);
    CHECK_INT(learning_pattern_applications_count(db, NULL, &n), SC_OK);
    CHECK_INT(n, 7);
    sc_close(db);
}

struct names {
    int n;
    char name[16][32];
};

static int
keep_name(const struct learning_patterns *p, void *arg)
{
    struct names *x = arg;

    if (x->n < 16)
        snprintf(x->name[x->n], 32, "%s", p->pattern_name);
    x->n++;
    return 0;
}

static void
test_get_patterns_filters(void)
{
    sc_db *db = fresh("filters.db");
    struct ls_pattern_filter f = LS_PATTERN_FILTER_INIT;
    const char *api[] = { "api" }, *both[] = { "api", "disk" };
    struct names x;
    char id[LS_HASH_HEX];
    struct ls_pattern_input in;

    pin_time(T0);
    memset(&in, 0, sizeof(in));
    in.pattern_type = "retry";
    in.pattern_name = "a";
    in.context_tags = api;
    in.ncontext_tags = 1;
    ls_record_pattern(db, &in, id);
    in.pattern_name = "b";
    in.instrument_name = "claude";
    in.context_tags = both + 1;
    ls_record_pattern(db, &in, id);
    in.pattern_name = "c";
    in.pattern_type = "fix";
    in.instrument_name = "other";
    in.context_tags = both;
    in.ncontext_tags = 2;
    ls_record_pattern(db, &in, id);
    in.pattern_name = "d";
    in.instrument_name = NULL;
    in.ncontext_tags = 0;
    ls_record_pattern(db, &in, id);
    CHECK_SQL(db, "UPDATE patterns SET priority_score = 0.9, trust_score ="
                 " 0.9 WHERE pattern_name = 'a';"
                 "UPDATE patterns SET priority_score = 0.7, quarantine_status"
                 " = 'quarantined' WHERE pattern_name = 'b';"
                 "UPDATE patterns SET priority_score = 0.005 WHERE "
                 "pattern_name = 'c';"
                 "UPDATE patterns SET active = 0, priority_score = 0.8 WHERE "
                 "pattern_name = 'd';");

    memset(&x, 0, sizeof(x));
    CHECK_INT(ls_get_patterns(db, &f, keep_name, &x), SC_OK);
    CHECK_INT(x.n, 2);          /* c below 0.01, d inactive */
    CHECK_STR(x.name[0], "a");  /* 0.9 before 0.7 */
    CHECK_STR(x.name[1], "b");
    f.include_inactive = true;
    memset(&x, 0, sizeof(x));
    CHECK_INT(ls_get_patterns(db, &f, keep_name, &x), SC_OK);
    CHECK_INT(x.n, 3);
    CHECK_STR(x.name[1], "d");
    f.include_inactive = false;
    f.min_priority = 0;
    f.context_tags = api;
    f.ncontext_tags = 1;
    memset(&x, 0, sizeof(x));
    CHECK_INT(ls_get_patterns(db, &f, keep_name, &x), SC_OK);
    CHECK_INT(x.n, 2);          /* a and c carry "api" */
    CHECK_STR(x.name[0], "a");
    CHECK_STR(x.name[1], "c");
    f.ncontext_tags = 0;
    f.exclude_quarantined = true;
    f.pattern_type = "retry";
    memset(&x, 0, sizeof(x));
    CHECK_INT(ls_get_patterns(db, &f, keep_name, &x), SC_OK);
    CHECK_INT(x.n, 1);
    CHECK_STR(x.name[0], "a");
    f.exclude_quarantined = false;
    f.pattern_type = NULL;
    f.instrument_name = "claude";
    memset(&x, 0, sizeof(x));
    CHECK_INT(ls_get_patterns(db, &f, keep_name, &x), SC_OK);
    CHECK_INT(x.n, 2);          /* b (claude) and a (universal) */
    f.include_universal = false;
    memset(&x, 0, sizeof(x));
    CHECK_INT(ls_get_patterns(db, &f, keep_name, &x), SC_OK);
    CHECK_INT(x.n, 1);
    CHECK_STR(x.name[0], "b");
    f.instrument_name = NULL;
    f.has_min_trust = true;
    f.min_trust = 0.6;
    memset(&x, 0, sizeof(x));
    CHECK_INT(ls_get_patterns(db, &f, keep_name, &x), SC_OK);
    CHECK_INT(x.n, 1);
    CHECK_STR(x.name[0], "a");
    f.has_min_trust = false;
    f.limit = 1;
    memset(&x, 0, sizeof(x));
    CHECK_INT(ls_get_patterns(db, &f, keep_name, &x), SC_OK);
    CHECK_INT(x.n, 1);
    sc_close(db);
}

/* ---- rate limits, escalations, budgets ---------------------------------- */

static void
test_rate_limits(void)
{
    sc_db *db = fresh("limits.db");
    bool limited;
    double left;
    int64_t deleted;

    pin_time(T0);
    CHECK_INT(ls_record_rate_limit_event(db, "E429", 100, "job", "m1", NULL),
              SC_OK);
    CHECK_INT(ls_record_rate_limit_event(db, "E429", 10, "job", "m2", NULL),
              SC_OK);
    pin_time(T0 + 5);
    /* expiries: T0 + 80 (m1) and T0 + 8 (m2); latest is 75 s away */
    CHECK_INT(ls_is_rate_limited(db, "E429", NULL, &limited, &left), SC_OK);
    CHECK(limited && fabs(left - 75) < 1e-3);
    CHECK_INT(ls_is_rate_limited(db, "E429", "m2", &limited, &left), SC_OK);
    CHECK(limited && fabs(left - 3) < 1e-3);
    CHECK_INT(ls_is_rate_limited(db, "E500", NULL, &limited, &left), SC_OK);
    CHECK(!limited && left == 0);
    pin_time(T0 + 9);
    CHECK_INT(ls_is_rate_limited(db, "E429", "m2", &limited, &left), SC_OK);
    CHECK(!limited);
    CHECK_INT(ls_cleanup_expired_rate_limits(db, &deleted), SC_OK);
    CHECK_INT(deleted, 1);
    pin_time(T0 + 81);
    CHECK_INT(ls_is_rate_limited(db, "E429", NULL, &limited, &left), SC_OK);
    CHECK(!limited);
    CHECK_INT(ls_cleanup_expired_rate_limits(db, &deleted), SC_OK);
    CHECK_INT(deleted, 1);
    CHECK_INT(ls_cleanup_expired_rate_limits(db, &deleted), SC_OK);
    CHECK_INT(deleted, 0);
    sc_close(db);
}

struct actions {
    int n;
    char action[8][16];
};

static int
keep_action(const struct learning_escalation_decisions *e, void *arg)
{
    struct actions *a = arg;

    if (a->n < 8)
        snprintf(a->action[a->n], 16, "%s", e->action);
    a->n++;
    return 0;
}

static void
test_escalations(void)
{
    sc_db *db = fresh("esc.db");
    struct ls_escalation e = { .job_id = "j", .sheet_num = 1,
                               .confidence = 0.4, .action = "retry",
                               .validation_pass_rate = 0.5 };
    struct actions a;

    pin_time(T0);
    CHECK_INT(ls_record_escalation_decision(db, &e, NULL), SC_OK);
    pin_time(T0 + 1);
    e.action = "abort";
    CHECK_INT(ls_record_escalation_decision(db, &e, NULL), SC_OK);
    e.job_id = "other";
    CHECK_INT(ls_record_escalation_decision(db, &e, NULL), SC_OK);
    memset(&a, 0, sizeof(a));
    CHECK_INT(ls_get_escalation_history(db, "j", NULL, 20, keep_action, &a),
              SC_OK);
    CHECK_INT(a.n, 2);
    CHECK_STR(a.action[0], "abort");    /* newest first */
    CHECK_STR(a.action[1], "retry");
    memset(&a, 0, sizeof(a));
    CHECK_INT(ls_get_escalation_history(db, "j", "retry", 20, keep_action,
                                        &a), SC_OK);
    CHECK_INT(a.n, 1);
    sc_close(db);
}

static void
test_exploration_budget(void)
{
    sc_db *db = fresh("budget.db");
    struct learning_exploration_budget b, rec;
    double entropy = 0.7;

    pin_time(T0);
    CHECK_INT(ls_get_exploration_budget(db, "jh", &b), SC_NOTFOUND);
    CHECK_INT(ls_get_exploration_budget(db, NULL, &b), SC_NOTFOUND);
    /* Below the floor: the value, the type and the reason are the
     * Python store's ("Budget {v:.3f} enforced to floor {f:.3f}"). */
    CHECK_INT(ls_update_exploration_budget(db, "jh", 0.01, "decay", NULL,
                                           "caller's words", 0.05, 0.5,
                                           &rec), SC_OK);
    CHECK(rec.budget_value == 0.05);
    CHECK_STR(rec.adjustment_reason, "Budget 0.010 enforced to floor 0.050");
    learning_exploration_budget_free(&rec);
    CHECK_INT(ls_get_exploration_budget(db, "jh", &b), SC_OK);
    CHECK_STR(b.adjustment_type, "floor_enforced");
    CHECK_STR(b.adjustment_reason, "Budget 0.010 enforced to floor 0.050");
    CHECK(b.budget_value == 0.05 && !b.has_entropy_at_time);
    learning_exploration_budget_free(&b);
    pin_time(T0 + 1);
    CHECK_INT(ls_update_exploration_budget(db, "jh", 0.9, "boost", &entropy,
                                           "why", 0.05, 0.5, NULL), SC_OK);
    CHECK_INT(ls_get_exploration_budget(db, "jh", &b), SC_OK);
    CHECK_STR(b.adjustment_type, "ceiling_enforced");
    CHECK_STR(b.adjustment_reason, "Budget 0.900 enforced to ceiling 0.500");
    CHECK(b.budget_value == 0.5);
    CHECK(b.has_entropy_at_time && b.entropy_at_time == 0.7);
    learning_exploration_budget_free(&b);
    pin_time(T0 + 2);
    CHECK_INT(ls_update_exploration_budget(db, "jh", 0.3, "boost", NULL,
                                           NULL, 0.05, 0.5, NULL), SC_OK);
    CHECK_INT(ls_get_exploration_budget(db, "jh", &b), SC_OK);
    CHECK_STR(b.adjustment_type, "boost");
    CHECK(b.adjustment_reason == NULL);
    CHECK(b.budget_value == 0.3);
    learning_exploration_budget_free(&b);
    /* A floor above the ceiling: Python's max(floor, min(ceiling, v))
     * gives the floor, and 0.7 > ceiling names the ceiling. */
    pin_time(T0 + 3);
    CHECK_INT(ls_update_exploration_budget(db, "other", 0.7, "boost", NULL,
                                           NULL, 0.5, 0.1, &rec), SC_OK);
    CHECK(rec.budget_value == 0.5);
    CHECK_STR(rec.adjustment_type, "ceiling_enforced");
    learning_exploration_budget_free(&rec);
    /* No job (NULL or ""): the latest record of any job, as Python's
     * get_exploration_budget(None). */
    CHECK_INT(ls_get_exploration_budget(db, NULL, &b), SC_OK);
    CHECK_STR(b.job_hash, "other");
    learning_exploration_budget_free(&b);
    CHECK_INT(ls_get_exploration_budget(db, "", &b), SC_OK);
    CHECK_STR(b.job_hash, "other");
    learning_exploration_budget_free(&b);
    sc_close(db);
}

/* ---- the differences from the Python store, fixed ----------------------- */

/* Decay counts whole days, rounded down as timedelta.days: a failure
 * 1.5 days after the last success decays by 0.9^(1/30), not
 * 0.9^(1.5/30).  s = 2, f = 1: hist = 2.5/4, recent = 2/3, no grounding
 * (g = 1); Python gives (0.7 * 2/3 + (1 - 0.7) * 0.625) * 0.9 ** (1/30)
 * * (0.7 + 0.3 * 1.0) = 0.6518732517028133 (fractional days gave
 * 0.6507295611295557), and priority * 0.6 = 0.39112395102168795. */
static void
test_decay_whole_days(void)
{
    sc_db *db = fresh("decay.db");
    struct learning_patterns p;
    char id[LS_HASH_HEX];

    pin_time(T0);
    make_pattern(db, "retry", "decay", id);
    apply(db, id, T0 + 1, true, NULL);
    apply(db, id, T0 + 2, true, NULL);
    apply(db, id, T0 + 2 + 1.5 * DAY, false, NULL);
    CHECK_INT(learning_patterns_get(db, id, &p), SC_OK);
    CHECK(p.effectiveness_score == 0.6518732517028133);
    CHECK(p.priority_score == 0.39112395102168795);
    learning_patterns_free(&p);
    /* Just short of a whole day: no decay at all. */
    apply(db, id, T0 + 3, true, NULL);
    apply(db, id, T0 + 3 + DAY - 1e-6, false, NULL);
    CHECK_INT(learning_patterns_get(db, id, &p), SC_OK);
    /* s = 3, f = 2: hist = 3.5/6; the last five by applied_at are F F S
     * S S: recent 3/5; a microsecond short of a day since the success:
     * decay 1 */
    CHECK(p.effectiveness_score
          == (0.7 * (3.0 / 5) + (1 - 0.7) * (3.5 / 6)) * 1.0
             * (0.7 + 0.3 * 1.0));
    learning_patterns_free(&p);
    sc_close(db);
}

/* With counts but no application rows (counts another program kept),
 * recent is the historical rate, as in Python: s = 3, f = 0 gives hist
 * = 3.5/4 = 0.875 = eff, and priority 0.875 * 0.6 = 0.525 (recent 0
 * gave 0.2625). */
static void
test_recent_falls_back_to_history(void)
{
    sc_db *db = fresh("fallback.db");
    struct learning_patterns p;
    char id[LS_HASH_HEX], sql[160];
    double eff;

    pin_time(T0);
    make_pattern(db, "retry", "counted", id);
    snprintf(sql, sizeof sql, "UPDATE patterns SET led_to_success_count = 3"
             " WHERE id = '%s'", id);
    CHECK_SQL(db, sql);
    CHECK_INT(ls_update_pattern_effectiveness(db, id, &eff), SC_OK);
    CHECK(eff == 0.875);
    CHECK_INT(learning_patterns_get(db, id, &p), SC_OK);
    CHECK(p.effectiveness_score == 0.875 && p.priority_score == 0.525);
    learning_patterns_free(&p);
    CHECK_INT(ls_update_pattern_effectiveness(db, "missing", &eff),
              SC_NOTFOUND);
    sc_close(db);
}

/* The content hash is written on every record, as Python computes it:
 * sha256("retry:wait for the api:first")[:32] (hashlib), and with no
 * description given, of "retry:wait for the api:" (the stored
 * description is kept, the hash is not of it). */
static void
test_content_hash(void)
{
    sc_db *db = fresh("content.db");
    struct ls_pattern_input in = { .pattern_type = "retry",
                                   .pattern_name = "Wait for the API",
                                   .description = "first" };
    struct learning_patterns p;
    char id[LS_HASH_HEX], legacy[LS_HASH_HEX];

    pin_time(T0);
    CHECK_INT(ls_record_pattern(db, &in, id), SC_OK);
    CHECK_INT(learning_patterns_get(db, id, &p), SC_OK);
    CHECK_STR(p.content_hash, "9871eff07bd1f9bfcc85d3e15fb11e15");
    learning_patterns_free(&p);
    in.description = NULL;
    CHECK_INT(ls_record_pattern(db, &in, id), SC_OK);
    CHECK_INT(learning_patterns_get(db, id, &p), SC_OK);
    CHECK_STR(p.content_hash, "bf3fcbcccd93b3a509bebe37571c4540");
    CHECK_STR(p.description, "first");
    learning_patterns_free(&p);

    /* Rows under other ids with that content hash (as an older writer
     * left them): a new name with the same content merges into the one
     * of highest priority (an unset priority is below every other, as
     * SQLite sorts it), which counts the sighting and is returned;
     * nothing is inserted. */
    CHECK_SQL(db, "DELETE FROM patterns;"
        "INSERT INTO patterns (id, pattern_type, pattern_name,"
        " occurrence_count, priority_score, active, content_hash,"
        " instrument_name) VALUES"
        " ('legacy-low', 'retry', 'Old', 4, 0.2, 1,"
        "  'bf3fcbcccd93b3a509bebe37571c4540', NULL),"
        " ('legacy-high', 'retry', 'Older', 7, 0.9, 0,"
        "  'bf3fcbcccd93b3a509bebe37571c4540', 'claude'),"
        " ('legacy-unset', 'retry', 'Oldest', 2, NULL, 1,"
        "  'bf3fcbcccd93b3a509bebe37571c4540', NULL)");
    pin_time(T0 + 60);
    in.instrument_name = "other";
    CHECK_INT(ls_record_pattern(db, &in, legacy), SC_OK);
    CHECK_STR(legacy, "legacy-high");
    CHECK_INT(learning_patterns_get(db, "legacy-high", &p), SC_OK);
    CHECK_INT(p.occurrence_count, 8);
    CHECK_INT(p.active, 1);                     /* reactivated */
    CHECK_STR(p.instrument_name, "claude");     /* kept */
    CHECK_STR(p.pattern_name, "Older");
    CHECK(p.last_seen != NULL);
    learning_patterns_free(&p);
    CHECK_INT(learning_patterns_get(db, "legacy-low", &p), SC_OK);
    CHECK_INT(p.occurrence_count, 4);
    learning_patterns_free(&p);
    CHECK_INT(learning_patterns_get(db, id, &p), SC_NOTFOUND);
    sc_close(db);
}

/* Pattern ids of names beyond ASCII, from Python 3.11's hashlib and
 * " ".join(name.lower().split()): full case mapping (U+0130 lowers to
 * "i" and a combining dot), Unicode white space (no-break space, em
 * space, ideographic space) and the final sigma. */
static void
test_unicode_names(void)
{
    static const struct {
        const char *name, *id;
    } cases[] = {
        { "CAF\xc3\x89 Cr\xc3\xa8me", "edafebe2d2ff8e9f" },
        { "\xc4\xb0stanbul Error", "34b071dde0856d28" },
        { "\xe1\xba\x9etra\xc3\x9f" "e", "de31b489a206987f" },
        { "wait\xc2\xa0" "for\xe2\x80\x83it", "58ac0e36494daf24" },
        /* "ΟΔΟΣ Σ": a final sigma, then a lone one */
        { "\xce\x9f\xce\x94\xce\x9f\xce\xa3 \xce\xa3", "4f419f4e14bb2979" },
        /* "ΑΣ\u0301Β": an accent between sigma and letter is skipped */
        { "\xce\x91\xce\xa3\xcc\x81\xce\x92", "1c75b6ef0d6b1333" },
        { "x\xe3\x80\x80\xe3\x80\x80\xce\xa3\xce\x91", "c44dd04c2f0f81f3" },
    };
    char id[LS_HASH_HEX];
    size_t i;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        CHECK_INT(ls_pattern_id("retry", cases[i].name, id), SC_OK);
        CHECK_STR(id, cases[i].id);
    }
}

/* NULL means "any" where Python's None does: is_rate_limited without a
 * code, and an empty model is no filter for the learned wait. */
static void
test_null_means_any(void)
{
    sc_db *db = fresh("any.db");
    bool limited, found;
    double left, wait;

    pin_time(T0);
    CHECK_INT(ls_record_rate_limit_event(db, "E429", 100, "job", "m1", NULL),
              SC_OK);
    CHECK_INT(ls_record_rate_limit_event(db, "E503", 200, "job", NULL, NULL),
              SC_OK);
    pin_time(T0 + 10);
    CHECK_INT(ls_is_rate_limited(db, NULL, NULL, &limited, &left), SC_OK);
    CHECK(limited && left == 150.0);            /* T0 + 160 is the latest */
    CHECK_INT(ls_is_rate_limited(db, NULL, "m1", &limited, &left), SC_OK);
    CHECK(limited && left == 70.0);
    CHECK_INT(ls_is_rate_limited(db, "E500", NULL, &limited, &left), SC_OK);
    CHECK(!limited && left == 0);
    CHECK_INT(ls_record_error_recovery(db, "E1", 1, 4, true, "a", NULL),
              SC_OK);
    CHECK_INT(ls_record_error_recovery(db, "E1", 1, 8, true, "b", NULL),
              SC_OK);
    CHECK_INT(ls_get_learned_wait_time(db, "E1", "", 2, &found, &wait),
              SC_OK);
    CHECK(found && wait == 5.0);                /* (6 + 4) / 2 */
    CHECK_INT(ls_get_learned_wait_time(db, "E1", "a", 2, &found, &wait),
              SC_OK);
    CHECK(!found);
    sc_close(db);
}

/* record_outcome writes started_at (the outcome's timestamp, by default
 * now in UTC with +00:00, as SheetOutcome's default) and completed_at
 * (now, local), as Python always does. */
static void
test_outcome_times(void)
{
    sc_db *db = fresh("times.db");
    struct ls_outcome o = { .job_id = "j", .sheet_id = "s1",
                            .validation_pass_rate = 1 };
    struct learning_executions e;
    char id[LS_UUID_LEN], utc[LS_TIME_LEN], local[LS_TIME_LEN];

    pin_time(T0 + 0.25);
    ls_format_time(T0 + 0.25, true, utc);
    ls_format_time(T0 + 0.25, false, local);
    CHECK_STR(utc, "2026-05-28T20:26:40.250000+00:00");
    CHECK_INT(ls_record_outcome(db, &o, "/w", NULL, NULL, 0, id), SC_OK);
    CHECK_INT(learning_executions_get(db, id, &e), SC_OK);
    CHECK_STR(e.started_at, utc);
    CHECK_STR(e.completed_at, local);
    learning_executions_free(&e);
    /* A whole second has no fraction, as isoformat() writes it. */
    pin_time(T0);
    ls_format_time(T0, true, utc);
    CHECK_STR(utc, "2026-05-28T20:26:40+00:00");
    o.started_at = "2026-01-01T00:00:00";
    CHECK_INT(ls_record_outcome(db, &o, "/w", NULL, NULL, 0, id), SC_OK);
    CHECK_INT(learning_executions_get(db, id, &e), SC_OK);
    CHECK_STR(e.started_at, "2026-01-01T00:00:00");
    learning_executions_free(&e);
    sc_close(db);
}

/* record_escalation_decision returns the id update_escalation_outcome
 * needs. */
static void
test_escalation_id(void)
{
    sc_db *db = fresh("escid.db");
    struct ls_escalation e = { .job_id = "j", .sheet_num = 2,
                               .confidence = 0.4, .action = "retry",
                               .validation_pass_rate = 50 };
    struct learning_escalation_decisions row;
    char id[LS_UUID_LEN];

    pin_time(T0);
    CHECK_INT(ls_record_escalation_decision(db, &e, id), SC_OK);
    CHECK_INT(strlen(id), 36);
    CHECK_INT(ls_update_escalation_outcome(db, id, "success"), SC_OK);
    CHECK_INT(learning_escalation_decisions_get(db, id, &row), SC_OK);
    CHECK_STR(row.outcome_after_action, "success");
    learning_escalation_decisions_free(&row);
    CHECK_INT(ls_update_escalation_outcome(db, "nope", "failed"),
              SC_NOTFOUND);
    sc_close(db);
}

static void
test_values(void)
{
    char t[LS_TIME_LEN];
    double back;

    ls_format_time(1780000000.25, true, t);
    CHECK_STR(t, "2026-05-28T20:26:40.250000+00:00");
    CHECK_INT(ls_parse_time(t, false, &back), 0);
    CHECK(fabs(back - 1780000000.25) < 1e-6);
    /* Digits of every field written with their zeros, as isoformat()
     * writes them (Python's figures), at both ends of its years; a year
     * it cannot hold keeps the same shape. */
    ls_format_time(1780000000.000007, true, t);
    CHECK_STR(t, "2026-05-28T20:26:40.000007+00:00");
    ls_format_time(-30610306677.0, true, t);
    CHECK_STR(t, "0999-12-31T01:02:03+00:00");
    ls_format_time(253402300799.0, true, t);
    CHECK_STR(t, "9999-12-31T23:59:59+00:00");
    ls_format_time(253402300800.0, true, t);
    CHECK_STR(t, "10000-01-01T00:00:00+00:00");
    /* Not a number, or too far for 64-bit microseconds: refused, out
     * empty (it was undefined behaviour). */
    CHECK_INT(ls_format_time(NAN, true, t), -1);
    CHECK_STR(t, "");
    CHECK_INT(ls_format_time(-INFINITY, false, t), -1);
    CHECK_INT(ls_format_time(-9223372036854.5, true, t), -1);
    CHECK_INT(ls_format_time(1e12, false, t), 0);
    CHECK_INT(ls_format_time(-1e12, true, t), 0);
    ls_format_time(1780000000.5, false, t);
    CHECK_INT(ls_parse_time(t, false, &back), 0);
    CHECK(fabs(back - 1780000000.5) < 1e-6);
    CHECK_INT(ls_parse_time("yesterday", false, &back), -1);
    CHECK_INT(ls_sheet_num("sheet-007"), 7);
    CHECK_INT(ls_sheet_num(NULL), 0);
    {
        const char *items[] = { "caf\xc3\xa9", "tab\there" };
        char *j = ls_json_list(items, 2);
        CHECK_STR(j, "[\"caf\\u00e9\", \"tab\\there\"]");
        free(j);
    }
}

/* Ids come from a pool of random bytes: a child process after fork()
 * takes fresh ones, never the ids its parent goes on to make, and ids
 * keep the UUID4 shape across refills of the pool. */
static void
test_uuid_after_fork(void)
{
    char parent[LS_UUID_LEN], child[LS_UUID_LEN], seen[LS_UUID_LEN];
    int fd[2], status, i;
    pid_t pid;

    CHECK_INT(ls_uuid4(parent), SC_OK);
    if (pipe(fd) != 0 || (pid = fork()) < 0) {
        T_FAIL("pipe or fork failed");
        return;
    }
    if (pid == 0) {
        ssize_t n = ls_uuid4(child) == SC_OK
                    ? write(fd[1], child, sizeof(child)) : -1;
        _exit(n == (ssize_t)sizeof(child) ? 0 : 1);
    }
    close(fd[1]);
    CHECK_INT(ls_uuid4(parent), SC_OK);
    CHECK_INT((int)read(fd[0], child, sizeof(child)), (int)sizeof(child));
    close(fd[0]);
    CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status)
          && WEXITSTATUS(status) == 0);
    CHECK(strcmp(parent, child) != 0);
    for (i = 0; i < 100; i++) {
        CHECK_INT(ls_uuid4(seen), SC_OK);
        CHECK(strlen(seen) == 36 && seen[14] == '4'
              && strchr("89ab", seen[19]) != NULL);
        CHECK(strcmp(seen, parent) != 0);
    }
}

/* ---- edges (each pins a case only the edge of a comparison shows) ------ */

/* A budget exactly at the floor or the ceiling is within them: recorded
 * as given, with the caller's adjustment type and reason. */
static void
test_budget_at_its_bounds(void)
{
    sc_db *db = fresh("budget-bounds.db");
    struct learning_exploration_budget rec;

    pin_time(T0);
    CHECK_INT(ls_update_exploration_budget(db, "jh", 0.05, "decay", NULL,
                                           NULL, 0.05, 0.5, &rec), SC_OK);
    CHECK(rec.budget_value == 0.05);
    CHECK_STR(rec.adjustment_type, "decay");
    CHECK(rec.adjustment_reason == NULL);
    learning_exploration_budget_free(&rec);
    pin_time(T0 + 1);
    CHECK_INT(ls_update_exploration_budget(db, "jh", 0.5, "boost", NULL,
                                           "why", 0.05, 0.5, &rec), SC_OK);
    CHECK(rec.budget_value == 0.5);
    CHECK_STR(rec.adjustment_type, "boost");
    CHECK_STR(rec.adjustment_reason, "why");
    learning_exploration_budget_free(&rec);
    sc_close(db);
}

/* The learned wait reads the last 20 successes only: an older long wait
 * before them does not count. */
static void
test_learned_wait_last_twenty(void)
{
    sc_db *db = fresh("wait20.db");
    bool found;
    double wait;
    int i;

    pin_time(T0);
    CHECK_INT(ls_record_error_recovery(db, "E429", 5, 1000, true, "m",
                                       NULL), SC_OK);
    for (i = 1; i <= 20; i++) {
        pin_time(T0 + i);
        CHECK_INT(ls_record_error_recovery(db, "E429", 5, 10, true, "m",
                                           NULL), SC_OK);
    }
    CHECK_INT(ls_get_learned_wait_time(db, "E429", NULL, 3, &found, &wait),
              SC_OK);
    /* 20 waits of 10: average 10, minimum 10 -> 10 */
    CHECK(found && NEAR(wait, 10.0));
    sc_close(db);
}

/* A pattern exactly at the minimum priority is listed; a filter on two
 * tags lists the patterns carrying either. */
static void
test_get_patterns_edges(void)
{
    sc_db *db = fresh("filter-edges.db");
    struct ls_pattern_filter f = LS_PATTERN_FILTER_INIT;
    const char *api[] = { "api" }, *disk[] = { "disk" };
    const char *both[] = { "api", "disk" };
    struct ls_pattern_input in;
    struct names x;
    char id[LS_HASH_HEX];

    pin_time(T0);
    memset(&in, 0, sizeof(in));
    in.pattern_type = "retry";
    in.pattern_name = "a";
    in.context_tags = api;
    in.ncontext_tags = 1;
    CHECK_INT(ls_record_pattern(db, &in, id), SC_OK);
    in.pattern_name = "b";
    in.context_tags = disk;
    CHECK_INT(ls_record_pattern(db, &in, id), SC_OK);
    in.pattern_name = "c";
    in.ncontext_tags = 0;
    CHECK_INT(ls_record_pattern(db, &in, id), SC_OK);
    CHECK_SQL(db, "UPDATE patterns SET priority_score = 0.7 WHERE "
              "pattern_name = 'a';"
              "UPDATE patterns SET priority_score = 0.5 WHERE "
              "pattern_name = 'b';"
              "UPDATE patterns SET priority_score = 0.9 WHERE "
              "pattern_name = 'c';");
    f.min_priority = 0.7;
    memset(&x, 0, sizeof(x));
    CHECK_INT(ls_get_patterns(db, &f, keep_name, &x), SC_OK);
    CHECK_INT(x.n, 2);          /* c (0.9) and a (exactly 0.7) */
    CHECK_STR(x.name[0], "c");
    CHECK_STR(x.name[1], "a");
    f.min_priority = 0;
    f.context_tags = both;
    f.ncontext_tags = 2;
    memset(&x, 0, sizeof(x));
    CHECK_INT(ls_get_patterns(db, &f, keep_name, &x), SC_OK);
    CHECK_INT(x.n, 2);          /* a (api) and b (disk); c has no tags */
    CHECK_STR(x.name[0], "a");
    CHECK_STR(x.name[1], "b");
    sc_close(db);
}

/* What listing_record() prints for row of t as JSON, through a file in
 * place of stdout; a static buffer. */
static const char *
printed_json(const sc_table *t, const void *row)
{
    static char buf[4096];
    char path[256];
    FILE *f;
    size_t n = 0;
    int saved, fd;

    snprintf(path, sizeof(path), "%s/stdout.txt", eng_dir);
    buf[0] = '\0';
    fflush(stdout);
    if ((saved = dup(STDOUT_FILENO)) < 0)
        return buf;
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd >= 0 && dup2(fd, STDOUT_FILENO) >= 0) {
        listing_record(t, row, true);
        fflush(stdout);
    }
    dup2(saved, STDOUT_FILENO);
    close(saved);
    if (fd >= 0)
        close(fd);
    if ((f = fopen(path, "r")) != NULL) {
        n = fread(buf, 1, sizeof(buf) - 1, f);
        fclose(f);
    }
    buf[n] = '\0';
    return buf;
}

/* Values at the edges of the conversions the Python store agrees on. */
static void
test_value_edges(void)
{
    struct learning_exploration_budget b = LEARNING_EXPLORATION_BUDGET_INIT;
    char t[LS_TIME_LEN];
    double back;

    /* 1780000000.2500007 is 1780000000.25000071525... as a double: the
     * microseconds round up to 250001. */
    ls_format_time(1780000000.2500007, true, t);
    CHECK_STR(t, "2026-05-28T20:26:40.250001+00:00");
    /* March, the first month days_from_civil() counts from. */
    CHECK_INT(ls_parse_time("2026-03-01T00:00:00+00:00", false, &back), 0);
    CHECK(back == 1772323200.0);
    CHECK_INT(ls_parse_time("2026-02-28T23:59:59+00:00", false, &back), 0);
    CHECK(back == 1772323199.0);
    /* 18 trailing digits are a sheet number; 19 may not fit: 0. */
    CHECK_INT(ls_sheet_num("sheet-999999999999999999"), 999999999999999999);
    CHECK_INT(ls_sheet_num("sheet-9999999999999999999"), 0);
    {
        /* U+1F600 outside the BMP: a surrogate pair, as json.dumps. */
        const char *items[] = { "\xf0\x9f\x98\x80" };
        char *j = ls_json_list(items, 1);
        CHECK_STR(j, "[\"\\ud83d\\ude00\"]");
        free(j);
    }
    /* JSON reals as Python's repr(): the shortest digits that read back
     * (%.17g would give 0.23456779999999999), exponents from 1e-05 down
     * and from 1e+16 up. */
    b.id = "x";
    b.budget_value = 0.2345678;
    b.entropy_at_time = 0.00001;
    b.has_entropy_at_time = true;
    CHECK(strstr(printed_json(&learning_exploration_budget_table, &b),
                 "\"budget_value\": 0.2345678, \"entropy_at_time\": 1e-05,")
          != NULL);
    b.budget_value = 1e16;
    b.entropy_at_time = 0.0001;
    CHECK(strstr(printed_json(&learning_exploration_budget_table, &b),
                 "\"budget_value\": 1e+16, \"entropy_at_time\": 0.0001,")
          != NULL);
    b.budget_value = 1e15;
    CHECK(strstr(printed_json(&learning_exploration_budget_table, &b),
                 "\"budget_value\": 1000000000000000.0,") != NULL);
}

/* get_pattern_by_id reads the row as get_patterns does: an unset status
 * is "pending" in a string the row owns (freeing it is safe), trust and
 * effectiveness are clamped, an unset trust is 0.5. */
static void
test_get_pattern_by_id(void)
{
    sc_db *db = fresh("by-id.db");
    struct ls_pattern_input in = {
        .pattern_type = "retry", .pattern_name = "by id",
    };
    struct learning_patterns p;
    char id[LS_HASH_HEX];

    pin_time(T0);
    CHECK_INT(ls_record_pattern(db, &in, id), SC_OK);
    CHECK_SQL(db, "UPDATE patterns SET quarantine_status = NULL, "
              "trust_score = NULL, effectiveness_score = 7");
    CHECK_INT(ls_get_pattern_by_id(db, id, &p), SC_OK);
    CHECK_STR(p.id, id);
    CHECK_STR(p.pattern_name, "by id");
    CHECK_STR(p.quarantine_status, "pending");
    CHECK(NEAR(p.trust_score, 0.5) && p.has_trust_score);
    CHECK(NEAR(p.effectiveness_score, 1.0));
    learning_patterns_free(&p);
    CHECK_SQL(db, "UPDATE patterns SET quarantine_status = 'validated', "
              "trust_score = -2");
    CHECK_INT(ls_get_pattern_by_id(db, id, &p), SC_OK);
    CHECK_STR(p.quarantine_status, "validated");
    CHECK(NEAR(p.trust_score, 0.0));
    learning_patterns_free(&p);
    CHECK_INT(ls_get_pattern_by_id(db, "0000000000000000", &p),
              SC_NOTFOUND);
    CHECK(p.id == NULL);
    CHECK_INT(ls_get_pattern_by_id(db, NULL, &p), SC_MISUSE);
    sc_close(db);
}

/* call is refused with SC_MISUSE, and sc_errmsg(db) starts with want:
 * the method's name as the Python store spells it and what was wrong, not
 * "not an error" nor the message of the call before. */
#define CHECK_REFUSED(db, call, want) do {                          \
        CHECK_INT((call), SC_MISUSE);                               \
        if (strncmp(sc_errmsg(db), (want), strlen(want)) != 0)      \
            T_FAIL("message \"%s\", expected \"%s\"",             \
                   sc_errmsg(db), (want));                          \
    } while (0)

/* Refused arguments come with a message naming the method, one check of
 * each file that refuses any; each refusal replaces the message of the
 * one before. */
static int
no_pattern(const struct learning_patterns *p, void *arg)
{
    (void)p;
    (void)arg;
    return 0;
}

static void
test_refusals_say_why(void)
{
    sc_db *db = fresh("refusals.db");
    struct ls_discovery d = { .pattern_name = "p", .pattern_type = "t" };
    struct ls_epistemic_drift ed;
    struct ls_success_factors sf;
    struct learning_patterns p;
    struct ls_drift *drifts = NULL;
    struct ls_epistemic_drift *edrifts = NULL;
    char id[LS_UUID_LEN];
    double wait = 0;
    size_t n = 0;
    bool found = false;

    if (db == NULL)
        return;
    pin_time(T0);
    CHECK_REFUSED(db, ls_record_pattern_entropy(db, NULL, id),
                  "record_pattern_entropy: entropy is NULL");
    CHECK_REFUSED(db, ls_record_pattern_discovery(db, &d, id),
                  "record_pattern_discovery: job_id is NULL");
    CHECK_REFUSED(db, ls_get_drifting_patterns(db, 0.2, -1, 20, &drifts, &n),
                  "get_drifting_patterns: window_size -1 is negative");
    CHECK(drifts == NULL);
    CHECK_REFUSED(db, ls_calculate_epistemic_drift(db, "p", 0, 0.15, &ed),
                  "calculate_epistemic_drift: window_size 0 is not "
                  "positive");
    /* Two windows must still be a 64-bit integer (it was an overflow). */
    CHECK_REFUSED(db, ls_get_drifting_patterns(db, 0.2, INT64_MAX, 20,
                                               &drifts, &n),
                  "get_drifting_patterns: window_size 9223372036854775807 "
                  "is too large");
    CHECK_REFUSED(db, ls_get_epistemic_drifting_patterns(db, 0.2,
                                                         INT64_MAX / 2 + 1,
                                                         20, &edrifts, &n),
                  "get_epistemic_drifting_patterns: window_size "
                  "4611686018427387904 is too large");
    CHECK_INT(ls_get_drifting_patterns(db, 0.2, INT64_MAX / 2, 20, &drifts,
                                       &n), SC_OK);
    CHECK(n == 0);
    ls_drifts_free(drifts, n);
    drifts = NULL;
    CHECK_REFUSED(db, ls_get_learned_wait_time(db, NULL, NULL, 3, &found,
                                               &wait),
                  "get_learned_wait_time: error_code is NULL");
    CHECK_REFUSED(db, ls_get_success_factors(db, NULL, &sf),
                  "get_success_factors: pattern_id is NULL");
    CHECK_REFUSED(db, ls_update_quarantine_status(db, "p", "bogus"),
                  "update_quarantine_status: status 'bogus' is not a "
                  "QuarantineStatus");
    CHECK_REFUSED(db, ls_update_escalation_outcome(db, NULL, "ok"),
                  "update_escalation_outcome: escalation_id is NULL");
    CHECK_REFUSED(db, ls_get_pattern_by_id(db, NULL, &p),
                  "get_pattern_by_id: pattern_id is NULL");
    CHECK_REFUSED(db, ls_get_patterns_for_auto_apply(db, 0.85, true, 10,
                                                     NULL, 1, no_pattern,
                                                     NULL),
                  "get_patterns_for_auto_apply: tags is NULL but its count "
                  "is 1");
    sc_close(db);
}

/* Lists with NULL items, and NULL lists with a count: a NULL is written
 * as JSON null where the list is stored (json.dumps' None), matches no
 * tag where it filters, and is refused where the lists are merged as
 * strings; a NULL list that claims items is refused everywhere. */
static void
test_null_list_items(void)
{
    sc_db *db = fresh("nulls.db");
    const char *one_null[] = { NULL }, *api_null[] = { "api", NULL };
    const char *codes[] = { "E1", NULL };
    struct ls_outcome o = { .job_id = "j", .sheet_id = "s1" };
    struct ls_pattern_input in = { .pattern_type = "t", .pattern_name = "a",
                                   .context_tags = api_null,
                                   .ncontext_tags = 2 };
    struct ls_pattern_filter f = LS_PATTERN_FILTER_INIT;
    struct ls_discovery d = { .pattern_id = "p", .pattern_name = "a",
                              .pattern_type = "t", .job_id = "j",
                              .context_tags = one_null, .ncontext_tags = 1,
                              .ttl_seconds = 300 };
    struct ls_evolution_entry ev = { .cycle = 1, .issue_classes = api_null,
                                     .nissue_classes = 2 };
    struct ls_factor_update u = { .validation_types = api_null,
                                  .nvalidation_types = 2 };
    struct learning_executions e;
    struct learning_patterns p;
    struct learning_pattern_discovery_events de;
    struct learning_evolution_trajectory te;
    struct names x;
    char id[LS_UUID_LEN], pid[LS_HASH_HEX], *json;

    if (db == NULL)
        return;
    pin_time(T0);
    CHECK_INT(ls_record_outcome(db, &o, "/w", NULL, codes, 2, id), SC_OK);
    CHECK_INT(learning_executions_get(db, id, &e), SC_OK);
    CHECK_STR(e.error_codes, "[\"E1\", null]");
    learning_executions_free(&e);
    CHECK_REFUSED(db, ls_record_outcome(db, &o, "/w", NULL, NULL, 2, id),
                  "record_outcome: error_codes is NULL but its count is 2");

    CHECK_INT(ls_record_pattern(db, &in, pid), SC_OK);
    CHECK_INT(learning_patterns_get(db, pid, &p), SC_OK);
    CHECK_STR(p.context_tags, "[\"api\", null]");
    learning_patterns_free(&p);
    in.pattern_name = "b";
    in.context_tags = NULL;
    CHECK_REFUSED(db, ls_record_pattern(db, &in, pid),
                  "record_pattern: context_tags is NULL but its count "
                  "is 2");

    /* Filters: a NULL tag matches nothing, "api" still matches "a". */
    f.min_priority = 0;
    f.context_tags = one_null;
    f.ncontext_tags = 1;
    memset(&x, 0, sizeof(x));
    CHECK_INT(ls_get_patterns(db, &f, keep_name, &x), SC_OK);
    CHECK_INT(x.n, 0);
    f.context_tags = api_null;
    f.ncontext_tags = 2;
    memset(&x, 0, sizeof(x));
    CHECK_INT(ls_get_patterns(db, &f, keep_name, &x), SC_OK);
    CHECK_INT(x.n, 1);
    CHECK_STR(x.name[0], "a");
    f.context_tags = NULL;
    CHECK_REFUSED(db, ls_get_patterns(db, &f, keep_name, &x),
                  "get_patterns: context_tags is NULL but its count is 2");
    memset(&x, 0, sizeof(x));
    CHECK_INT(ls_get_patterns_for_auto_apply(db, 0.0, false, 10, one_null,
                                             1, keep_name, &x), SC_OK);
    CHECK_INT(x.n, 0);
    memset(&x, 0, sizeof(x));
    CHECK_INT(ls_get_patterns_for_auto_apply(db, 0.0, false, 10, api_null,
                                             2, keep_name, &x), SC_OK);
    CHECK_INT(x.n, 1);
    /* Limits whose double is past 64 bits (it overflowed). */
    memset(&x, 0, sizeof(x));
    CHECK_INT(ls_get_patterns_for_auto_apply(db, 0.0, false, INT64_MAX,
                                             api_null, 2, keep_name, &x),
              SC_OK);
    CHECK_INT(x.n, 1);
    memset(&x, 0, sizeof(x));
    CHECK_INT(ls_get_patterns_for_auto_apply(db, 0.0, false, INT64_MIN,
                                             api_null, 2, keep_name, &x),
              SC_OK);
    CHECK_INT(x.n, 0);          /* as any negative limit */

    CHECK_INT(ls_record_pattern_discovery(db, &d, id), SC_OK);
    CHECK_INT(learning_pattern_discovery_events_get(db, id, &de), SC_OK);
    CHECK_STR(de.context_tags, "[null]");
    learning_pattern_discovery_events_free(&de);
    d.context_tags = NULL;
    CHECK_REFUSED(db, ls_record_pattern_discovery(db, &d, id),
                  "record_pattern_discovery: context_tags is NULL but its "
                  "count is 1");

    CHECK_INT(ls_record_evolution_entry(db, &ev, id), SC_OK);
    CHECK_INT(learning_evolution_trajectory_get(db, id, &te), SC_OK);
    CHECK_STR(te.issue_classes, "[\"api\", null]");
    learning_evolution_trajectory_free(&te);

    /* Success factors: nothing written for a NULL item. */
    CHECK_REFUSED(db, ls_update_success_factors(db, pid, &u, NULL),
                  "update_success_factors: validation_types[1] is NULL");
    u.nvalidation_types = 1;
    u.error_categories = one_null;
    u.nerror_categories = 1;
    CHECK_REFUSED(db, ls_update_success_factors(db, pid, &u, NULL),
                  "update_success_factors: error_categories[0] is NULL");
    CHECK_INT(learning_patterns_get(db, pid, &p), SC_OK);
    CHECK(p.success_factors == NULL);
    learning_patterns_free(&p);

    json = ls_json_list(api_null, 2);
    CHECK_STR(json, "[\"api\", null]");
    free(json);
    CHECK(ls_json_list(NULL, 1) == NULL);
    json = ls_json_list(NULL, 0);
    CHECK_STR(json, "[]");
    free(json);
    sc_close(db);
}

/* Text that is not UTF-8 (a Latin-1 name, an overlong NUL in a tag) is
 * refused with nothing written, on both engines: stored as given it
 * would make every read of the row fail in the Python store (its sqlite3
 * decodes strictly).  The JSON written for stored lists keeps a lone
 * surrogate read from stored JSON, and shows other bad bytes as U+FFFD. */
static void
test_text_not_utf8(void)
{
    sc_db *db = fresh("utf8.db");
    const char *bad_tag[] = { "api", "\xc0\x80" }, *codes[] = { "E\xff" };
    const char *odd[] = { "\xed\xb3\x80", "\xc0\x80", "ok\xe2\x82" };
    struct ls_pattern_input in = { .pattern_type = "t",
                                   .pattern_name = "caf\xe9" };
    struct ls_outcome o = { .job_id = "j", .sheet_id = "s1" };
    struct learning_patterns p;
    char id[LS_UUID_LEN], pid[LS_HASH_HEX], *json;
    int64_t n = -1;

    if (db == NULL)
        return;
    pin_time(T0);
    CHECK_REFUSED(db, ls_record_pattern(db, &in, pid),
                  "insert into patterns: column 'pattern_name' is not "
                  "UTF-8 text (byte 3)");
    in.pattern_name = "caf\xc3\xa9";
    in.context_tags = bad_tag;
    in.ncontext_tags = 2;
    CHECK_REFUSED(db, ls_record_pattern(db, &in, pid),
                  "record_pattern: context_tags[1] is not UTF-8 text");
    CHECK_INT(learning_patterns_count(db, NULL, &n), SC_OK);
    CHECK_INT(n, 0);
    CHECK_REFUSED(db, ls_record_outcome(db, &o, "/w", "m\xff", NULL, 0, id),
                  "insert into executions: column 'model' is not UTF-8 "
                  "text (byte 1)");
    CHECK_REFUSED(db, ls_record_outcome(db, &o, "/w", NULL, codes, 1, id),
                  "record_outcome: error_codes[0] is not UTF-8 text");
    CHECK_INT(learning_executions_count(db, NULL, &n), SC_OK);
    CHECK_INT(n, 0);
    in.ncontext_tags = 1;
    CHECK_INT(ls_record_pattern(db, &in, pid), SC_OK);
    /* A lone surrogate's bytes in a stored list: kept as json.dumps
     * writes one from a Python str, where a column refuses them. */
    in.context_tags = odd;
    CHECK_INT(ls_record_pattern(db, &in, pid), SC_OK);
    CHECK_INT(learning_patterns_get(db, pid, &p), SC_OK);
    CHECK_STR(p.context_tags, "[\"\\udcc0\"]");
    learning_patterns_free(&p);
    in.pattern_name = odd[0];
    CHECK_REFUSED(db, ls_record_pattern(db, &in, pid),
                  "insert into patterns: column 'pattern_name' is not "
                  "UTF-8 text (byte 0)");

    json = ls_json_list(odd, 3);
    CHECK_STR(json, "[\"\\udcc0\", \"\\ufffd\\ufffd\", "
              "\"ok\\ufffd\\ufffd\"]");
    free(json);
    sc_close(db);
}

/* The codes of the rate limits handed to a callback, in order. */
struct codes {
    int n;
    char code[8][16];
};

static int
keep_code(const struct learning_rate_limit_events *e, void *arg)
{
    struct codes *x = arg;

    if (x->n < 8)
        snprintf(x->code[x->n], 16, "%s", e->error_code);
    x->n++;
    return 0;
}

/*
 * Times compare and sort in bytes, as in SQLite: an expiry on a whole
 * second ("20:27:00+00:00") is before the same second and a half
 * ("20:27:00.500000+00:00"), also where the server's collation puts '.'
 * before '+' (ICU's en-US, say: engine.h makes its databases so).
 * Expiries are 0.8 of the duration: T0 + 20 (E1) and T0 + 20.5 (E2).
 */
/* A duration or lifetime that puts a time outside datetime's years 1 to
 * 9999 (or is not a number) is refused, with nothing written, where
 * Python's timedelta arithmetic raises; converting it to microseconds
 * unchecked was undefined behaviour in C. */
static void
test_times_out_of_range(void)
{
    sc_db *db = fresh("outofrange.db");
    static const double bad[] = { INFINITY, -INFINITY, NAN, 1e300, -1e300,
                                  4e11, -4e11 };
    struct ls_discovery d = { .pattern_id = "p", .pattern_name = "n",
                              .pattern_type = "t", .job_id = "j" };
    struct codes x;
    char id[LS_UUID_LEN];
    size_t i;

    if (db == NULL)
        return;
    pin_time(T0);
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        CHECK_REFUSED(db, ls_record_rate_limit_event(db, "E1", bad[i], "j",
                                                     NULL, id),
                      "record_rate_limit_event: duration_seconds ");
        CHECK(strstr(sc_errmsg(db), "outside years 1 to 9999") != NULL);
        d.ttl_seconds = bad[i];
        CHECK_REFUSED(db, ls_record_pattern_discovery(db, &d, id),
                      "record_pattern_discovery: ttl_seconds ");
    }
    /* 317 years on is within range: written. */
    CHECK_INT(ls_record_rate_limit_event(db, "E1", 1.25e10, "j", NULL, id),
              SC_OK);
    d.ttl_seconds = 1e10;
    CHECK_INT(ls_record_pattern_discovery(db, &d, id), SC_OK);
    memset(&x, 0, sizeof(x));
    CHECK_INT(ls_get_active_rate_limits(db, NULL, keep_code, &x), SC_OK);
    CHECK_INT(x.n, 1);
    /* A pinned clock beyond datetime's years is not taken: the real one
     * is read. */
    setenv("LEARNSTORE_NOW", "1e300", 1);
    CHECK(fabs(ls_now() - (double)time(NULL)) < 60);
    setenv("LEARNSTORE_NOW", "nan", 1);
    CHECK(fabs(ls_now() - (double)time(NULL)) < 60);
    pin_time(-62135596800.0);       /* 0001-01-01T00:00:00 is taken */
    CHECK(ls_now() == -62135596800.0);
    pin_time(T0);
    sc_close(db);
}

static void
test_times_in_bytes_order(void)
{
    static const sc_order latest = {
        LEARNING_RATE_LIMIT_EVENTS_COL_EXPIRES_AT, true
    };
    sc_db *db = fresh("bytes.db");
    struct codes x;
    bool limited;
    double left;
    int64_t deleted;

    pin_time(T0);
    CHECK_INT(ls_record_rate_limit_event(db, "E1", 25, "job", "m", NULL),
              SC_OK);
    CHECK_INT(ls_record_rate_limit_event(db, "E2", 25.625, "job", "m",
                                         NULL), SC_OK);
    pin_time(T0 + 1);
    CHECK_INT(ls_is_rate_limited(db, NULL, NULL, &limited, &left), SC_OK);
    CHECK(limited && left == 19.5);
    CHECK_INT(ls_is_rate_limited(db, NULL, "m", &limited, &left), SC_OK);
    CHECK(limited && left == 19.5);
    CHECK_INT(ls_is_rate_limited(db, "E1", "m", &limited, &left), SC_OK);
    CHECK(limited && left == 19.0);
    memset(&x, 0, sizeof(x));
    CHECK_INT(ls_get_active_rate_limits(db, NULL, keep_code, &x), SC_OK);
    CHECK_INT(x.n, 2);
    CHECK_STR(x.code[0], "E2");
    memset(&x, 0, sizeof(x));
    CHECK_INT(learning_rate_limit_events_select(db, NULL, &latest, 1, -1, 0,
                                                keep_code, &x), SC_OK);
    CHECK_INT(x.n, 2);
    CHECK_STR(x.code[0], "E2");
    pin_time(T0 + 20.25);                       /* E1 expired, E2 not */
    CHECK_INT(ls_is_rate_limited(db, "E1", NULL, &limited, &left), SC_OK);
    CHECK(!limited);
    CHECK_INT(ls_is_rate_limited(db, NULL, NULL, &limited, &left), SC_OK);
    CHECK(limited && fabs(left - 0.25) < 1e-6);
    memset(&x, 0, sizeof(x));
    CHECK_INT(ls_get_active_rate_limits(db, "m", keep_code, &x), SC_OK);
    CHECK_INT(x.n, 1);
    CHECK_STR(x.code[0], "E2");
    CHECK_INT(ls_cleanup_expired_rate_limits(db, &deleted), SC_OK);
    CHECK_INT(deleted, 1);
    sc_close(db);
}

/* A NaN is stored as no value, as SQLite stores it (PostgreSQL would
 * keep it): four applications with a NaN grounding score as four with
 * none: s = f = 2: hist 2.5/5, recent 2/4, g 1 -> 0.5. */
static void
test_nan_is_no_value(void)
{
    sc_db *db = fresh("nan.db");
    struct learning_patterns p;
    char id[LS_HASH_HEX], buf[32];
    double g = NAN;
    int i;

    pin_time(T0);
    make_pattern(db, "retry", "not a number", id);
    for (i = 0; i < 4; i++)
        apply(db, id, T0 + 1 + i, i % 2 == 0, &g);
    CHECK_INT(learning_patterns_get(db, id, &p), SC_OK);
    CHECK(p.effectiveness_score == 0.5);
    learning_patterns_free(&p);
    CHECK_STR(eng_text(db, "SELECT count(*) FROM pattern_applications "
                       "WHERE grounding_confidence IS NULL", buf,
                       sizeof buf), "4");
    sc_close(db);
}

static int
keep_entropy(const struct learning_pattern_entropy_history *h, void *arg)
{
    *(double *)arg = h->shannon_entropy;
    return 0;
}

/* -0.0 (the entropy of a single pattern, -(1.0 * log2(1.0))) is stored
 * as 0, as SQLite stores it (PostgreSQL would keep the sign, and an
 * export would say -0.0). */
static void
test_negative_zero_is_zero(void)
{
    sc_db *db = fresh("zero.db");
    struct ls_pattern_entropy m;
    char id[LS_UUID_LEN], buf[32];
    double back = 1;

    pin_time(T0);
    CHECK_INT(ls_calculate_pattern_entropy(db, &m), SC_OK);
    m.shannon_entropy = -0.0;
    CHECK_INT(ls_record_pattern_entropy(db, &m, id), SC_OK);
    CHECK_INT(ls_get_pattern_entropy_history(db, 10, keep_entropy, &back),
              SC_OK);
    CHECK(back == 0 && !signbit(back));
    CHECK_STR(eng_text(db, "SELECT shannon_entropy FROM "
                       "pattern_entropy_history", buf, sizeof buf), "0.0");
    sc_close(db);
}

static const struct t_test tests[] = {
    T_TEST(test_values),
    T_TEST(test_uuid_after_fork),
    T_TEST(test_record_outcome),
    T_TEST(test_similar_executions),
    T_TEST(test_learned_wait_time),
    T_TEST(test_record_pattern),
    T_TEST(test_pattern_application_scores),
    T_TEST(test_updates_touch_only_their_columns),
    T_TEST(test_count_sums),
    T_TEST(test_application_count_at_the_edge),
    T_TEST(test_failed_operation_in_batch),
    T_TEST(test_concurrent_applications),
    T_TEST(test_get_patterns_filters),
    T_TEST(test_rate_limits),
    T_TEST(test_escalations),
    T_TEST(test_exploration_budget),
    T_TEST(test_decay_whole_days),
    T_TEST(test_recent_falls_back_to_history),
    T_TEST(test_content_hash),
    T_TEST(test_unicode_names),
    T_TEST(test_null_means_any),
    T_TEST(test_outcome_times),
    T_TEST(test_escalation_id),
    T_TEST(test_budget_at_its_bounds),
    T_TEST(test_learned_wait_last_twenty),
    T_TEST(test_get_patterns_edges),
    T_TEST(test_get_pattern_by_id),
    T_TEST(test_value_edges),
    T_TEST(test_refusals_say_why),
    T_TEST(test_null_list_items),
    T_TEST(test_text_not_utf8),
    T_TEST(test_times_out_of_range),
    T_TEST(test_times_in_bytes_order),
    T_TEST(test_nan_is_no_value),
    T_TEST(test_negative_zero_is_zero),
};

int
main(int argc, char **argv)
{
    int status;

    if (argc > 2) {
        printf("usage: test_store [ADMIN_URI]\n");
        return 2;
    }
    if (eng_init("store", argc > 1 ? argv[1] : NULL) != 0)
        return 1;
    status = T_RUN_ALL(tests);
    eng_fini();
    return status;
}
