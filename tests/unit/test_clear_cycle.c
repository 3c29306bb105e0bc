/*
 * test_clear_cycle.c - sc_clear_all empties every data table whatever
 * the references between them: two tables that reference each other, a
 * table that references itself, ON DELETE RESTRICT; outside a batch and
 * inside one; in one transaction, the version record kept; each table
 * and the end told to the progress callback.
 */
#include "fixture.h"

/* Schema "ring": a and b reference each other, node references itself;
 * act is what the references do on delete ("" for NO ACTION). */
#define RING_A(act) "CREATE TABLE a (id INTEGER PRIMARY KEY, " \
    "b_id INTEGER REFERENCES b(id)" act ")"
#define RING_B(act) "CREATE TABLE b (id INTEGER PRIMARY KEY, " \
    "a_id INTEGER REFERENCES a(id)" act ")"
#define RING_NODE(act) "CREATE TABLE node (id INTEGER PRIMARY KEY, " \
    "next_id INTEGER REFERENCES node(id)" act ")"
#define VT_DDL "CREATE TABLE schema_version (version INTEGER PRIMARY KEY)"

static const char *const ring_create[] = {
    VT_DDL, RING_A(""), RING_B(""), RING_NODE(""),
};
static const char *const ring_restrict_create[] = {
    VT_DDL, RING_A(" ON DELETE RESTRICT"), RING_B(" ON DELETE RESTRICT"),
    RING_NODE(" ON DELETE RESTRICT"),
};
/* Children before parents is no order at all for a ring: a first. */
static const char *const ring_data[] = { "a", "b", "node" };

static const sc_schema ring_schema = {
    .abi = SC_ABI_VERSION, .name = "ring", .version = 1,
    .version_table = "schema_version", .create_sql = ring_create,
    .ncreate = 4, .data_tables = ring_data, .ndata_tables = 3,
};
static const sc_schema ring_restrict_schema = {
    .abi = SC_ABI_VERSION, .name = "ring", .version = 1,
    .version_table = "schema_version",
    .create_sql = ring_restrict_create, .ncreate = 4,
    .data_tables = ring_data, .ndata_tables = 3,
};

/* Rows that reference each other both ways, and a loop of three nodes. */
#define RING_ROWS \
    "INSERT INTO a (id, b_id) VALUES (1, NULL), (2, NULL);" \
    "INSERT INTO b (id, a_id) VALUES (10, 1), (20, 2);" \
    "UPDATE a SET b_id = id * 10;" \
    "INSERT INTO node (id, next_id) VALUES (1, NULL), (2, 1), (3, 2);" \
    "UPDATE node SET next_id = 3 WHERE id = 1;"

/* Open a fresh file of schema s at name with opts (may be NULL), filled
 * with RING_ROWS (checked to be sound under enforcement). */
static sc_db *
open_ring(const char *name, const sc_schema *s, const sc_opts *opts)
{
    sc_db *db;

    CHECK_INT(sc_open(&db, fx_path(name), s, opts), SC_OK);
    CHECK_INT(sqlite3_exec(sc_sqlite(db), "BEGIN;" RING_ROWS "COMMIT",
                           NULL, NULL, NULL), SQLITE_OK);
    return db;
}

