/*
 * query.c - the generic operations generated query functions wrap.  They
 * bind a query's arguments to its cached statement by the parameter
 * descriptors, step it, and read result rows by the column descriptors.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* The first capacity of an sc_query_all() array, in rows. */
#define ALL_FIRST_CAP 16

/*
 * Check the arguments of a call running q, fetch q's cached statement and
 * bind args to it.  rows says whether the caller reads rows (one, many,
 * all) or not (exec), which must agree with q.  Returns SC_OK with *stmt
 * set (give it back with sc_stmt_release()) or an error code, recorded on
 * db, with *stmt NULL.  On PostgreSQL only the checks run (*stmt stays
 * NULL): pg_query() runs the query.
 */
static int
start_query(sc_db *db, const sc_query *q, const void *args, bool rows,
            sqlite3_stmt **stmt)
{
    size_t i, at;
    int rc, src = SQLITE_OK;

    *stmt = NULL;
    if (db == NULL)
        return SC_MISUSE;
    if ((rc = sci_begin_call(db)) != SC_OK)
        return rc;
    if (!SCI_IS_OPEN(db))
        return sci_error(db, SC_MISUSE, "query: the database is not open");
    if (q == NULL)
        return sci_error(db, SC_MISUSE, "query: NULL query");
    if (q->schema != db->schema)
        return sci_error(db, SC_MISUSE, "query '%s' is not part of schema "
                         "'%s'", q->name, db->schema->name);
    if (q->nparams > 0 && args == NULL)
        return sci_error(db, SC_MISUSE, "query '%s': NULL arguments",
                         q->name);
    if (rows != (q->ncolumns > 0))
        return sci_error(db, SC_MISUSE, "query '%s' %s rows", q->name,
                         rows ? "returns no" : "returns");
    if ((rc = sci_batch_check(db)) != SC_OK) {
        sci_prefix(db, "query '%s': ", q->name);
        return rc;
    }
    for (i = 0; i < q->nparams; i++) {
        if (!sci_enum_ok(&q->params[i].member, args))
            return sci_error(db, SC_MISUSE, "query '%s': argument '%s' is "
                             "not a value of its enum", q->name,
                             q->params[i].member.name);
        if (!sci_text_ok(&q->params[i].member, args, &at))
            return sci_error(db, SC_MISUSE, "query '%s': argument '%s' is "
                             "not UTF-8 text (byte %zu)", q->name,
                             q->params[i].member.name, at);
    }
    if (db->pg != NULL)
        return SC_OK;
    if ((rc = sc_stmt_get(db, q->stmt, stmt)) != SC_OK) {
        sci_prefix(db, "query '%s': ", q->name);
        return rc;
    }
    for (i = 0; i < q->nparams && src == SQLITE_OK; i++)
        src = sci_bind_column(*stmt, q->params[i].index,
                              &q->params[i].member, args);
    if (src != SQLITE_OK) {
        rc = sci_error(db, sci_rc_from_sqlite(src), "query '%s': binding "
                       "parameter '%s': %s", q->name,
                       q->params[i - 1].member.name,
                       sqlite3_errmsg(db->conn));
        sc_stmt_release(db, *stmt);
        *stmt = NULL;
    }
    return rc;
}

/*
 * PostgreSQL: run q, whose arguments start_query() checked, with args
 * bound by their $n (sc_param.pg_index).  SC_OK with *res set (free with
 * sci_pg_clear()), or an error recorded on db.
 */
static int
pg_query(sc_db *db, const sc_query *q, const void *args,
         struct pg_result **res)
{
    sc_value *v = NULL;
    size_t i, n = 0;
    int rc;

    *res = NULL;
    for (i = 0; i < q->nparams; i++)
        if ((size_t)q->params[i].pg_index > n)
            n = (size_t)q->params[i].pg_index;
    if (n > 0 && (v = calloc(n, sizeof(*v))) == NULL)
        return sci_error(db, SC_NOMEM, "query '%s': out of memory",
                         q->name);
    for (i = 0; i < q->nparams; i++)
        if (q->params[i].pg_index > 0)
            v[q->params[i].pg_index - 1] =
                sc_column_value(&q->params[i].member, args);
    if ((rc = sci_pg_run(db, q->stmt, NULL, false, v, n, res)) != SC_OK)
        sci_prefix(db, "query '%s': ", q->name);
    free(v);
    return rc;
}

/*
 * PostgreSQL: read rows first..first+count-1 of res into count rows of
 * q at rows (copied), or lend each to each when it is not NULL (row then
 * being one scratch row, its text lent from res).  Returns SC_OK, what each returned, or an
 * error recorded on db.
 */
