/*
 * stmt.c - the statement caches.  Every statement of the descriptor is
 * prepared once per connection, on first use, and kept until sc_close().
 * Filtered selects and counts, whose SQL varies with the caller's
 * sc_where, are kept by their text in a few slots: a program runs the
 * same few filters over and over, and preparing is most of the cost of a
 * select that returns few rows.
 */
#include "internal.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

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
    if (db->pg != NULL)
        return sci_error(db, SC_MISUSE, "statement %u: the database is on "
                         "PostgreSQL, and sc_stmt_get hands out SQLite "
                         "statements only", i);
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

/* See internal.h. */
struct sci_filtered *
sci_filtered_find(sc_db *db, const char *sql)
{
    unsigned k;

    assert(db != NULL && sql != NULL);
    for (k = 0; k < SCI_FILTERED_MAX; k++)
        if (db->filtered[k].sql != NULL && !db->filtered[k].busy
            && strcmp(db->filtered[k].sql, sql) == 0)
            return &db->filtered[k];
    return NULL;
}

/* See internal.h. */
struct sci_filtered *
sci_filtered_victim(sc_db *db)
{
    unsigned k, i;

    assert(db != NULL);
    for (k = 0; k < SCI_FILTERED_MAX; k++)
        if (db->filtered[k].sql == NULL)
            return &db->filtered[k];
    for (k = 0; k < SCI_FILTERED_MAX; k++) {
        i = (db->filtered_next + k) % SCI_FILTERED_MAX;
        if (!db->filtered[i].busy) {
            db->filtered_next = (i + 1) % SCI_FILTERED_MAX;
            sqlite3_finalize(db->filtered[i].stmt);
            free(db->filtered[i].sql);
            db->filtered[i].sql = NULL;
            db->filtered[i].stmt = NULL;
            return &db->filtered[i];
        }
    }
    return NULL;
}

/* See internal.h. */
int
sci_filtered_get(sc_db *db, char *sql, sqlite3_stmt **stmt,
                 struct sci_filtered **slot)
{
    struct sci_filtered *f;
    int src;

    assert(db != NULL && db->conn != NULL && sql != NULL);
    *stmt = NULL;
    *slot = NULL;
    if ((f = sci_filtered_find(db, sql)) != NULL) {
        free(sql);
        f->busy = true;
        *stmt = f->stmt;
        *slot = f;
        return SQLITE_OK;
    }
    if ((f = sci_filtered_victim(db)) == NULL) {
        src = sqlite3_prepare_v2(db->conn, sql, -1, stmt, NULL);
        free(sql);
        return src;
    }
    src = sqlite3_prepare_v3(db->conn, sql, -1, SQLITE_PREPARE_PERSISTENT,
                             stmt, NULL);
    if (src != SQLITE_OK) {
        free(sql);
        sqlite3_finalize(*stmt);
        *stmt = NULL;
        return src;
    }
    f->sql = sql;
    f->stmt = *stmt;
    f->busy = true;
    *slot = f;
    return SQLITE_OK;
}

/* See internal.h. */
void
sci_filtered_release(sqlite3_stmt *stmt, struct sci_filtered *slot)
{
    if (slot == NULL) {
        sqlite3_finalize(stmt);
        return;
    }
    assert(slot->stmt == stmt && slot->busy);
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    slot->busy = false;
}

/* See internal.h. */
void
sci_stmts_finalize(sc_db *db)
{
    size_t i;

    if (db->stmts != NULL)
        for (i = 0; i < db->schema->nstatements; i++) {
            sqlite3_finalize(db->stmts[i]);
            db->stmts[i] = NULL;
        }
    for (i = 0; i < SCI_FILTERED_MAX; i++) {
        sqlite3_finalize(db->filtered[i].stmt);
        free(db->filtered[i].sql);
        db->filtered[i].stmt = NULL;
        db->filtered[i].sql = NULL;
        db->filtered[i].busy = false;
    }
    for (i = 0; i < SCI_LEVELS_KEPT * SCI_LEVEL_OPS; i++) {
        sqlite3_finalize(db->levels[i / SCI_LEVEL_OPS][i % SCI_LEVEL_OPS]);
        db->levels[i / SCI_LEVEL_OPS][i % SCI_LEVEL_OPS] = NULL;
    }
}
