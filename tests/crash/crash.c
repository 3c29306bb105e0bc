/*
 * crash.c - kill a writer at random moments and check what it leaves.  A
 * child process appends numbered batches of 100 executions rows to a
 * learning database, one sc_batch per batch, and tells the parent through
 * a pipe when it begins and when it has committed each batch.  The parent
 * kills it with SIGKILL after a random delay, then checks the file: PRAGMA
 * integrity_check is ok, every batch present has exactly its 100 rows, the
 * batches run 1..max without a gap, and every batch the child saw commit
 * is there.  Then it starts the next child on the same file.
 *
 *   crash FILE [KILLS [SEED]]      (KILLS defaults to 20)
 *
 * CRASH_DELAY_SCALE=N in the environment multiplies the delays before
 * each kill (for slow runs under valgrind).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "dbquery.h"
#include "learning.h"
#include "schemac.h"

#define BATCH_ROWS 100

static const char *db_path;
static int nkills = 20;
static unsigned seed;
static int delay_scale = 1;

/* ------------------------------------------------------------------ */
/* The child                                                           */
/* ------------------------------------------------------------------ */

/*
 * Write one record to the parent: +k when batch k begins, -k when it has
 * committed.  A failed write ends the child (the parent has gone).
 */
static void
tell(int fd, int32_t rec)
{
    ssize_t n;

    do
        n = write(fd, &rec, sizeof rec);
    while (n < 0 && errno == EINTR);
    if (n != (ssize_t)sizeof rec)
        _exit(3);
}

/*
 * Insert batch k: BATCH_ROWS executions rows with sheet_num = k and
 * retry_count = 0..99, ids "k-i".  Returns an SC_* code.
 */
static int
write_batch(sc_db *db, int32_t k)
{
    struct learning_executions row = LEARNING_EXECUTIONS_INIT;
    char id[32];
    int i, rc;

    rc = sc_batch_begin(db);
    for (i = 0; rc == SC_OK && i < BATCH_ROWS; i++) {
        snprintf(id, sizeof id, "%ld-%d", (long)k, i);
        row.id = id;
        row.workspace_hash = "crash-test-workspace";
        row.job_hash = "crash-test-job";
        row.sheet_num = k;
        row.retry_count = i;
        row.has_retry_count = true;
        row.status = "completed";
        rc = learning_executions_insert(db, &row);
    }
    return sc_batch_end(db, rc);
}

/*
 * The child: open the file (which may create or recover it), continue
 * after the highest batch stored, and write batches until killed.  Exits
 * with status 1 after printing the error when a call fails.
 */
static void
child_main(int fd)
{
    sqlite3_stmt *stmt;
    sc_db *db;
    int32_t k = 0;
    int rc;

    rc = sc_open(&db, db_path, &learning_schema, NULL);
    if (rc != SC_OK) {
        fprintf(stderr, "child: open: %s\n", sc_errmsg(db));
        _exit(1);
    }
    if (sqlite3_prepare_v2(sc_sqlite(db), "SELECT coalesce(max(sheet_num), "
                           "0) FROM executions", -1, &stmt, NULL)
        != SQLITE_OK || sqlite3_step(stmt) != SQLITE_ROW) {
        fprintf(stderr, "child: max: %s\n", sqlite3_errmsg(sc_sqlite(db)));
        _exit(1);
    }
    k = (int32_t)sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    for (;;) {
        k++;
        tell(fd, k);
        if ((rc = write_batch(db, k)) != SC_OK) {
            fprintf(stderr, "child: batch %ld: %s\n", (long)k,
                    sc_errmsg(db));
            _exit(1);
        }
        tell(fd, -k);
    }
}

/* ------------------------------------------------------------------ */
/* The parent                                                          */
/* ------------------------------------------------------------------ */

/* What the parent learnt from one child through the pipe. */
struct seen {
    int32_t last_committed;     /* highest -k received, 0 when none */
    int32_t last_begun;         /* highest +k received */
    long nrecords;
};

