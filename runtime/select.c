/*
 * select.c - count and select over a table with an sc_where, typed
 * ordering and paging.  The SQL varies with the filter, so these
 * statements are kept by their text (stmt.c) rather than by index;
 * ordering names columns from the descriptor, never text from the
 * caller.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/*
 * Prepare head + " WHERE " + where [+ ORDER BY ...] [+ LIMIT ? OFFSET ?]
 * and bind where's values (then limit and offset when paged).  Returns
 * SC_OK with *stmt and *slot set (the caller gives them back with
 * sci_filtered_release()) or an error code.
 */
static int
prepare_filtered(sc_db *db, const sc_table *t, const char *head,
                 const sc_where *where, const sc_order *order,
                 size_t norder, bool paged, int64_t limit, int64_t offset,
                 sqlite3_stmt **stmt, struct sci_filtered **slot)
{
    struct sci_text sql = { NULL, 0, 0, 0 };
    size_t i, nvalues;
    int src, rc, want;

    *stmt = NULL;
    *slot = NULL;
    if (where != NULL && where->rc != SC_OK)
        return sci_error(db, where->rc, "%s: the where clause could not be "
                         "built: %s", t->name,
                         where->why ? where->why : sc_errstr(where->rc));
    sci_text_add(&sql, head);
    sci_text_add(&sql, " WHERE ");
    sci_text_add(&sql, sc_where_sql(where));
    for (i = 0; i < norder; i++) {
        if (order[i].column < 0 || (size_t)order[i].column >= t->ncolumns) {
            free(sql.p);
            return sci_error(db, SC_MISUSE, "%s: order column %d out of "
                             "range", t->name, order[i].column);
        }
        sci_text_add(&sql, i == 0 ? " ORDER BY " : ", ");
        sci_text_ident(&sql, t->columns[order[i].column].name);
        if (order[i].desc)
            sci_text_add(&sql, " DESC");
    }
    if (paged)
        sci_text_add(&sql, " LIMIT ? OFFSET ?");
    if (sql.failed) {
        free(sql.p);
        return sci_error(db, SC_NOMEM, "%s: out of memory", t->name);
    }
    src = sci_filtered_get(db, sql.p, stmt, slot);
    if (src != SQLITE_OK)
        return sci_error(db, sci_rc_from_sqlite(src), "select from %s: %s",
                         t->name, sqlite3_errmsg(db->conn));
    sc_where_values(where, &nvalues);
    want = (int)nvalues + (paged ? 2 : 0);
    if (sqlite3_bind_parameter_count(*stmt) != want) {
        rc = sci_error(db, SC_MISUSE, "select from %s: the where clauses "
                       "have %d placeholders but %zu values", t->name,
                       sqlite3_bind_parameter_count(*stmt)
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

/* Check the common arguments; SC_OK, SC_MISUSE with a message, or
 * SC_ERROR in a batch SQLite has rolled back. */
static int
check_args(sc_db *db, const sc_table *t, const void *out, const char *op)
{
    if (db == NULL)
        return SC_MISUSE;
    if (sci_begin_call(db) != SC_OK)
        return SC_MISUSE;
    if (db->conn == NULL || t == NULL || out == NULL)
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
    size_t i;

    if ((rc = check_args(db, t, t, "select")) != SC_OK)
        return rc;
    if (each == NULL || (norder > 0 && order == NULL))
        return sci_error(db, SC_MISUSE, "select: NULL callback or order");
    if ((row = calloc(1, t->row_size)) == NULL)
        return sci_error(db, SC_NOMEM, "select from %s: out of memory",
                         t->name);
    rc = prepare_filtered(db, t, t->select_sql, where, order, norder,
                          limit >= 0 || offset > 0, limit, offset, &stmt,
                          &slot);
    while (rc == SC_OK && (src = sqlite3_step(stmt)) == SQLITE_ROW) {
        int rsrc = SQLITE_OK;
        for (i = 0; i < t->ncolumns && rsrc == SQLITE_OK; i++)
            rsrc = sci_read_column(stmt, (int)i, &t->columns[i], row, false);
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
