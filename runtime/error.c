/*
 * error.c - result codes, their names, and the message kept on each
 * connection.  The first error of a call wins: cleanup after a failure (a
 * rollback, say) must not replace the message that explains it.
 */
#include "internal.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const rc_names[] = {
    "ok",                                   /* SC_OK */
    "not found",                            /* SC_NOTFOUND */
    "constraint violated",                  /* SC_CONSTRAINT */
    "database is busy",                     /* SC_BUSY */
    "schema version mismatch",              /* SC_VERSION */
    "file is not a database or is corrupt", /* SC_NOTADB */
    "misuse of the API",                    /* SC_MISUSE */
    "out of memory",                        /* SC_NOMEM */
    "I/O error",                            /* SC_IO */
    "stored value not allowed by the schema", /* SC_CORRUPT */
    "error"                                 /* SC_ERROR */
};

/* One name per code: a code added to enum sc_rc needs its name here. */
_Static_assert(sizeof(rc_names) / sizeof(rc_names[0]) == SC_ERROR + 1,
               "rc_names has one entry per SC_* code, in enum order");

/* Return a constant name for rc, "unknown result code" when out of range. */
const char *
sc_errstr(int rc)
{
    if (rc < 0 || (size_t)rc >= sizeof(rc_names) / sizeof(rc_names[0]))
        return "unknown result code";
    return rc_names[rc];
}

/* Return db's last message; never NULL, also for a NULL db. */
const char *
sc_errmsg(const sc_db *db)
{
    if (db == NULL)
        return "out of memory";
    return db->msg[0] ? db->msg : "not an error";
}

/*
 * Start a public call: the previous call's error is forgotten.  Returns
 * SC_OK, or SC_MISUSE (recorded, with the open's own message) when db is
 * a handle whose sc_open failed, which runs nothing but sc_close.
 */
int
sci_begin_call(sc_db *db)
{
    assert(db != NULL);
    db->in_call_error = 0;
    db->msg[0] = '\0';
    if (db->open_failed)
        return sci_error(db, SC_MISUSE, "sc_open failed on this handle, "
                         "which runs nothing (close it): %s", db->open_msg);
    if (sci_inherited(db))
        return sci_error(db, SC_MISUSE, "this handle was opened by "
                         "process %ld, and this process is a child of it "
                         "(fork()): a connection is never shared by two "
                         "processes, open another here (sc_close frees "
                         "this one and leaves the parent's connection "
                         "alone)", db->pid);
    return SC_OK;
}

/* See internal.h. */
int
sci_refuse(sc_db *db, const char *msg)
{
    int rc;

    if (db == NULL)
        return SC_MISUSE;
    if ((rc = sci_begin_call(db)) != SC_OK)
        return rc;
    return sci_error(db, SC_MISUSE, "%s", msg);
}

/*
 * Record rc and its message unless this call already recorded an error,
 * tell the log callback, and return rc.
 */
int
sci_error(sc_db *db, int rc, const char *fmt, ...)
{
    va_list ap;

    if (db == NULL || db->in_call_error)
        return rc;
    va_start(ap, fmt);
    vsnprintf(db->msg, sizeof(db->msg), fmt, ap);
    va_end(ap);
    db->in_call_error = 1;
    if (db->log != NULL)
        db->log(db->log_arg, rc, db->msg);
    return rc;
}

/*
 * Fail a call of a library built on this one: forget the previous call's
 * error, record rc with the printf-formatted message on db (the log
 * callback hears of it) and return rc.  A NULL db just returns rc.  rc
 * must be an error code, never SC_OK.
 */
int
sc_fail(sc_db *db, int rc, const char *fmt, ...)
{
    char msg[SCI_MSG_MAX];
    va_list ap;

    assert(rc != SC_OK);
    assert(fmt != NULL);
    if (db == NULL)
        return rc;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    db->in_call_error = 0;      /* a call of its own: its error is kept */
    return sci_error(db, rc, "%s", msg);
}

/* Prefix db's message with the formatted text; the log has already seen
 * the unprefixed message. */
void
sci_prefix(sc_db *db, const char *fmt, ...)
{
    char prefix[128];
    size_t plen, mlen = strlen(db->msg);
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(prefix, sizeof(prefix), fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    plen = strlen(prefix);
    if (plen + mlen >= sizeof(db->msg))
        mlen = sizeof(db->msg) - 1 - plen;
    memmove(db->msg + plen, db->msg, mlen);
    memcpy(db->msg, prefix, plen);
    db->msg[plen + mlen] = '\0';
}

/* Map an SQLite primary result code onto ours. */
int
sci_rc_from_sqlite(int sqlite_rc)
{
    switch (sqlite_rc & 0xff) {
    case SQLITE_OK:
    case SQLITE_ROW:
    case SQLITE_DONE:
        return SC_OK;
    case SQLITE_CONSTRAINT:
        return SC_CONSTRAINT;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return SC_BUSY;
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
        return SC_NOTADB;
    case SQLITE_NOMEM:
        return SC_NOMEM;
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
        return SC_IO;
    case SQLITE_MISUSE:
    case SQLITE_RANGE:
        return SC_MISUSE;
    default:
        return SC_ERROR;
    }
}

/*
 * Record SQLite's error on db as "what: <sqlite message>" and return the
 * matching SC_* code; SC_OK for the success codes.
 */
int
sc_sqlite_error(sc_db *db, int sqlite_rc, const char *what)
{
    int rc = sci_rc_from_sqlite(sqlite_rc);

    if (rc == SC_OK)
        return SC_OK;
    if (db == NULL)
        return rc;
    return sci_error(db, rc, "%s: %s", what,
                     db->conn ? sqlite3_errmsg(db->conn)
                              : sqlite3_errstr(sqlite_rc));
}

/* Run sql (one or more statements, no results wanted), on either
 * engine. */
int
sci_exec(sc_db *db, const char *sql, const char *what)
{
    if (db->pg != NULL)
        return sci_pg_exec(db, sql, what);
    return sc_sqlite_error(db, sqlite3_exec(db->conn, sql, NULL, NULL, NULL),
                           what);
}

/* Whether a transaction is open on db's connection (an aborted one on
 * PostgreSQL included). */
bool
sci_in_transaction(const sc_db *db)
{
    if (db->pg != NULL)
        return sci_pg_tx_state(db) != 0;
    return !sqlite3_get_autocommit(db->conn);
}
