/*
 * select.c - count and select over a table with an sc_where, typed
 * ordering and paging.  The SQL varies with the filter, so these
 * statements are kept by their text (stmt.c) rather than by index;
 * ordering names columns from the descriptor, never text from the
 * caller.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Build head + " WHERE " + where [+ ORDER BY ...] [+ LIMIT ? OFFSET ?]
 * into *sql (malloc'd; the caller frees it), with PostgreSQL's $n
 * placeholders on PostgreSQL, where *nparams then counts the where
 * clauses' placeholders.  Returns SC_OK or an error recorded on db.
 */
static int
filtered_sql(sc_db *db, const sc_table *t, const char *head,
             const sc_where *where, const sc_order *order, size_t norder,
             bool paged, struct sci_text *sql, int *nparams)
{
    char num[64];
    size_t i;

    *nparams = 0;
    if (where != NULL && where->rc != SC_OK)
        return sci_error(db, where->rc, "%s: the where clause could not be "
                         "built: %s", t->name,
                         where->why ? where->why : sc_errstr(where->rc));
    sci_text_add(sql, head);
    sci_text_add(sql, " WHERE ");
    if (db->pg != NULL)
        sci_text_pg_params(sql, sc_where_sql(where), nparams);
    else
        sci_text_add(sql, sc_where_sql(where));
    for (i = 0; i < norder; i++) {
        if (order[i].column < 0 || (size_t)order[i].column >= t->ncolumns)
            return sci_error(db, SC_MISUSE, "%s: order column %d out of "
                             "range", t->name, order[i].column);
        sci_text_add(sql, i == 0 ? " ORDER BY " : ", ");
        sci_text_ident(sql, t->columns[order[i].column].name);
        /* Text in bytes, as SQLite's binary collation sorts it, not by
         * the rules of the server's locale ('.' before '+' in en-US). */
        if (db->pg != NULL
            && (t->columns[order[i].column].type == SC_T_TEXT
                || t->columns[order[i].column].type == SC_T_TIMESTAMP))
            sci_text_add(sql, " COLLATE \"C\"");
        if (order[i].desc)
            sci_text_add(sql, " DESC");
        /* PostgreSQL sorts NULL above every value, SQLite below: the
         * order of rows must not depend on the engine. */
        if (db->pg != NULL)
            sci_text_add(sql, order[i].desc ? " NULLS LAST" : " NULLS FIRST");
    }
    if (paged && db->pg != NULL) {
        snprintf(num, sizeof(num), " LIMIT $%d OFFSET $%d", *nparams + 1,
                 *nparams + 2);
        sci_text_add(sql, num);
    } else if (paged) {
        sci_text_add(sql, " LIMIT ? OFFSET ?");
    }
    if (sql->failed)
        return sci_error(db, SC_NOMEM, "%s: out of memory", t->name);
    return SC_OK;
}

/* The SC_MISUSE of a where whose placeholders and values differ in
 * number. */
static int
count_mismatch(sc_db *db, const sc_table *t, int nplaceholders,
               size_t nvalues)
{
    return sci_error(db, SC_MISUSE, "select from %s: the where clauses "
                     "have %d placeholders but %zu values", t->name,
                     nplaceholders, nvalues);
}

/*
 * Prepare the filtered statement (filtered_sql()) and bind where's values
 * (then limit and offset when paged).  Returns SC_OK with *stmt and *slot
 * set (the caller gives them back with sci_filtered_release()) or an
 * error code.
 */
