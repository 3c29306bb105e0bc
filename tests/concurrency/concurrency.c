/*
 * concurrency.c - several processes writing and reading one learning
 * database at once, each through its own sc_open handle.  Writers upsert
 * on keys they share and on keys of their own; readers select and count
 * alongside.  Every call must return SC_OK (the busy timeout absorbs the
 * contention) and the final contents must be exactly what the writes
 * imply.
 *
 *   concurrency FILE [WRITERS [ITERATIONS [READERS]]]   (8, 2000, 2)
 *
 * Writer p, iteration i, makes three calls:
 *   1. upsert workspace_clusters "own-p-i" (cluster "c-p"), autocommit:
 *      a row of its own, so the table ends with WRITERS*ITERATIONS of them;
 *   2. upsert workspace_clusters "shared-(i % NSHARED)" with cluster
 *      "p-i", autocommit: last writer wins, so each shared row ends with
 *      the value some writer wrote last for it, i.e. "q-j" with j the
 *      writer's last iteration on that key;
 *   3. in a batch (BEGIN IMMEDIATE), read patterns "counter-(i % NCOUNT)"
 *      and upsert it with occurrence_count + 1: a read-modify-write that
 *      loses counts unless batches serialise, so the counters must sum to
 *      WRITERS*ITERATIONS exactly.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "dbquery.h"
#include "learning.h"
#include "schemac.h"

#define NSHARED 50
#define NCOUNT 20
#define MAX_PROCS 64

static const char *db_path;
static int nwriters = 8, niterations = 2000, nreaders = 2;

/* Report a failed call from a child process and end it. */
static void
die(sc_db *db, const char *what, int rc)
{
    fprintf(stderr, "child %ld: %s: %s (%s)\n", (long)getpid(), what,
            sc_errstr(rc), sc_errmsg(db));
    _exit(1);
}

/* Open the shared file; ends the child on failure.  The pragma is the
 * same for every process: commits need not wait for the disk here, as
 * this test is about locking, not durability. */
static sc_db *
open_db(void)
{
    sc_db *db;
    int rc = sc_open(&db, db_path, &learning_schema, NULL);

    if (rc != SC_OK)
        die(db, "open", rc);
    if (sqlite3_exec(sc_sqlite(db), "PRAGMA synchronous = NORMAL", NULL,
                     NULL, NULL) != SQLITE_OK)
        die(db, "synchronous", SC_ERROR);
    return db;
}

/*
 * Add one to the occurrence_count of pattern id inside a batch, creating
 * it with count 1.  Returns an SC_* code.
 */
static int
bump_counter(sc_db *db, const char *id)
{
    struct learning_patterns cur = LEARNING_PATTERNS_INIT;
    struct learning_patterns row = LEARNING_PATTERNS_INIT;
    int rc;

    rc = sc_batch_begin(db);
    if (rc != SC_OK)
        return rc;
    rc = learning_patterns_get(db, id, &cur);
    if (rc == SC_OK || rc == SC_NOTFOUND) {
        row.id = (char *)id;
        row.pattern_type = "counter";
        row.pattern_name = (char *)id;
        row.occurrence_count = (rc == SC_OK ? cur.occurrence_count : 0) + 1;
        row.has_occurrence_count = true;
        rc = learning_patterns_upsert(db, &row);
    }
    learning_patterns_free(&cur);
    return sc_batch_end(db, rc);
}

/* Writer p: the three calls per iteration described at the top. */
static void
writer_main(int p)
{
    struct learning_workspace_clusters wc = LEARNING_WORKSPACE_CLUSTERS_INIT;
    char key[64], val[64], id[64];
    sc_db *db = open_db();
    int i, rc;

    for (i = 0; i < niterations; i++) {
        snprintf(key, sizeof key, "own-%d-%d", p, i);
        snprintf(val, sizeof val, "c-%d", p);
        wc.workspace_hash = key;
        wc.cluster_id = val;
        wc.assigned_at = "2026-01-01T00:00:00";
        if ((rc = learning_workspace_clusters_upsert(db, &wc)) != SC_OK)
            die(db, "own upsert", rc);
        snprintf(key, sizeof key, "shared-%d", i % NSHARED);
        snprintf(val, sizeof val, "%d-%d", p, i);
        if ((rc = learning_workspace_clusters_upsert(db, &wc)) != SC_OK)
            die(db, "shared upsert", rc);
        snprintf(id, sizeof id, "counter-%d", i % NCOUNT);
        if ((rc = bump_counter(db, id)) != SC_OK)
            die(db, "counter batch", rc);
    }
    if ((rc = sc_close(db)) != SC_OK)
        die(NULL, "close", rc);
    _exit(0);
}

