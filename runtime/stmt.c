/*
 * stmt.c - the statement cache.  Every statement of the descriptor is
 * prepared once per connection, on first use, and kept until sc_close().
 */
#include "internal.h"

/*
 * Hand out cached statement i, preparing it on first use.  Returns SC_OK,
 * SC_MISUSE for an index outside the schema, or SQLite's error.
 */
int
sc_stmt_get(sc_db *db, unsigned i, sqlite3_stmt **out)
{
    const sc_schema *s;
    int rc, src;

    *out = NULL;
    if (db == NULL)
        return SC_MISUSE;
    if ((rc = sci_begin_call(db)) != SC_OK)
        return rc;
    if (db->conn == NULL)
        return sci_error(db, SC_MISUSE, "statement %u: the database is not "
                         "open", i);
    s = db->schema;
    if (i >= s->nstatements)
        return sci_error(db, SC_MISUSE, "statement %u is not in schema '%s'",
                         i, s->name);
    if (db->stmts[i] == NULL) {
        src = sqlite3_prepare_v3(db->conn, s->statements[i], -1,
                                 SQLITE_PREPARE_PERSISTENT, &db->stmts[i],
                                 NULL);
        if (src != SQLITE_OK)
            return sc_sqlite_error(db, src, "prepare");
    }
    *out = db->stmts[i];
    return SC_OK;
}

/* Reset stmt and clear its bindings so it is ready for the next use and
 * holds no caller memory.  NULL is a no-op. */
void
sc_stmt_release(sc_db *db, sqlite3_stmt *stmt)
{
    (void)db;
    if (stmt == NULL)
        return;
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
}
