/*
 * test_rows.c - the descriptor-driven row operations, the statement cache,
 * sc_where, select/count and sc_clear_all, on a real file.
 */
#include "fixture.h"

static struct parent
parent_row(int64_t id, const char *name)
{
    struct parent p;

    memset(&p, 0, sizeof(p));
    p.id = id;
    p.name = name;
    return p;
}

static void
test_insert_get_roundtrip(void)
{
    sc_db *db = fx_open_fresh("rt.db", NULL);
    unsigned char bytes[] = { 0, 1, 0xff, 0 };
    struct parent p = parent_row(INT64_MAX, "h\xc3\xa9llo \xe6\x97\xa5");
    struct parent out, key = parent_row(INT64_MAX, NULL);

    p.score = -2.5;
    p.has_score = true;
    p.flag = true;
    p.has_flag = true;
    p.data.data = bytes;
    p.data.len = sizeof(bytes);
    CHECK_INT(sc_row_insert(db, &parent_table, &p), SC_OK);
    CHECK_INT(sc_row_get(db, &parent_table, &key, &out), SC_OK);
    CHECK(out.id == INT64_MAX);
    CHECK_STR(out.name, p.name);
    CHECK(out.has_score && out.score == -2.5);
    CHECK(out.has_flag && out.flag);
    CHECK_INT(out.data.len, sizeof(bytes));
    CHECK(out.data.data && memcmp(out.data.data, bytes, sizeof(bytes)) == 0);
    sc_row_free(&parent_table, &out);
    CHECK(out.name == NULL && out.data.data == NULL);

    /* NULLs and a zero-length blob, which is not NULL. */
    p = parent_row(INT64_MIN, "");
    p.data.data = bytes;
    p.data.len = 0;
    CHECK_INT(sc_row_insert(db, &parent_table, &p), SC_OK);
    key.id = INT64_MIN;
    CHECK_INT(sc_row_get(db, &parent_table, &key, &out), SC_OK);
    CHECK(out.id == INT64_MIN);
    CHECK_STR(out.name, "");
    CHECK(!out.has_score && !out.has_flag);
    CHECK(out.data.data != NULL && out.data.len == 0);
    sc_row_free(&parent_table, &out);
    sc_close(db);
}

static void
test_last_insert_id_and_where_bind(void)
{
    sc_db *db = fx_open_fresh("lastid.db", NULL);
    struct parent p = parent_row(4242, "x");
    sc_where w = SC_WHERE_INIT;
    sqlite3_stmt *st;

    CHECK_INT(sc_row_insert(db, &parent_table, &p), SC_OK);
    CHECK_INT(sc_last_insert_id(db), 4242);
    CHECK_INT(sc_last_insert_id(NULL), 0);
    /* A where binds into a caller's own statement, from any parameter. */
    sc_where_add(&w, "id = ?", 1, sc_int(4242));
    sc_where_add(&w, "name = ?", 1, sc_text("x"));
    CHECK_INT(sqlite3_prepare_v2(sc_sqlite(db), "SELECT count(*) FROM parent "
                                 "WHERE score IS ?1 AND id = ?2 AND name = "
                                 "?3", -1, &st, NULL), SQLITE_OK);
    CHECK_INT(sc_value_bind(st, 1, &(sc_value){ .type = SC_V_NULL }),
              SQLITE_OK);
    CHECK_INT(sc_where_bind(&w, st, 2), SC_OK);
    CHECK(sqlite3_step(st) == SQLITE_ROW);
    CHECK_INT(sqlite3_column_int(st, 0), 1);
    sqlite3_finalize(st);
    /* Too few parameters for the values: refused. */
    CHECK_INT(sqlite3_prepare_v2(sc_sqlite(db), "SELECT ?1", -1, &st, NULL),
              SQLITE_OK);
    CHECK_INT(sc_where_bind(&w, st, 1), SC_MISUSE);
    sqlite3_finalize(st);
    sc_where_fini(&w);
    sc_close(db);
}

static void
test_get_missing_zeroes(void)
{
    sc_db *db = fx_open_fresh("missing.db", NULL);
    struct parent key = parent_row(5, NULL), out;

    memset(&out, 0x5a, sizeof(out));
    CHECK_INT(sc_row_get(db, &parent_table, &key, &out), SC_NOTFOUND);
    CHECK(out.name == NULL && out.id == 0 && out.data.data == NULL);
    CHECK(strlen(sc_errmsg(db)) > 0);
    sc_row_free(&parent_table, &out);
    sc_close(db);
}

