/*
 * test_fork.c - a handle in a child of the process that opened it
 * (fork()): every call that would run a statement is SC_MISUSE naming the
 * parent, sc_sqlite() is NULL, and sc_close() frees the handle and
 * leaves the parent's connection, and its batch, as they are; the child
 * opens its own handle on the same file, and the parent goes on.
 */
#include "fixture.h"
#include "child.h"

/* The file of the test running, for its children. */
static const char *file;

/* The child of test_child_refused: the inherited handle runs nothing,
 * its own does. */
static int
refused_then_own(void *arg)
{
    sc_db *db = arg;
    char pid[32];
    sc_db *own = NULL;
    int64_t n = -1;

    snprintf(pid, sizeof(pid), "process %ld", (long)getppid());
    if (fx_insert(db, 2) != SC_MISUSE)
        return 1;
    if (strstr(sc_errmsg(db), pid) == NULL
        || strstr(sc_errmsg(db), "fork()") == NULL)
        return 2;
    if (sc_row_count(db, &parent_table, NULL, &n) != SC_MISUSE || n != -1)
        return 3;
    if (sc_batch_begin(db) != SC_MISUSE || sc_batch_depth(db) != 0)
        return 4;
    if (sc_sqlite(db) != NULL)
        return 5;
    if (sc_close(db) != SC_OK)
        return 6;
    if (sc_open(&own, file, &demo_schema, NULL) != SC_OK
        || fx_insert(own, 3) != SC_OK)
        return 7;
    return sc_close(own) == SC_OK ? 0 : 8;
}

static void
test_child_refused(void)
{
    sc_db *db = NULL;

    file = fx_path("fork.db");
    unlink(file);
    CHECK_INT(sc_open(&db, file, &demo_schema, NULL), SC_OK);
    CHECK_INT(fx_insert(db, 1), SC_OK);
    CHECK_INT(t_in_child(refused_then_own, db), 0);
    CHECK_INT(fx_insert(db, 4), SC_OK);
    CHECK(sc_sqlite(db) != NULL);
    CHECK_INT(sc_close(db), SC_OK);
    CHECK_INT(fx_int(file, "SELECT count(*) FROM parent WHERE id IN "
                     "(1, 3, 4)"), 3);
    CHECK_INT(fx_int(file, "SELECT count(*) FROM parent"), 3);
}

/* The child of test_parent_batch_kept: close the inherited handle. */
static int
close_inherited(void *db)
{
    return sc_close(db) == SC_OK ? 0 : 1;
}

/* The parent forks inside a batch; the child's sc_close neither rolls
 * it back nor closes the connection under it: the batch goes on and
 * commits. */
static void
test_parent_batch_kept(void)
{
    sc_db *db = NULL;

    file = fx_path("fork-batch.db");
    unlink(file);
    CHECK_INT(sc_open(&db, file, &demo_schema, NULL), SC_OK);
    CHECK_INT(sc_batch_begin(db), SC_OK);
    CHECK_INT(fx_insert(db, 10), SC_OK);
    CHECK_INT(t_in_child(close_inherited, db), 0);
    CHECK_INT(sc_batch_depth(db), 1);
    CHECK_INT(fx_insert(db, 11), SC_OK);
    CHECK_INT(sc_batch_commit(db), SC_OK);
    CHECK_INT(sc_close(db), SC_OK);
    CHECK_INT(fx_int(file, "SELECT count(*) FROM parent"), 2);
    CHECK_INT(fx_int(file, "SELECT count(*) FROM pragma_integrity_check "
                     "WHERE integrity_check = 'ok'"), 1);
}

/* A grandchild is a child too; a handle the child opened is the child's
 * own there, and refused in the grandchild. */
static int
grandchild(void *arg)
{
    sc_db *db = arg;

    return fx_insert(db, 21) == SC_MISUSE && sc_close(db) == SC_OK ? 0 : 1;
}

static int
child_opens(void *inherited)
{
    sc_db *own = NULL;
    int rc;

    if (sc_close(inherited) != SC_OK)
        return 1;
    if (sc_open(&own, file, &demo_schema, NULL) != SC_OK
        || fx_insert(own, 20) != SC_OK)
        return 2;
    if ((rc = t_in_child(grandchild, own)) != 0)
        return 10 + rc;
    if (fx_insert(own, 22) != SC_OK)
        return 3;
    return sc_close(own) == SC_OK ? 0 : 4;
}

static void
test_generations(void)
{
    sc_db *db = NULL;

    file = fx_path("fork-gen.db");
    unlink(file);
    CHECK_INT(sc_open(&db, file, &demo_schema, NULL), SC_OK);
    CHECK_INT(t_in_child(child_opens, db), 0);
    CHECK_INT(fx_insert(db, 23), SC_OK);
    CHECK_INT(sc_close(db), SC_OK);
    CHECK_INT(fx_int(file, "SELECT count(*) FROM parent"), 3);
}

static const struct t_test tests[] = {
    T_TEST(test_child_refused),
    T_TEST(test_parent_batch_kept),
    T_TEST(test_generations),
};

int
main(void)
{
    int status;

    status = T_RUN_ALL(tests);
    fx_cleanup();
    return status;
}
