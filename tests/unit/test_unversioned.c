/*
 * test_unversioned.c - unversioned indexes on SQLite: sc_open() creates
 * each one a file lacks, whatever made the file, without touching its
 * version; finds one there without taking the write lock; drops them
 * before a migration step (which could not drop a column they cover
 * otherwise) and creates them after it; drops a retired one (`until`) at
 * the open and before each step; and fails the open, with the index's
 * statement in the message, when one cannot be created.
 */
#include "fixture.h"

/* An unversioned index on each table of the fixture; version 3 below
 * drops the column the second one covers, by a DROP COLUMN that an index
 * on it would make fail. */
static const sc_index uv_indexes[] = {
    { "CREATE INDEX IF NOT EXISTS uv_parent_name ON parent (name, score)",
      "DROP INDEX IF EXISTS uv_parent_name" },
    { "CREATE INDEX IF NOT EXISTS uv_child_note ON child (parent_id, note)",
      "DROP INDEX IF EXISTS uv_child_note" },
};

/* Version 3 of the fixture: child loses note. */
static const char *const v3_create[] = {
    "CREATE TABLE schema_version (version INTEGER PRIMARY KEY)",
    "CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT NOT NULL, "
    "score REAL, flag BOOLEAN, data BLOB)",
    "CREATE TABLE child (id TEXT PRIMARY KEY, "
    "parent_id INTEGER REFERENCES parent(id))",
    "CREATE INDEX idx_child_parent ON child (parent_id)",
};
static const char *const v3_steps[] = { "ALTER TABLE child DROP COLUMN note" };
static const sc_migration v3_migrations[] = {
    { .version = 2, .sql = demo_v2_steps, .nsql = 2, .rebuild = false },
    { .version = 3, .sql = v3_steps, .nsql = 1, .rebuild = false },
};
static const sc_index v3_indexes[] = {
    { "CREATE INDEX IF NOT EXISTS uv_parent_name ON parent (name, score)",
      "DROP INDEX IF EXISTS uv_parent_name" },
    { "CREATE INDEX IF NOT EXISTS uv_child_note ON child (parent_id)",
      "DROP INDEX IF EXISTS uv_child_note" },
};

/* uv_child_note retired (`unversioned until 3`): only its drop. */
static const sc_index retired_indexes[] = {
    { "CREATE INDEX IF NOT EXISTS uv_parent_name ON parent (name, score)",
      "DROP INDEX IF EXISTS uv_parent_name" },
    { NULL, "DROP INDEX IF EXISTS uv_child_note" },
};

/* The fixture's schema at version (2, as the fixture has it, or 3) with
 * the n unversioned indexes ix. */
static sc_schema
schema_with(int version, const sc_index *ix, size_t n)
{
    sc_schema s = demo_schema;

    if (version == 3) {
        s.version = 3;
        s.create_sql = v3_create;
        s.migrations = v3_migrations;
        s.nmigrations = 2;
    }
    s.unversioned = ix;
    s.nunversioned = n;
    return s;
}


/* The SQL of index name in file, or "" when it has none. */
static const char *
index_sql(const char *file, const char *name)
{
    static char buf[512];
    sqlite3 *c;
    sqlite3_stmt *st;

    buf[0] = '\0';
    if (sqlite3_open(file, &c) == SQLITE_OK
        && sqlite3_prepare_v2(c, "SELECT sql FROM sqlite_master WHERE type = "
                              "'index' AND name = ?1", -1, &st, NULL)
           == SQLITE_OK) {
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW)
            snprintf(buf, sizeof(buf), "%s",
                     (const char *)sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
    }
    sqlite3_close(c);
    return buf;
}

/* Whether file holds an index called name. */
static bool
has_index(const char *file, const char *name)
{
    return index_sql(file, name)[0] != '\0';
}

/* A new file gets the version's DDL and the unversioned indexes, and the
 * version's DDL alone is what the version table vouches for. */
static void
test_new_file(void)
{
    const char *file = fx_path("new.db");
    sc_schema s = schema_with(2, uv_indexes, 2);
    sc_db *db;

    CHECK_INT(sc_open(&db, file, &s, NULL), SC_OK);
    CHECK_INT(sc_version(db), 2);
    sc_close(db);
    CHECK_STR(index_sql(file, "uv_parent_name"),
              "CREATE INDEX uv_parent_name ON parent (name, score)");
    CHECK_STR(index_sql(file, "uv_child_note"),
              "CREATE INDEX uv_child_note ON child (parent_id, note)");
    CHECK_INT(fx_int(file, "SELECT max(version) FROM schema_version"), 2);
}

/* A file another program made at the current version, without the
 * indexes, gets them at the first open, its rows and version untouched;
 * one that lost an index gets it back. */
static void
test_file_without_them(void)
{
    const char *file = fx_path("other.db");
    sc_schema s = schema_with(2, uv_indexes, 2);
    sc_db *db;

    CHECK_INT(sc_open(&db, file, &demo_schema, NULL), SC_OK);
    sc_close(db);
    CHECK_INT(fx_exec(file, "INSERT INTO parent (id, name) VALUES (1, 'a'); "
                      "INSERT INTO child (id, parent_id, note) VALUES "
                      "('c', 1, 'n')"), SQLITE_OK);
    CHECK(!has_index(file, "uv_parent_name"));
    CHECK_INT(sc_open(&db, file, &s, NULL), SC_OK);
    sc_close(db);
    CHECK(has_index(file, "uv_parent_name"));
    CHECK(has_index(file, "uv_child_note"));
    CHECK_INT(fx_int(file, "SELECT count(*) FROM parent"), 1);
    CHECK_INT(fx_int(file, "SELECT count(*) FROM child"), 1);
    CHECK_INT(fx_int(file, "SELECT count(*) FROM schema_version"), 1);
    CHECK_INT(fx_int(file, "SELECT max(version) FROM schema_version"), 2);
    CHECK_INT(fx_exec(file, "DROP INDEX uv_child_note"), SQLITE_OK);
    CHECK_INT(sc_open(&db, file, &s, NULL), SC_OK);
    sc_close(db);
    CHECK(has_index(file, "uv_child_note"));
}

