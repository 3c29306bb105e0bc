/*
 * sqlmem.h - the in-memory SQLite databases the generator checks SQL in
 * (queries.c, verify.c), set up as the runtime sets up its connections,
 * and the guard that keeps named queries and data steps from doing what
 * only the runtime may do.
 */
#ifndef SCHEMAC_SQLMEM_H
#define SCHEMAC_SQLMEM_H

#include <sqlite3.h>

/*
 * Open a new in-memory database as sc_open() leaves a connection: foreign
 * keys on, and double-quoted string literals off in statements and DDL,
 * so "x" is only ever a name and a misspelt one is an error, not the
 * string 'x'.  Returns NULL when SQLite cannot.
 */
sqlite3 *sqlmem_open(void);

/* What a guarded statement is. */
enum sqlmem_kind { SQLMEM_QUERY, SQLMEM_DATA_STEP };

/* A guard installed on a database while one statement is prepared. */
struct sqlmem_guard {
    enum sqlmem_kind kind;
    const char *refused;        /* what the statement tried, or NULL */
};

/*
 * Install g on db (NULL: remove it) for the statements prepared until it
 * is removed.  A statement that controls transactions (BEGIN, COMMIT,
 * ROLLBACK, SAVEPOINT, RELEASE) or attaches databases fails to prepare,
 * as does a PRAGMA statement, and in a named query any change to the
 * database's schema (CREATE, DROP, ALTER; TEMP objects are allowed): the
 * runtime owns transactions, connection settings and the schema.  g->refused then says what was refused, for
 * the caller's message.
 */
void sqlmem_guard(sqlite3 *db, struct sqlmem_guard *g);

#endif /* SCHEMAC_SQLMEM_H */
