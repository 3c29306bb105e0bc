/*
 * test_batch_edges.c - batches at their edges: SQLite rolling a batch
 * back on its own (disk full) and every call after that, a commit that
 * fails after the work succeeded (a broken deferred foreign key, an I/O
 * error), a begin that cannot have the lock, three nested levels, and
 * levels deeper than those whose statements a connection keeps prepared.
 */
#include "fixture.h"

#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>

/* Insert parent id with a blob of nbytes zero bytes. */
static int
insert(sc_db *db, int64_t id, size_t nbytes)
{
    static unsigned char zeros[256 * 1024];
    struct parent p;

    memset(&p, 0, sizeof(p));
    p.id = id;
    p.name = "p";
    p.data.data = zeros;
    p.data.len = nbytes < sizeof(zeros) ? nbytes : sizeof(zeros);
    return sc_row_insert(db, &parent_table, &p);
}

/* The parent rows another connection sees in the file called name. */
static long long
rows_in(const char *name)
{
    return fx_int(fx_path(name), "SELECT count(*) FROM parent");
}

/* A select callback counting its rows in *arg. */
static int
count_row(const void *row, void *arg)
{
    (void)row;
    ++*(int *)arg;
    return 0;
}

/* Cap db's file at its present size (PRAGMA max_page_count), so the next
 * write that needs a new page fails with SQLITE_FULL. */
static void
cap_file(sc_db *db)
{
    CHECK_INT(sqlite3_exec(sc_sqlite(db), "PRAGMA max_page_count = 1",
                           NULL, NULL, NULL), SQLITE_OK);
}

/* Lift the cap of cap_file(). */
static void
uncap_file(sc_db *db)
{
    CHECK_INT(sqlite3_exec(sc_sqlite(db), "PRAGMA max_page_count = "
                           "1073741823", NULL, NULL, NULL), SQLITE_OK);
}

/*
 * Start a batch on a file holding row 100 (committed before), insert rows
 * 1 and 2 at depth levels, then make SQLite roll the whole transaction
 * back with a disk-full error.  Returns the handle, SQLite's transaction
 * already gone while the runtime still counts `levels` levels.
 */
static sc_db *
batch_rolled_back_by_sqlite(const char *name, int levels)
{
    sc_db *db = fx_open_fresh(name, NULL);
    int i;

    CHECK_INT(insert(db, 100, 0), SC_OK);
    for (i = 0; i < levels; i++)
        CHECK_INT(sc_batch_begin(db), SC_OK);
    CHECK_INT(insert(db, 1, 0), SC_OK);
    CHECK_INT(insert(db, 2, 0), SC_OK);
    cap_file(db);
    CHECK_INT(insert(db, 3, 200 * 1024), SC_IO);
    uncap_file(db);
    /* SQLite ended the transaction itself: this is the case under test. */
    CHECK(sqlite3_get_autocommit(sc_sqlite(db)));
    CHECK_INT(sc_batch_depth(db), levels);
    return db;
}

/* The next batch call reports a batch SQLite rolled back, ends it, and
 * leaves nothing of it; later calls see no batch. */
static void
test_rolled_back_batch_is_reported(void)
{
    sc_db *db;

    /* Commit of the only level. */
    db = batch_rolled_back_by_sqlite("rb-commit.db", 1);
    CHECK_INT(sc_batch_commit(db), SC_ERROR);
    CHECK(strstr(sc_errmsg(db), "already rolled back") != NULL);
    CHECK_INT(sc_batch_depth(db), 0);
    CHECK_INT(sc_batch_commit(db), SC_MISUSE);
    sc_close(db);
    CHECK_INT(rows_in("rb-commit.db"), 1);

    /* Commit of an inner level, then the outer one. */
    db = batch_rolled_back_by_sqlite("rb-inner.db", 2);
    CHECK_INT(sc_batch_commit(db), SC_ERROR);
    CHECK(strstr(sc_errmsg(db), "already rolled back") != NULL);
    CHECK_INT(sc_batch_depth(db), 0);
    CHECK_INT(sc_batch_commit(db), SC_MISUSE);
    sc_close(db);
    CHECK_INT(rows_in("rb-inner.db"), 1);

    /* Rollback of an inner level. */
    db = batch_rolled_back_by_sqlite("rb-rollback.db", 2);
    CHECK_INT(sc_batch_rollback(db), SC_ERROR);
    CHECK_INT(sc_batch_depth(db), 0);
    CHECK(sqlite3_get_autocommit(sc_sqlite(db)));
    sc_close(db);
    CHECK_INT(rows_in("rb-rollback.db"), 1);

    /* sc_batch_end with the insert's error, as a caller's loop ends: the
     * error and its message are kept, the batch is over. */
    db = batch_rolled_back_by_sqlite("rb-end-error.db", 2);
    CHECK_INT(sc_batch_end(db, SC_IO), SC_IO);
    CHECK_INT(sc_batch_depth(db), 0);
    CHECK(strstr(sc_errmsg(db), "full") != NULL);
    CHECK_INT(sc_batch_begin(db), SC_OK);
    CHECK_INT(sc_batch_commit(db), SC_OK);
    sc_close(db);
    CHECK_INT(rows_in("rb-end-error.db"), 1);

    /* sc_batch_end of a caller who did not see the error. */
    db = batch_rolled_back_by_sqlite("rb-end.db", 1);
    CHECK_INT(sc_batch_end(db, SC_OK), SC_ERROR);
    CHECK_INT(sc_batch_depth(db), 0);
    sc_close(db);
    CHECK_INT(rows_in("rb-end.db"), 1);
}