/* What a reader keeps from one select: the counters' sum. */
static int
add_count(const struct learning_patterns *row, void *arg)
{
    *(int64_t *)arg += row->occurrence_count;
    return 0;
}

/*
 * Reader: until the parent closes its end of fd, count own rows and sum
 * the counters, checking that neither ever goes down or past the end
 * state (each read sees one committed snapshot).  Prints how many reads
 * it made; exits 1 on an error or a violation.
 */
static void
reader_main(int fd)
{
    const int64_t total = (int64_t)nwriters * niterations;
    int64_t own, sum, last_own = 0, last_sum = 0;
    sc_where own_w = SC_WHERE_INIT, cnt_w = SC_WHERE_INIT;
    sc_order by_id = { LEARNING_PATTERNS_COL_ID, false };
    sc_db *db = open_db();
    long nreads = 0;
    char c;
    int rc;

    sc_where_add(&own_w, "workspace_hash LIKE ?", 1, sc_text("own-%"));
    sc_where_add(&cnt_w, "pattern_type = ?", 1, sc_text("counter"));
    sc_where_add(&cnt_w, "id LIKE ?", 1, sc_text("counter-%"));
    sc_where_add(&cnt_w, "occurrence_count >= ?", 1, sc_int(1));
    fcntl(fd, F_SETFL, O_NONBLOCK);
    while (read(fd, &c, 1) != 0) {
        rc = learning_workspace_clusters_count(db, &own_w, &own);
        if (rc != SC_OK)
            die(db, "count", rc);
        sum = 0;
        rc = learning_patterns_select(db, &cnt_w, &by_id, 1, -1, 0,
                                      add_count, &sum);
        if (rc != SC_OK)
            die(db, "select", rc);
        if (own < last_own || own > total || sum < last_sum || sum > total) {
            fprintf(stderr, "reader: own %lld after %lld, sum %lld after "
                    "%lld (end %lld)\n", (long long)own,
                    (long long)last_own, (long long)sum,
                    (long long)last_sum, (long long)total);
            _exit(1);
        }
        last_own = own;
        last_sum = sum;
        nreads++;
    }
    sc_where_fini(&own_w);
    sc_where_fini(&cnt_w);
    printf("reader %ld: %ld consistent reads\n", (long)getpid(), nreads);
    fflush(stdout);
    sc_close(db);
    _exit(0);
}

/* The iteration of writer-independent key k's last write by a writer:
 * the largest i < niterations with i % NSHARED == k, or -1. */
static int
last_iteration(int k)
{
    int i = niterations - 1;

    while (i >= 0 && i % NSHARED != k)
        i--;
    return i;
}