static int
pg_rows(sc_db *db, const sc_query *q, struct pg_result *res, void *rows,
        int count, sc_row_fn *each, void *arg)
{
    int r, rc = SC_OK;

    for (r = 0; r < count && rc == SC_OK; r++) {
        void *row = each ? rows : (char *)rows + (size_t)r * q->row_size;
        rc = sci_pg_read_row(db, res, r, q->columns, q->ncolumns, row,
                             q->row_size, each == NULL, q->name);
        if (rc == SC_OK && each != NULL) {
            rc = each(row, arg);
            sci_pg_release_row(q->columns, q->ncolumns, row, q->row_size);
        }
    }
    return rc;
}

/* Record the failure src of stepping q's statement on db; returns the
 * SC_* code. */
static int
step_error(sc_db *db, const sc_query *q, int src)
{
    return sci_error(db, sci_rc_from_sqlite(src), "query '%s': %s", q->name,
                     src == SQLITE_NOMEM ? "out of memory"
                     : sqlite3_errmsg(db->conn));
}

/*
 * Step stmt to its end, for a statement that changes data and returns
 * rows (RETURNING) whose first row is all the caller wanted.  Returns an
 * SQLite code: SQLITE_DONE when it finished.
 */
static int
finish(sqlite3_stmt *stmt)
{
    int src;

    if (sqlite3_stmt_readonly(stmt))
        return SQLITE_DONE;
    while ((src = sqlite3_step(stmt)) == SQLITE_ROW)
        ;
    return src;
}

/* Run q and copy its first row into out. */
int
sc_query_one(sc_db *db, const sc_query *q, const void *args, void *out)
{
    sqlite3_stmt *stmt;
    int rc, src;

    if (out == NULL)
        return sci_refuse(db, "query: NULL output row");
    if (q != NULL)
        memset(out, 0, q->row_size);
    rc = start_query(db, q, args, true, &stmt);
    if (rc != SC_OK)
        return rc;
    if (db->pg != NULL) {
        struct pg_result *res;
        if ((rc = pg_query(db, q, args, &res)) == SC_OK)
            rc = sci_pg_nrows(res) == 0
                ? sci_error(db, SC_NOTFOUND, "query '%s': no row", q->name)
                : pg_rows(db, q, res, out, 1, NULL, NULL);
        sci_pg_clear(res);
        return rc;
    }
    src = sqlite3_step(stmt);
    if (src == SQLITE_DONE) {
        rc = sci_error(db, SC_NOTFOUND, "query '%s': no row", q->name);
    } else if (src != SQLITE_ROW) {
        rc = step_error(db, q, src);
    } else {
        src = sci_read_row(stmt, q->columns, q->ncolumns, out, q->row_size,
                           true);
        if (src != SQLITE_OK)
            rc = sci_read_failed(db, src, stmt, q->columns, q->ncolumns,
                                 q->name);
        else if ((src = finish(stmt)) != SQLITE_DONE) {
            sc_query_row_free(q, out);
            rc = step_error(db, q, src);
        }
    }
    sc_stmt_release(db, stmt);
    return rc;
}

/* Run q and lend each row to each. */
int
sc_query_many(sc_db *db, const sc_query *q, const void *args,
              sc_row_fn *each, void *arg)
{
    sqlite3_stmt *stmt;
    void *row;
    int rc, src;

    if (each == NULL)
        return sci_refuse(db, "query: NULL callback");
    rc = start_query(db, q, args, true, &stmt);
    if (rc != SC_OK)
        return rc;
    if (db->pg != NULL) {
        struct pg_result *res;
        if ((rc = pg_query(db, q, args, &res)) != SC_OK)
            return rc;
        if ((row = calloc(1, q->row_size)) == NULL)
            rc = sci_error(db, SC_NOMEM, "query '%s': out of memory",
                           q->name);
        else
            rc = pg_rows(db, q, res, row, sci_pg_nrows(res), each, arg);
        sci_pg_clear(res);
        free(row);
        return rc;
    }
    if ((row = calloc(1, q->row_size)) == NULL) {
        sc_stmt_release(db, stmt);
        return sci_error(db, SC_NOMEM, "query '%s': out of memory",
                         q->name);
    }
    while ((src = sqlite3_step(stmt)) == SQLITE_ROW) {
        src = sci_read_row(stmt, q->columns, q->ncolumns, row, q->row_size,
                           false);
        if (src != SQLITE_OK) {
            rc = sci_read_failed(db, src, stmt, q->columns, q->ncolumns,
                                 q->name);
            break;
        }
        if ((rc = each(row, arg)) != 0)
            break;
    }
    if (rc == SC_OK && src != SQLITE_DONE)
        rc = step_error(db, q, src);
    sc_stmt_release(db, stmt);
    free(row);
    return rc;
}

/*
 * Make room in *rows (capacity *cap rows of size bytes) for row n.
 * Returns 0, or -1 when memory runs out (*rows is then unchanged).
 */