/*
 * A nested begin after SQLite rolled the batch back must not open a new
 * transaction the caller takes for the old one: it fails, and what
 * follows (sc_clear_all, which nests a level) neither succeeds nor
 * touches rows committed before the batch.
 */
static void
test_no_new_level_on_a_rolled_back_batch(void)
{
    sc_db *db;

    db = batch_rolled_back_by_sqlite("rb-begin.db", 1);
    CHECK_INT(sc_batch_begin(db), SC_ERROR);
    CHECK(strstr(sc_errmsg(db), "already rolled back") != NULL);
    CHECK_INT(sc_batch_depth(db), 0);
    CHECK(sqlite3_get_autocommit(sc_sqlite(db)));
    sc_close(db);
    CHECK_INT(rows_in("rb-begin.db"), 1);

    db = batch_rolled_back_by_sqlite("rb-clear.db", 1);
    CHECK(sc_clear_all(db) != SC_OK);
    CHECK_INT(sc_batch_depth(db), 0);
    sc_close(db);
    CHECK_INT(rows_in("rb-clear.db"), 1);
}

/* Check foreign keys at COMMIT only, until the transaction ends (SQLite
 * switches this off at every COMMIT and ROLLBACK). */
static void
defer_foreign_keys(sc_db *db)
{
    CHECK_INT(sqlite3_exec(sc_sqlite(db), "PRAGMA defer_foreign_keys = ON",
                           NULL, NULL, NULL), SQLITE_OK);
}

/*
 * Between SQLite's rollback and the batch call that ends the batch, no
 * call may run a statement: it would commit on its own, outside the
 * batch, and the caller, told the batch failed, would find it in the
 * file.  Every row call fails instead, the batch stays open until a batch
 * call ends it, and then the handle works as before.
 */
static void
test_calls_after_rollback_do_not_autocommit(void)
{
    static const sc_param by_id[] = {
        { .member = { .name = "id", .type = SC_T_INTEGER,
                      .offset = offsetof(struct parent, id) }, .index = 1 },
    };
    const sc_query delete_parent = {
        .schema = &demo_schema, .name = "delete_parent",
        .stmt = parent_table.stmt_delete, .params = by_id, .nparams = 1,
    };
    sc_db *db = batch_rolled_back_by_sqlite("rb-calls.db", 2);
    struct parent key;
    int64_t n = -1;
    int calls = 0;

    memset(&key, 0, sizeof(key));
    key.id = 100;
    key.name = "changed";
    CHECK_INT(insert(db, 5, 0), SC_ERROR);
    CHECK(strstr(sc_errmsg(db), "already rolled back") != NULL);
    CHECK(strstr(sc_errmsg(db), "parent") != NULL);
    CHECK_INT(sc_row_upsert(db, &parent_table, &key), SC_ERROR);
    CHECK_INT(sc_row_update(db, &parent_table, &key), SC_ERROR);
    CHECK_INT(sc_row_delete(db, &parent_table, &key), SC_ERROR);
    CHECK_INT(sc_row_count(db, &parent_table, NULL, &n), SC_ERROR);
    CHECK_INT(sc_row_select(db, &parent_table, NULL, NULL, 0, -1, 0,
                            count_row, &calls), SC_ERROR);
    CHECK_INT(calls, 0);
    CHECK_INT(sc_query_exec(db, &delete_parent, &key, &n), SC_ERROR);
    CHECK(strstr(sc_errmsg(db), "delete_parent") != NULL);
    CHECK(sqlite3_get_autocommit(sc_sqlite(db)));
    CHECK_INT(sc_batch_depth(db), 2);
    CHECK_INT(fx_int(fx_path("rb-calls.db"), "SELECT count(*) FROM parent "
                     "WHERE id = 5 OR name = 'changed'"), 0);
    CHECK_INT(sc_batch_commit(db), SC_ERROR);
    CHECK_INT(sc_batch_depth(db), 0);
    CHECK_INT(insert(db, 6, 0), SC_OK);
    sc_close(db);
    CHECK_INT(fx_int(fx_path("rb-calls.db"), "SELECT sum(id) FROM parent"),
              106);
}

