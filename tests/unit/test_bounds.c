/*
 * test_bounds.c - the edges of every index, count and size the runtime
 * checks: statement numbers at and past the end of the cache, order
 * columns, select limits and offsets, sc_query_all's growing array, the
 * message buffer, result code names, sc_fail's message, and empty inputs
 * (no rows, no clauses, nothing to clear).
 */
#include "fixture.h"

#include <limits.h>

/*
 * The "bounds" schema: the demo tables and statements, then two query
 * statements.  The statement list holds one more entry than nstatements
 * says, so that a cache reading one slot too far finds a statement there
 * and answers SC_OK instead of failing by luck.
 */
#define Q_UPTO 7            /* SELECT id, name ... WHERE id <= ?1 */
#define Q_DROP_ABOVE 8      /* DELETE ... WHERE id > ?1 */
#define NSTMTS 9

static const char *bounds_statements[NSTMTS + 1];
static sc_schema bounds_schema;
static sc_table bparent;

/* Fill in the bounds schema from the demo one. */
static void
init_bounds_schema(void)
{
    static const sc_table *tables[1];
    size_t i;

    for (i = 0; i < demo_schema.nstatements; i++)
        bounds_statements[i] = demo_statements[i];
    bounds_statements[Q_UPTO] = "SELECT id, name FROM parent WHERE id <= ?1 "
                                "ORDER BY id";
    bounds_statements[Q_DROP_ABOVE] = "DELETE FROM parent WHERE id > ?1";
    bounds_statements[NSTMTS] = "SELECT 'one past the last statement'";
    bparent = parent_table;
    bparent.schema = &bounds_schema;
    tables[0] = &bparent;
    bounds_schema = demo_schema;
    bounds_schema.name = "bounds";
    bounds_schema.tables = tables;
    bounds_schema.ntables = 1;
    bounds_schema.statements = bounds_statements;
    bounds_schema.nstatements = NSTMTS;
}

/* A row of the two queries, and their argument. */
struct idname {
    int64_t id;
    const char *name;
};
struct limit_arg {
    int64_t max;
};

static const sc_column idname_columns[] = {
    { .name = "id", .type = SC_T_INTEGER, .flags = SC_COL_PK,
      .offset = offsetof(struct idname, id) },
    { .name = "name", .type = SC_T_TEXT, .flags = SC_COL_NOTNULL,
      .offset = offsetof(struct idname, name) },
};

static const sc_param limit_params[] = {
    { .member = { .name = "max", .type = SC_T_INTEGER,
                  .offset = offsetof(struct limit_arg, max) }, .index = 1 },
};

/* Query q of the bounds schema on statement stmt: rows when rows is set,
 * else an exec. */
static sc_query
bounds_query(unsigned stmt, bool rows)
{
    sc_query q = {
        .schema = &bounds_schema, .name = "q", .stmt = stmt,
        .params = limit_params, .nparams = 1,
        .columns = rows ? idname_columns : NULL, .ncolumns = rows ? 2 : 0,
        .row_size = rows ? sizeof(struct idname) : 0,
    };

    return q;
}

/* Open a fresh bounds database holding parents 1..n named "n<id>". */
static sc_db *
open_with_rows(const char *name, int n)
{
    sc_db *db = NULL;
    char text[16];
    int i;

    unlink(fx_path(name));
    if (sc_open(&db, fx_path(name), &bounds_schema, NULL) != SC_OK) {
        T_FAIL("open %s: %s", name, sc_errmsg(db));
        return db;
    }
    CHECK_INT(sc_batch_begin(db), SC_OK);
    for (i = 1; i <= n; i++) {
        struct parent p;
        memset(&p, 0, sizeof(p));
        snprintf(text, sizeof(text), "n%d", i);
        p.id = i;
        p.name = text;
        CHECK_INT(sc_row_insert(db, &bparent, &p), SC_OK);
    }
    CHECK_INT(sc_batch_commit(db), SC_OK);
    return db;
}

