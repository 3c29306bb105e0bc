/*
 * sqlmem.c - in-memory checking databases configured like the runtime's
 * connections, and the authorizer that refuses, in named queries and data
 * steps, the statements only the runtime may run.
 */
#include "sqlmem.h"

#include <stddef.h>

/* Open a checking database; see sqlmem.h. */
sqlite3 *
sqlmem_open(void)
{
    sqlite3 *db = NULL;

    if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE
                        | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK
        || sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DML, 0, NULL)
           != SQLITE_OK
        || sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DDL, 0, NULL)
           != SQLITE_OK
        || sqlite3_exec(db, "PRAGMA foreign_keys = ON", NULL, NULL,
                        NULL) != SQLITE_OK) {
        sqlite3_close(db);
        return NULL;
    }
    return db;
}

/* What action (an SQLITE_ authorizer code) is, when a guarded statement
 * of kind may not do it, else NULL. */
static const char *
refusal(enum sqlmem_kind kind, int action)
{
    switch (action) {
    case SQLITE_TRANSACTION:
    case SQLITE_SAVEPOINT:
        return "transaction control (BEGIN, COMMIT, ROLLBACK, SAVEPOINT, "
            "RELEASE): the runtime owns transactions";
    case SQLITE_ATTACH:
    case SQLITE_DETACH:
        return "ATTACH or DETACH: the schema names every database";
    case SQLITE_PRAGMA:
        return "a PRAGMA statement: the runtime owns the connection's "
            "settings and the version record";
    case SQLITE_CREATE_INDEX: case SQLITE_CREATE_TABLE:
    case SQLITE_CREATE_TRIGGER: case SQLITE_CREATE_VIEW:
    case SQLITE_CREATE_VTABLE: case SQLITE_DROP_INDEX:
    case SQLITE_DROP_TABLE: case SQLITE_DROP_TRIGGER:
    case SQLITE_DROP_VIEW: case SQLITE_DROP_VTABLE:
    case SQLITE_ALTER_TABLE:
        /* TEMP objects are the connection's own scratch, allowed.  Data
         * steps may change the schema: the proof compares the result
         * with the schema file and refuses any difference. */
        return kind == SQLMEM_QUERY ? "a schema change (CREATE, DROP, "
            "ALTER): the schema file and its migrations own the schema"
            : NULL;
    default:
        return NULL;
    }
}

/* The authorizer of a guard: deny what refusal() names, remember it. */
static int
authorize(void *arg, int action, const char *a, const char *b,
          const char *c, const char *d)
{
    struct sqlmem_guard *g = arg;
    const char *why = refusal(g->kind, action);

    (void)a;
    (void)b;
    (void)c;
    (void)d;
    if (why == NULL)
        return SQLITE_OK;
    if (g->refused == NULL)
        g->refused = why;
    return SQLITE_DENY;
}

/* Install or remove a guard; see sqlmem.h. */
void
sqlmem_guard(sqlite3 *db, struct sqlmem_guard *g)
{
    if (g != NULL)
        g->refused = NULL;
    sqlite3_set_authorizer(db, g != NULL ? authorize : NULL, g);
}
