/*
 * test_read_types.c - a stored value whose type its column cannot hold
 * as it is (another writer's text in a real column, 2 in a boolean, a
 * NUL byte in text, a fractional real in an integer) is reported by get
 * and select with SC_CORRUPT naming the column, never converted on the
 * way; values that fit (a whole real in an integer column, a number in a
 * text column, any bytes in a blob) read as before.
 */
#include "fixture.h"

/* Count the rows a select lends. */
static int
count_rows(const void *row, void *arg)
{
    (void)row;
    ++*(int *)arg;
    return 0;
}

/* A demo database at name holding one parent row 1, changed by the SQL
 * set (which runs on a connection of its own). */
static sc_db *
open_with(const char *name, const char *set)
{
    sc_db *db;

    CHECK_INT(sc_open(&db, fx_path(name), &demo_schema, NULL), SC_OK);
    CHECK_INT(fx_exec(fx_path(name), "INSERT INTO parent (id, name) VALUES "
                      "(1, 'p')"), 0);
    CHECK_INT(fx_exec(fx_path(name), set), 0);
    return db;
}

/* get and select of row 1 both fail with SC_CORRUPT naming column. */
static void
check_reported(const char *name, const char *set, const char *column)
{
    sc_db *db = open_with(name, set);
    struct parent out;
    char want[64];
    int n = 0;

    snprintf(want, sizeof want, "column '%s' holds", column);
    CHECK_INT(sc_row_get(db, &parent_table, &(struct parent){ .id = 1 },
                         &out), SC_CORRUPT);
    CHECK(strstr(sc_errmsg(db), want) != NULL);
    CHECK_INT(sc_row_select(db, &parent_table, NULL, NULL, 0, -1, 0,
                            count_rows, &n), SC_CORRUPT);
    CHECK(strstr(sc_errmsg(db), want) != NULL);
    CHECK_INT(n, 0);
    sc_close(db);
}

static void
test_text_in_real_column(void)
{
    check_reported("t1.db", "UPDATE parent SET score = 'abc'", "score");
}

static void
test_two_in_boolean_column(void)
{
    check_reported("t2.db", "UPDATE parent SET flag = 2", "flag");
}

static void
test_nul_in_text_column(void)
{
    check_reported("t3.db", "UPDATE parent SET name = 'a' || char(0) || 'b'",
                   "name");
}

static void
test_blob_with_nul_in_text_column(void)
{
    check_reported("t4.db", "UPDATE parent SET name = x'610062'", "name");
}

/* Values that fit read as before: a whole real where a real is wanted,
 * a blob without NUL as text, any bytes in a blob. */
static void
test_fitting_values_read(void)
{
    sc_db *db = open_with("t5.db", "UPDATE parent SET score = 2, name = "
                          "x'6869', data = 'text bytes', flag = 1");
    struct parent out;

    CHECK_INT(sc_row_get(db, &parent_table, &(struct parent){ .id = 1 },
                         &out), SC_OK);
    CHECK(out.has_score && out.score == 2.0);
    CHECK_STR(out.name, "hi");
    CHECK(out.data.len == 10);
    CHECK(out.has_flag && out.flag);
    sc_row_free(&parent_table, &out);
    sc_close(db);
}

static const struct t_test tests[] = {
    T_TEST(test_text_in_real_column),
    T_TEST(test_two_in_boolean_column),
    T_TEST(test_nul_in_text_column),
    T_TEST(test_blob_with_nul_in_text_column),
    T_TEST(test_fitting_values_read),
};

int
main(void)
{
    int status = T_RUN_ALL(tests);

    fx_cleanup();
    return status;
}