/* Check the end state against what the writes imply. */
static void
check_final(void)
{
    const long long total = (long long)nwriters * niterations;
    char sql[256];
    sqlite3 *conn;
    sqlite3_stmt *stmt;
    int k, p, i, nshared;

    if (sqlite3_open_v2(db_path, &conn, SQLITE_OPEN_READWRITE, NULL)
        != SQLITE_OK) {
        T_FAIL("open: %s", sqlite3_errmsg(conn));
        sqlite3_close(conn);
        return;
    }
    CHECK_INT(t_query_int(conn, "SELECT count(*) FROM workspace_clusters "
                        "WHERE workspace_hash LIKE 'own-%'"), total);
    /* Own rows carry their writer's cluster. */
    CHECK_INT(t_query_int(conn, "SELECT count(*) FROM workspace_clusters "
                        "WHERE workspace_hash LIKE 'own-%' AND NOT "
                        "workspace_hash LIKE 'own-' || substr(cluster_id, "
                        "3) || '-%'"), 0);
    nshared = niterations < NSHARED ? niterations : NSHARED;
    CHECK_INT(t_query_int(conn, "SELECT count(*) FROM workspace_clusters "
                        "WHERE workspace_hash LIKE 'shared-%'"), nshared);
    for (k = 0; k < nshared; k++) {
        const char *v;
        snprintf(sql, sizeof sql, "SELECT cluster_id FROM "
                 "workspace_clusters WHERE workspace_hash = 'shared-%d'", k);
        if (sqlite3_prepare_v2(conn, sql, -1, &stmt, NULL) != SQLITE_OK
            || sqlite3_step(stmt) != SQLITE_ROW) {
            T_FAIL("shared-%d missing: %s", k, sqlite3_errmsg(conn));
            sqlite3_finalize(stmt);
            continue;
        }
        v = (const char *)sqlite3_column_text(stmt, 0);
        if (v == NULL || sscanf(v, "%d-%d", &p, &i) != 2 || p < 0
            || p >= nwriters || i != last_iteration(k))
            T_FAIL("shared-%d is '%s', not some writer's last write "
                   "(iteration %d)", k, v ? v : "(null)",
                   last_iteration(k));
        sqlite3_finalize(stmt);
    }
    CHECK_INT(t_query_int(conn, "SELECT sum(occurrence_count) FROM patterns "
                        "WHERE pattern_type = 'counter'"), total);
    for (k = 0; k < NCOUNT && k < niterations; k++) {
        long long want = 0;
        for (i = 0; i < niterations; i++)
            want += i % NCOUNT == k;
        snprintf(sql, sizeof sql, "SELECT occurrence_count FROM patterns "
                 "WHERE id = 'counter-%d'", k);
        CHECK_INT(t_query_int(conn, sql), want * nwriters);
    }
    {
        const unsigned char *ok;
        if (sqlite3_prepare_v2(conn, "PRAGMA integrity_check", -1, &stmt,
                               NULL) == SQLITE_OK
            && sqlite3_step(stmt) == SQLITE_ROW
            && (ok = sqlite3_column_text(stmt, 0)) != NULL)
            CHECK_STR((const char *)ok, "ok");
        else
            T_FAIL("integrity_check: %s", sqlite3_errmsg(conn));
        sqlite3_finalize(stmt);
    }
    sqlite3_close(conn);
}

/* Start the readers and writers, wait for all, check the file. */
static void
test_writers_and_readers(void)
{
    pid_t pids[MAX_PROCS];
    int fds[2], status, i, nprocs = 0, nfailed = 0;
    sc_db *db;

    /* Create the file first, so no child races to create it. */
    if (sc_open(&db, db_path, &learning_schema, NULL) != SC_OK) {
        T_FAIL("create: %s", sc_errmsg(db));
        sc_close(db);
        return;
    }
    sc_close(db);
    if (pipe(fds) != 0) {
        T_FAIL("pipe: %s", strerror(errno));
        return;
    }
    fflush(stdout);
    for (i = 0; i < nreaders; i++) {
        if ((pids[nprocs] = fork()) == 0) {
            close(fds[1]);
            reader_main(fds[0]);
        }
        if (pids[nprocs] > 0)
            nprocs++;
    }
    close(fds[0]);
    for (i = 0; i < nwriters; i++) {
        if ((pids[nprocs] = fork()) == 0) {
            close(fds[1]);
            writer_main(i);
        }
        if (pids[nprocs] > 0)
            nprocs++;
    }
    if (nprocs != nreaders + nwriters)
        T_FAIL("fork: %s", strerror(errno));
    /* Writers first (they come after the readers in pids). */
    for (i = nreaders; i < nprocs; i++) {
        while (waitpid(pids[i], &status, 0) < 0 && errno == EINTR)
            ;
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            nfailed++;
    }
    close(fds[1]);      /* readers see end of file and stop */
    for (i = 0; i < nreaders && i < nprocs; i++) {
        while (waitpid(pids[i], &status, 0) < 0 && errno == EINTR)
            ;
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            nfailed++;
    }
    if (nfailed > 0)
        T_FAIL("%d of %d processes reported an error (see above)", nfailed,
               nprocs);
    check_final();
    printf("concurrency: %d writers x %d iterations (%d upserts each), "
           "%d readers\n", nwriters, niterations, 3 * niterations,
           nreaders);
}

static const struct t_test tests[] = {
    T_TEST(test_writers_and_readers),
};

/* concurrency FILE [WRITERS [ITERATIONS [READERS]]]: run the test; exit
 * status 0 when it passed. */
int
main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: concurrency FILE [WRITERS [ITERATIONS "
                "[READERS]]]\n");
        return 2;
    }
    db_path = argv[1];
    if (argc > 2)
        nwriters = atoi(argv[2]);
    if (argc > 3)
        niterations = atoi(argv[3]);
    if (argc > 4)
        nreaders = atoi(argv[4]);
    if (nwriters < 1 || nreaders < 0 || nwriters + nreaders > MAX_PROCS
        || niterations < 1) {
        fprintf(stderr, "concurrency: bad counts\n");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    return T_RUN_ALL(tests);
}
