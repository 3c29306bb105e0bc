/*
 * test_half_migrated.c - finishing a migration another store left half
 * done.  A store killed inside its own migration (not one transaction)
 * leaves version 1 with some of version 2's columns, tables and indexes;
 * each step whose object is there exactly as the step makes it counts as
 * done, and one whose object is there in another shape fails naming it,
 * with nothing changed.
 */
#include "fixture.h"

#define VT_DDL "CREATE TABLE schema_version (version INTEGER PRIMARY KEY)"
#define PARENT_V1_DDL \
    "CREATE TABLE parent (\n    id INTEGER PRIMARY KEY,\n" \
    "    name TEXT NOT NULL\n)"
#define ADD_NOTE "ALTER TABLE parent ADD COLUMN note TEXT DEFAULT 'none'"
#define ADD_RANK \
    "ALTER TABLE parent ADD COLUMN rank INTEGER NOT NULL DEFAULT 0"
#define CHILD_DDL \
    "CREATE TABLE child (\n    id TEXT PRIMARY KEY,\n" \
    "    parent_id INTEGER REFERENCES parent(id),\n" \
    "    \"action\" TEXT NOT NULL CHECK (length(\"action\") > 0)\n)"
#define CHILD_INDEX "CREATE INDEX idx_child_parent ON child (parent_id)"
#define NAME_INDEX "CREATE UNIQUE INDEX idx_parent_name ON parent (name)"

static const char *const v1_create[] = { VT_DDL, PARENT_V1_DDL };
static const char *const v2_steps[] = {
    ADD_NOTE, ADD_RANK, CHILD_DDL, CHILD_INDEX, NAME_INDEX,
};
static const char *const v2_create[] = {
    VT_DDL,
    "CREATE TABLE parent (\n    id INTEGER PRIMARY KEY,\n"
    "    name TEXT NOT NULL,\n    note TEXT DEFAULT 'none',\n"
    "    rank INTEGER NOT NULL DEFAULT 0\n)",
    CHILD_DDL, CHILD_INDEX, NAME_INDEX,
};
static const sc_migration half_migrations[] = {
    { .version = 2, .sql = v2_steps, .nsql = 5 },
};
static const sc_schema half_v1 = {
    .abi = SC_ABI_VERSION, .name = "half", .version = 1,
    .version_table = "schema_version", .create_sql = v1_create,
    .ncreate = 2,
};
static const sc_schema half_v2 = {
    .abi = SC_ABI_VERSION, .name = "half", .version = 2,
    .version_table = "schema_version", .create_sql = v2_create,
    .ncreate = 5, .migrations = half_migrations, .nmigrations = 1,
};

/* Make a version-1 file at name with one parent row, then run by_hand on
 * it (what the killed store did of version 2).  Returns the path. */
static const char *
make_half(const char *name, const char *by_hand)
{
    const char *file = fx_path(name);
    sc_db *db;

    CHECK_INT(sc_open(&db, file, &half_v1, NULL), SC_OK);
    sc_close(db);
    CHECK_INT(fx_exec(file, "INSERT INTO parent (id, name) VALUES (1, 'a')"),
              SQLITE_OK);
    if (by_hand != NULL && fx_exec(file, by_hand) != SQLITE_OK)
        T_FAIL("could not run by hand: %s", by_hand);
    return file;
}