static int
grow(void **rows, size_t *cap, size_t n, size_t size)
{
    size_t want = *cap ? *cap * 2 : ALL_FIRST_CAP;
    void *p;

    if (n < *cap)
        return 0;
    if (want < *cap || want > (size_t)-1 / (size ? size : 1))
        return -1;
    if ((p = realloc(*rows, want * size)) == NULL)
        return -1;
    *rows = p;
    *cap = want;
    return 0;
}

/* PostgreSQL's sc_query_all(): the whole result is there, so the array
 * is allocated once. */
static int
pg_all(sc_db *db, const sc_query *q, const void *args, void **rows,
       size_t *nrows)
{
    struct pg_result *res;
    void *all = NULL;
    int rc, n;

    if ((rc = pg_query(db, q, args, &res)) != SC_OK)
        return rc;
    n = sci_pg_nrows(res);
    if (n > 0 && (all = calloc((size_t)n, q->row_size)) == NULL)
        rc = sci_error(db, SC_NOMEM, "query '%s': out of memory", q->name);
    else if (n > 0 && (rc = pg_rows(db, q, res, all, n, NULL, NULL))
             != SC_OK)
        sc_query_all_free(q, all, (size_t)n);   /* failed rows are zeroed */
    if (rc == SC_OK) {
        *rows = all;
        *nrows = (size_t)n;
    }
    sci_pg_clear(res);
    return rc;
}

/* Run q and copy every row into one growing array. */
int
sc_query_all(sc_db *db, const sc_query *q, const void *args, void **rows,
             size_t *nrows)
{
    sqlite3_stmt *stmt;
    void *all = NULL;
    size_t n = 0, cap = 0;
    int rc, src;

    if (rows == NULL || nrows == NULL)
        return sci_refuse(db, "query: NULL rows or count");
    *rows = NULL;
    *nrows = 0;
    rc = start_query(db, q, args, true, &stmt);
    if (rc != SC_OK)
        return rc;
    if (db->pg != NULL)
        return pg_all(db, q, args, rows, nrows);
    while ((src = sqlite3_step(stmt)) == SQLITE_ROW) {
        void *row;
        if (grow(&all, &cap, n, q->row_size) != 0) {
            src = SQLITE_NOMEM;
            break;
        }
        row = (char *)all + n * q->row_size;
        memset(row, 0, q->row_size);
        src = sci_read_row(stmt, q->columns, q->ncolumns, row, q->row_size,
                           true);
        if (src != SQLITE_OK)
            break;
        n++;
    }
    if (src != SQLITE_DONE) {
        rc = src == SQLITE_MISMATCH
            ? sci_read_failed(db, src, stmt, q->columns, q->ncolumns,
                              q->name)
            : step_error(db, q, src);
        sc_query_all_free(q, all, n);
    } else {
        *rows = all;
        *nrows = n;
    }
    sc_stmt_release(db, stmt);
    return rc;
}

/* Free the rows of an sc_query_all() array and the array. */
void
sc_query_all_free(const sc_query *q, void *rows, size_t nrows)
{
    size_t i;

    if (q == NULL || rows == NULL)
        return;
    for (i = 0; i < nrows; i++)
        sci_free_row(q->columns, q->ncolumns, (char *)rows + i * q->row_size,
                     q->row_size);
    free(rows);
}

/* Run q, which returns no rows, and count the rows it changed. */
int
sc_query_exec(sc_db *db, const sc_query *q, const void *args,
              int64_t *changes)
{
    sqlite3_stmt *stmt;
    int rc, src, before;

    if (changes != NULL)
        *changes = 0;
    rc = start_query(db, q, args, false, &stmt);
    if (rc != SC_OK)
        return rc;
    if (db->pg != NULL) {
        struct pg_result *res;
        if ((rc = pg_query(db, q, args, &res)) == SC_OK && changes != NULL)
            *changes = sci_pg_changes(res);
        sci_pg_clear(res);
        return rc;
    }
    /* sqlite3_changes() keeps its old value across statements that are
     * not INSERT, UPDATE or DELETE; the total tells whether this one
     * changed anything at all. */
    before = sqlite3_total_changes(db->conn);
    src = sqlite3_step(stmt);
    if (src != SQLITE_DONE)
        rc = step_error(db, q, src);
    else if (changes != NULL && sqlite3_total_changes(db->conn) != before)
        *changes = sqlite3_changes(db->conn);
    sc_stmt_release(db, stmt);
    return rc;
}

/* Free the text and blob members of a row of q and zero it. */
void
sc_query_row_free(const sc_query *q, void *row)
{
    if (q == NULL || row == NULL)
        return;
    sci_free_row(q->columns, q->ncolumns, row, q->row_size);
}