static void
test_update_delete_upsert(void)
{
    sc_db *db = fx_open_fresh("upd.db", NULL);
    struct parent p = parent_row(1, "one"), out, key = parent_row(1, NULL);

    CHECK_INT(sc_row_update(db, &parent_table, &p), SC_NOTFOUND);
    CHECK_INT(sc_row_delete(db, &parent_table, &p), SC_NOTFOUND);
    CHECK_INT(sc_row_upsert(db, &parent_table, &p), SC_OK);
    p.name = "uno";
    p.has_score = true;
    p.score = 1.5;
    CHECK_INT(sc_row_upsert(db, &parent_table, &p), SC_OK);
    CHECK_INT(sc_row_get(db, &parent_table, &key, &out), SC_OK);
    CHECK_STR(out.name, "uno");
    CHECK(out.has_score && out.score == 1.5);
    sc_row_free(&parent_table, &out);
    p.name = "eins";
    p.has_score = false;
    CHECK_INT(sc_row_update(db, &parent_table, &p), SC_OK);
    CHECK_INT(sc_row_get(db, &parent_table, &key, &out), SC_OK);
    CHECK_STR(out.name, "eins");
    CHECK(!out.has_score);
    sc_row_free(&parent_table, &out);
    CHECK_INT(sc_row_delete(db, &parent_table, &key), SC_OK);
    CHECK_INT(sc_row_get(db, &parent_table, &key, &out), SC_NOTFOUND);
    sc_close(db);
}

static void
test_constraints(void)
{
    sc_db *db = fx_open_fresh("cons.db", NULL);
    struct parent p = parent_row(1, "one");
    struct child c = { .id = "c1", .parent_id = 42, .has_parent_id = true };

    CHECK_INT(sc_row_insert(db, &parent_table, &p), SC_OK);
    CHECK_INT(sc_row_insert(db, &parent_table, &p), SC_CONSTRAINT);
    CHECK(strstr(sc_errmsg(db), "UNIQUE") != NULL);
    p.id = 2;
    p.name = NULL;
    CHECK_INT(sc_row_insert(db, &parent_table, &p), SC_CONSTRAINT);
    CHECK(strstr(sc_errmsg(db), "NOT NULL") != NULL);
    /* Foreign keys are enforced. */
    CHECK_INT(sc_row_insert(db, &child_table, &c), SC_CONSTRAINT);
    CHECK(strstr(sc_errmsg(db), "FOREIGN KEY") != NULL);
    c.parent_id = 1;
    CHECK_INT(sc_row_insert(db, &child_table, &c), SC_OK);
    /* A table without a key has no update. */
    CHECK_INT(sc_row_update(db, &child_table, &c), SC_MISUSE);
    sc_close(db);
}

static void
test_statement_cache(void)
{
    sc_db *db = fx_open_fresh("cache.db", NULL);
    sqlite3_stmt *a, *b;
    struct parent p = parent_row(1, "one");
    char *sql;

    CHECK_INT(sc_row_insert(db, &parent_table, &p), SC_OK);
    CHECK_INT(sc_stmt_get(db, parent_table.stmt_insert, &a), SC_OK);
    /* Reset after use and unbound: nothing of the caller's row remains. */
    CHECK(!sqlite3_stmt_busy(a));
    sql = sqlite3_expanded_sql(a);
    CHECK(sql && strstr(sql, "one") == NULL && strstr(sql, "NULL") != NULL);
    sqlite3_free(sql);
    sc_stmt_release(db, a);
    p.id = 2;
    CHECK_INT(sc_row_insert(db, &parent_table, &p), SC_OK);
    CHECK_INT(sc_stmt_get(db, parent_table.stmt_insert, &b), SC_OK);
    CHECK(a == b);  /* prepared once per connection */
    sc_stmt_release(db, b);
    CHECK_INT(sc_stmt_get(db, 99, &a), SC_MISUSE);
    sc_close(db);
}

static void
test_where_builder(void)
{
    sc_where w = SC_WHERE_INIT;
    const sc_value *v;
    size_t n, i;
    char buf[32];

    CHECK_STR(sc_where_sql(&w), "1=1");
    sc_where_values(&w, &n);
    CHECK_INT(n, 0);
    strcpy(buf, "temporary");
    CHECK_INT(sc_where_add(&w, "name = ?", 1, sc_text(buf)), SC_OK);
    memset(buf, 'x', sizeof(buf) - 1);   /* the where keeps its own copy */
    CHECK_INT(sc_where_add(&w, "score >= ? AND id < ?", 2, sc_real(0.5),
                           sc_int(9)), SC_OK);
    CHECK_INT(sc_where_add(&w, "flag IS NOT NULL", 0), SC_OK);
    CHECK_STR(sc_where_sql(&w),
              "(name = ?) AND (score >= ? AND id < ?) AND (flag IS NOT "
              "NULL)");
    v = sc_where_values(&w, &n);
    CHECK_INT(n, 3);
    CHECK(v[0].type == SC_V_TEXT && strcmp(v[0].u.s.p, "temporary") == 0);
    CHECK(v[1].type == SC_V_REAL && v[1].u.d == 0.5);
    CHECK(v[2].type == SC_V_INT && v[2].u.i == 9);
    sc_where_fini(&w);
    /* No fixed limits. */
    for (i = 0; i < 2000; i++)
        CHECK_INT(sc_where_add(&w, "id <> ?", 1, sc_int((int64_t)i)), SC_OK);
    sc_where_values(&w, &n);
    CHECK_INT(n, 2000);
    CHECK_INT(strlen(sc_where_sql(&w)), 2000 * (7 + 2) + 1999 * 5);
    sc_where_fini(&w);
    CHECK_STR(sc_where_sql(&w), "1=1");
}