static int
prepare_filtered(sc_db *db, const sc_table *t, const char *head,
                 const sc_where *where, const sc_order *order,
                 size_t norder, bool paged, int64_t limit, int64_t offset,
                 sqlite3_stmt **stmt, struct sci_filtered **slot)
{
    struct sci_text sql = { NULL, 0, 0, 0 };
    size_t nvalues;
    int src, rc, want, unused;

    *stmt = NULL;
    *slot = NULL;
    rc = filtered_sql(db, t, head, where, order, norder, paged, &sql,
                      &unused);
    if (rc != SC_OK) {
        free(sql.p);
        return rc;
    }
    src = sci_filtered_get(db, sql.p, stmt, slot);
    if (src != SQLITE_OK)
        return sci_error(db, sci_rc_from_sqlite(src), "select from %s: %s",
                         t->name, sqlite3_errmsg(db->conn));
    sc_where_values(where, &nvalues);
    want = (int)nvalues + (paged ? 2 : 0);
    if (sqlite3_bind_parameter_count(*stmt) != want) {
        rc = count_mismatch(db, t, sqlite3_bind_parameter_count(*stmt)
                            - (paged ? 2 : 0), nvalues);
        goto fail;
    }
    if ((rc = sc_where_bind(where, *stmt, 1)) != SC_OK) {
        rc = sci_error(db, rc, "select from %s: binding the where values",
                       t->name);
        goto fail;
    }
    if (paged) {
        sqlite3_bind_int64(*stmt, want - 1, limit < 0 ? -1 : limit);
        sqlite3_bind_int64(*stmt, want, offset < 0 ? 0 : offset);
    }
    return SC_OK;
fail:
    sci_filtered_release(*stmt, *slot);
    *stmt = NULL;
    *slot = NULL;
    return rc;
}

/*
 * PostgreSQL: run the filtered statement (filtered_sql()) with where's
 * values (then limit, NULL for none, and offset when paged).  SC_OK with
 * *res set (free with sci_pg_clear()), or an error recorded on db.
 */
static int
pg_filtered(sc_db *db, const sc_table *t, const char *head,
            const sc_where *where, const sc_order *order, size_t norder,
            bool paged, int64_t limit, int64_t offset,
            struct pg_result **res)
{
    struct sci_text sql = { NULL, 0, 0, 0 };
    const sc_value *wv;
    sc_value *v = NULL;
    size_t nvalues, n;
    int rc, nparams;

    *res = NULL;
    wv = sc_where_values(where, &nvalues);
    rc = filtered_sql(db, t, head, where, order, norder, paged, &sql,
                      &nparams);
    if (rc == SC_OK && (size_t)nparams != nvalues)
        rc = count_mismatch(db, t, nparams, nvalues);
    n = nvalues + (paged ? 2 : 0);
    if (rc == SC_OK && (v = malloc((n ? n : 1) * sizeof(*v))) == NULL)
        rc = sci_error(db, SC_NOMEM, "select from %s: out of memory",
                       t->name);
    if (rc == SC_OK) {
        if (nvalues > 0)
            memcpy(v, wv, nvalues * sizeof(*v));
        if (paged) {
            v[nvalues] = limit < 0 ? sc_null() : sc_int(limit);
            v[nvalues + 1] = sc_int(offset < 0 ? 0 : offset);
        }
        if ((rc = sci_pg_run(db, SC_NO_STMT, sql.p, true, v, n, res))
            != SC_OK)
            sci_prefix(db, "select from %s: ", t->name);
    }
    free(v);
    free(sql.p);
    return rc;
}

/* Check the common arguments; SC_OK, SC_MISUSE with a message, or
 * SC_ERROR in a batch SQLite has rolled back. */
static int
check_args(sc_db *db, const sc_table *t, const void *out, const char *op)
{
    if (db == NULL)
        return SC_MISUSE;
    if (sci_begin_call(db) != SC_OK)
        return SC_MISUSE;
    if (!SCI_IS_OPEN(db) || t == NULL || out == NULL)
        return sci_error(db, SC_MISUSE, "%s: NULL argument", op);
    if (t->schema != db->schema)
        return sci_error(db, SC_MISUSE, "%s: table '%s' is not part of "
                         "schema '%s'", op, t->name, db->schema->name);
    if (sci_batch_check(db) != SC_OK) {
        sci_prefix(db, "%s %s: ", op, t->name);
        return SC_ERROR;
    }
    return SC_OK;
}

/* PostgreSQL's count: the filtered count statement's one value. */
static int
pg_count(sc_db *db, const sc_table *t, const sc_where *where, int64_t *n)
{
    static const sc_column count_col = { .name = "count",
                                         .type = SC_T_INTEGER };
    struct pg_result *res;
    int rc;

    rc = pg_filtered(db, t, t->count_sql, where, NULL, 0, false, 0, 0,
                     &res);
    if (rc == SC_OK)
        rc = sci_pg_read_row(db, res, 0, &count_col, 1, n, sizeof(*n),
                             true, "count");
    sci_pg_clear(res);
    return rc;
}