/* One integer from sql on db's own connection (-999 on error). */
static long long
db_int(sc_db *db, const char *sql)
{
    sqlite3_stmt *st;
    long long v = -999;

    if (sqlite3_prepare_v2(sc_sqlite(db), sql, -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            v = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    return v;
}

/* Every data table of db is empty, the version record and foreign key
 * enforcement are as before, and no deferral is left on. */
static void
check_cleared(sc_db *db)
{
    CHECK_INT(db_int(db, "SELECT (SELECT count(*) FROM a) + (SELECT "
                     "count(*) FROM b) + (SELECT count(*) FROM node)"), 0);
    CHECK_INT(db_int(db, "SELECT version FROM schema_version"), 1);
    CHECK_INT(db_int(db, "PRAGMA foreign_keys"), 1);
    CHECK_INT(db_int(db, "PRAGMA defer_foreign_keys"), 0);
}

static void
test_cycle_cleared(void)
{
    sc_db *db = open_ring("ring.db", &ring_schema, NULL);

    CHECK_INT(db_int(db, "SELECT count(*) FROM a"), 2);
    CHECK_INT(sc_clear_all(db), SC_OK);
    if (sc_errmsg(db)[0] != 'n')
        printf("     %s\n", sc_errmsg(db));
    check_cleared(db);
    /* Enforcement is back: a dangling reference is refused again. */
    CHECK(sqlite3_exec(sc_sqlite(db), "INSERT INTO a (id, b_id) VALUES "
                       "(5, 99)", NULL, NULL, NULL) != SQLITE_OK);
    sc_close(db);
}

static void
test_restrict_cycle_cleared(void)
{
    sc_db *db = open_ring("restrict.db", &ring_restrict_schema, NULL);

    CHECK_INT(sc_clear_all(db), SC_OK);
    check_cleared(db);
    sc_close(db);
}

static void
test_cycle_cleared_inside_a_batch(void)
{
    sc_db *db = open_ring("batch.db", &ring_schema, NULL);

    CHECK_INT(sc_batch_begin(db), SC_OK);
    CHECK_INT(sc_clear_all(db), SC_OK);
    CHECK_INT(sc_batch_depth(db), 1);
    /* Deferral was the clear's own: the batch's statements are checked
     * at once again. */
    CHECK_INT(db_int(db, "PRAGMA defer_foreign_keys"), 0);
    CHECK(sqlite3_exec(sc_sqlite(db), "INSERT INTO a (id, b_id) VALUES "
                       "(5, 99)", NULL, NULL, NULL) != SQLITE_OK);
    CHECK_INT(sc_batch_commit(db), SC_OK);
    check_cleared(db);
    sc_close(db);
}

static void
test_rolled_back_clear_keeps_rows(void)
{
    sc_db *db = open_ring("rollback.db", &ring_schema, NULL);

    CHECK_INT(sc_batch_begin(db), SC_OK);
    CHECK_INT(sc_clear_all(db), SC_OK);
    CHECK_INT(sc_batch_rollback(db), SC_OK);
    CHECK_INT(db_int(db, "SELECT count(*) FROM a"), 2);
    CHECK_INT(db_int(db, "SELECT count(*) FROM b"), 2);
    CHECK_INT(db_int(db, "SELECT count(*) FROM node"), 3);
    sc_close(db);
}

static void
test_deferral_of_the_caller_kept(void)
{
    sc_db *db = open_ring("deferred.db", &ring_schema, NULL);

    CHECK_INT(sc_batch_begin(db), SC_OK);
    CHECK_INT(sqlite3_exec(sc_sqlite(db), "PRAGMA defer_foreign_keys = ON",
                           NULL, NULL, NULL), SQLITE_OK);
    CHECK_INT(sc_clear_all(db), SC_OK);
    CHECK_INT(db_int(db, "PRAGMA defer_foreign_keys"), 1);
    CHECK_INT(sc_batch_commit(db), SC_OK);
    check_cleared(db);
    sc_close(db);
}

static void
test_table_left_out_still_refused(void)
{
    /* A descriptor that forgets b: emptying a and node would leave b's
     * rows pointing at nothing, which must fail, not commit. */
    static const char *const some[] = { "a", "node" };
    sc_schema s = ring_schema;
    sc_db *db;

    s.data_tables = some;
    s.ndata_tables = 2;
    db = open_ring("leftout.db", &s, NULL);
    CHECK_INT(sc_clear_all(db), SC_CONSTRAINT);
    CHECK(strstr(sc_errmsg(db), "'b'") != NULL);
    CHECK_INT(db_int(db, "SELECT count(*) FROM a"), 2);
    CHECK_INT(db_int(db, "PRAGMA foreign_keys"), 1);
    sc_close(db);
}

static void
test_restrict_cycle_cleared_inside_a_batch(void)
{
    sc_db *db = open_ring("restrict-batch.db", &ring_restrict_schema, NULL);

    CHECK_INT(sc_batch_begin(db), SC_OK);
    CHECK_INT(sc_clear_all(db), SC_OK);
    CHECK_INT(sc_batch_depth(db), 1);
    CHECK_INT(db_int(db, "PRAGMA defer_foreign_keys"), 0);
    CHECK_INT(sc_batch_commit(db), SC_OK);
    check_cleared(db);
    sc_close(db);
}

static void
test_table_left_out_inside_a_batch_refused(void)
{
    static const char *const some[] = { "a", "node" };
    sc_schema s = ring_schema;
    sc_db *db;

    s.data_tables = some;
    s.ndata_tables = 2;
    db = open_ring("leftout-batch.db", &s, NULL);
    CHECK_INT(sc_batch_begin(db), SC_OK);
    CHECK_INT(sc_clear_all(db), SC_CONSTRAINT);
    CHECK(strstr(sc_errmsg(db), "'b'") != NULL);
    CHECK_INT(sc_batch_commit(db), SC_OK);
    CHECK_INT(db_int(db, "SELECT count(*) FROM a"), 2);
    sc_close(db);
}

/* What the progress callback heard of a clear: each call, and how many
 * rows each ring table held then, read on the clear's own connection. */
struct heard {
    sqlite3 *conn;
    int n;
    struct {
        sc_progress p;
        long long rows[3];          /* a, b, node */
    } call[8];
};

/* The number from sql on conn (-999 on error). */
static long long
conn_int(sqlite3 *conn, const char *sql)
{
    sqlite3_stmt *st;
    long long v = -999;

    if (sqlite3_prepare_v2(conn, sql, -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            v = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    return v;
}

/* A progress callback noting each call into the struct heard at arg. */
static void
note_progress(void *arg, const sc_progress *p)
{
    static const char *const count[] = {
        "SELECT count(*) FROM a", "SELECT count(*) FROM b",
        "SELECT count(*) FROM node",
    };
    struct heard *h = arg;
    int i;

    if (h->n < 8) {
        h->call[h->n].p = *p;
        for (i = 0; i < 3; i++)
            h->call[h->n].rows[i] = conn_int(h->conn, count[i]);
    }
    h->n++;
}

/* The clear told h of ntables tables named in order by tables, each
 * before it was emptied (the ones before it empty, it and those after
 * it still full), then of the end unless failed. */
static void
check_heard(const struct heard *h, const char *const *tables,
            size_t ntables, bool failed)
{
    static const char *const ring[] = { "a", "b", "node" };
    static const long long full[] = { 2, 2, 3 };
    size_t j, k;
    int i;

    CHECK_INT(h->n, (int)ntables + (failed ? 0 : 1));
    for (k = 0; k < ntables + 1 && (int)k < h->n; k++) {
        const sc_progress *p = &h->call[k].p;

        CHECK_INT(p->op, SC_PROGRESS_CLEAR);
        CHECK_INT(p->done, k);
        CHECK_INT(p->total, ntables);
        CHECK_INT(p->version, 0);
        CHECK_STR(p->table, k < ntables ? tables[k] : NULL);
        for (i = 0; i < 3 && k < ntables; i++) {
            bool gone = false;

            for (j = 0; j < k; j++)
                gone = gone || strcmp(tables[j], ring[i]) == 0;
            if (h->call[k].rows[i] != (gone ? 0 : full[i]))
                T_FAIL("told of '%s': %s holds %lld rows", tables[k],
                       ring[i], h->call[k].rows[i]);
        }
    }
}

/*
 * The callback hears of each data table before it is emptied, in the
 * descriptor's order, and of the end (done == total, no table) once the
 * clear is kept: outside a batch and inside one.
 */
static void
test_progress_told_each_table(void)
{
    struct heard h = { .n = 0 };
    sc_opts opts = { .progress = note_progress, .progress_arg = &h };
    sc_db *db = open_ring("progress.db", &ring_schema, &opts);

    /* Creating the schema in an empty file is not reported. */
    CHECK_INT(h.n, 0);
    h.conn = sc_sqlite(db);
    CHECK_INT(sc_clear_all(db), SC_OK);
    check_heard(&h, ring_data, 3, false);
    sc_close(db);

    db = open_ring("progress-batch.db", &ring_schema, &opts);
    h.conn = sc_sqlite(db);
    h.n = 0;
    CHECK_INT(sc_batch_begin(db), SC_OK);
    CHECK_INT(sc_clear_all(db), SC_OK);
    check_heard(&h, ring_data, 3, false);
    CHECK_INT(sc_batch_commit(db), SC_OK);
    CHECK_INT(h.n, 4);
    sc_close(db);
}

/* A clear that fails (a table left out still references deleted rows)
 * was told of each table it emptied and never of an end. */
static void
test_progress_of_failed_clear_stops_short(void)
{
    static const char *const some[] = { "a", "node" };
    struct heard h = { .n = 0 };
    sc_opts opts = { .progress = note_progress, .progress_arg = &h };
    sc_schema s = ring_schema;
    sc_db *db;

    s.data_tables = some;
    s.ndata_tables = 2;
    db = open_ring("progress-leftout.db", &s, &opts);
    h.conn = sc_sqlite(db);
    CHECK_INT(sc_clear_all(db), SC_CONSTRAINT);
    check_heard(&h, some, 2, true);
    sc_close(db);
}

/* No callback (the argument set all the same) changes nothing: the
 * clear empties every table as without options. */
static void
test_progress_null_callback(void)
{
    struct heard h = { .n = 0 };
    sc_opts opts = { .progress = NULL, .progress_arg = &h };
    sc_db *db = open_ring("progress-null.db", &ring_schema, &opts);

    CHECK_INT(sc_clear_all(db), SC_OK);
    check_cleared(db);
    CHECK_INT(h.n, 0);
    sc_close(db);
}

static const struct t_test tests[] = {
    T_TEST(test_cycle_cleared),
    T_TEST(test_restrict_cycle_cleared),
    T_TEST(test_cycle_cleared_inside_a_batch),
    T_TEST(test_rolled_back_clear_keeps_rows),
    T_TEST(test_deferral_of_the_caller_kept),
    T_TEST(test_table_left_out_still_refused),
    T_TEST(test_restrict_cycle_cleared_inside_a_batch),
    T_TEST(test_table_left_out_inside_a_batch_refused),
    T_TEST(test_progress_told_each_table),
    T_TEST(test_progress_of_failed_clear_stops_short),
    T_TEST(test_progress_null_callback),
};

int
main(void)
{
    int status = T_RUN_ALL(tests);

    fx_cleanup();
    return status;
}
