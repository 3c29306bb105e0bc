/*
 * test_sqlnames.c - sqlnames.schema's SQL names with spaces, a keyword
 * and mixed case against a real file: every generated function (insert,
 * upsert, get, update, update_cols, delete, count, select with order,
 * clear_all) and a query reach the right table and columns, and the
 * database holds exactly the SQL names.
 * Usage: test_sqlnames DB-PATH (a file that does not exist yet).
 */
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "sqlnames.h"
#include "harness.h"

static sc_db *db;

/* Insert product id and a line of order 1 for it. */
static void
add_line(int64_t id, const char *name, double price, int64_t qty)
{
    struct sqlnames_products p = SQLNAMES_PRODUCTS_INIT;
    struct sqlnames_order_details d = SQLNAMES_ORDER_DETAILS_INIT;

    p.id = id;
    p.name = name;
    CHECK_INT(sqlnames_products_insert(db, &p), SC_OK);
    d.order_id = 1;
    d.product_id = id;
    d.unit_price = price;
    d.quantity = qty;
    d.status = "open";
    CHECK_INT(sqlnames_order_details_insert(db, &d), SC_OK);
}

/* The database's own names are the SQL names. */
static void
test_names_in_database(void)
{
    sqlite3_stmt *st = NULL;
    int found = 0;

    CHECK_INT(sqlite3_prepare_v2(sc_sqlite(db), "SELECT name FROM "
              "pragma_table_info('Order Details') ORDER BY cid", -1, &st,
              NULL), SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *n = (const char *)sqlite3_column_text(st, 0);
        found += strcmp(n, "Order ID") == 0 || strcmp(n, "Unit Price") == 0
            || strcmp(n, "select") == 0;
    }
    sqlite3_finalize(st);
    CHECK_INT(found, 3);
}

/* Insert, get, update, update_cols, upsert through the quoted names. */
static void
test_row_functions(void)
{
    struct sqlnames_order_details d = SQLNAMES_ORDER_DETAILS_INIT;
    int cols[] = { SQLNAMES_ORDER_DETAILS_COL_UNIT_PRICE };

    add_line(10, "Chai", 18.0, 2);
    CHECK_INT(sqlnames_order_details_get(db, 1, 10, &d), SC_OK);
    CHECK(d.unit_price == 18.0);
    CHECK_STR(d.status, "open");
    sqlnames_order_details_free(&d);
    d.order_id = 1;
    d.product_id = 10;
    d.unit_price = 19.5;
    d.quantity = 3;
    d.status = "paid";
    CHECK_INT(sqlnames_order_details_update(db, &d), SC_OK);
    d.unit_price = 20.0;
    CHECK_INT(sqlnames_order_details_update_cols(db, &d, cols, 1), SC_OK);
    d.quantity = 4;
    CHECK_INT(sqlnames_order_details_upsert(db, &d), SC_OK);
    memset(&d, 0, sizeof(d));
    CHECK_INT(sqlnames_order_details_get(db, 1, 10, &d), SC_OK);
    CHECK(d.unit_price == 20.0);
    CHECK_INT(d.quantity, 4);
    CHECK_STR(d.status, "paid");
    sqlnames_order_details_free(&d);
    d.unit_price = -1;
    d.order_id = 1;
    d.product_id = 10;
    CHECK_INT(sqlnames_order_details_update(db, &d), SC_CONSTRAINT);
}

/* Remember the product of each row select gives. */
static int
collect(const struct sqlnames_order_details *row, void *arg)
{
    int64_t **next = arg;

    *(*next)++ = row->product_id;
    return 0;
}

/* select orders by a quoted column; a query and a delete cascade. */
static void
test_select_query_delete(void)
{
    const sc_order by_price[] = {
        { SQLNAMES_ORDER_DETAILS_COL_UNIT_PRICE, true }
    };
    int64_t got[4] = { 0 }, *next = got, n = -1;
    struct sqlnames_order_total_row total;

    add_line(11, "Chang", 30.0, 1);
    add_line(12, "Aniseed Syrup", 10.0, 10);
    CHECK_INT(sqlnames_order_details_select(db, NULL, by_price, 1, -1, 0,
                                            collect, &next), SC_OK);
    CHECK_INT(next - got, 3);
    CHECK_INT(got[0], 11);
    CHECK_INT(got[1], 10);
    CHECK_INT(got[2], 12);
    CHECK_INT(sqlnames_order_total(db, 1, &total), SC_OK);
    CHECK(total.has_total && total.total == 30.0 + 80.0 + 100.0);
    CHECK_INT(sqlnames_products_delete(db, 11), SC_OK);
    CHECK_INT(sqlnames_order_details_count(db, NULL, &n), SC_OK);
    CHECK_INT(n, 2);
    CHECK_INT(sc_clear_all(db), SC_OK);
    CHECK_INT(sqlnames_products_count(db, NULL, &n), SC_OK);
    CHECK_INT(n, 0);
}

static const struct t_test tests[] = {
    T_TEST(test_names_in_database),
    T_TEST(test_row_functions),
    T_TEST(test_select_query_delete),
};

/* Open the database named on the command line and run every test. */
int
main(int argc, char **argv)
{
    int status;

    if (argc != 2) {
        fprintf(stderr, "usage: test_sqlnames DB-PATH\n");
        return 2;
    }
    if (sc_open(&db, argv[1], &sqlnames_schema, NULL) != SC_OK) {
        printf("FAIL open: %s\n", sc_errmsg(db));
        sc_close(db);
        return 1;
    }
    status = T_RUN_ALL(tests);
    sc_close(db);
    return status;
}
