/*
 * test_failed_open.c - a handle whose sc_open failed runs nothing: every
 * call that would run a statement returns SC_MISUSE saying the open
 * failed, so nothing is read from or written to a file that was refused.
 * sc_errmsg, sc_errstr, sc_version and sc_close still answer.
 */
#include "fixture.h"

/* get_parent: one parent row by its id (statement 2). */
static const sc_param by_id[] = {
    { .member = { .name = "id", .type = SC_T_INTEGER,
                  .offset = offsetof(struct parent, id) }, .index = 1 },
};
static const sc_query get_parent = {
    .schema = &demo_schema, .name = "get_parent", .stmt = 2,
    .params = by_id, .nparams = 1, .columns = parent_columns,
    .ncolumns = 5, .row_size = sizeof(struct parent),
};
/* drop_parent: delete one parent row (statement 4). */
static const sc_query drop_parent = {
    .schema = &demo_schema, .name = "drop_parent", .stmt = 4,
    .params = by_id, .nparams = 1,
};

static int
count_row(const void *row, void *arg)
{
    (void)row;
    (*(int *)arg)++;
    return 0;
}

/* The last call on db was refused because the open failed. */
#define CHECK_REFUSED(call) do {                                    \
        CHECK_INT((call), SC_MISUSE);                               \
        CHECK(strstr(sc_errmsg(db), "sc_open failed") != NULL);     \
        CHECK(strstr(sc_errmsg(db), why) != NULL);                  \
    } while (0)

/*
 * Open file with schema (which must fail with want and a message holding
 * why), then try every kind of call on the handle: each is refused, and
 * the file is byte-identical to what the failed open left.
 */
static void
check_every_call_refused(const char *file, const sc_schema *schema,
                         int want, const char *why)
{
    struct parent p, out, key;
    sc_where w = SC_WHERE_INIT;
    sqlite3_stmt *st = (sqlite3_stmt *)&p;
    size_t before_len, after_len, nrows = 9;
    char *before, *after;
    void *rows = &p;
    int64_t n = -1, changes = -1;
    int seen = 0;
    sc_db *db;

    CHECK_INT(sc_open(&db, file, schema, NULL), want);
    CHECK(strstr(sc_errmsg(db), why) != NULL);
    before = fx_slurp(file, &before_len);
    CHECK(before != NULL);
    CHECK_INT(sc_version(db), 0);

    memset(&p, 0, sizeof(p));
    p.id = 1;
    p.name = "x";
    key = p;
    CHECK_REFUSED(sc_row_insert(db, &parent_table, &p));
    CHECK_REFUSED(sc_row_upsert(db, &parent_table, &p));
    CHECK_REFUSED(sc_row_update(db, &parent_table, &p));
    CHECK_REFUSED(sc_row_delete(db, &parent_table, &key));
    CHECK_REFUSED(sc_row_get(db, &parent_table, &key, &out));
    CHECK_INT(out.id, 0);
    CHECK_REFUSED(sc_row_count(db, &parent_table, NULL, &n));
    CHECK(sc_where_add(&w, "id >= ?", 1, sc_int(0)) == SC_OK);
    CHECK_REFUSED(sc_row_count(db, &parent_table, &w, &n));
    CHECK_REFUSED(sc_row_select(db, &parent_table, &w, NULL, 0, -1, 0,
                                count_row, &seen));
    CHECK_INT(seen, 0);
    sc_where_fini(&w);
    CHECK_REFUSED(sc_query_one(db, &get_parent, &key, &out));
    CHECK_REFUSED(sc_query_many(db, &get_parent, &key, count_row, &seen));
    CHECK_INT(seen, 0);
    CHECK_REFUSED(sc_query_all(db, &get_parent, &key, &rows, &nrows));
    CHECK(rows == NULL);
    CHECK_INT(nrows, 0);
    CHECK_REFUSED(sc_query_exec(db, &drop_parent, &key, &changes));
    CHECK_INT(changes, 0);
    CHECK_REFUSED(sc_stmt_get(db, 0, &st));
    CHECK(st == NULL);
    CHECK_REFUSED(sc_batch_begin(db));
    CHECK_INT(sc_batch_depth(db), 0);
    CHECK_REFUSED(sc_batch_commit(db));
    CHECK_REFUSED(sc_batch_rollback(db));
    CHECK_REFUSED(sc_batch_end(db, SC_OK));
    CHECK_REFUSED(sc_clear_all(db));
    /* The readers still answer; the connection is gone. */
    CHECK(sc_sqlite(db) == NULL);
    CHECK_INT(sc_last_insert_id(db), 0);
    CHECK_INT(sc_version(db), 0);
    CHECK_INT(sc_close(db), SC_OK);

    after = fx_slurp(file, &after_len);
    CHECK(after != NULL);
    CHECK_INT(after_len, before_len);
    CHECK(after && before && memcmp(before, after, before_len) == 0);
    free(before);
    free(after);
}

