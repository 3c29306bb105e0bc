/*
 * dbquery.h - reading one number back with plain SQLite, the way tests
 * check what the runtime wrote.  Include after harness.h.
 */
#ifndef SCHEMAC_TEST_DBQUERY_H
#define SCHEMAC_TEST_DBQUERY_H

#include <sqlite3.h>

#include "harness.h"

/* Run sql on conn and return the first column of its first row as an
 * integer; -1 on error, which fails the running test. */
static inline long long
t_query_int(sqlite3 *conn, const char *sql)
{
    sqlite3_stmt *stmt;
    long long v = -1;

    if (sqlite3_prepare_v2(conn, sql, -1, &stmt, NULL) == SQLITE_OK
        && sqlite3_step(stmt) == SQLITE_ROW)
        v = sqlite3_column_int64(stmt, 0);
    else
        T_FAIL("%s: %s", sql, sqlite3_errmsg(conn));
    sqlite3_finalize(stmt);
    return v;
}

#endif /* SCHEMAC_TEST_DBQUERY_H */
