/*
 * test_mutants.c - runtime behaviours no other unit test pinned, each
 * found by a mutation of tests/mutate/mutations.txt that every test let
 * through: a zero-length blob lent to a select callback, the first error
 * of a call surviving a rollback that fails after it, the parent folders
 * of a relative path, and a negative PRAGMA user_version.
 */
#include "fixture.h"

/* A parent row with id and name, every other member unset. */
static struct parent
parent_row(int64_t id, const char *name)
{
    struct parent p;

    memset(&p, 0, sizeof(p));
    p.id = id;
    p.name = name;
    return p;
}

/* What a select callback saw of each row's blob. */
struct lent_blobs {
    int n;
    bool has_data[4];
    size_t len[4];
};

/* Record the blob of a lent row (a select callback). */
static int
see_blob(const void *row, void *arg)
{
    const struct parent *p = row;
    struct lent_blobs *x = arg;

    if (x->n < 4) {
        x->has_data[x->n] = p->data.data != NULL;
        x->len[x->n] = p->data.len;
    }
    x->n++;
    return 0;
}

/* A zero-length blob lent to a select callback (no copy is made) is a
 * value, not SQL NULL: its pointer is not NULL. */
static void
test_lent_empty_blob_is_not_null(void)
{
    static const unsigned char none[1];
    static const sc_order by_id = { 0, false };
    sc_db *db = fx_open_fresh("blob.db", NULL);
    struct parent p = parent_row(1, "empty");
    struct lent_blobs x;

    p.data.data = none;
    p.data.len = 0;
    CHECK_INT(sc_row_insert(db, &parent_table, &p), SC_OK);
    p = parent_row(2, "null");
    CHECK_INT(sc_row_insert(db, &parent_table, &p), SC_OK);
    memset(&x, 0, sizeof(x));
    CHECK_INT(sc_row_select(db, &parent_table, NULL, &by_id, 1, -1, 0,
                            see_blob, &x), SC_OK);
    CHECK_INT(x.n, 2);
    CHECK(x.has_data[0] && x.len[0] == 0);
    CHECK(!x.has_data[1] && x.len[1] == 0);
    sc_close(db);
}

/* Count the log callback's calls in *arg. */
static void
count_log(void *arg, int rc, const char *msg)
{
    (void)rc;
    (void)msg;
    ++*(int *)arg;
}

/*
 * sc_batch_end() after a failed call rolls the level back without
 * starting a call of its own, so when that rollback fails too (its
 * savepoint was released behind the runtime's back) the message and the
 * log still tell only the failure that caused it.
 */
static void
test_failed_rollback_keeps_first_error(void)
{
    int nlogged = 0;
    sc_opts opts = { .log = count_log, .log_arg = &nlogged };
    sc_db *db = fx_open_fresh("first.db", &opts);
    struct parent p = parent_row(1, "one");
    int rc;

    CHECK_INT(sc_row_insert(db, &parent_table, &p), SC_OK);
    CHECK_INT(sc_batch_begin(db), SC_OK);
    CHECK_INT(sc_batch_begin(db), SC_OK);
    CHECK_INT(sqlite3_exec(sc_sqlite(db), "RELEASE sc_2", NULL, NULL, NULL),
              SQLITE_OK);
    nlogged = 0;
    rc = sc_row_insert(db, &parent_table, &p);
    CHECK_INT(rc, SC_CONSTRAINT);
    CHECK_INT(sc_batch_end(db, rc), SC_CONSTRAINT);
    CHECK(strstr(sc_errmsg(db), "UNIQUE") != NULL);
    CHECK(strstr(sc_errmsg(db), "sc_2") == NULL);
    CHECK_INT(nlogged, 1);
    CHECK_INT(sc_batch_rollback(db), SC_OK);
    CHECK_INT(sc_batch_depth(db), 0);
    sc_close(db);
}

/* A relative path's missing parent folders are made, the first one of a
 * single letter included. */
static void
test_relative_path_parents_made(void)
{
    char cwd[4096];
    sc_db *db = NULL;

    fx_path("");
    if (getcwd(cwd, sizeof(cwd)) == NULL || chdir(fx_dir) != 0) {
        T_FAIL("cannot enter %s", fx_dir);
        return;
    }
    CHECK_INT(sc_open(&db, "a/b/rel.db", &demo_schema, NULL), SC_OK);
    sc_close(db);
    CHECK(access("a/b/rel.db", F_OK) == 0);
    if (chdir(cwd) != 0)
        T_FAIL("cannot go back to %s", cwd);
}

/* A negative PRAGMA user_version (a schema without a version table) is no
 * version of ours: refused, and the file left as it was. */
static void
test_negative_user_version_refused(void)
{
    const char *file = fx_path("negative-uv.db");
    sc_schema uv = demo_schema;
    sc_db *db;

    uv.version_table = NULL;
    unlink(file);
    CHECK_INT(sc_open(&db, file, &uv, NULL), SC_OK);
    sc_close(db);
    CHECK_INT(fx_exec(file, "PRAGMA journal_mode = DELETE; "
                      "PRAGMA user_version = -1"), SQLITE_OK);
    check_refused_untouched(file, &uv, SC_VERSION);
}

static const struct t_test tests[] = {
    T_TEST(test_lent_empty_blob_is_not_null),
    T_TEST(test_failed_rollback_keeps_first_error),
    T_TEST(test_relative_path_parents_made),
    T_TEST(test_negative_user_version_refused),
};

int
main(void)
{
    int status;

    status = T_RUN_ALL(tests);
    fx_cleanup();
    return status;
}
