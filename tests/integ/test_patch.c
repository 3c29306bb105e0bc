/*
 * test_patch.c - patch_items_update_cols() against rows another program
 * wrote with values C cannot hold (text in an integer column, a real in
 * an integer column, text with a NUL byte): the chosen columns change,
 * every other column keeps its stored value and type.
 * Usage: test_patch DB-PATH (a file that does not exist yet).
 */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "patch.h"

static sc_db *db;
static const char *path;

/* Run sql on the file through a connection of its own. */
static void
raw_exec(const char *sql)
{
    sqlite3 *conn = NULL;

    CHECK_INT(sqlite3_open(path, &conn), SQLITE_OK);
    CHECK_INT(sqlite3_exec(conn, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(conn);
}

/* The text of the one-row, one-column result of sql into buf. */
static const char *
raw_text(const char *sql, char *buf, size_t size)
{
    sqlite3 *conn = NULL;
    sqlite3_stmt *st = NULL;

    buf[0] = '\0';
    CHECK_INT(sqlite3_open(path, &conn), SQLITE_OK);
    CHECK_INT(sqlite3_prepare_v2(conn, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        snprintf(buf, size, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(conn);
    return buf;
}

/* Only the chosen columns change; 'lots', 2.5 and a NUL-bearing text
 * written by another program stay exactly as stored. */
static void
test_untouched_columns_keep_their_values(void)
{
    static const int cols[] = { PATCH_ITEMS_COL_SCORE };
    struct patch_items row = PATCH_ITEMS_INIT;
    char buf[128];

    raw_exec("INSERT INTO items VALUES ('a', 'x' || char(0) || 'y', "
             "'lots', 0.5, NULL);"
             "INSERT INTO items VALUES ('b', 'n', 2.5, 0.5, 'keep');");
    row.id = "a";
    row.score = 0.75;
    row.has_score = true;
    CHECK_INT(patch_items_update_cols(db, &row, cols, 1), SC_OK);
    CHECK_STR(raw_text("SELECT typeof(count) || ':' || count || ':' || "
                       "length(CAST(name AS BLOB)) || ':' || score FROM "
                       "items WHERE id = 'a'", buf, sizeof buf),
              "text:lots:3:0.75");
    row.id = "b";
    CHECK_INT(patch_items_update_cols(db, &row, cols, 1), SC_OK);
    CHECK_STR(raw_text("SELECT typeof(count) || ':' || count || ':' || note "
                       "|| ':' || score FROM items WHERE id = 'b'", buf,
                       sizeof buf), "real:2.5:keep:0.75");
}

/* Several columns at once, NULL included; a missing key is SC_NOTFOUND
 * and changes nothing. */
static void
test_several_columns_and_missing_key(void)
{
    static const int cols[] = { PATCH_ITEMS_COL_NOTE, PATCH_ITEMS_COL_NAME };
    struct patch_items row = PATCH_ITEMS_INIT, got = PATCH_ITEMS_INIT;

    row.id = "c";
    row.name = "old";
    row.note = "old";
    row.count = 4;
    row.has_count = true;
    CHECK_INT(patch_items_insert(db, &row), SC_OK);
    row.name = NULL;
    row.note = "new";
    row.count = 99;
    CHECK_INT(patch_items_update_cols(db, &row, cols, 2), SC_OK);
    CHECK_INT(patch_items_get(db, "c", &got), SC_OK);
    CHECK_STR(got.note, "new");
    CHECK_STR(got.name, NULL);
    CHECK_INT(got.count, 4);
    patch_items_free(&got);
    row.id = "missing";
    CHECK_INT(patch_items_update_cols(db, &row, cols, 2), SC_NOTFOUND);
}

/* Empty lists, key columns, repeats and out-of-range indexes are misuse;
 * a NULL key too. */
static void
test_misuse(void)
{
    static const int key[] = { PATCH_ITEMS_COL_ID };
    static const int twice[] = { PATCH_ITEMS_COL_NOTE, PATCH_ITEMS_COL_NOTE };
    static const int range[] = { PATCH_ITEMS_COL_NOTE + 1 };
    static const int negative[] = { -1 };
    static const int note[] = { PATCH_ITEMS_COL_NOTE };
    struct patch_items row = PATCH_ITEMS_INIT;

    row.id = "c";
    CHECK_INT(patch_items_update_cols(db, &row, note, 0), SC_MISUSE);
    CHECK_INT(patch_items_update_cols(db, &row, NULL, 1), SC_MISUSE);
    CHECK_INT(patch_items_update_cols(db, &row, key, 1), SC_MISUSE);
    CHECK_INT(patch_items_update_cols(db, &row, twice, 2), SC_MISUSE);
    CHECK_INT(patch_items_update_cols(db, &row, range, 1), SC_MISUSE);
    CHECK_INT(patch_items_update_cols(db, &row, negative, 1), SC_MISUSE);
    row.id = NULL;
    CHECK_INT(patch_items_update_cols(db, &row, note, 1), SC_MISUSE);
}

static const struct t_test tests[] = {
    T_TEST(test_untouched_columns_keep_their_values),
    T_TEST(test_several_columns_and_missing_key),
    T_TEST(test_misuse),
};

/* Open the database named on the command line and run every test. */
int
main(int argc, char **argv)
{
    int status;

    if (argc != 2) {
        fprintf(stderr, "usage: test_patch DB-PATH\n");
        return 2;
    }
    path = argv[1];
    if (sc_open(&db, path, &patch_schema, NULL) != SC_OK) {
        printf("FAIL open: %s\n", sc_errmsg(db));
        sc_close(db);
        return 1;
    }
    status = T_RUN_ALL(tests);
    sc_close(db);
    return status;
}
