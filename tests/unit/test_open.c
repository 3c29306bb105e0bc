/*
 * test_open.c - sc_open/sc_close: pragmas, paths, creating, versions,
 * migrations (atomic per version, retried), refused files left untouched.
 */
#include "fixture.h"

#include <sys/stat.h>

/* Version 1 of the demo schema, to make databases that need migrating. */
static const char *const v1_create[] = {
    "CREATE TABLE schema_version (version INTEGER PRIMARY KEY)",
    "CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT NOT NULL, "
    "score REAL, flag BOOLEAN, data BLOB)",
};
static const sc_schema v1_schema = {
    .abi = SC_ABI_VERSION, .name = "demo", .version = 1,
    .version_table = "schema_version", .create_sql = v1_create, .ncreate = 2,
};

/* Make a version-1 database at file holding two parent rows. */
static void
make_v1(const char *file)
{
    sc_db *db;

    CHECK_INT(sc_open(&db, file, &v1_schema, NULL), SC_OK);
    sc_close(db);
    CHECK_INT(fx_exec(file, "INSERT INTO parent (id, name) VALUES (1, 'a'),"
                      " (2, 'b')"), SQLITE_OK);
}

static void
test_pragmas(void)
{
    const char *file = fx_path("pragmas.db");
    sc_db *db;
    sqlite3_stmt *st;

    CHECK_INT(sc_open(&db, file, &demo_schema, NULL), SC_OK);
    CHECK(sqlite3_prepare_v2(sc_sqlite(db), "PRAGMA journal_mode", -1, &st,
                             NULL) == SQLITE_OK);
    CHECK(sqlite3_step(st) == SQLITE_ROW);
    CHECK_STR((const char *)sqlite3_column_text(st, 0), "wal");
    sqlite3_finalize(st);
    CHECK(sqlite3_prepare_v2(sc_sqlite(db), "PRAGMA foreign_keys", -1, &st,
                             NULL) == SQLITE_OK);
    CHECK(sqlite3_step(st) == SQLITE_ROW);
    CHECK_INT(sqlite3_column_int(st, 0), 1);
    sqlite3_finalize(st);
    CHECK(sqlite3_prepare_v2(sc_sqlite(db), "PRAGMA busy_timeout", -1, &st,
                             NULL) == SQLITE_OK);
    CHECK(sqlite3_step(st) == SQLITE_ROW);
    CHECK_INT(sqlite3_column_int(st, 0), 30000);
    sqlite3_finalize(st);
    sc_close(db);
}

static void
test_busy_timeout_setting(void)
{
    sc_opts opts = { .busy_timeout_ms = 1234 };
    sc_db *db;

    CHECK_INT(sc_open(&db, fx_path("busy.db"), &demo_schema, &opts), SC_OK);
    {
        sqlite3_stmt *st;
        sqlite3_prepare_v2(sc_sqlite(db), "PRAGMA busy_timeout", -1, &st,
                           NULL);
        CHECK(sqlite3_step(st) == SQLITE_ROW);
        CHECK_INT(sqlite3_column_int(st, 0), 1234);
        sqlite3_finalize(st);
    }
    sc_close(db);
}

static void
test_default_path_expands_home(void)
{
    char *old = getenv("HOME") ? strdup(getenv("HOME")) : NULL;
    char expect[600];
    struct stat sb;
    sc_db *db;

    setenv("HOME", fx_path("home"), 1);
    snprintf(expect, sizeof(expect), "%s/.schemac-test/demo.db",
             fx_path("home"));
    CHECK_INT(sc_open(&db, NULL, &demo_schema, NULL), SC_OK);
    sc_close(db);
    CHECK(stat(expect, &sb) == 0);
    CHECK_INT(fx_int(expect, "SELECT version FROM schema_version"), 2);
    if (old) {
        setenv("HOME", old, 1);
        free(old);
    }
}

static void
test_explicit_path_parents_created(void)
{
    const char *file = fx_path("a/b/c/deep.db");
    sc_db *db;

    CHECK_INT(sc_open(&db, file, &demo_schema, NULL), SC_OK);
    sc_close(db);
    CHECK(access(file, F_OK) == 0);
}