/* ------------------------------------------------------------------ */
/* Statement numbers                                                    */
/* ------------------------------------------------------------------ */

/*
 * The cache has nstatements slots: the last one is handed out, the one
 * just past it and every later number are SC_MISUSE with no statement.
 */
static void
test_statement_index_bounds(void)
{
    static const unsigned bad[] = { NSTMTS, NSTMTS + 1, 1000, UINT_MAX - 1,
                                    SC_NO_STMT };
    sc_db *db = open_with_rows("stmt.db", 0);
    sqlite3_stmt *stmt = NULL;
    size_t i;

    CHECK_INT(sc_stmt_get(db, NSTMTS - 1, &stmt), SC_OK);
    CHECK(stmt != NULL
          && strcmp(sqlite3_sql(stmt), bounds_statements[NSTMTS - 1]) == 0);
    sc_stmt_release(db, stmt);
    CHECK_INT(sc_stmt_get(db, 0, &stmt), SC_OK);
    CHECK(stmt != NULL);
    sc_stmt_release(db, stmt);
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        stmt = (sqlite3_stmt *)&stmt;
        if (sc_stmt_get(db, bad[i], &stmt) != SC_MISUSE || stmt != NULL)
            T_FAIL("statement %u: not refused", bad[i]);
        CHECK(strstr(sc_errmsg(db), "not in schema") != NULL);
    }
    sc_close(db);

    /* A schema without statements has no slot at all. */
    {
        sc_schema none = bounds_schema;
        none.statements = NULL;
        none.nstatements = 0;
        unlink(fx_path("nostmt.db"));
        CHECK_INT(sc_open(&db, fx_path("nostmt.db"), &none, NULL), SC_OK);
        CHECK_INT(sc_stmt_get(db, 0, &stmt), SC_MISUSE);
        CHECK(stmt == NULL);
        sc_close(db);
    }
}

/* A callback for queries that must not run: any row fails the test. */
static int
no_row(const void *row, void *arg)
{
    (void)row;
    (void)arg;
    T_FAIL("a refused query called back");
    return 1;
}

/*
 * Queries and table operations reach the cache through their descriptor's
 * statement number: one past the end is refused (out left zeroed, nothing
 * returned); the last valid number works.
 */
static void
test_descriptor_statement_out_of_range(void)
{
    sc_db *db = open_with_rows("qstmt.db", 3);
    struct limit_arg arg = { 2 };
    struct idname one;
    struct parent key, out;
    sc_query q = bounds_query(NSTMTS, true);
    sc_query ex = bounds_query(NSTMTS, false);
    sc_table t = bparent;
    void *rows = &rows;
    size_t nrows = 99;
    int64_t changes = 99;

    memset(&one, 0x5a, sizeof(one));
    CHECK_INT(sc_query_one(db, &q, &arg, &one), SC_MISUSE);
    CHECK(one.id == 0 && one.name == NULL);
    CHECK_INT(sc_query_many(db, &q, &arg, no_row, NULL), SC_MISUSE);
    CHECK_INT(sc_query_all(db, &q, &arg, &rows, &nrows), SC_MISUSE);
    CHECK(rows == NULL && nrows == 0);
    CHECK_INT(sc_query_exec(db, &ex, &arg, &changes), SC_MISUSE);
    CHECK_INT(changes, 0);
    CHECK(strstr(sc_errmsg(db), "query 'q'") != NULL);

    /* A table whose get slot is one past the end. */
    t.stmt_get = NSTMTS;
    memset(&key, 0, sizeof(key));
    key.id = 1;
    memset(&out, 0x5a, sizeof(out));
    CHECK_INT(sc_row_get(db, &t, &key, &out), SC_MISUSE);
    CHECK(out.name == NULL && out.data.data == NULL);
    t.stmt_delete = NSTMTS;
    CHECK_INT(sc_row_delete(db, &t, &key), SC_MISUSE);
    CHECK_INT(fx_int(fx_path("qstmt.db"), "SELECT count(*) FROM parent"), 3);

    /* The last statement works (the exec query is the last). */
    ex.stmt = NSTMTS - 1;
    CHECK_INT(sc_query_exec(db, &ex, &arg, &changes), SC_OK);
    CHECK_INT(changes, 1);
    sc_close(db);
}

