/*
 * test_batch.c - batches (one transaction, nested savepoints, operations'
 * levels without one, misuse, a pipelined batch on SQLite) and threads
 * each with their own handle writing the same file.
 */
#include "fixture.h"

#include <pthread.h>
#include <sys/wait.h>

static sc_db *
open_file(const char *name)
{
    sc_db *db = NULL;

    if (sc_open(&db, fx_path(name), &demo_schema, NULL) != SC_OK)
        T_FAIL("open %s: %s", name, sc_errmsg(db));
    return db;
}

static int64_t
count(sc_db *db)
{
    int64_t n = -1;

    if (sc_row_count(db, &parent_table, NULL, &n) != SC_OK)
        T_FAIL("count: %s", sc_errmsg(db));
    return n;
}

static void
test_batch_invisible_until_commit(void)
{
    sc_db *a = open_file("vis.db"), *b = open_file("vis.db");

    CHECK_INT(sc_batch_begin(a), SC_OK);
    CHECK_INT(fx_insert(a, 1), SC_OK);
    CHECK_INT(fx_insert(a, 2), SC_OK);
    CHECK_INT(count(a), 2);
    CHECK_INT(count(b), 0);
    CHECK_INT(sc_batch_commit(a), SC_OK);
    CHECK_INT(count(b), 2);
    sc_close(a);
    sc_close(b);
}

static void
test_batch_rollback_leaves_nothing(void)
{
    sc_db *a = open_file("rb.db");

    CHECK_INT(sc_batch_begin(a), SC_OK);
    CHECK_INT(fx_insert(a, 1), SC_OK);
    CHECK_INT(sc_clear_all(a), SC_OK);      /* nests as a savepoint */
    CHECK_INT(fx_insert(a, 2), SC_OK);
    CHECK_INT(sc_batch_rollback(a), SC_OK);
    CHECK_INT(sc_batch_depth(a), 0);
    CHECK_INT(count(a), 0);
    sc_close(a);
}

static void
test_nested_levels(void)
{
    sc_db *a = open_file("nest.db");

    CHECK_INT(sc_batch_begin(a), SC_OK);
    CHECK_INT(fx_insert(a, 1), SC_OK);
    CHECK_INT(sc_batch_begin(a), SC_OK);
    CHECK_INT(sc_batch_depth(a), 2);
    CHECK_INT(fx_insert(a, 2), SC_OK);
    CHECK_INT(sc_batch_rollback(a), SC_OK);     /* undoes 2 only */
    CHECK_INT(sc_batch_begin(a), SC_OK);
    CHECK_INT(fx_insert(a, 3), SC_OK);
    CHECK_INT(sc_batch_commit(a), SC_OK);       /* keeps 3 in the outer */
    CHECK_INT(sc_batch_commit(a), SC_OK);
    CHECK_INT(count(a), 2);
    CHECK_INT(fx_int(fx_path("nest.db"), "SELECT sum(id) FROM parent"), 4);
    sc_close(a);
}

static void
test_batch_end_rolls_back_on_error(void)
{
    sc_db *a = open_file("end.db");
    int rc;

    CHECK_INT(sc_batch_begin(a), SC_OK);
    rc = fx_insert(a, 1);
    if (rc == SC_OK)
        rc = fx_insert(a, 1);          /* duplicate key */
    CHECK_INT(sc_batch_end(a, rc), SC_CONSTRAINT);
    CHECK(strstr(sc_errmsg(a), "UNIQUE") != NULL);   /* first error kept */
    CHECK_INT(sc_batch_depth(a), 0);
    CHECK_INT(count(a), 0);
    sc_close(a);
}

/* Whether a savepoint named sc_DEPTH is open on a (ROLLBACK TO one that
 * is not fails and changes nothing; one that is would undo its work, so
 * ask only where none is expected). */
static bool
has_savepoint(sc_db *a, int depth)
{
    char sql[32];

    snprintf(sql, sizeof(sql), "ROLLBACK TO sc_%d", depth);
    return sqlite3_exec(sc_sqlite(a), sql, NULL, NULL, NULL) == SQLITE_OK;
}

/* An operation's level inside a batch takes no savepoint, and kept, its
 * work is the batch's. */
