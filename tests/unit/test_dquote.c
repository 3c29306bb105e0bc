/*
 * test_dquote.c - a double-quoted name that is not a column is an error,
 * never the string literal SQLite's legacy rule would make of it.
 */
#include "fixture.h"

/* Count callback for select: add one to *(int *)arg per row. */
static int
count_row(const void *row, void *arg)
{
    (void)row;
    (*(int *)arg)++;
    return 0;
}

/* Open a fresh demo database at name holding three parent rows. */
static sc_db *
open_with_rows(const char *name)
{
    struct parent p;
    sc_db *db;
    int i;

    CHECK_INT(sc_open(&db, fx_path(name), &demo_schema, NULL), SC_OK);
    for (i = 1; i <= 3; i++) {
        memset(&p, 0, sizeof(p));
        p.id = i;
        p.name = "n";
        CHECK_INT(sc_row_insert(db, &parent_table, &p), SC_OK);
    }
    return db;
}

static void
test_misspelt_column_in_where_is_an_error(void)
{
    sc_db *db = open_with_rows("misspelt.db");
    sc_where w = SC_WHERE_INIT;
    int64_t n = -1;
    int nrows = 0;

    /* Legacy SQLite reads "nmae" as the text 'nmae', true for every row. */
    CHECK_INT(sc_where_add(&w, "\"nmae\" = ?", 1, sc_text("nmae")), SC_OK);
    CHECK_INT(sc_row_count(db, &parent_table, &w, &n), SC_ERROR);
    CHECK(strstr(sc_errmsg(db), "no such column: nmae") != NULL);
    CHECK_INT(sc_row_select(db, &parent_table, &w, NULL, 0, -1, 0,
                            count_row, &nrows), SC_ERROR);
    CHECK_INT(nrows, 0);
    CHECK(strstr(sc_errmsg(db), "no such column: nmae") != NULL);
    sc_where_fini(&w);
    sc_close(db);
}

static void
test_misspelt_column_always_true_is_an_error(void)
{
    sc_db *db = open_with_rows("always.db");
    sc_where w = SC_WHERE_INIT;
    int64_t n = -1;

    CHECK_INT(sc_where_add(&w, "\"nmae\" IS NOT NULL", 0), SC_OK);
    CHECK_INT(sc_row_count(db, &parent_table, &w, &n), SC_ERROR);
    CHECK(strstr(sc_errmsg(db), "nmae") != NULL);
    sc_where_fini(&w);
    sc_close(db);
}

static void
test_quoted_real_column_still_works(void)
{
    sc_db *db = open_with_rows("quoted.db");
    sc_where w = SC_WHERE_INIT;
    int64_t n = -1;
    int nrows = 0;

    CHECK_INT(sc_where_add(&w, "\"name\" = ? AND \"id\" >= ?", 2,
                           sc_text("n"), sc_int(2)), SC_OK);
    CHECK_INT(sc_row_count(db, &parent_table, &w, &n), SC_OK);
    CHECK_INT(n, 2);
    CHECK_INT(sc_row_select(db, &parent_table, &w, NULL, 0, -1, 0,
                            count_row, &nrows), SC_OK);
    CHECK_INT(nrows, 2);
    sc_where_fini(&w);
    sc_close(db);
}

static void
test_connection_refuses_double_quoted_strings(void)
{
    sc_db *db = open_with_rows("conn.db");
    int dml = -1, ddl = -1;

    /* The setting belongs to every connection sc_open makes: statements
     * run through sc_sqlite() follow it too, DML and DDL. */
    CHECK_INT(sqlite3_db_config(sc_sqlite(db), SQLITE_DBCONFIG_DQS_DML, -1,
                                &dml), SQLITE_OK);
    CHECK_INT(sqlite3_db_config(sc_sqlite(db), SQLITE_DBCONFIG_DQS_DDL, -1,
                                &ddl), SQLITE_OK);
    CHECK_INT(dml, 0);
    CHECK_INT(ddl, 0);
    CHECK(sqlite3_exec(sc_sqlite(db), "SELECT \"nope\" FROM parent", NULL,
                       NULL, NULL) != SQLITE_OK);
    CHECK(sqlite3_exec(sc_sqlite(db), "CREATE INDEX bad ON parent (id) "
                       "WHERE \"nope\" = 1", NULL, NULL, NULL) != SQLITE_OK);
    sc_close(db);
}

static const struct t_test tests[] = {
    T_TEST(test_misspelt_column_in_where_is_an_error),
    T_TEST(test_misspelt_column_always_true_is_an_error),
    T_TEST(test_quoted_real_column_still_works),
    T_TEST(test_connection_refuses_double_quoted_strings),
};

int
main(void)
{
    int status = T_RUN_ALL(tests);

    fx_cleanup();
    return status;
}