/* ------------------------------------------------------------------ */
/* Select: order columns, limit and offset                              */
/* ------------------------------------------------------------------ */

struct seen {
    int n;
    int64_t first, last;
};

/* Select callback: count the rows and note the first and last id. */
static int
note_row(const void *row, void *arg)
{
    const struct parent *p = row;
    struct seen *s = arg;

    if (s->n++ == 0)
        s->first = p->id;
    s->last = p->id;
    return 0;
}

/* Select from t ordered by id with limit and offset; the rows seen. */
static struct seen
select_page(sc_db *db, int64_t limit, int64_t offset)
{
    sc_order by_id = { .column = 0, .desc = false };
    struct seen s = { 0, 0, 0 };
    int rc;

    rc = sc_row_select(db, &bparent, NULL, &by_id, 1, limit, offset,
                       note_row, &s);
    if (rc != SC_OK)
        T_FAIL("select limit %lld offset %lld: %s", (long long)limit,
               (long long)offset, sc_errmsg(db));
    return s;
}

/*
 * Limit 0 gives no row, 1 exactly one, a negative limit every row; an
 * offset at or past the end gives none, a negative offset counts as 0.
 */
static void
test_select_limit_offset(void)
{
    static const struct {
        int64_t limit, offset;
        int n, first, last;
    } cases[] = {
        { 0, 0, 0, 0, 0 },      { 0, 2, 0, 0, 0 },
        { 1, 0, 1, 1, 1 },      { 1, 4, 1, 5, 5 },
        { 4, 0, 4, 1, 4 },      { 5, 0, 5, 1, 5 },
        { 6, 0, 5, 1, 5 },      { -1, 0, 5, 1, 5 },
        { -7, 0, 5, 1, 5 },     { INT64_MIN, 0, 5, 1, 5 },
        { -1, 1, 4, 2, 5 },     { -1, 4, 1, 5, 5 },
        { -1, 5, 0, 0, 0 },     { 2, 5, 0, 0, 0 },
        { -1, 100, 0, 0, 0 },   { 3, INT64_MAX, 0, 0, 0 },
        { -1, -3, 5, 1, 5 },    { 2, -1, 2, 1, 2 },
        { INT64_MAX, 3, 2, 4, 5 },
    };
    sc_db *db = open_with_rows("page.db", 5);
    sc_order by_id = { .column = 0, .desc = false };
    sc_where w = SC_WHERE_INIT;
    struct seen s;
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        s = select_page(db, cases[i].limit, cases[i].offset);
        if (s.n != cases[i].n || (s.n > 0 && (s.first != cases[i].first
                                              || s.last != cases[i].last)))
            T_FAIL("limit %lld offset %lld: %d rows, %lld..%lld; want %d, "
                   "%d..%d", (long long)cases[i].limit,
                   (long long)cases[i].offset, s.n, (long long)s.first,
                   (long long)s.last, cases[i].n, cases[i].first,
                   cases[i].last);
    }
    /* Paged after where values: ids 2, 4, 5 match; skip one, take two. */
    sc_where_add(&w, "id >= ? AND name <> ?", 2, sc_int(2), sc_text("n3"));
    memset(&s, 0, sizeof(s));
    CHECK_INT(sc_row_select(db, &bparent, &w, &by_id, 1, 2, 1, note_row, &s),
              SC_OK);
    CHECK(s.n == 2 && s.first == 4 && s.last == 5);
    sc_where_fini(&w);
    sc_close(db);
}

/* Order terms name columns 0 .. ncolumns-1: the last works, the next one
 * and negative numbers are refused before any SQL runs. */
