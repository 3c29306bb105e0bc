/*
 * clear.c - sc_clear_all: empty every data table of the schema in one
 * transaction (a savepoint inside a batch), whatever the references
 * between the tables: cycles and ON DELETE RESTRICT included.
 */
#include "internal.h"

#include <stdlib.h>

/* Run a one-row, one-integer statement (a pragma) into *out. */
static int
pragma_int(sc_db *db, const char *sql, int *out)
{
    sqlite3_stmt *stmt;
    int src;

    *out = 0;
    src = sqlite3_prepare_v2(db->conn, sql, -1, &stmt, NULL);
    if (src == SQLITE_OK && (src = sqlite3_step(stmt)) == SQLITE_ROW) {
        *out = sqlite3_column_int(stmt, 0);
        src = SQLITE_OK;
    }
    sqlite3_finalize(stmt);
    return sc_sqlite_error(db, src, "clear");
}

/*
 * Fail when PRAGMA foreign_key_check reports a row: a table left out of
 * the data tables still points at rows the clear deleted.  Returns SC_OK,
 * SC_CONSTRAINT naming the table, or SQLite's error.
 */
static int
check_no_dangling(sc_db *db)
{
    sqlite3_stmt *stmt;
    int src, rc = SC_OK;

    src = sqlite3_prepare_v2(db->conn, "PRAGMA foreign_key_check", -1,
                             &stmt, NULL);
    if (src == SQLITE_OK && (src = sqlite3_step(stmt)) == SQLITE_ROW)
        rc = sci_error(db, SC_CONSTRAINT, "clear: table '%s' still "
                       "references the rows deleted from '%s'",
                       (const char *)sqlite3_column_text(stmt, 0),
                       (const char *)sqlite3_column_text(stmt, 2));
    else if (src != SQLITE_DONE && src != SQLITE_OK)
        rc = sc_sqlite_error(db, src, "clear: foreign_key_check");
    sqlite3_finalize(stmt);
    return rc;
}

/* Delete every row of every data table, each announced to the progress
 * callback first, then check no reference is left dangling; inside the
 * caller's transaction. */
static int
delete_all(sc_db *db)
{
    const sc_schema *s = db->schema;
    size_t i;
    int rc = SC_OK;

    for (i = 0; i < s->ndata_tables && rc == SC_OK; i++) {
        char *sql = sqlite3_mprintf("DELETE FROM \"%w\"", s->data_tables[i]);

        sci_progress(db, SC_PROGRESS_CLEAR, i, s->ndata_tables, 0,
                     s->data_tables[i]);
        rc = sql ? sci_exec(db, sql, "clear")
                 : sci_error(db, SC_NOMEM, "clear: out of memory");
        sqlite3_free(sql);
    }
    if (rc == SC_OK)
        rc = check_no_dangling(db);
    return rc;
}

/*
 * PostgreSQL: one TRUNCATE of every data table together, which the
 * references between them (cycles included) cannot stop, inside the
 * caller's transaction.  A table outside the list that references one
 * of them makes PostgreSQL refuse it whatever its rows hold.
 */
static int
truncate_all(sc_db *db)
{
    const sc_schema *s = db->schema;
    struct sci_text sql = { NULL, 0, 0, 0 };
    size_t i;
    int rc;

    sci_text_add(&sql, "TRUNCATE ");
    for (i = 0; i < s->ndata_tables; i++) {
        sci_progress(db, SC_PROGRESS_CLEAR, i, s->ndata_tables, 0,
                     s->data_tables[i]);
        if (i > 0)
            sci_text_add(&sql, ", ");
        sci_text_ident(&sql, s->data_tables[i]);
    }
    rc = sql.failed ? sci_error(db, SC_NOMEM, "clear: out of memory")
        : s->ndata_tables == 0 ? SC_OK : sci_exec(db, sql.p, "clear");
    free(sql.p);
    return rc;
}

/*
 * Delete every row of every data table; the version record stays.  The
 * order of the tables must not matter: in a cycle of references (or a
 * table that references itself) some row always goes before a row that
 * references it.  So the clear runs with PRAGMA defer_foreign_keys on for
 * its transaction or savepoint (with it SQLite also defers ON DELETE
 * RESTRICT), puts the caller's setting back, and keeps its level only
 * when PRAGMA foreign_key_check comes back empty.  The progress callback
 * hears of each table, and of the end once the level is kept.
 */
int
sc_clear_all(sc_db *db)
{
    int rc, deferred = 0;

    if (db == NULL)
        return SC_MISUSE;
    if ((rc = sci_begin_call(db)) != SC_OK)
        return rc;
    if (!SCI_IS_OPEN(db))
        return sci_error(db, SC_MISUSE, "clear: the database is not open");
    if (db->pg != NULL) {
        if ((rc = sc_batch_begin(db)) != SC_OK)
            return rc;
        if ((rc = sc_batch_end(db, truncate_all(db))) == SC_OK)
            sci_progress(db, SC_PROGRESS_CLEAR, db->schema->ndata_tables,
                         db->schema->ndata_tables, 0, NULL);
        return rc;
    }
    if ((rc = pragma_int(db, "PRAGMA defer_foreign_keys", &deferred))
        != SC_OK)
        return rc;
    if ((rc = sc_batch_begin(db)) != SC_OK)
        return rc;
    rc = sci_exec(db, "PRAGMA defer_foreign_keys = ON", "clear");
    if (rc == SC_OK)
        rc = delete_all(db);
    /* Outside a batch the commit or rollback switches it off anyway. */
    if (!deferred)
        sqlite3_exec(db->conn, "PRAGMA defer_foreign_keys = OFF", NULL,
                     NULL, NULL);
    /* The end is reported once the level is kept, not before a failed
     * commit could still undo it. */
    if ((rc = sc_batch_end(db, rc)) == SC_OK)
        sci_progress(db, SC_PROGRESS_CLEAR, db->schema->ndata_tables,
                     db->schema->ndata_tables, 0, NULL);
    return rc;
}