/* Read every whole record available on fd into s; returns 0 at end of
 * file, 1 when more may come, -1 on an error. */
static int
drain(int fd, struct seen *s)
{
    int32_t recs[256];
    ssize_t n, i;

    n = read(fd, recs, sizeof recs);
    if (n == 0)
        return 0;
    if (n < 0)
        return errno == EAGAIN || errno == EINTR ? 1 : -1;
    /* Records are 4 bytes and pipe writes of 4 bytes are atomic, so a
     * read never splits one. */
    for (i = 0; i < n / (ssize_t)sizeof recs[0]; i++) {
        s->nrecords++;
        if (recs[i] > 0 && recs[i] > s->last_begun)
            s->last_begun = recs[i];
        if (recs[i] < 0 && -recs[i] > s->last_committed)
            s->last_committed = -recs[i];
    }
    return 1;
}

/* Milliseconds of CLOCK_MONOTONIC. */
static long long
now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Whether the executions table exists yet (the first child may die
 * before its schema is committed). */
static int
has_table(sqlite3 *conn)
{
    return t_query_int(conn, "SELECT count(*) FROM sqlite_master WHERE "
                     "name = 'executions'") > 0;
}

/*
 * Check the file after a kill: integrity, whole batches, no gaps, and
 * nothing the child saw committed (nor any of the prev batches stored
 * before it started) is missing.  Returns the number of batches stored,
 * or -1 after reporting a failure.
 */
static long long
verify(const struct seen *s, long long prev, int kill_no)
{
    sqlite3 *conn = NULL;
    sqlite3_stmt *stmt;
    const char *ok;
    long long nbatches = 0, maxk = 0, bad = 0, lo, hi;
    int failed_before = t_failed_now;

    if (sqlite3_open_v2(db_path, &conn, SQLITE_OPEN_READWRITE, NULL)
        != SQLITE_OK) {
        T_FAIL("kill %d: cannot open: %s", kill_no, sqlite3_errmsg(conn));
        sqlite3_close(conn);
        return -1;
    }
    if (sqlite3_prepare_v2(conn, "PRAGMA integrity_check", -1, &stmt, NULL)
        == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW) {
        ok = (const char *)sqlite3_column_text(stmt, 0);
        if (ok == NULL || strcmp(ok, "ok") != 0)
            T_FAIL("kill %d: integrity_check: %s", kill_no,
                   ok ? ok : "(null)");
    } else {
        T_FAIL("kill %d: integrity_check: %s", kill_no,
               sqlite3_errmsg(conn));
    }
    sqlite3_finalize(stmt);
    if (has_table(conn)) {
        nbatches = t_query_int(conn, "SELECT count(DISTINCT sheet_num) FROM "
                             "executions");
        maxk = t_query_int(conn, "SELECT coalesce(max(sheet_num), 0) FROM "
                         "executions");
        /* A batch is whole when it has 100 rows numbered 0..99. */
        bad = t_query_int(conn, "SELECT count(*) FROM (SELECT sheet_num "
                        "FROM executions GROUP BY sheet_num HAVING "
                        "count(*) != 100 OR count(DISTINCT retry_count) != "
                        "100 OR min(retry_count) != 0 OR max(retry_count) "
                        "!= 99)");
        if (bad != 0)
            T_FAIL("kill %d: %lld partial batches", kill_no, bad);
        if (nbatches != maxk || t_query_int(conn, "SELECT coalesce(min("
                                          "sheet_num), 1) FROM executions")
            != 1)
            T_FAIL("kill %d: batches are not 1..%lld (%lld stored)",
                   kill_no, maxk, nbatches);
    }
    /* Everything committed before stays; the batch in flight (last
     * begun) may or may not have committed before the kill. */
    lo = prev > s->last_committed ? prev : s->last_committed;
    hi = lo > s->last_begun ? lo : s->last_begun;
    if (maxk < lo || maxk > hi)
        T_FAIL("kill %d: the file ends at batch %lld, expected %lld..%lld "
               "(committed %ld, begun %ld)", kill_no, maxk, lo, hi,
               (long)s->last_committed, (long)s->last_begun);
    sqlite3_close(conn);
    return t_failed_now && !failed_before ? -1 : nbatches;
}