static void
test_order_column_bounds(void)
{
    static const int bad[] = { 5, 6, INT_MAX, -1, INT_MIN };
    sc_db *db = open_with_rows("order.db", 3);
    sc_order o = { .column = 4, .desc = true };
    struct seen s = { 0, 0, 0 };
    size_t i;

    CHECK_INT(bparent.ncolumns, 5);
    CHECK_INT(sc_row_select(db, &bparent, NULL, &o, 1, -1, 0, note_row, &s),
              SC_OK);
    CHECK_INT(s.n, 3);
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        o.column = bad[i];
        if (sc_row_select(db, &bparent, NULL, &o, 1, -1, 0, note_row, &s)
            != SC_MISUSE)
            T_FAIL("order column %d: not refused", bad[i]);
    }
    /* A bad term after a good one is refused too. */
    {
        sc_order two[2] = { { .column = 0 }, { .column = 5 } };
        CHECK_INT(sc_row_select(db, &bparent, NULL, two, 2, -1, 0, note_row,
                                &s), SC_MISUSE);
    }
    sc_close(db);
}

/* ------------------------------------------------------------------ */
/* Queries: the growing array and empty results                         */
/* ------------------------------------------------------------------ */

/*
 * sc_query_all's array starts at 16 rows and doubles: 0, 1, 15, 16, 17,
 * 32, 33 and 40 rows each come back whole, in order, with their text.
 */
static void
test_query_all_sizes(void)
{
    static const int sizes[] = { 0, 1, 15, 16, 17, 31, 32, 33, 40 };
    sc_db *db = open_with_rows("all.db", 40);
    sc_query q = bounds_query(Q_UPTO, true);
    size_t i, nrows, k;

    for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        struct limit_arg arg = { sizes[i] };
        struct idname *rows = NULL;
        char want[24];
        void *p;

        CHECK_INT(sc_query_all(db, &q, &arg, &p, &nrows), SC_OK);
        rows = p;
        CHECK_INT(nrows, sizes[i]);
        CHECK((sizes[i] == 0) == (rows == NULL));
        for (k = 0; k < nrows; k++) {
            snprintf(want, sizeof(want), "n%zu", k + 1);
            if (rows[k].id != (int64_t)k + 1 || rows[k].name == NULL
                || strcmp(rows[k].name, want) != 0)
                T_FAIL("%d rows: row %zu wrong", sizes[i], k);
        }
        sc_query_all_free(&q, rows, nrows);
    }
    sc_close(db);
}

/* Count callback. */
static int
count_row(const void *row, void *arg)
{
    (void)row;
    ++*(int *)arg;
    return 0;
}

/*
 * A query that matches nothing: one is SC_NOTFOUND with out zeroed, many
 * never calls back, all returns NULL and 0; an exec that changes nothing
 * reports 0 changes even right after a statement that changed a row.
 */
static void
test_query_no_rows(void)
{
    sc_db *db = open_with_rows("none.db", 3);
    sc_query q = bounds_query(Q_UPTO, true);
    sc_query ex = bounds_query(Q_DROP_ABOVE, false);
    struct limit_arg none = { 0 };
    struct idname one;
    struct parent p;
    void *rows = &rows;
    size_t nrows = 7;
    int64_t changes = 7;
    int calls = 0;

    memset(&one, 0x5a, sizeof(one));
    CHECK_INT(sc_query_one(db, &q, &none, &one), SC_NOTFOUND);
    CHECK(one.id == 0 && one.name == NULL);
    CHECK_INT(sc_query_many(db, &q, &none, count_row, &calls), SC_OK);
    CHECK_INT(calls, 0);
    CHECK_INT(sc_query_all(db, &q, &none, &rows, &nrows), SC_OK);
    CHECK(rows == NULL && nrows == 0);
    memset(&p, 0, sizeof(p));
    p.id = 10;
    p.name = "ten";
    CHECK_INT(sc_row_insert(db, &bparent, &p), SC_OK);     /* 1 change */
    none.max = 100;
    CHECK_INT(sc_query_exec(db, &ex, &none, &changes), SC_OK);
    CHECK_INT(changes, 0);
    none.max = 2;
    CHECK_INT(sc_query_exec(db, &ex, &none, &changes), SC_OK);
    CHECK_INT(changes, 2);
    sc_close(db);
}