static void
test_create_records_version(void)
{
    const char *file = fx_path("create.db");
    sc_db *db;

    CHECK_INT(sc_open(&db, file, &demo_schema, NULL), SC_OK);
    CHECK_INT(sc_version(db), 2);
    sc_close(db);
    CHECK_INT(fx_int(file, "SELECT count(*) FROM schema_version"), 1);
    CHECK_INT(fx_int(file, "SELECT version FROM schema_version"), 2);
    CHECK_INT(fx_int(file, "PRAGMA user_version"), 0);
    CHECK_INT(fx_int(file, "SELECT count(*) FROM sqlite_master WHERE "
                     "name IN ('parent', 'child', 'idx_child_parent')"), 3);
    /* A second open changes nothing. */
    CHECK_INT(sc_open(&db, file, &demo_schema, NULL), SC_OK);
    sc_close(db);
    CHECK_INT(fx_int(file, "SELECT count(*) FROM schema_version"), 1);
}

static void
test_user_version_schema(void)
{
    sc_schema s = demo_schema;
    const char *file = fx_path("uv.db");
    sc_db *db;

    s.version_table = NULL;
    s.create_sql = demo_create + 1;
    s.ncreate = 3;
    CHECK_INT(sc_open(&db, file, &s, NULL), SC_OK);
    sc_close(db);
    CHECK_INT(fx_int(file, "PRAGMA user_version"), 2);
    CHECK_INT(fx_int(file, "SELECT count(*) FROM sqlite_master WHERE name = "
                     "'schema_version'"), 0);
}

static void
test_version_is_max_of_rows(void)
{
    const char *file = fx_path("maxrows.db");
    sc_db *db;

    make_v1(file);
    /* Several rows: the stored version is the largest, not the first. */
    CHECK_INT(fx_exec(file, "INSERT INTO schema_version VALUES (2)"),
              SQLITE_OK);
    CHECK_INT(sc_open(&db, file, &demo_schema, NULL), SC_OK);
    sc_close(db);
    /* Nothing migrated: child was not created by a migration. */
    CHECK_INT(fx_int(file, "SELECT count(*) FROM sqlite_master WHERE name = "
                     "'child'"), 0);
}

static void
test_newer_version_refused(void)
{
    const char *file = fx_path("newer.db");
    sc_db *db;

    CHECK_INT(sc_open(&db, file, &demo_schema, NULL), SC_OK);
    sc_close(db);
    CHECK_INT(fx_exec(file, "PRAGMA journal_mode=DELETE; "
                      "UPDATE schema_version SET version = 9"), SQLITE_OK);
    check_refused_untouched(file, &demo_schema, SC_VERSION);
    check_refused_untouched(file, &v1_schema, SC_VERSION);
}

static void
test_not_a_database_refused(void)
{
    const char *file = fx_path("garbage.db");
    char junk[4096];
    size_t i;

    for (i = 0; i < sizeof(junk); i++)
        junk[i] = (char)(i * 7 + 3);
    fx_write(file, junk, sizeof(junk));
    check_refused_untouched(file, &demo_schema, SC_NOTADB);
}

static void
test_foreign_database_refused(void)
{
    const char *file = fx_path("foreign.db");

    CHECK_INT(fx_exec(file, "CREATE TABLE other (x INTEGER)"), SQLITE_OK);
    check_refused_untouched(file, &demo_schema, SC_VERSION);
}

static void
test_migrates_older(void)
{
    const char *file = fx_path("migrate.db");
    sc_db *db;

    make_v1(file);
    CHECK_INT(sc_open(&db, file, &demo_schema, NULL), SC_OK);
    CHECK_INT(sc_version(db), 2);
    sc_close(db);
    CHECK_INT(fx_int(file, "SELECT version FROM schema_version"), 2);
    CHECK_INT(fx_int(file, "SELECT count(*) FROM schema_version"), 1);
    CHECK_INT(fx_int(file, "SELECT count(*) FROM parent"), 2);
    CHECK_INT(fx_int(file, "SELECT count(*) FROM sqlite_master WHERE name = "
                     "'idx_child_parent'"), 1);
}

/* A schema whose version-2 step fails half-way: its first statement works,
 * the second does not. */
static const char *const broken_steps[] = {
    "CREATE TABLE child (id TEXT PRIMARY KEY, parent_id INTEGER, note TEXT)",
    "UPDATE parent SET name = 'changed'",
    "CREATE INDEX idx_child_parent ON child (no_such_column)",
};
static const sc_migration broken_migrations[] = {
    { .version = 2, .sql = broken_steps, .nsql = 3 },
};

static int log_calls;
static void
count_log(void *arg, int rc, const char *msg)
{
    (void)arg;
    (void)rc;
    (void)msg;
    log_calls++;
}

