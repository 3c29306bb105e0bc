/*
 * test_filtered_cache.c - filtered selects and counts keep their prepared
 * statements by SQL text (stmt.c).  A kept statement must come back with
 * none of the previous call's values, a select's callback may run the same
 * select again (deeper than there are slots), more filters than slots
 * take turns, and a failed call leaves its slot usable.  Updates of
 * chosen columns share the slots.
 */
#include "fixture.h"

/* A fresh demo database at name with parents 1..n named "p1".."pn". */
static sc_db *
open_parents(const char *name, int n)
{
    struct parent p;
    char text[16];
    sc_db *db;
    int i;

    CHECK_INT(sc_open(&db, fx_path(name), &demo_schema, NULL), SC_OK);
    CHECK_INT(sc_batch_begin(db), SC_OK);
    for (i = 1; i <= n; i++) {
        memset(&p, 0, sizeof(p));
        p.id = i;
        snprintf(text, sizeof(text), "p%d", i);
        p.name = text;
        CHECK_INT(sc_row_insert(db, &parent_table, &p), SC_OK);
    }
    CHECK_INT(sc_batch_commit(db), SC_OK);
    return db;
}

/* The number of parents with id >= from. */
static int64_t
count_from(sc_db *db, int64_t from)
{
    sc_where w = SC_WHERE_INIT;
    int64_t n = -1;

    CHECK_INT(sc_where_add(&w, "id >= ?", 1, sc_int(from)), SC_OK);
    CHECK_INT(sc_row_count(db, &parent_table, &w, &n), SC_OK);
    sc_where_fini(&w);
    return n;
}

static void
test_reused_statement_takes_new_values(void)
{
    sc_db *db = open_parents("values.db", 10);
    int64_t from;

    for (from = 1; from <= 11; from++)
        CHECK_INT(count_from(db, from), 11 - from);
    CHECK_INT(count_from(db, 3), 8);
    sc_close(db);
}

/* Each row lent at depth d runs the same select again, to depth max;
 * every level must see all its rows. */
struct nest {
    sc_db *db;
    int depth, max;
    long calls;
    int rc;
};

static int
select_all(struct nest *nest);

static int
nested(const void *row, void *arg)
{
    struct nest *nest = arg;

    (void)row;
    nest->calls++;
    if (nest->depth < nest->max) {
        nest->depth++;
        if (select_all(nest) != SC_OK && nest->rc == SC_OK)
            nest->rc = SC_ERROR;
        nest->depth--;
    }
    return 0;
}

static int
select_all(struct nest *nest)
{
    sc_where w = SC_WHERE_INIT;
    int rc;

    CHECK_INT(sc_where_add(&w, "id <= ?", 1, sc_int(2)), SC_OK);
    rc = sc_row_select(nest->db, &parent_table, &w, NULL, 0, -1, 0, nested,
                       nest);
    sc_where_fini(&w);
    return rc;
}

static void
test_callback_runs_same_select_deeper_than_slots(void)
{
    sc_db *db = open_parents("nested.db", 5);
    struct nest nest = { NULL, 0, 10, 0, SC_OK };

    nest.db = db;
    /* Depth 0..10, two rows each: 2 + 4 + ... + 2^11 calls. */
    CHECK_INT(select_all(&nest), SC_OK);
    CHECK_INT(nest.rc, SC_OK);
    CHECK_INT(nest.calls, 4094);
    CHECK_INT(count_from(db, 4), 2);
    sc_close(db);
}