static void
test_op_level_kept(void)
{
    sc_db *a = open_file("opkept.db");

    CHECK_INT(sc_batch_begin_op(NULL), SC_MISUSE);
    CHECK_INT(sc_batch_begin(a), SC_OK);
    CHECK_INT(fx_insert(a, 1), SC_OK);
    CHECK_INT(sc_batch_begin_op(a), SC_OK);
    CHECK_INT(sc_batch_depth(a), 2);
    CHECK(!has_savepoint(a, 2));
    CHECK_INT(fx_insert(a, 2), SC_OK);
    CHECK_INT(sc_batch_commit(a), SC_OK);
    CHECK_INT(sc_batch_depth(a), 1);
    CHECK_INT(sc_batch_commit(a), SC_OK);
    CHECK_INT(fx_int(fx_path("opkept.db"), "SELECT sum(id) FROM parent"), 3);
    sc_close(a);
}

/* An operation that fails before it changes a row (here its first
 * statement fails, which SQLite undoes alone) leaves the batch going. */
static void
test_op_level_failed_unchanged(void)
{
    sc_db *a = open_file("opsame.db");
    int rc;

    CHECK_INT(sc_batch_begin(a), SC_OK);
    CHECK_INT(fx_insert(a, 1), SC_OK);
    CHECK_INT(sc_batch_begin_op(a), SC_OK);
    rc = fx_insert(a, 1);                  /* duplicate key */
    CHECK_INT(sc_batch_end(a, rc), SC_CONSTRAINT);
    CHECK(strstr(sc_errmsg(a), "UNIQUE") != NULL);
    CHECK(strstr(sc_errmsg(a), "rolled back") == NULL);
    CHECK_INT(sc_batch_depth(a), 1);
    CHECK_INT(fx_insert(a, 2), SC_OK);
    CHECK_INT(sc_batch_commit(a), SC_OK);
    CHECK_INT(fx_int(fx_path("opsame.db"), "SELECT sum(id) FROM parent"), 3);
    sc_close(a);
}

/* An operation that fails after it changed rows takes the batch with it:
 * its error says so, the batch's next calls fail, nothing is kept. */
static void
test_op_level_failed_changed(void)
{
    sc_db *a = open_file("opchanged.db");
    int rc;

    CHECK_INT(sc_batch_begin(a), SC_OK);
    CHECK_INT(fx_insert(a, 1), SC_OK);
    CHECK_INT(sc_batch_begin_op(a), SC_OK);
    rc = fx_insert(a, 2);
    if (rc == SC_OK)
        rc = fx_insert(a, 1);              /* duplicate key, after a change */
    CHECK_INT(sc_batch_end(a, rc), SC_CONSTRAINT);
    CHECK(strncmp(sc_errmsg(a), "the batch was rolled back: ", 27) == 0);
    CHECK(strstr(sc_errmsg(a), "UNIQUE") != NULL);
    CHECK_INT(fx_insert(a, 3), SC_ERROR);
    CHECK(strstr(sc_errmsg(a), "already rolled back") != NULL);
    CHECK_INT(sc_batch_commit(a), SC_ERROR);
    CHECK_INT(sc_batch_depth(a), 0);
    CHECK_INT(count(a), 0);
    /* Rolled back by its caller, it says what it did. */
    CHECK_INT(sc_batch_begin(a), SC_OK);
    CHECK_INT(sc_batch_begin_op(a), SC_OK);
    CHECK_INT(fx_insert(a, 4), SC_OK);
    CHECK_INT(sc_batch_rollback(a), SC_ERROR);
    CHECK(strstr(sc_errmsg(a), "the operation had changed rows") != NULL);
    CHECK_INT(sc_batch_rollback(a), SC_ERROR);
    CHECK_INT(sc_batch_depth(a), 0);
    CHECK_INT(count(a), 0);
    sc_close(a);
}

/* Outermost, an operation's level is a transaction of its own; inside
 * one, a caller's level is a savepoint again, undone alone, at a depth
 * an operation's level held before. */