/*
 * The commit fails after every statement of the batch succeeded (a
 * deferred foreign key still broken at COMMIT): the commit reports it,
 * the batch is rolled back and over, nothing of it is in the file, and
 * the handle takes a new batch.
 */
static void
test_failed_commit_rolls_back(void)
{
    sc_db *db = fx_open_fresh("commit-fails.db", NULL);
    struct child c = { .id = "orphan", .parent_id = 42,
                       .has_parent_id = true };

    defer_foreign_keys(db);
    CHECK_INT(sc_batch_begin(db), SC_OK);
    CHECK_INT(insert(db, 1, 0), SC_OK);
    CHECK_INT(sc_row_insert(db, &child_table, &c), SC_OK);
    CHECK_INT(sc_batch_commit(db), SC_CONSTRAINT);
    CHECK(strstr(sc_errmsg(db), "FOREIGN KEY") != NULL);
    CHECK_INT(sc_batch_depth(db), 0);
    CHECK(sqlite3_get_autocommit(sc_sqlite(db)));
    CHECK_INT(rows_in("commit-fails.db"), 0);
    CHECK_INT(fx_int(fx_path("commit-fails.db"), "SELECT count(*) FROM "
                     "child"), 0);
    /* The same through sc_batch_end. */
    defer_foreign_keys(db);
    CHECK_INT(sc_batch_begin(db), SC_OK);
    CHECK_INT(sc_row_insert(db, &child_table, &c), SC_OK);
    CHECK_INT(sc_batch_end(db, SC_OK), SC_CONSTRAINT);
    CHECK_INT(sc_batch_depth(db), 0);
    /* A new batch works. */
    CHECK_INT(sc_batch_begin(db), SC_OK);
    CHECK_INT(insert(db, 2, 0), SC_OK);
    CHECK_INT(sc_batch_commit(db), SC_OK);
    sc_close(db);
    CHECK_INT(rows_in("commit-fails.db"), 1);
}

/*
 * The commit itself fails on I/O (the file may not grow while the WAL is
 * written) and SQLite rolls the transaction back as it fails: the commit
 * reports it and the batch is over.
 */
static void
test_commit_io_error_ends_batch(void)
{
    sc_db *db = fx_open_fresh("commit-io.db", NULL);
    struct rlimit was, cap;
    struct stat st;
    void (*old_handler)(int);

    CHECK_INT(sc_batch_begin(db), SC_OK);
    CHECK_INT(insert(db, 1, 100 * 1024), SC_OK);   /* in the page cache */
    CHECK_INT(getrlimit(RLIMIT_FSIZE, &was), 0);
    cap = was;
    cap.rlim_cur = stat(fx_path("commit-io.db-wal"), &st) == 0
        ? (rlim_t)st.st_size + 4096 : 4096;
    old_handler = signal(SIGXFSZ, SIG_IGN);
    CHECK_INT(setrlimit(RLIMIT_FSIZE, &cap), 0);
    CHECK_INT(sc_batch_commit(db), SC_IO);
    CHECK_INT(setrlimit(RLIMIT_FSIZE, &was), 0);
    signal(SIGXFSZ, old_handler);
    CHECK(sqlite3_get_autocommit(sc_sqlite(db)));
    CHECK_INT(sc_batch_depth(db), 0);
    CHECK_INT(sc_batch_commit(db), SC_MISUSE);
    CHECK_INT(rows_in("commit-io.db"), 0);
    CHECK_INT(sc_batch_begin(db), SC_OK);
    CHECK_INT(insert(db, 2, 0), SC_OK);
    CHECK_INT(sc_batch_commit(db), SC_OK);
    sc_close(db);
    CHECK_INT(rows_in("commit-io.db"), 1);
}

/*
 * A begin that cannot have the write lock (another connection holds it
 * past the busy timeout) reports SC_BUSY and opens no level; once the
 * lock is free, a batch works.
 */