/* PostgreSQL's select: every matching row lent to each in turn, its
 * text from the result. */
static int
pg_select(sc_db *db, const sc_table *t, const sc_where *where,
          const sc_order *order, size_t norder, int64_t limit,
          int64_t offset, sc_row_fn *each, void *arg, void *row)
{
    struct pg_result *res;
    int rc, r, nrows;

    rc = pg_filtered(db, t, t->select_sql, where, order, norder,
                     limit >= 0 || offset > 0, limit, offset, &res);
    nrows = rc == SC_OK ? sci_pg_nrows(res) : 0;
    for (r = 0; r < nrows && rc == SC_OK; r++) {
        rc = sci_pg_read_row(db, res, r, t->columns, t->ncolumns, row,
                             t->row_size, false, "select");
        if (rc == SC_OK) {
            rc = each(row, arg);
            sci_pg_release_row(t->columns, t->ncolumns, row, t->row_size);
        }
    }
    sci_pg_clear(res);
    return rc;
}

/* Count the rows of t matching where into *n. */
int
sc_row_count(sc_db *db, const sc_table *t, const sc_where *where,
             int64_t *n)
{
    struct sci_filtered *slot;
    sqlite3_stmt *stmt;
    int rc, src;

    if ((rc = check_args(db, t, n, "count")) != SC_OK)
        return rc;
    *n = 0;
    if (db->pg != NULL)
        return pg_count(db, t, where, n);
    rc = prepare_filtered(db, t, t->count_sql, where, NULL, 0, false, 0, 0,
                          &stmt, &slot);
    if (rc != SC_OK)
        return rc;
    src = sqlite3_step(stmt);
    if (src == SQLITE_ROW)
        *n = sqlite3_column_int64(stmt, 0);
    else
        rc = sci_error(db, sci_rc_from_sqlite(src), "count %s: %s", t->name,
                       sqlite3_errmsg(db->conn));
    sci_filtered_release(stmt, slot);
    return rc;
}

/* Call each for the matching rows of t, lent one at a time. */
int
sc_row_select(sc_db *db, const sc_table *t, const sc_where *where,
              const sc_order *order, size_t norder, int64_t limit,
              int64_t offset, sc_row_fn *each, void *arg)
{
    struct sci_filtered *slot = NULL;
    sqlite3_stmt *stmt = NULL;
    void *row;
    int rc, src = SQLITE_DONE;

    if ((rc = check_args(db, t, t, "select")) != SC_OK)
        return rc;
    if (each == NULL || (norder > 0 && order == NULL))
        return sci_error(db, SC_MISUSE, "select: NULL callback or order");
    if ((row = calloc(1, t->row_size)) == NULL)
        return sci_error(db, SC_NOMEM, "select from %s: out of memory",
                         t->name);
    if (db->pg != NULL) {
        rc = pg_select(db, t, where, order, norder, limit, offset, each,
                       arg, row);
        free(row);
        return rc;
    }
    rc = prepare_filtered(db, t, t->select_sql, where, order, norder,
                          limit >= 0 || offset > 0, limit, offset, &stmt,
                          &slot);
    while (rc == SC_OK && (src = sqlite3_step(stmt)) == SQLITE_ROW) {
        int rsrc = sci_read_row(stmt, t->columns, t->ncolumns, row,
                                t->row_size, false);
        if (rsrc != SQLITE_OK) {
            rc = sci_read_failed(db, rsrc, stmt, t->columns, t->ncolumns,
                                 "select");
            break;
        }
        rc = each(row, arg);
    }
    if (rc == SC_OK && src != SQLITE_DONE)
        rc = sci_error(db, sci_rc_from_sqlite(src), "select from %s: %s",
                       t->name, sqlite3_errmsg(db->conn));
    if (stmt != NULL)
        sci_filtered_release(stmt, slot);
    free(row);
    return rc;
}