static void
test_op_level_outermost_and_nested(void)
{
    sc_db *a = open_file("opnest.db");

    CHECK_INT(sc_batch_begin_op(a), SC_OK);
    CHECK_INT(fx_insert(a, 1), SC_OK);
    CHECK_INT(sc_batch_rollback(a), SC_OK);
    CHECK_INT(count(a), 0);
    CHECK_INT(sc_batch_begin(a), SC_OK);
    CHECK_INT(fx_insert(a, 1), SC_OK);
    CHECK_INT(sc_batch_begin_op(a), SC_OK);
    CHECK_INT(sc_batch_begin(a), SC_OK);        /* a savepoint in it */
    CHECK_INT(fx_insert(a, 2), SC_OK);
    CHECK_INT(sc_batch_rollback(a), SC_OK);     /* undoes 2 only */
    CHECK_INT(sc_batch_commit(a), SC_OK);       /* the operation, unchanged */
    CHECK_INT(sc_batch_begin(a), SC_OK);        /* depth 2: a savepoint */
    CHECK_INT(fx_insert(a, 3), SC_OK);
    CHECK_INT(sc_batch_rollback(a), SC_OK);     /* undoes 3 only */
    CHECK_INT(sc_batch_depth(a), 1);
    CHECK_INT(fx_insert(a, 4), SC_OK);
    CHECK_INT(sc_batch_commit(a), SC_OK);
    CHECK_INT(fx_int(fx_path("opnest.db"), "SELECT sum(id) FROM parent"), 5);
    sc_close(a);
}

static void
test_misuse(void)
{
    sc_db *a = open_file("misuse.db");

    CHECK_INT(sc_batch_commit(a), SC_MISUSE);
    CHECK(strlen(sc_errmsg(a)) > 0);
    CHECK_INT(sc_batch_rollback(a), SC_MISUSE);
    /* A transaction opened behind our back is rolled back on misuse. */
    CHECK_INT(sqlite3_exec(sc_sqlite(a), "BEGIN; INSERT INTO parent (id, name)"
                           " VALUES (7, 'hidden')", NULL, NULL, NULL),
              SQLITE_OK);
    CHECK_INT(sc_batch_commit(a), SC_MISUSE);
    CHECK(sqlite3_get_autocommit(sc_sqlite(a)));
    CHECK_INT(count(a), 0);
    /* Closing inside a batch rolls it back. */
    CHECK_INT(sc_batch_begin(a), SC_OK);
    CHECK_INT(fx_insert(a, 1), SC_OK);
    CHECK_INT(sc_close(a), SC_MISUSE);
    CHECK_INT(fx_int(fx_path("misuse.db"), "SELECT count(*) FROM parent"), 0);
    CHECK_INT(sc_batch_begin(NULL), SC_MISUSE);
}

#define NTHREADS 8
#define NROWS 250

/* What a writer thread needs: its number and the file (fx_path's buffers
 * are not for threads, so the path is made once beforehand). */
struct writer_arg {
    int64_t n;
    const char *file;
    char msg[256];
};

static void *
writer(void *varg)
{
    struct writer_arg *arg = varg;
    int64_t base = arg->n * 100000, i;
    sc_db *db = NULL;
    long failures = 0;

    if (sc_open(&db, arg->file, &demo_schema, NULL) != SC_OK)
        failures++;
    for (i = 0; i < NROWS && failures == 0; i++) {
        bool batch = i % 50 == 0;
        if (batch && sc_batch_begin(db) != SC_OK)
            failures++;
        if (fx_insert(db, base + i) != SC_OK)
            failures++;
        if (batch && sc_batch_commit(db) != SC_OK)
            failures++;
    }
    if (failures)
        snprintf(arg->msg, sizeof(arg->msg), "%s", sc_errmsg(db));
    sc_close(db);
    return (void *)(intptr_t)failures;
}