static void
test_failed_migration_rolls_back_and_retries(void)
{
    const char *file = fx_path("broken.db");
    sc_schema broken = demo_schema;
    sc_opts opts = { .log = count_log };
    sc_db *db;

    make_v1(file);
    broken.migrations = broken_migrations;
    log_calls = 0;
    CHECK_INT(sc_open(&db, file, &broken, &opts), SC_ERROR);
    CHECK(strstr(sc_errmsg(db), "version 2") != NULL);
    CHECK(strstr(sc_errmsg(db), "no_such_column") != NULL);
    CHECK(log_calls > 0);
    sc_close(db);
    /* Nothing of version 2 remains: no table, no changed row, old version. */
    CHECK_INT(fx_int(file, "SELECT version FROM schema_version"), 1);
    CHECK_INT(fx_int(file, "SELECT count(*) FROM sqlite_master WHERE name = "
                     "'child'"), 0);
    CHECK_INT(fx_int(file, "SELECT count(*) FROM parent WHERE name = "
                     "'changed'"), 0);
    /* The fixed code migrates on the next open. */
    CHECK_INT(sc_open(&db, file, &demo_schema, NULL), SC_OK);
    sc_close(db);
    CHECK_INT(fx_int(file, "SELECT version FROM schema_version"), 2);
    CHECK_INT(fx_int(file, "SELECT count(*) FROM parent"), 2);
}

/* A rebuild step whose copy breaks a foreign key is refused. */
static const char *const rebuild_steps[] = {
    "CREATE TABLE child (id TEXT PRIMARY KEY, "
    "parent_id INTEGER REFERENCES parent(id), note TEXT)",
    "INSERT INTO child VALUES ('x', 99, 'dangling')",
    "CREATE INDEX idx_child_parent ON child (parent_id)",
};
static const sc_migration rebuild_migrations[] = {
    { .version = 2, .sql = rebuild_steps, .nsql = 3, .rebuild = true },
};

static void
test_rebuild_foreign_key_check(void)
{
    const char *file = fx_path("rebuild.db");
    sc_schema s = demo_schema;
    sc_db *db;

    make_v1(file);
    s.migrations = rebuild_migrations;
    CHECK_INT(sc_open(&db, file, &s, NULL), SC_CONSTRAINT);
    CHECK(strstr(sc_errmsg(db), "foreign key") != NULL);
    sc_close(db);
    CHECK_INT(fx_int(file, "SELECT version FROM schema_version"), 1);
    CHECK_INT(fx_int(file, "SELECT count(*) FROM sqlite_master WHERE name = "
                     "'child'"), 0);
}

static void
test_errors_never_null(void)
{
    sc_db *db = NULL;
    int rc;

    CHECK(sc_errmsg(NULL) != NULL);
    CHECK_INT(sc_close(NULL), SC_OK);
    for (rc = SC_OK; rc <= SC_ERROR + 1; rc++)
        CHECK(sc_errstr(rc) != NULL && sc_errstr(rc)[0] != '\0');
    CHECK_INT(sc_open(NULL, "x", &demo_schema, NULL), SC_MISUSE);
    CHECK_INT(sc_open(&db, fx_path("x.db"), NULL, NULL), SC_MISUSE);
    CHECK(db != NULL && strlen(sc_errmsg(db)) > 0);
    sc_close(db);
}

static void
test_abi_mismatch_refused(void)
{
    sc_schema s = demo_schema;
    sc_db *db;

    s.abi = SC_ABI_VERSION + 1;
    CHECK_INT(sc_open(&db, fx_path("abi.db"), &s, NULL), SC_MISUSE);
    CHECK(strstr(sc_errmsg(db), "regenerate") != NULL);
    sc_close(db);
}

static void
test_unopenable_path(void)
{
    sc_db *db;

    fx_write(fx_path("afile"), "x", 1);
    CHECK_INT(sc_open(&db, fx_path("afile/sub/x.db"), &demo_schema, NULL),
              SC_IO);
    CHECK(strlen(sc_errmsg(db)) > 0);
    sc_close(db);
}

static const struct t_test tests[] = {
    T_TEST(test_pragmas),
    T_TEST(test_busy_timeout_setting),
    T_TEST(test_default_path_expands_home),
    T_TEST(test_explicit_path_parents_created),
    T_TEST(test_create_records_version),
    T_TEST(test_user_version_schema),
    T_TEST(test_version_is_max_of_rows),
    T_TEST(test_newer_version_refused),
    T_TEST(test_not_a_database_refused),
    T_TEST(test_foreign_database_refused),
    T_TEST(test_migrates_older),
    T_TEST(test_failed_migration_rolls_back_and_retries),
    T_TEST(test_rebuild_foreign_key_check),
    T_TEST(test_errors_never_null),
    T_TEST(test_abi_mismatch_refused),
    T_TEST(test_unopenable_path),
};

int
main(void)
{
    int status;

    status = T_RUN_ALL(tests);
    fx_cleanup();
    return status;
}