/* The schema text of file, every object's type, name and SQL, into buf. */
static void
schema_text(const char *file, char *buf, size_t size)
{
    sqlite3 *c;
    sqlite3_stmt *st;

    buf[0] = '\0';
    if (sqlite3_open(file, &c) == SQLITE_OK
        && sqlite3_prepare_v2(c, "SELECT group_concat(type || ' ' || name "
                              "|| ' ' || coalesce(sql, ''), ' | ') FROM "
                              "(SELECT * FROM sqlite_master ORDER BY name)",
                              -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
            snprintf(buf, size, "%s", sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
    }
    sqlite3_close(c);
}

/* Open file at version 2: it must reach version 2 with every object of
 * version 2 there once and the parent row kept. */
static void
check_finished(const char *file)
{
    sc_db *db;

    CHECK_INT(sc_open(&db, file, &half_v2, NULL), SC_OK);
    if (sc_version(db) != 2)
        T_FAIL("open: %s", sc_errmsg(db));
    sc_close(db);
    CHECK_INT(fx_int(file, "SELECT max(version) FROM schema_version"), 2);
    CHECK_INT(fx_int(file, "SELECT count(*) FROM pragma_table_info('parent')"
                     " WHERE name IN ('note', 'rank')"), 2);
    CHECK_INT(fx_int(file, "SELECT count(*) FROM sqlite_master WHERE name IN"
                     " ('child', 'idx_child_parent', 'idx_parent_name')"), 3);
    CHECK_INT(fx_int(file, "SELECT count(*) FROM parent WHERE id = 1 AND "
                     "note = 'none' AND rank = 0"), 1);
}

/* Open file at version 2: it must fail with SC_ERROR, the message naming
 * each of the texts given (NULL-terminated), and leave the schema, the
 * version and the row as they were. */
static void
check_refused(const char *file, const char *text1, const char *text2)
{
    char before[4096], after[4096];
    sc_db *db;

    schema_text(file, before, sizeof(before));
    CHECK_INT(sc_open(&db, file, &half_v2, NULL), SC_ERROR);
    if (strstr(sc_errmsg(db), "migration to version 2 failed") == NULL
        || strstr(sc_errmsg(db), text1) == NULL
        || (text2 != NULL && strstr(sc_errmsg(db), text2) == NULL))
        T_FAIL("message \"%s\" lacks \"%s\" or \"%s\"", sc_errmsg(db),
               text1, text2 ? text2 : "");
    sc_close(db);
    schema_text(file, after, sizeof(after));
    CHECK_STR(after, before);
    CHECK_INT(fx_int(file, "SELECT max(version) FROM schema_version"), 1);
    CHECK_INT(fx_int(file, "SELECT count(*) FROM parent"), 1);
}

static void
test_nothing_done_migrates(void)
{
    check_finished(make_half("none.db", NULL));
}

static void
test_one_column_done(void)
{
    /* Another store's spelling of the same column. */
    check_finished(make_half("note.db",
                             "ALTER TABLE parent ADD note text  default "
                             "'none'"));
}

static void
test_all_but_the_last_done(void)
{
    check_finished(make_half("most.db",
        "ALTER TABLE \"parent\" ADD COLUMN \"note\" TEXT DEFAULT 'none';"
        "ALTER TABLE parent ADD COLUMN rank INTEGER NOT NULL DEFAULT 0;"
        "CREATE TABLE child(id TEXT PRIMARY KEY, parent_id INTEGER "
        "REFERENCES parent(id), action TEXT NOT NULL CHECK(length(action) "
        "> 0));"
        "CREATE INDEX idx_child_parent ON child(parent_id) /* by hand */;"));
}

static void
test_everything_done_but_the_version(void)
{
    check_finished(make_half("all.db",
                             ADD_NOTE ";" ADD_RANK ";" CHILD_DDL ";"
                             CHILD_INDEX ";" NAME_INDEX));
}

static void
test_column_other_default_refused(void)
{
    /* Strings compare as written: 'None' is not 'none'. */
    check_refused(make_half("default.db", "ALTER TABLE parent ADD COLUMN "
                            "note TEXT DEFAULT 'None'"),
                  "column 'note' of table 'parent'", "'None'");
}

static void
test_column_other_shape_refused(void)
{
    check_refused(make_half("nodefault.db",
                            "ALTER TABLE parent ADD COLUMN note TEXT"),
                  "column 'note' of table 'parent'", "default 'none'");
    check_refused(make_half("type.db", "ALTER TABLE parent ADD COLUMN "
                            "note BLOB DEFAULT 'none'"),
                  "column 'note' of table 'parent'", "blob");
    check_refused(make_half("null.db", ADD_NOTE "; ALTER TABLE parent ADD "
                            "COLUMN rank INTEGER DEFAULT 0"),
                  "column 'rank' of table 'parent'", NULL);
}

static void
test_table_other_shape_refused(void)
{
    /* The same columns, another CHECK. */
    check_refused(make_half("check.db",
                            ADD_NOTE ";" ADD_RANK ";"
                            "CREATE TABLE child (id TEXT PRIMARY KEY, "
                            "parent_id INTEGER REFERENCES parent(id), "
                            "action TEXT NOT NULL CHECK (length(action) "
                            "> 1))"),
                  "table 'child'", "1");
    check_refused(make_half("fewer.db", "CREATE TABLE child (id TEXT "
                            "PRIMARY KEY)"),
                  "table 'child'", NULL);
}

static void
test_index_other_shape_refused(void)
{
    check_refused(make_half("index.db",
                            ADD_NOTE ";" ADD_RANK ";" CHILD_DDL ";"
                            "CREATE INDEX idx_child_parent ON child (id)"),
                  "index 'idx_child_parent'", "id");
    check_refused(make_half("unique.db",
                            ADD_NOTE ";" ADD_RANK ";" CHILD_DDL ";"
                            CHILD_INDEX ";"
                            "CREATE INDEX idx_parent_name ON parent (name)"),
                  "index 'idx_parent_name'", "not unique");
}

static void
test_other_kind_of_object_refused(void)
{
    check_refused(make_half("view.db", ADD_NOTE ";" ADD_RANK ";"
                            "CREATE VIEW child AS SELECT 1"),
                  "'child' already exists as a view", NULL);
}

static const struct t_test tests[] = {
    T_TEST(test_nothing_done_migrates),
    T_TEST(test_one_column_done),
    T_TEST(test_all_but_the_last_done),
    T_TEST(test_everything_done_but_the_version),
    T_TEST(test_column_other_default_refused),
    T_TEST(test_column_other_shape_refused),
    T_TEST(test_table_other_shape_refused),
    T_TEST(test_index_other_shape_refused),
    T_TEST(test_other_kind_of_object_refused),
};

int
main(void)
{
    int status = T_RUN_ALL(tests);

    fx_cleanup();
    return status;
}