/* ------------------------------------------------------------------ */
/* Empty inputs                                                         */
/* ------------------------------------------------------------------ */

/*
 * No rows and no clauses: count is 0 and select never calls back, with
 * NULL, an empty where and a where matching nothing; sc_clear_all on
 * empty tables succeeds (twice), keeps the version record and leaves no
 * batch open.
 */
static void
test_empty_tables_and_filters(void)
{
    sc_db *db = open_with_rows("empty.db", 0);
    sc_where empty = SC_WHERE_INIT, nothing = SC_WHERE_INIT;
    const sc_where *filters[3];
    int64_t n;
    int calls, i;

    sc_where_add(&nothing, "id < ?", 1, sc_int(INT64_MIN));
    filters[0] = NULL;
    filters[1] = &empty;
    filters[2] = &nothing;
    for (i = 0; i < 3; i++) {
        n = -1;
        calls = 0;
        CHECK_INT(sc_row_count(db, &bparent, filters[i], &n), SC_OK);
        CHECK_INT(n, 0);
        CHECK_INT(sc_row_select(db, &bparent, filters[i], NULL, 0, -1, 0,
                                count_row, &calls), SC_OK);
        CHECK_INT(calls, 0);
    }
    CHECK_INT(sc_clear_all(db), SC_OK);
    CHECK_INT(sc_clear_all(db), SC_OK);
    CHECK_INT(sc_batch_depth(db), 0);
    CHECK(sqlite3_get_autocommit(sc_sqlite(db)));
    sc_close(db);
    CHECK_INT(fx_int(fx_path("empty.db"), "SELECT version FROM "
                     "schema_version"), 2);

    /* The same filters over rows: an empty where is no filter at all. */
    db = open_with_rows("full.db", 4);
    for (i = 0; i < 3; i++) {
        n = -1;
        CHECK_INT(sc_row_count(db, &bparent, filters[i], &n), SC_OK);
        CHECK_INT(n, i == 2 ? 0 : 4);
    }
    sc_close(db);
    sc_where_fini(&nothing);
}

/*
 * Empty values are values: an empty text and a zero-length blob in a
 * where match the rows holding them, not the NULL ones.
 */
static void
test_empty_values_in_where(void)
{
    static const unsigned char byte[1] = { 7 };
    sc_db *db = open_with_rows("emptyval.db", 0);
    sc_where w = SC_WHERE_INIT;
    struct parent p;
    int64_t n = -1;
    int i;

    for (i = 1; i <= 3; i++) {
        memset(&p, 0, sizeof(p));
        p.id = i;
        p.name = i == 2 ? "" : "x";
        p.data.data = i == 1 ? NULL : (unsigned char *)(uintptr_t)byte;
        p.data.len = i == 3 ? 1 : 0;
        CHECK_INT(sc_row_insert(db, &bparent, &p), SC_OK);
    }
    sc_where_add(&w, "name = ?", 1, sc_text(""));
    CHECK_INT(sc_row_count(db, &bparent, &w, &n), SC_OK);
    CHECK_INT(n, 1);
    sc_where_fini(&w);
    sc_where_add(&w, "data = ?", 1, sc_blob_value(byte, 0));
    CHECK_INT(sc_row_count(db, &bparent, &w, &n), SC_OK);
    CHECK_INT(n, 1);
    sc_where_fini(&w);
    sc_where_add(&w, "data IS ?", 1, sc_blob_value(NULL, 0));
    CHECK_INT(sc_row_count(db, &bparent, &w, &n), SC_OK);
    CHECK_INT(n, 1);
    sc_where_fini(&w);
    sc_close(db);
}