struct seen {
    int n;
    int64_t ids[16];
    int stop_after;
};

static int
collect(const void *row, void *arg)
{
    const struct parent *p = row;
    struct seen *s = arg;

    if (s->n < 16)
        s->ids[s->n] = p->id;
    s->n++;
    return s->stop_after && s->n >= s->stop_after ? 77 : 0;
}

static void
test_select_count(void)
{
    sc_db *db = fx_open_fresh("sel.db", NULL);
    sc_where w = SC_WHERE_INIT;
    sc_order by_score_desc = { .column = 2, .desc = true };
    struct seen s;
    int64_t n, i;
    char name[16];

    for (i = 1; i <= 10; i++) {
        struct parent p = parent_row(i, name);
        snprintf(name, sizeof(name), "n%lld", (long long)i);
        p.has_score = true;
        p.score = (double)(i % 4);
        p.has_flag = i % 2 == 0;
        p.flag = true;
        CHECK_INT(sc_row_insert(db, &parent_table, &p), SC_OK);
    }
    CHECK_INT(sc_row_count(db, &parent_table, NULL, &n), SC_OK);
    CHECK_INT(n, 10);
    sc_where_add(&w, "score >= ?", 1, sc_real(2.0));
    sc_where_add(&w, "flag IS NOT NULL", 0);
    sc_where_add(&w, "name <> ?", 1, sc_text("n2"));
    CHECK_INT(sc_row_count(db, &parent_table, &w, &n), SC_OK);
    CHECK_INT(n, 2);    /* ids 6 (score 2) and 10 (score 2); 2 excluded */
    memset(&s, 0, sizeof(s));
    CHECK_INT(sc_row_select(db, &parent_table, NULL, &by_score_desc, 1, 3, 0,
                            collect, &s), SC_OK);
    CHECK_INT(s.n, 3);
    CHECK_INT(s.ids[0], 3);     /* score 3: ids 3 and 7, rowid order */
    CHECK_INT(s.ids[1], 7);
    memset(&s, 0, sizeof(s));
    CHECK_INT(sc_row_select(db, &parent_table, &w, NULL, 0, -1, 1, collect,
                            &s), SC_OK);
    CHECK_INT(s.n, 1);
    CHECK_INT(s.ids[0], 10);
    memset(&s, 0, sizeof(s));
    s.stop_after = 4;
    CHECK_INT(sc_row_select(db, &parent_table, NULL, NULL, 0, -1, 0, collect,
                            &s), 77);
    CHECK_INT(s.n, 4);
    /* A bad order column and a clause/value mismatch are refused. */
    by_score_desc.column = 9;
    CHECK_INT(sc_row_select(db, &parent_table, NULL, &by_score_desc, 1, -1,
                            0, collect, &s), SC_MISUSE);
    sc_where_fini(&w);
    sc_where_add(&w, "id = ? AND name = ?", 1, sc_int(1));
    CHECK_INT(sc_row_count(db, &parent_table, &w, &n), SC_MISUSE);
    sc_where_fini(&w);
    sc_close(db);
}

static void
test_clear_all(void)
{
    sc_db *db = fx_open_fresh("clear.db", NULL);
    struct parent p = parent_row(1, "one");
    struct child c = { .id = "c1", .parent_id = 1, .has_parent_id = true };
    int64_t n;

    CHECK_INT(sc_row_insert(db, &parent_table, &p), SC_OK);
    CHECK_INT(sc_row_insert(db, &child_table, &c), SC_OK);
    CHECK_INT(sc_clear_all(db), SC_OK);
    CHECK_INT(sc_row_count(db, &parent_table, NULL, &n), SC_OK);
    CHECK_INT(n, 0);
    CHECK_INT(sc_row_count(db, &child_table, NULL, &n), SC_OK);
    CHECK_INT(n, 0);
    sc_close(db);
    CHECK_INT(fx_int(fx_path("clear.db"), "SELECT version FROM "
                     "schema_version"), 2);
}

static const struct t_test tests[] = {
    T_TEST(test_insert_get_roundtrip),
    T_TEST(test_last_insert_id_and_where_bind),
    T_TEST(test_get_missing_zeroes),
    T_TEST(test_update_delete_upsert),
    T_TEST(test_constraints),
    T_TEST(test_statement_cache),
    T_TEST(test_where_builder),
    T_TEST(test_select_count),
    T_TEST(test_clear_all),
};

int
main(void)
{
    int status;

    status = T_RUN_ALL(tests);
    fx_cleanup();
    return status;
}
