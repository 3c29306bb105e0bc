/*
 * test_views.c - views.schema's views against a real file: count and
 * select (with sc_where, order and limit) read what the view's SELECT
 * gives, asserted columns come back as values, a query reads a view, and
 * a view's descriptor refuses writes.
 * Usage: test_views DB-PATH (a file that does not exist yet).
 */
#include <stdio.h>
#include <string.h>

#include "views.h"
#include "harness.h"

static sc_db *db;

/* Insert customer id named name and orders of the given totals. */
static void
add(int64_t id, const char *name, const double *totals, size_t n)
{
    struct views_customers c = VIEWS_CUSTOMERS_INIT;
    struct views_orders o = VIEWS_ORDERS_INIT;
    size_t i;

    c.id = id;
    c.name = name;
    CHECK_INT(views_customers_insert(db, &c), SC_OK);
    for (i = 0; i < n; i++) {
        o.id = 0;
        o.customer = id;
        o.total = totals[i];
        CHECK_INT(views_orders_insert(db, &o), SC_OK);
    }
}

/* Copy each customer_totals row select gives into the array at arg. */
static int
collect(const struct views_customer_totals *row, void *arg)
{
    struct views_customer_totals **next = arg;

    **next = *row;
    (*next)->name = NULL;       /* lent for the call only */
    ++*next;
    return 0;
}

/* count and select through the aggregate view. */
static void
test_aggregate_view(void)
{
    static const double ann[] = { 50.0, 150.0 }, bob[] = { 20.0 };
    const sc_order by_spent[] = {
        { VIEWS_CUSTOMER_TOTALS_COL_SPENT, true }
    };
    struct views_customer_totals rows[4], *next = rows;
    sc_where w = SC_WHERE_INIT;
    int64_t n = -1;

    add(1, "Ann", ann, 2);
    add(2, "Bob", bob, 1);
    add(3, "Cid", NULL, 0);
    CHECK_INT(views_customer_totals_count(db, NULL, &n), SC_OK);
    CHECK_INT(n, 3);
    CHECK_INT(views_customer_totals_select(db, NULL, by_spent, 1, 2, 0,
                                           collect, &next), SC_OK);
    CHECK_INT(next - rows, 2);
    CHECK_INT(rows[0].id, 1);
    CHECK(rows[0].spent == 200.0 && rows[0].orders == 2);
    CHECK_INT(rows[1].id, 2);
    /* A customer without orders spent 0, not NULL. */
    CHECK_INT(sc_where_add(&w, "orders = ?", 1, sc_int(0)), SC_OK);
    next = rows;
    CHECK_INT(views_customer_totals_select(db, &w, NULL, 0, -1, 0, collect,
                                           &next), SC_OK);
    sc_where_fini(&w);
    CHECK_INT(next - rows, 1);
    CHECK(rows[0].id == 3 && rows[0].spent == 0.0);
}

/* A view of one table's rows; a query over a view. */
static void
test_filter_view_and_query(void)
{
    struct views_top_spenders_row *top = NULL;
    size_t ntop = 0;
    int64_t n = -1;

    CHECK_INT(views_big_orders_count(db, NULL, &n), SC_OK);
    CHECK_INT(n, 1);
    CHECK_INT(views_top_spenders_all(db, 1, &top, &ntop), SC_OK);
    CHECK_INT(ntop, 1);
    if (ntop == 1) {
        CHECK_STR(top[0].name, "Ann");
        CHECK(top[0].spent == 200.0);
    }
    views_top_spenders_all_free(top, ntop);
}

/* A view has no insert; its descriptor refuses one, unchanged. */
static void
test_view_refuses_writes(void)
{
    struct views_big_orders o = VIEWS_BIG_ORDERS_INIT;

    o.id = 99;
    o.customer = 1;
    o.total = 500.0;
    CHECK_INT(sc_row_insert(db, &views_big_orders_table, &o), SC_MISUSE);
    CHECK(strstr(sc_errmsg(db), "'big_orders' has no insert") != NULL);
}

static const struct t_test tests[] = {
    T_TEST(test_aggregate_view),
    T_TEST(test_filter_view_and_query),
    T_TEST(test_view_refuses_writes),
};

/* Open the database named on the command line and run every test. */
int
main(int argc, char **argv)
{
    int status;

    if (argc != 2) {
        fprintf(stderr, "usage: test_views DB-PATH\n");
        return 2;
    }
    if (sc_open(&db, argv[1], &views_schema, NULL) != SC_OK) {
        printf("FAIL open: %s\n", sc_errmsg(db));
        sc_close(db);
        return 1;
    }
    status = T_RUN_ALL(tests);
    sc_close(db);
    return status;
}