static void
test_newer_database_runs_nothing(void)
{
    const char *file = fx_path("newer.db");
    struct parent p;
    sc_db *db;

    CHECK_INT(sc_open(&db, file, &demo_schema, NULL), SC_OK);
    memset(&p, 0, sizeof(p));
    p.id = 7;
    p.name = "kept";
    CHECK_INT(sc_row_insert(db, &parent_table, &p), SC_OK);
    sc_close(db);
    /* Version 3: newer than the code.  Its tables still look like ours,
     * so a handle that kept its connection could read and write them. */
    CHECK_INT(fx_exec(file, "PRAGMA journal_mode=DELETE; "
                      "UPDATE schema_version SET version = 3"), SQLITE_OK);
    check_every_call_refused(file, &demo_schema, SC_VERSION, "newer");
    CHECK_INT(fx_int(file, "SELECT count(*) FROM parent"), 1);
}

static void
test_not_a_database_runs_nothing(void)
{
    const char *file = fx_path("junk.db");
    char junk[4096];
    size_t i;

    for (i = 0; i < sizeof(junk); i++)
        junk[i] = (char)(i * 13 + 5);
    fx_write(file, junk, sizeof(junk));
    check_every_call_refused(file, &demo_schema, SC_NOTADB, "not a database");
}

static void
test_failed_migration_runs_nothing(void)
{
    static const char *const bad_steps[] = { "CREATE TABLE parent (x)" };
    static const sc_migration bad[] = {
        { .version = 2, .sql = bad_steps, .nsql = 1 },
    };
    sc_schema s = demo_schema;
    const char *file = fx_path("badstep.db");
    sc_db *db;

    s.version = 1;
    s.create_sql = demo_create;
    s.ncreate = 2;
    CHECK_INT(sc_open(&db, file, &s, NULL), SC_OK);
    sc_close(db);
    CHECK_INT(fx_exec(file, "PRAGMA journal_mode=DELETE"), SQLITE_OK);
    s = demo_schema;
    s.migrations = bad;
    check_every_call_refused(file, &s, SC_ERROR, "already exists");
    CHECK_INT(fx_int(file, "SELECT max(version) FROM schema_version"), 1);
}

static void
test_bad_descriptor_runs_nothing(void)
{
    sc_schema s = demo_schema;
    struct parent p;
    int64_t n = -1;
    sc_db *db;

    s.abi = SC_ABI_VERSION + 1;
    CHECK_INT(sc_open(&db, fx_path("abi.db"), &s, NULL), SC_MISUSE);
    CHECK(db != NULL);
    memset(&p, 0, sizeof(p));
    CHECK_INT(sc_row_insert(db, &parent_table, &p), SC_MISUSE);
    CHECK(strstr(sc_errmsg(db), "sc_open failed") != NULL);
    CHECK_INT(sc_row_count(db, &parent_table, NULL, &n), SC_MISUSE);
    CHECK(strstr(sc_errmsg(db), "regenerate") != NULL);
    CHECK_INT(sc_batch_begin(db), SC_MISUSE);
    CHECK_INT(sc_close(db), SC_OK);
}

static void
test_message_of_the_open_stays(void)
{
    const char *file = fx_path("stays.db");
    static const char text[] = "not a database, only text, long enough "
        "to be read as a header and refused by SQLite at the first read\n";
    char first[512];
    sc_db *db;

    fx_write(file, text, sizeof(text) - 1);
    CHECK_INT(sc_open(&db, file, &demo_schema, NULL), SC_NOTADB);
    snprintf(first, sizeof(first), "%s", sc_errmsg(db));
    CHECK(strstr(first, "not a database") != NULL);
    /* Reading the message twice changes nothing. */
    CHECK_STR(sc_errmsg(db), first);
    CHECK_INT(sc_batch_begin(db), SC_MISUSE);
    CHECK(strstr(sc_errmsg(db), first) != NULL);
    sc_close(db);
}

/* A PostgreSQL URI or connection string is no file: a schema without
 * PostgreSQL statements (this hand-written one) is refused before any
 * connection, with a message that does not quote the target (it may hold
 * a password), and no folder is made from it. */
static void
test_postgresql_uri_refused(void)
{
    static const char *const uris[] = {
        "postgresql://app:secret@db.example/app",
        "POSTGRES://app:secret@db.example/app?sslmode=require",
        "host=db.example password=secret dbname=app",
    };
    struct parent p;
    size_t i;
    sc_db *db;

    for (i = 0; i < sizeof uris / sizeof uris[0]; i++) {
        CHECK_INT(sc_open(&db, uris[i], &demo_schema, NULL), SC_MISUSE);
        CHECK(strstr(sc_errmsg(db), "PostgreSQL") != NULL);
        CHECK(strstr(sc_errmsg(db), "nothing was opened") != NULL);
        CHECK(strstr(sc_errmsg(db), "secret") == NULL);
        memset(&p, 0, sizeof(p));
        CHECK_INT(sc_row_insert(db, &parent_table, &p), SC_MISUSE);
        CHECK_INT(sc_close(db), SC_OK);
    }
    CHECK(access("postgresql:", F_OK) != 0 && access("POSTGRES:", F_OK) != 0
          && access("host=db.example password=secret dbname=app", F_OK)
                 != 0);
}

static const struct t_test tests[] = {
    T_TEST(test_newer_database_runs_nothing),
    T_TEST(test_not_a_database_runs_nothing),
    T_TEST(test_failed_migration_runs_nothing),
    T_TEST(test_bad_descriptor_runs_nothing),
    T_TEST(test_message_of_the_open_stays),
    T_TEST(test_postgresql_uri_refused),
};

int
main(void)
{
    int status = T_RUN_ALL(tests);

    fx_cleanup();
    return status;
}
