/*
 * test_where_clause.c - sc_where_add takes one expression per clause: a
 * ';', a comment, an open quote or an unmatched parenthesis is refused,
 * because each would drop or change the clauses, ORDER BY or LIMIT after
 * it.  Inside quoted strings and names those characters are harmless.
 */
#include "fixture.h"

/* Ids of the rows a select lends, in order. */
struct seen {
    int64_t ids[8];
    int n;
};

static int
collect(const void *row, void *arg)
{
    struct seen *s = arg;

    if (s->n < 8)
        s->ids[s->n] = ((const struct parent *)row)->id;
    s->n++;
    return 0;
}

/* A fresh demo database at name with parents 1 'a', 2 'b', 3 'c'. */
static sc_db *
open_abc(const char *name)
{
    static const char *const names[] = { "a", "b", "c" };
    struct parent p;
    sc_db *db;
    int i;

    CHECK_INT(sc_open(&db, fx_path(name), &demo_schema, NULL), SC_OK);
    for (i = 0; i < 3; i++) {
        memset(&p, 0, sizeof(p));
        p.id = i + 1;
        p.name = names[i];
        CHECK_INT(sc_row_insert(db, &parent_table, &p), SC_OK);
    }
    return db;
}

/* Add clause (refused), then "name = 'zzz'" which matches nothing; count
 * and select must fail rather than return rows the second clause rules
 * out.  text is what the message must name. */
static void
check_refused_then_nothing_runs(const char *name, const char *clause,
                                const char *text)
{
    sc_db *db = open_abc(name);
    sc_where w = SC_WHERE_INIT;
    sc_order desc = { 0, true };
    struct seen seen = { { 0 }, 0 };
    int64_t n = -1;

    CHECK_INT(sc_where_add(&w, clause, 1, sc_int(2)), SC_MISUSE);
    CHECK_INT(sc_where_add(&w, "name = 'zzz'", 0), SC_MISUSE);
    CHECK_INT(sc_row_count(db, &parent_table, &w, &n), SC_MISUSE);
    CHECK(strstr(sc_errmsg(db), text) != NULL);
    CHECK_INT(sc_row_select(db, &parent_table, &w, &desc, 1, -1, 0,
                            collect, &seen), SC_MISUSE);
    CHECK_INT(seen.n, 0);
    CHECK(strstr(sc_errmsg(db), "where clause") != NULL);
    sc_where_fini(&w);
    sc_close(db);
}

static void
test_line_comment_refused(void)
{
    check_refused_then_nothing_runs("dash.db", "id >= ? -- from two on",
                                    "'--'");
}

static void
test_block_comment_refused(void)
{
    check_refused_then_nothing_runs("block.db", "id >= ? /* from two on",
                                    "'/*'");
    check_refused_then_nothing_runs("block2.db", "id >= ? /* closed */",
                                    "'/*'");
}

static void
test_semicolon_refused(void)
{
    check_refused_then_nothing_runs("semi.db", "id >= ?;", "';'");
    check_refused_then_nothing_runs("semi2.db", "id >= ?; DELETE FROM parent",
                                    "';'");
}

static void
test_trailing_semicolon_keeps_order(void)
{
    sc_db *db = open_abc("order.db");
    sc_where w = SC_WHERE_INIT;
    sc_order desc = { 0, true };
    struct seen seen = { { 0 }, 0 };

    /* A trailing ';' would end the statement before ORDER BY: the rows
     * would come back in the wrong order with SC_OK. */
    CHECK_INT(sc_where_add(&w, "id >= ?;", 1, sc_int(1)), SC_MISUSE);
    CHECK_INT(sc_row_select(db, &parent_table, &w, &desc, 1, -1, 0,
                            collect, &seen), SC_MISUSE);
    CHECK_INT(seen.n, 0);
    sc_where_fini(&w);
    sc_close(db);
}

static void
test_open_quote_refused(void)
{
    check_refused_then_nothing_runs("q1.db", "name = 'abc OR id >= ?",
                                    "quote");
    check_refused_then_nothing_runs("q2.db", "\"name = ? ", "quote");
    check_refused_then_nothing_runs("q3.db", "[name = ?", "quote");
    check_refused_then_nothing_runs("q4.db", "`name = ?", "quote");
    check_refused_then_nothing_runs("q5.db", "name = 'it''s' OR id = ? '",
                                    "quote");
}