static void
test_threads_own_handles(void)
{
    pthread_t th[NTHREADS];
    struct writer_arg args[NTHREADS];
    const char *file = fx_path("threads.db");
    int i;
    void *res;
    long failures = 0;

    for (i = 0; i < NTHREADS; i++) {
        args[i].n = i;
        args[i].file = file;
        args[i].msg[0] = '\0';
        CHECK_INT(pthread_create(&th[i], NULL, writer, &args[i]), 0);
    }
    for (i = 0; i < NTHREADS; i++) {
        pthread_join(th[i], &res);
        failures += (long)(intptr_t)res;
        if (args[i].msg[0] != '\0')
            T_FAIL("thread %d: %s", i, args[i].msg);
    }
    CHECK_INT(failures, 0);
    CHECK_INT(fx_int(fx_path("threads.db"), "SELECT count(*) FROM parent"),
              NTHREADS * NROWS);
    CHECK_INT(fx_int(fx_path("threads.db"), "SELECT count(*) FROM "
                     "schema_version"), 1);
}

/* Processes opening the same new file at the same moment, as a fleet of
 * workers starting together does: every open must succeed (one creates
 * the schema, one switches to WAL, the others wait for them). */
#define NOPENERS 8
#define NROUNDS 25

/* In a child: wait until the parent closes the pipe, open, exit with
 * sc_open's result (after printing its message on failure). */
static void
open_when_told(int go, const char *file)
{
    char c;
    sc_db *db = NULL;
    int rc;

    if (read(go, &c, 1) < 0)
        _exit(100);
    rc = sc_open(&db, file, &demo_schema, NULL);
    if (rc != SC_OK)
        printf("     %s\n", sc_errmsg(db));
    fflush(stdout);
    sc_close(db);
    _exit(rc);
}

static void
test_simultaneous_first_opens(void)
{
    pid_t pid[NOPENERS];
    char file[600];
    int round, i, go[2], status;

    for (round = 0; round < NROUNDS; round++) {
        snprintf(file, sizeof(file), "%s%d", fx_path("together.db"), round);
        if (pipe(go) != 0) {
            T_FAIL("pipe");
            return;
        }
        fflush(stdout);
        for (i = 0; i < NOPENERS; i++) {
            if ((pid[i] = fork()) == 0) {
                close(go[1]);
                open_when_told(go[0], file);
            }
        }
        close(go[0]);
        close(go[1]);           /* everyone reads EOF at once: go */
        for (i = 0; i < NOPENERS; i++) {
            if (pid[i] < 0 || waitpid(pid[i], &status, 0) < 0
                || !WIFEXITED(status) || WEXITSTATUS(status) != SC_OK)
                T_FAIL("round %d: opener %d failed", round, i);
        }
        CHECK_INT(fx_int(file, "SELECT count(*) FROM schema_version"), 1);
    }
}

/* On SQLite a pipelined batch is an ordinary one: every call answers at
 * once (a duplicate key at the insert), and it is outermost only. */
static void
test_pipelined_is_a_batch(void)
{
    sc_db *a = open_file("pipe.db");

    CHECK_INT(sc_batch_begin_pipelined(a), SC_OK);
    CHECK_INT(sc_batch_depth(a), 1);
    CHECK_INT(fx_insert(a, 1), SC_OK);
    CHECK_INT(fx_insert(a, 1), SC_CONSTRAINT);
    CHECK_INT(sc_batch_begin_pipelined(a), SC_MISUSE);
    CHECK(strstr(sc_errmsg(a), "outermost") != NULL);
    CHECK_INT(sc_batch_depth(a), 1);
    CHECK_INT(fx_insert(a, 2), SC_OK);
    CHECK_INT(sc_batch_commit(a), SC_OK);
    CHECK_INT(count(a), 2);
    CHECK_INT(sc_batch_begin_pipelined(NULL), SC_MISUSE);
    sc_close(a);
}

static const struct t_test tests[] = {
    T_TEST(test_batch_invisible_until_commit),
    T_TEST(test_batch_rollback_leaves_nothing),
    T_TEST(test_nested_levels),
    T_TEST(test_batch_end_rolls_back_on_error),
    T_TEST(test_op_level_kept),
    T_TEST(test_op_level_failed_unchanged),
    T_TEST(test_op_level_failed_changed),
    T_TEST(test_op_level_outermost_and_nested),
    T_TEST(test_misuse),
    T_TEST(test_pipelined_is_a_batch),
    T_TEST(test_threads_own_handles),
    T_TEST(test_simultaneous_first_opens),
};

int
main(void)
{
    int status;

    status = T_RUN_ALL(tests);
    fx_cleanup();
    return status;
}
