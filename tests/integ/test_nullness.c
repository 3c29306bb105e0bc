/*
 * test_nullness.c - nullness.schema's not-null results against a real
 * file: count(...) and literals read as values on an empty table, and a
 * result asserted with '!' reads normally when it holds a value and
 * makes the call fail with SC_CORRUPT, naming it, when it is NULL.
 * Usage: test_nullness DB-PATH (a file that does not exist yet).
 */
#include <stdio.h>
#include <string.h>

#include "nullness.h"
#include "harness.h"

static sc_db *db;

/* Count one titles() row. */
static int
count_row(const struct nullness_titles_row *row, void *arg)
{
    (void)row;
    ++*(int *)arg;
    return 0;
}

/* On an empty table max() is NULL: the asserted result fails the call,
 * saying which column; nothing is left in the row. */
static void
test_asserted_null_is_corrupt(void)
{
    struct nullness_stats_row r;

    memset(&r, 0x5a, sizeof(r));
    CHECK_INT(nullness_stats(db, &r), SC_CORRUPT);
    CHECK(strstr(sc_errmsg(db), "'newest' is NULL") != NULL);
    CHECK(r.newest == NULL && r.n == 0);
}

/* With rows, every result has its value; count and the literal need no
 * flag. */
static void
test_values_read(void)
{
    struct nullness_books b = NULLNESS_BOOKS_INIT;
    struct nullness_stats_row r;
    int rows = 0;

    b.title = "Dune";
    b.pages = 412;
    b.has_pages = true;
    CHECK_INT(nullness_books_insert(db, &b), SC_OK);
    b.id = 0;
    b.title = "Emma";
    b.has_pages = false;
    CHECK_INT(nullness_books_insert(db, &b), SC_OK);
    CHECK_INT(nullness_stats(db, &r), SC_OK);
    CHECK_INT(r.n, 2);
    CHECK_INT(r.paged, 1);
    CHECK_STR(r.what, "books");
    CHECK_STR(r.newest, "Emma");
    CHECK_INT(r.total, 412);
    nullness_stats_row_free(&r);
    CHECK_INT(nullness_titles(db, count_row, &rows), SC_OK);
    CHECK_INT(rows, 2);
}

static const struct t_test tests[] = {
    T_TEST(test_asserted_null_is_corrupt),
    T_TEST(test_values_read),
};

/* Open the database named on the command line and run every test. */
int
main(int argc, char **argv)
{
    int status;

    if (argc != 2) {
        fprintf(stderr, "usage: test_nullness DB-PATH\n");
        return 2;
    }
    if (sc_open(&db, argv[1], &nullness_schema, NULL) != SC_OK) {
        printf("FAIL open: %s\n", sc_errmsg(db));
        sc_close(db);
        return 1;
    }
    status = T_RUN_ALL(tests);
    sc_close(db);
    return status;
}