/* With the indexes there, an open takes no write lock: it succeeds while
 * another connection holds one.  With one missing it must wait for the
 * lock, and says SC_BUSY when the wait runs out, not SC_OK. */
static void
test_lock(void)
{
    const char *file = fx_path("lock.db");
    sc_schema s = schema_with(2, uv_indexes, 2);
    sc_opts opts = { .busy_timeout_ms = 50 };
    sqlite3 *other;
    sc_db *db;

    CHECK_INT(sc_open(&db, file, &s, NULL), SC_OK);
    sc_close(db);
    CHECK_INT(sqlite3_open(file, &other), SQLITE_OK);
    CHECK_INT(sqlite3_exec(other, "BEGIN IMMEDIATE; INSERT INTO parent "
                           "(id, name) VALUES (7, 'w')", NULL, NULL, NULL),
              SQLITE_OK);
    CHECK_INT(sc_open(&db, file, &s, &opts), SC_OK);
    sc_close(db);
    CHECK_INT(sqlite3_exec(other, "ROLLBACK; DROP INDEX uv_child_note; "
                           "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    CHECK_INT(sc_open(&db, file, &s, &opts), SC_BUSY);
    CHECK(strstr(sc_errmsg(db), "unversioned index") != NULL);
    CHECK_INT(sc_version(db), 0);
    sc_close(db);
    sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(other);
    CHECK(!has_index(file, "uv_child_note"));
}

/* A migration step that drops a column an unversioned index covers
 * works: the indexes are dropped first, in the step's transaction, and
 * made again in the new shape after the last step. */
static void
test_migration_drops_them_first(void)
{
    const char *file = fx_path("migrate.db");
    sc_schema v2 = schema_with(2, uv_indexes, 2);
    sc_schema v3 = schema_with(3, v3_indexes, 2);
    sc_db *db;

    CHECK_INT(sc_open(&db, file, &v2, NULL), SC_OK);
    sc_close(db);
    CHECK(strstr(index_sql(file, "uv_child_note"), "note") != NULL);
    /* Without the drop, SQLite refuses the step: the test's premise. */
    CHECK(fx_exec(file, "ALTER TABLE child DROP COLUMN note") != SQLITE_OK);
    CHECK_INT(sc_open(&db, file, &v3, NULL), SC_OK);
    CHECK_INT(sc_version(db), 3);
    sc_close(db);
    CHECK_STR(index_sql(file, "uv_child_note"),
              "CREATE INDEX uv_child_note ON child (parent_id)");
    CHECK(has_index(file, "uv_parent_name"));
    CHECK_INT(fx_int(file, "SELECT count(*) FROM pragma_table_info('child') "
                     "WHERE name = 'note'"), 0);
}

/* A retired index is dropped by the next open where it is, without a
 * migration, and before the step that drops the column it covered, which
 * would fail on every file that has it otherwise. */
static void
test_retired(void)
{
    const char *file = fx_path("retired.db");
    sc_schema v2 = schema_with(2, uv_indexes, 2);
    sc_schema v2_retired = schema_with(2, retired_indexes, 2);
    sc_schema v3 = schema_with(3, retired_indexes, 2);
    sc_db *db;

    CHECK_INT(sc_open(&db, file, &v2, NULL), SC_OK);
    sc_close(db);
    CHECK(has_index(file, "uv_child_note"));
    CHECK_INT(sc_open(&db, file, &v2_retired, NULL), SC_OK);
    CHECK_INT(sc_version(db), 2);
    sc_close(db);
    CHECK(!has_index(file, "uv_child_note"));
    CHECK(has_index(file, "uv_parent_name"));
    /* Back again, as a build that still declares it would make it. */
    CHECK_INT(sc_open(&db, file, &v2, NULL), SC_OK);
    sc_close(db);
    CHECK(has_index(file, "uv_child_note"));
    CHECK_INT(sc_open(&db, file, &v3, NULL), SC_OK);
    CHECK_INT(sc_version(db), 3);
    sc_close(db);
    CHECK(!has_index(file, "uv_child_note"));
    CHECK_INT(fx_int(file, "SELECT count(*) FROM pragma_table_info('child') "
                     "WHERE name = 'note'"), 0);
}

/* An index that cannot be created fails the open with SQLite's reason
 * and leaves the handle running nothing. */
static void
test_failure_reported(void)
{
    static const sc_index broken[] = {
        { "CREATE INDEX IF NOT EXISTS uv_bad ON parent (no_such_column)",
          "DROP INDEX IF EXISTS uv_bad" },
    };
    const char *file = fx_path("broken.db");
    sc_schema s = schema_with(2, broken, 1);
    struct parent p = { .id = 1, .name = "x" };
    sc_db *db;

    CHECK(sc_open(&db, file, &s, NULL) != SC_OK);
    CHECK(strstr(sc_errmsg(db), "no_such_column") != NULL);
    CHECK_INT(sc_row_insert(db, &parent_table, &p), SC_MISUSE);
    sc_close(db);
}

static const struct t_test tests[] = {
    T_TEST(test_new_file),
    T_TEST(test_file_without_them),
    T_TEST(test_lock),
    T_TEST(test_migration_drops_them_first),
    T_TEST(test_retired),
    T_TEST(test_failure_reported),
};

int
main(void)
{
    int status;

    status = T_RUN_ALL(tests);
    fx_cleanup();
    return status;
}