static void
test_begin_busy_opens_no_level(void)
{
    sc_opts opts = { .busy_timeout_ms = 50 };
    sqlite3 *other;
    sc_db *db = NULL;

    unlink(fx_path("busy.db"));
    CHECK_INT(sc_open(&db, fx_path("busy.db"), &demo_schema, &opts), SC_OK);
    CHECK_INT(sqlite3_open(fx_path("busy.db"), &other), SQLITE_OK);
    CHECK_INT(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL),
              SQLITE_OK);
    CHECK_INT(sc_batch_begin(db), SC_BUSY);
    CHECK_INT(sc_batch_depth(db), 0);
    CHECK(sqlite3_get_autocommit(sc_sqlite(db)));
    CHECK_INT(sqlite3_exec(other, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(other);
    CHECK_INT(sc_batch_begin(db), SC_OK);
    CHECK_INT(insert(db, 1, 0), SC_OK);
    CHECK_INT(sc_batch_commit(db), SC_OK);
    CHECK_INT(sc_batch_depth(db), 0);
    sc_close(db);
    CHECK_INT(rows_in("busy.db"), 1);
}

/*
 * Three levels: each rollback undoes only its own level, a commit of an
 * inner level hands its work to the one around it, and a level can be
 * opened again at a depth just left.
 */
static void
test_three_levels(void)
{
    sc_db *db = fx_open_fresh("three.db", NULL);

    CHECK_INT(sc_batch_begin(db), SC_OK);
    CHECK_INT(insert(db, 1, 0), SC_OK);
    CHECK_INT(sc_batch_begin(db), SC_OK);
    CHECK_INT(insert(db, 2, 0), SC_OK);
    CHECK_INT(sc_batch_begin(db), SC_OK);
    CHECK_INT(sc_batch_depth(db), 3);
    CHECK_INT(insert(db, 4, 0), SC_OK);
    CHECK_INT(sc_batch_rollback(db), SC_OK);        /* drops 4 */
    CHECK_INT(sc_batch_begin(db), SC_OK);           /* depth 3 again */
    CHECK_INT(insert(db, 8, 0), SC_OK);
    CHECK_INT(sc_batch_commit(db), SC_OK);          /* 8 into level 2 */
    CHECK_INT(sc_batch_depth(db), 2);
    CHECK_INT(sc_batch_rollback(db), SC_OK);        /* drops 2 and 8 */
    CHECK_INT(sc_batch_begin(db), SC_OK);
    CHECK_INT(sc_batch_begin(db), SC_OK);
    CHECK_INT(insert(db, 16, 0), SC_OK);
    CHECK_INT(sc_batch_commit(db), SC_OK);
    CHECK_INT(sc_batch_commit(db), SC_OK);
    CHECK_INT(sc_batch_depth(db), 1);
    CHECK_INT(rows_in("three.db"), 0);              /* not yet committed */
    CHECK_INT(sc_batch_commit(db), SC_OK);
    CHECK_INT(sc_batch_depth(db), 0);
    sc_close(db);
    CHECK_INT(fx_int(fx_path("three.db"), "SELECT sum(id) FROM parent"), 17);
}

/* How many parents db holds (-1 on error). */
static int64_t
nparents(sc_db *db)
{
    int64_t n = -1;

    return sc_row_count(db, &parent_table, NULL, &n) == SC_OK ? n : -1;
}

/*
 * Levels 1 to 9, one row each (the shallow ones' statements kept
 * prepared, the deep ones run from their text: internal.h), three times
 * over: each round rolls back level 9, then keeps every other level's
 * row by committing the odd levels and rolling back the even ones on the
 * way out, so a kept statement run for the wrong level shows as a wrong
 * row count.
 */
static void
test_deep_levels(void)
{
    sc_db *db = fx_open_fresh("deep.db", NULL);
    int round, d;

    for (round = 0; round < 3; round++) {
        int64_t base = nparents(db);

        for (d = 1; d <= 9; d++) {
            CHECK_INT(sc_batch_begin(db), SC_OK);
            CHECK_INT(sc_batch_depth(db), d);
            CHECK_INT(insert(db, 1000 * (round + 1) + d, 0), SC_OK);
            CHECK_INT(nparents(db), base + d);
        }
        for (d = 9; d >= 1; d--) {
            bool keep = d % 2 == 1 && d != 9;
            CHECK_INT(keep ? sc_batch_commit(db) : sc_batch_rollback(db),
                      SC_OK);
            CHECK_INT(sc_batch_depth(db), d - 1);
            /* A committed level's rows now belong to the level below; a
             * rolled-back level takes them with its own: rows 1 to d - 1
             * stay either way, row d only when committed. */
            CHECK_INT(nparents(db), base + d - (keep ? 0 : 1));
        }
        CHECK_INT(nparents(db), base + 1);
    }
    sc_close(db);
}

static const struct t_test tests[] = {
    T_TEST(test_rolled_back_batch_is_reported),
    T_TEST(test_no_new_level_on_a_rolled_back_batch),
    T_TEST(test_calls_after_rollback_do_not_autocommit),
    T_TEST(test_failed_commit_rolls_back),
    T_TEST(test_commit_io_error_ends_batch),
    T_TEST(test_begin_busy_opens_no_level),
    T_TEST(test_three_levels),
    T_TEST(test_deep_levels),
};

int
main(void)
{
    int status;

    status = T_RUN_ALL(tests);
    fx_cleanup();
    return status;
}
