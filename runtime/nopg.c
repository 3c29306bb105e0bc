/*
 * nopg.c - stands in for the PostgreSQL backend (pg.c) in a libschemac
 * built without libpq (make PG=0): a PostgreSQL target is refused when
 * opened, so db->pg is never set and nothing else here is reached.
 */
#include "internal.h"

#include <assert.h>

/* Refuse: this libschemac has no PostgreSQL backend. */
int
sci_pg_open(sc_db *db, const char *conninfo)
{
    (void)conninfo;
    return sci_error(db, SC_MISUSE, "this libschemac was built without "
                     "PostgreSQL support (make PG=0); nothing was opened");
}

/* Nothing to close: no connection is ever made. */
void
sci_pg_close(sc_db *db)
{
    assert(db->pg == NULL);
}

/* Unreachable without a connection; refuses like a closed handle. */
int
sci_pg_exec(sc_db *db, const char *sql, const char *what)
{
    (void)sql;
    return sci_error(db, SC_MISUSE, "%s: no PostgreSQL backend", what);
}

/* No connection, no transaction. */
int
sci_pg_tx_state(const sc_db *db)
{
    (void)db;
    return 0;
}

/* Unreachable without a connection; refuses like a closed handle. */
int
sci_pg_run(sc_db *db, unsigned stmt, const char *sql, bool custom,
           const sc_value *v, size_t n, struct pg_result **res)
{
    (void)stmt, (void)sql, (void)custom, (void)v, (void)n;
    *res = NULL;
    return sci_error(db, SC_MISUSE, "no PostgreSQL backend");
}

/* Unreachable without a connection. */
void
sci_pg_pipeline_begin(sc_db *db)
{
    (void)db;
}

/* Never: there is no connection. */
bool
sci_pg_pipelined(sc_db *db)
{
    (void)db;
    return false;
}

/* Unreachable without a connection; refuses like a closed handle. */
int
sci_pg_send(sc_db *db, unsigned stmt, const char *table, const sc_value *v,
            size_t n)
{
    (void)stmt, (void)table, (void)v, (void)n;
    return sci_error(db, SC_MISUSE, "no PostgreSQL backend");
}

/* No result ever exists. */
int
sci_pg_nrows(const struct pg_result *res)
{
    (void)res;
    return 0;
}

/* No result ever exists. */
int64_t
sci_pg_changes(const struct pg_result *res)
{
    (void)res;
    return 0;
}

/* Unreachable: no result ever exists. */
int
sci_pg_read_row(sc_db *db, const struct pg_result *res, int r,
                const sc_column *cols, size_t n, void *row,
                size_t row_size, bool copy, const char *what)
{
    (void)res, (void)r, (void)cols, (void)n, (void)row, (void)row_size;
    (void)copy;
    return sci_error(db, SC_MISUSE, "%s: no PostgreSQL backend", what);
}

/* Unreachable: no row is ever read. */
void
sci_pg_release_row(const sc_column *cols, size_t n, void *row,
                   size_t row_size)
{
    (void)cols, (void)n, (void)row, (void)row_size;
}

/* No result ever exists. */
void
sci_pg_clear(struct pg_result *res)
{
    (void)res;
}