/* ------------------------------------------------------------------ */
/* Messages and names                                                   */
/* ------------------------------------------------------------------ */

/* Every code has its own name; one past the last and negative codes are
 * "unknown result code". */
static void
test_errstr_bounds(void)
{
    CHECK_STR(sc_errstr(SC_OK), "ok");
    CHECK_STR(sc_errstr(SC_NOTFOUND), "not found");
    CHECK_STR(sc_errstr(SC_ERROR), "error");
    CHECK_STR(sc_errstr(SC_ERROR + 1), "unknown result code");
    CHECK_STR(sc_errstr(-1), "unknown result code");
    CHECK_STR(sc_errstr(INT_MAX), "unknown result code");
    CHECK_STR(sc_errstr(INT_MIN), "unknown result code");
}

/* A schema whose only statement names a table that does not exist, with
 * a name long enough that the message nearly fills the buffer. */
static char missing_sql[512];
static const char *missing_statements[1] = { missing_sql };
static sc_schema missing_schema;

/*
 * Run query 0 of the missing schema, named by name_len bytes of 'q', on
 * db: preparing it fails and the query's name is put in front of the
 * message.  Returns the message.
 */
static const char *
failed_query_message(sc_db *db, size_t name_len)
{
    char name[128];
    struct idname out;
    sc_query q = {
        .schema = &missing_schema, .name = name, .stmt = 0,
        .columns = idname_columns, .ncolumns = 2,
        .row_size = sizeof(struct idname),
    };

    memset(name, 'q', name_len);
    name[name_len] = '\0';
    CHECK_INT(sc_query_one(db, &q, NULL, &out), SC_ERROR);
    return sc_errmsg(db);
}

/*
 * A message that gets a prefix put in front of it fills the message
 * buffer (511 bytes and a NUL) exactly, or would need one byte more, or
 * many more: it comes out whole in the first case and cut at 511 bytes
 * in the others, never written past the buffer.
 */
static void
test_message_fills_buffer(void)
{
    char base[512];
    const char *msg;
    size_t len, mlen, plen;
    sc_db *db;

    len = (size_t)snprintf(missing_sql, sizeof(missing_sql),
                           "SELECT id, name FROM ");
    memset(missing_sql + len, 'x', 420);
    missing_sql[len + 420] = '\0';
    missing_schema = demo_schema;
    missing_schema.name = "missing";
    missing_schema.statements = missing_statements;
    missing_schema.nstatements = 1;
    unlink(fx_path("msg.db"));
    if (sc_open(&db, fx_path("msg.db"), &missing_schema, NULL) != SC_OK) {
        T_FAIL("open: %s", sc_errmsg(db));
        sc_close(db);
        return;
    }
    /* The message without a prefix: what follows "query 'q': ". */
    msg = failed_query_message(db, 1);
    CHECK(strncmp(msg, "query 'q': ", 11) == 0);
    snprintf(base, sizeof(base), "%s", msg + 11);
    mlen = strlen(base);
    CHECK(mlen > 420 && mlen < 480);
    CHECK(strstr(base, "no such table") != NULL);

    /* Prefix and message make 511 bytes: all of it is kept. */
    plen = 511 - mlen;
    msg = failed_query_message(db, plen - 10);
    CHECK_INT(strlen(msg), 511);
    CHECK(strcmp(msg + plen, base) == 0);
    /* 512 and 513 bytes: cut to 511, the message's start kept. */
    for (len = 1; len <= 2; len++) {
        msg = failed_query_message(db, plen - 10 + len);
        CHECK_INT(strlen(msg), 511);
        CHECK(strncmp(msg + plen + len, base, mlen - len) == 0);
    }
    /* The longest name a prefix holds: still 511. */
    msg = failed_query_message(db, 115);
    CHECK_INT(strlen(msg), 511);
    sc_close(db);
}

/* A call refused for a NULL output says so, whatever the call before
 * it failed with: the message is this call's, not the last one's. */