static void
test_more_filters_than_slots_take_turns(void)
{
    static const char *const clauses[] = {
        "id >= ?", "id > ?", "id <= ?", "id < ?", "id = ?", "id <> ?",
        "id != ?", "? = id", "? < id", "? > id", "? <= id", "? >= id"
    };
    static const int64_t want[] = { 6, 5, 5, 4, 1, 9, 9, 1, 5, 4, 6, 5 };
    sc_db *db = open_parents("turns.db", 10);
    size_t i;
    int round;

    for (round = 0; round < 3; round++)
        for (i = 0; i < sizeof(clauses) / sizeof(clauses[0]); i++) {
            sc_where w = SC_WHERE_INIT;
            int64_t n = -1;

            CHECK_INT(sc_where_add(&w, clauses[i], 1, sc_int(5)), SC_OK);
            CHECK_INT(sc_row_count(db, &parent_table, &w, &n), SC_OK);
            CHECK_INT(n, want[i]);
            sc_where_fini(&w);
        }
    sc_close(db);
}

static void
test_failed_call_leaves_slot_usable(void)
{
    sc_db *db = open_parents("failed.db", 4);
    sc_where w = SC_WHERE_INIT;
    int64_t n = -1;

    /* Two placeholders, one value: refused after preparing. */
    CHECK_INT(sc_where_add(&w, "id >= ? AND id <= ?", 1, sc_int(2)),
              SC_OK);
    CHECK_INT(sc_row_count(db, &parent_table, &w, &n), SC_MISUSE);
    CHECK_INT(sc_row_count(db, &parent_table, &w, &n), SC_MISUSE);
    sc_where_fini(&w);
    CHECK_INT(count_from(db, 2), 3);
    sc_close(db);
}

/* How many times the statement db keeps prepared whose SQL starts with
 * head has run; -1 when it keeps none. */
static int
runs_of(sc_db *db, const char *head)
{
    sqlite3_stmt *st = NULL;

    while ((st = sqlite3_next_stmt(sc_sqlite(db), st)) != NULL)
        if (strncmp(sqlite3_sql(st), head, strlen(head)) == 0)
            return sqlite3_stmt_status(st, SQLITE_STMTSTATUS_RUN, 0);
    return -1;
}

/* Updates of two column sets in turn, with counts between them: each
 * runs one kept statement, which takes the call's values (a missing key
 * still SC_NOTFOUND). */
static void
test_update_cols_kept(void)
{
    static const int name_col[] = { 1 }, score_col[] = { 2 };
    sc_db *db = open_parents("updates.db", 4);
    struct parent p, got;
    char text[16];
    int round;

    for (round = 0; round < 6; round++) {
        memset(&p, 0, sizeof(p));
        p.id = 1 + round % 4;
        snprintf(text, sizeof(text), "n%d", round);
        p.name = text;
        p.score = round * 1.5;
        p.has_score = true;
        CHECK_INT(sc_row_update_cols(db, &parent_table, &p, name_col, 1),
                  SC_OK);
        CHECK_INT(sc_row_update_cols(db, &parent_table, &p, score_col, 1),
                  SC_OK);
        CHECK_INT(count_from(db, 2), 3);
        memset(&got, 0, sizeof(got));
        CHECK_INT(sc_row_get(db, &parent_table, &p, &got), SC_OK);
        CHECK_STR(got.name, text);
        CHECK(got.has_score && got.score == round * 1.5);
        sc_row_free(&parent_table, &got);
        p.id = 99;
        CHECK_INT(sc_row_update_cols(db, &parent_table, &p, name_col, 1),
                  SC_NOTFOUND);
    }
    CHECK_INT(runs_of(db, "UPDATE \"parent\" SET \"name\""), 12);
    CHECK_INT(runs_of(db, "UPDATE \"parent\" SET \"score\""), 6);
    sc_close(db);
}

static const struct t_test tests[] = {
    T_TEST(test_reused_statement_takes_new_values),
    T_TEST(test_callback_runs_same_select_deeper_than_slots),
    T_TEST(test_more_filters_than_slots_take_turns),
    T_TEST(test_failed_call_leaves_slot_usable),
    T_TEST(test_update_cols_kept),
};

int
main(void)
{
    int status = T_RUN_ALL(tests);

    fx_cleanup();
    return status;
}
