/*
 * test_names.c - names.schema's tables, whose names SQL gives a meaning of
 * its own (a table called excluded, keywords as names, a column called
 * excluded), against a real database file: every generated function does
 * what it says.
 * Usage: test_names DB-PATH (a file that does not exist yet).
 */
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "names.h"

static sc_db *db;

/* An upsert of a table called excluded replaces the row's other columns
 * with the new values (the special row, not the table itself). */
static void
test_upsert_table_called_excluded(void)
{
    struct names_excluded row = NAMES_EXCLUDED_INIT, got = NAMES_EXCLUDED_INIT;

    row.id = 1;
    row.v = "first";
    row.n = 1;
    row.has_n = true;
    CHECK_INT(names_excluded_insert(db, &row), SC_OK);
    row.v = "second";
    row.n = 2;
    CHECK_INT(names_excluded_upsert(db, &row), SC_OK);
    CHECK_INT(names_excluded_get(db, 1, &got), SC_OK);
    CHECK_STR(got.v, "second");
    CHECK_INT(got.n, 2);
    names_excluded_free(&got);
    /* Defaults apply through the alias too. */
    row.has_n = false;
    row.v = "third";
    CHECK_INT(names_excluded_upsert(db, &row), SC_OK);
    CHECK_INT(names_excluded_get(db, 1, &got), SC_OK);
    CHECK_STR(got.v, "third");
    CHECK_INT(got.n, 7);
    names_excluded_free(&got);
}

/* Keywords as table and column names, and a column called excluded:
 * insert, upsert, get, update, count and delete. */
static void
test_keyword_names(void)
{
    struct names_order row = NAMES_ORDER_INIT, got = NAMES_ORDER_INIT;
    int64_t n = -1;

    row.group = "g";
    row.select = "s1";
    row.excluded = 1;
    row.has_excluded = true;
    CHECK_INT(names_order_insert(db, &row), SC_OK);
    row.select = "s2";
    row.excluded = 2;
    CHECK_INT(names_order_upsert(db, &row), SC_OK);
    CHECK_INT(names_order_get(db, "g", &got), SC_OK);
    CHECK_STR(got.select, "s2");
    CHECK_INT(got.excluded, 2);
    names_order_free(&got);
    row.select = "s3";
    CHECK_INT(names_order_update(db, &row), SC_OK);
    CHECK_INT(names_order_get(db, "g", &got), SC_OK);
    CHECK_STR(got.select, "s3");
    names_order_free(&got);
    CHECK_INT(names_order_count(db, NULL, &n), SC_OK);
    CHECK_INT(n, 1);
    CHECK_INT(names_order_delete(db, "g"), SC_OK);
    CHECK_INT(names_order_get(db, "g", &got), SC_NOTFOUND);
}

/* A NULL in a text key is refused by insert, upsert and update with
 * SC_MISUSE: SQLite would store the row, and no get or delete could
 * reach it. */
static void
test_null_text_key_refused(void)
{
    struct names_order row = NAMES_ORDER_INIT;
    int64_t n = -1;

    row.select = "s";
    CHECK_INT(names_order_insert(db, &row), SC_MISUSE);
    CHECK(strstr(sc_errmsg(db), "key column 'group' is NULL") != NULL);
    CHECK_INT(names_order_upsert(db, &row), SC_MISUSE);
    CHECK_INT(names_order_update(db, &row), SC_MISUSE);
    CHECK_INT(names_order_count(db, NULL, &n), SC_OK);
    CHECK_INT(n, 0);
}

static const struct t_test tests[] = {
    T_TEST(test_upsert_table_called_excluded),
    T_TEST(test_keyword_names),
    T_TEST(test_null_text_key_refused),
};

/* Open the database named on the command line and run every test. */
int
main(int argc, char **argv)
{
    int status;

    if (argc != 2) {
        fprintf(stderr, "usage: test_names DB-PATH\n");
        return 2;
    }
    if (sc_open(&db, argv[1], &names_schema, NULL) != SC_OK) {
        printf("FAIL open: %s\n", sc_errmsg(db));
        sc_close(db);
        return 1;
    }
    status = T_RUN_ALL(tests);
    sc_close(db);
    return status;
}