/*
 * Start a child, let it write for a random 2..60 ms (the first one gets
 * longer to create the schema), kill it, read its reports and verify.
 * *mid_batch counts kills that landed after a batch began and before it
 * was reported committed; prev is the batch count before.  Returns the
 * stored batch count or -1.
 */
static long long
one_kill(int kill_no, long long prev, int *mid_batch)
{
    struct seen s = { 0, 0, 0 };
    int fds[2], status, more = 1;
    long long deadline;
    pid_t pid;

    if (pipe(fds) != 0) {
        T_FAIL("pipe: %s", strerror(errno));
        return -1;
    }
    fflush(stdout);
    pid = fork();
    if (pid < 0) {
        T_FAIL("fork: %s", strerror(errno));
        return -1;
    }
    if (pid == 0) {
        close(fds[0]);
        child_main(fds[1]);
    }
    close(fds[1]);
    fcntl(fds[0], F_SETFL, O_NONBLOCK);
    deadline = now_ms() + (2 + rand() % 59 + (kill_no == 1 ? 100 : 0))
        * delay_scale;
    /* Keep the pipe drained so the child never blocks on it. */
    while (more > 0 && now_ms() < deadline) {
        struct pollfd p = { fds[0], POLLIN, 0 };
        long long left = deadline - now_ms();
        if (poll(&p, 1, left > 0 ? (int)left : 0) > 0)
            more = drain(fds[0], &s);
    }
    kill(pid, SIGKILL);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    fcntl(fds[0], F_SETFL, 0);
    while (more > 0)
        more = drain(fds[0], &s);
    close(fds[0]);
    if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL) {
        T_FAIL("kill %d: the child ended by itself (status %d)", kill_no,
               status);
        return -1;
    }
    if (s.last_begun > s.last_committed)
        (*mid_batch)++;
    return verify(&s, prev, kill_no);
}

/* Kill the writer nkills times; every state left behind must be whole. */
static void
test_kill_during_batches(void)
{
    long long nbatches = 0, prev = 0;
    int i, mid = 0, grew = 0;

    for (i = 1; i <= nkills && !t_failed_now; i++) {
        nbatches = one_kill(i, prev, &mid);
        if (nbatches > prev)
            grew++;
        if (nbatches >= 0)
            prev = nbatches;
    }
    printf("crash: %d kills (seed %u), %d inside a batch, %lld batches "
           "of %d rows stored, progress after %d kills\n", i - 1, seed,
           mid, prev, BATCH_ROWS, grew);
    /* A run where no kill ever interrupted a batch would prove nothing. */
    CHECK(mid > 0);
    CHECK(grew > 0);
}

static const struct t_test tests[] = {
    T_TEST(test_kill_during_batches),
};

/* crash FILE [KILLS [SEED]]: run the kill test; exit status 0 when it
 * passed. */
int
main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: crash FILE [KILLS [SEED]]\n");
        return 2;
    }
    db_path = argv[1];
    if (argc > 2)
        nkills = atoi(argv[2]);
    seed = argc > 3 ? (unsigned)strtoul(argv[3], NULL, 10)
                    : (unsigned)time(NULL) ^ (unsigned)getpid();
    srand(seed);
    if (getenv("CRASH_DELAY_SCALE") != NULL
        && (delay_scale = atoi(getenv("CRASH_DELAY_SCALE"))) < 1)
        delay_scale = 1;
    return T_RUN_ALL(tests);
}