static void
test_null_output_message_is_this_calls(void)
{
    sc_db *db = open_with_rows("nullout.db", 1);
    sc_query q = bounds_query(0, true);
    struct parent key, out;
    void *rows = NULL;
    size_t n = 0;

    if (db == NULL)
        return;
    memset(&key, 0, sizeof(key));
    key.id = 99;
    CHECK_INT(sc_row_get(db, &bparent, &key, &out), SC_NOTFOUND);
    CHECK_INT(sc_row_get(db, &bparent, &key, NULL), SC_MISUSE);
    CHECK(strstr(sc_errmsg(db), "NULL output row") != NULL);
    CHECK_INT(sc_row_get(db, &bparent, &key, &out), SC_NOTFOUND);
    CHECK_INT(sc_query_one(db, &q, NULL, NULL), SC_MISUSE);
    CHECK(strstr(sc_errmsg(db), "NULL output row") != NULL);
    CHECK_INT(sc_row_get(db, &bparent, &key, &out), SC_NOTFOUND);
    CHECK_INT(sc_query_many(db, &q, NULL, NULL, NULL), SC_MISUSE);
    CHECK(strstr(sc_errmsg(db), "NULL callback") != NULL);
    CHECK_INT(sc_row_get(db, &bparent, &key, &out), SC_NOTFOUND);
    CHECK_INT(sc_query_all(db, &q, NULL, &rows, NULL), SC_MISUSE);
    CHECK(strstr(sc_errmsg(db), "NULL rows or count") != NULL);
    CHECK(rows == NULL && n == 0);
    sc_close(db);
}

/*
 * sc_fail, for a library built on the runtime: the message is formatted
 * and replaces the previous call's error, the code comes back, a long
 * message is cut to the buffer, a NULL db just gives the code back, and
 * the next successful call forgets the message as every call does.
 */
static void
test_fail_records_message(void)
{
    sc_db *db = open_with_rows("fail.db", 1);
    struct parent key, out;
    char long_text[600];
    int64_t n = 0;

    if (db == NULL)
        return;
    memset(&key, 0, sizeof(key));
    key.id = 99;
    CHECK_INT(sc_row_get(db, &bparent, &key, &out), SC_NOTFOUND);
    CHECK_INT(sc_fail(db, SC_MISUSE, "get_trend: window %d is negative", -3),
              SC_MISUSE);
    CHECK_STR(sc_errmsg(db), "get_trend: window -3 is negative");
    CHECK_INT(sc_fail(db, SC_CORRUPT, "%s", "second"), SC_CORRUPT);
    CHECK_STR(sc_errmsg(db), "second");
    memset(long_text, 'm', sizeof(long_text) - 1);
    long_text[sizeof(long_text) - 1] = '\0';
    CHECK_INT(sc_fail(db, SC_ERROR, "%s", long_text), SC_ERROR);
    CHECK_INT(strlen(sc_errmsg(db)), 511);
    CHECK_INT(sc_fail(NULL, SC_NOMEM, "no %s", "db"), SC_NOMEM);
    CHECK_INT(sc_row_count(db, &bparent, NULL, &n), SC_OK);
    CHECK_INT(n, 1);
    CHECK_STR(sc_errmsg(db), "not an error");
    sc_close(db);
}

static const struct t_test tests[] = {
    T_TEST(test_null_output_message_is_this_calls),
    T_TEST(test_statement_index_bounds),
    T_TEST(test_descriptor_statement_out_of_range),
    T_TEST(test_select_limit_offset),
    T_TEST(test_order_column_bounds),
    T_TEST(test_query_all_sizes),
    T_TEST(test_query_no_rows),
    T_TEST(test_empty_tables_and_filters),
    T_TEST(test_empty_values_in_where),
    T_TEST(test_errstr_bounds),
    T_TEST(test_message_fills_buffer),
    T_TEST(test_fail_records_message),
};

int
main(void)
{
    int status;

    init_bounds_schema();
    status = T_RUN_ALL(tests);
    fx_cleanup();
    return status;
}