static void
test_unmatched_parenthesis_refused(void)
{
    check_refused_then_nothing_runs("p1.db", "(id >= ? OR id = 1",
                                    "parenthesis");
    check_refused_then_nothing_runs("p2.db", "id >= ?) OR (1",
                                    "parenthesis");
    check_refused_then_nothing_runs("p3.db", "id >= ?)", "parenthesis");
}

static void
test_quoted_special_characters_accepted(void)
{
    sc_db *db = open_abc("quoted.db");
    sc_where w = SC_WHERE_INIT;
    struct seen seen = { { 0 }, 0 };
    int64_t n = -1;

    /* Each of ; -- slash-star ( ) and the other quotes, inside a string or a
     * quoted name, is just text. */
    CHECK_INT(sc_where_add(&w, "name != 'it''s -- /* ; ( \" [ `'", 0),
              SC_OK);
    CHECK_INT(sc_where_add(&w, "\"name\" != 'x;y'", 0), SC_OK);
    CHECK_INT(sc_where_add(&w, "[name] != '--'", 0), SC_OK);
    CHECK_INT(sc_where_add(&w, "`name` != ')'", 0), SC_OK);
    CHECK_INT(sc_where_add(&w, "(id >= ? AND (name != '('))", 1, sc_int(2)),
              SC_OK);
    CHECK_INT(sc_where_add(&w, "id - ? >= 0", 1, sc_int(-5)), SC_OK);
    CHECK_INT(sc_where_add(&w, "id / 1 > 0", 0), SC_OK);
    CHECK_INT(sc_row_count(db, &parent_table, &w, &n), SC_OK);
    CHECK_INT(n, 2);
    CHECK_INT(sc_row_select(db, &parent_table, &w, NULL, 0, -1, 0, collect,
                            &seen), SC_OK);
    CHECK_INT(seen.n, 2);
    sc_where_fini(&w);
    sc_close(db);
}

static void
test_refusal_is_sticky(void)
{
    sc_where w = SC_WHERE_INIT;
    sc_value v = sc_int(1);

    CHECK_INT(sc_where_addv(&w, "id = ?; --", &v, 1), SC_MISUSE);
    CHECK_INT(sc_where_add(&w, "id = 1", 0), SC_MISUSE);
    CHECK_INT(sc_where_bind(&w, NULL, 1), SC_MISUSE);
    CHECK_STR(sc_where_sql(&w), "1=1");
    sc_where_fini(&w);
    /* fini starts over: the builder is usable again. */
    CHECK_INT(sc_where_add(&w, "id = 1", 0), SC_OK);
    sc_where_fini(&w);
}

/* A clause with a top-level OR stays one condition: "id = 1 OR id = 2"
 * and "name = 'b'" match row 2 only, not row 1 as well. */
static void
test_or_clause_stays_whole(void)
{
    sc_db *db = open_abc("or.db");
    sc_where w = SC_WHERE_INIT;
    int64_t n = -1;

    CHECK_INT(sc_where_add(&w, "id = ? OR id = ?", 2, sc_int(1), sc_int(2)),
              SC_OK);
    CHECK_INT(sc_where_add(&w, "name = ?", 1, sc_text("b")), SC_OK);
    CHECK_INT(sc_row_count(db, &parent_table, &w, &n), SC_OK);
    CHECK_INT(n, 1);
    sc_where_fini(&w);
    sc_close(db);
}

static const struct t_test tests[] = {
    T_TEST(test_or_clause_stays_whole),
    T_TEST(test_line_comment_refused),
    T_TEST(test_block_comment_refused),
    T_TEST(test_semicolon_refused),
    T_TEST(test_trailing_semicolon_keeps_order),
    T_TEST(test_open_quote_refused),
    T_TEST(test_unmatched_parenthesis_refused),
    T_TEST(test_quoted_special_characters_accepted),
    T_TEST(test_refusal_is_sticky),
};

int
main(void)
{
    int status = T_RUN_ALL(tests);

    fx_cleanup();
    return status;
}
