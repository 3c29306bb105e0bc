/*
 * engine.h - the learning store's test programs on either engine: a fresh
 * store per test (an SQLite file in a scratch folder, or a database of its
 * own on a PostgreSQL server, with ICU's en-US collation where it has
 * ICU), raw SQL run on a store, and its results read back as text, as
 * SQLite renders them.  Include it after harness.h.
 *
 *     eng_init("ops", argc > 1 ? argv[1] : NULL);   (NULL: SQLite)
 *     sc_db *db = eng_fresh("promote.db");
 *     eng_exec(db, "UPDATE patterns SET active = 0");   (0, or -1 + eng_err)
 *     eng_text(db, "SELECT id, active FROM patterns", buf, sizeof buf);
 *     sc_close(db);
 *     ...
 *     eng_fini();                  (drops the databases, removes the folder)
 *
 * The engine is told by sc_sqlite(db): a store that has an SQLite handle is
 * a file; any other is reached with libpq on the URI eng_fresh opened it
 * with.  PostgreSQL needs ENGINE_PG at compile time (run.sh defines it when
 * libschemac has a libpq backend); without it an admin URI is refused.
 * The functions are static inline: a program need not use them all.
 */
#ifndef LEARNSTORE_TEST_ENGINE_H
#define LEARNSTORE_TEST_ENGINE_H

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef ENGINE_PG
#include <libpq-fe.h>
#endif

#include "learnstore.h"

/* The engine's message for the last eng_exec or eng_text that failed. */
static char eng_err[512];
/* The scratch folder (also for files a test writes beside its stores). */
static char eng_dir[] = "/tmp/learnstore-test-XXXXXX";
/* The admin URI of the PostgreSQL server, or NULL for SQLite files. */
static const char *eng_admin;
static const char *eng_prog;

#ifdef ENGINE_PG
/* The stores eng_fresh opened on PostgreSQL: their handles and URIs (a
 * handle's address may come back after sc_close, so the latest wins),
 * and the databases made, dropped by eng_fini. */
#define ENG_MAX 64
static struct {
    sc_db *db;
    char uri[512];
    char name[64];
} eng_stores[ENG_MAX];
static int eng_nstores;
#endif

/*
 * Make the scratch folder and choose the engine: admin_uri NULL for
 * SQLite, else the URI of a role that may create databases (its database
 * part is replaced by each store's own).  prog names the program in the
 * databases' names.  Returns 0, or -1 after printing why.
 */
static inline int
eng_init(const char *prog, const char *admin_uri)
{
    eng_prog = prog;
    eng_admin = admin_uri;
    if (mkdtemp(eng_dir) == NULL) {
        printf("cannot make %s\n", eng_dir);
        return -1;
    }
#ifndef ENGINE_PG
    if (admin_uri != NULL) {
        printf("built without ENGINE_PG: no PostgreSQL\n");
        return -1;
    }
#endif
    return 0;
}

/* Is db a store on PostgreSQL? */
static inline int
eng_is_pg(sc_db *db)
{
    return db != NULL && sc_sqlite(db) == NULL;
}

#ifdef ENGINE_PG
/* Keep the server's notices (DROP ... IF EXISTS) off the output. */
static inline void
eng_quiet(void *arg, const char *msg)
{
    (void)arg, (void)msg;
}

/* A connection to uri; NULL, with eng_err set, when there is none. */
static PGconn *
eng_connect(const char *uri)
{
    PGconn *c = PQconnectdb(uri);

    if (PQstatus(c) != CONNECTION_OK) {
        snprintf(eng_err, sizeof eng_err, "%s", PQerrorMessage(c));
        PQfinish(c);
        return NULL;
    }
    PQsetNoticeProcessor(c, eng_quiet, NULL);
    return c;
}

/* Run sql on uri; 0, or -1 with eng_err set. */
static inline int
eng_pq_exec(const char *uri, const char *sql)
{
    PGconn *c = eng_connect(uri);
    PGresult *r;
    int rc = 0;

    if (c == NULL)
        return -1;
    r = PQexec(c, sql);
    if (PQresultStatus(r) != PGRES_COMMAND_OK
        && PQresultStatus(r) != PGRES_TUPLES_OK) {
        snprintf(eng_err, sizeof eng_err, "%s", PQerrorMessage(c));
        rc = -1;
    }
    PQclear(r);
    PQfinish(c);
    return rc;
}

/* Drop database name if it is there (0, or -1 with eng_err set): the
 * sessions of our role on it ended first, then a plain DROP, which stops
 * an autovacuum worker there itself; DROP ... WITH (FORCE) refuses, for
 * a role that is not a superuser, while one is there. */
static inline int
eng_drop_db(const char *name)
{
    char sql[256];

    snprintf(sql, sizeof sql, "SELECT pg_terminate_backend(pid) FROM "
             "pg_stat_activity WHERE datname = '%s' AND usename = "
             "current_user", name);
    if (eng_pq_exec(eng_admin, sql) != 0)
        return -1;
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS \"%s\"", name);
    return eng_pq_exec(eng_admin, sql);
}

/* The URI of the database name on the admin URI's server: the part
 * between "scheme://authority/" and '?' replaced. */
static inline void
eng_uri(const char *name, char *uri, size_t size)
{
    const char *p = strstr(eng_admin, "://"), *q;

    p = p ? strchr(p + 3, '/') : NULL;
    if (p == NULL) {
        snprintf(uri, size, "%s", eng_admin);
        return;
    }
    q = strchr(p, '?');
    snprintf(uri, size, "%.*s%s%s", (int)(p + 1 - eng_admin), eng_admin,
             name, q ? q : "");
}

/* The URI eng_fresh opened db with, or NULL. */
static inline const char *
eng_store_uri(sc_db *db)
{
    int i;

    for (i = eng_nstores; i-- > 0;)
        if (eng_stores[i].db == db)
            return eng_stores[i].uri;
    return NULL;
}
#endif /* ENGINE_PG */

/*
 * A fresh, empty store named after name (on SQLite the file NAME in the
 * scratch folder; on PostgreSQL a new database named after the program,
 * this process and name, so runs side by side never share one), opened by
 * ls_open.  Returns the handle for the caller to sc_close, or NULL after
 * failing the running test.
 */
static inline sc_db *
eng_fresh(const char *name)
{
    char path[512];
    sc_db *db = NULL;

    if (eng_admin == NULL) {
        snprintf(path, sizeof path, "%s/%s", eng_dir, name);
        if (ls_open(&db, path) != SC_OK) {
            T_FAIL("open %s: %s", path, sc_errmsg(db));
            sc_close(db);
            return NULL;
        }
        return db;
    }
#ifdef ENGINE_PG
    {
        char sql[200], dbname[64];
        size_t i;

        if (eng_nstores == ENG_MAX) {
            T_FAIL("more than %d stores", ENG_MAX);
            return NULL;
        }
        snprintf(dbname, sizeof dbname, "ls_%s_%ld_%s", eng_prog,
                 (long)getpid(), name);
        for (i = 0; dbname[i] != '\0'; i++)
            if (!((dbname[i] >= 'a' && dbname[i] <= 'z')
                  || (dbname[i] >= '0' && dbname[i] <= '9')))
                dbname[i] = '_';
        if (eng_drop_db(dbname) != 0) {
            T_FAIL("dropping %s: %s", dbname, eng_err);
            return NULL;
        }
        /* Text sorted by ICU's en-US rules, as on servers made with a
         * language's locale ('.' before '+', 'a' before 'B'), not in
         * bytes as SQLite and a C-locale server sort it: the store must
         * not depend on the server's default.  A server without ICU
         * makes it in its own default. */
        snprintf(sql, sizeof sql, "CREATE DATABASE \"%s\" TEMPLATE "
                 "template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US'", dbname);
        if (eng_pq_exec(eng_admin, sql) != 0) {
            printf("note: %s: %s", sql, eng_err);
            snprintf(sql, sizeof sql, "CREATE DATABASE \"%s\"", dbname);
            if (eng_pq_exec(eng_admin, sql) != 0) {
                T_FAIL("%s: %s", sql, eng_err);
                return NULL;
            }
        }
        snprintf(eng_stores[eng_nstores].name, 64, "%s", dbname);
        eng_uri(dbname, eng_stores[eng_nstores].uri, 512);
        if (ls_open(&db, eng_stores[eng_nstores].uri) != SC_OK) {
            T_FAIL("open database %s: %s", dbname, sc_errmsg(db));
            sc_close(db);
            db = NULL;
        }
        eng_stores[eng_nstores++].db = db;
        return db;
    }
#else
    return NULL;
#endif
}

/* Append text to buf (of size bytes, holding a string), cut to fit. */
static inline void
eng_append(char *buf, size_t size, const char *text)
{
    size_t n = strlen(buf);

    if (n + 1 < size)
        snprintf(buf + n, size - n, "%s", text);
}

#ifdef ENGINE_PG
/* Append one PostgreSQL value to buf as SQLite renders its twin: a
 * double as "%!.15g" (15 digits, ".0" on a whole number, "1.0e+16"), a
 * boolean as 1 or 0, anything else as the server wrote it. */
static inline void
eng_pq_value(const PGresult *r, int row, int col, char *buf, size_t size)
{
    const char *v = PQgetvalue(r, row, col);
    Oid type = PQftype(r, col);
    char out[64], *e;

    if (type == 16) {                           /* bool */
        eng_append(buf, size, strcmp(v, "t") == 0 ? "1" : "0");
    } else if (type == 700 || type == 701) {    /* float4, float8 */
        snprintf(out, sizeof out, "%.15g", strtod(v, NULL));
        if (strpbrk(out, ".ni") == NULL) {      /* not inf, nan */
            if ((e = strchr(out, 'e')) != NULL) {
                char exp[16];

                snprintf(exp, sizeof exp, "%s", e);
                snprintf(e, sizeof out - (size_t)(e - out), ".0%s", exp);
            } else {
                eng_append(out, sizeof out, ".0");
            }
        }
        eng_append(buf, size, out);
    } else {
        eng_append(buf, size, v);
    }
}
#endif

/*
 * The results of the query q on db as text in buf: the columns of a row
 * joined by one space, as SQLite renders them (a NULL as nothing), and
 * with all_rows every row, joined by one space too, else the first only.
 * "" when there is no row.  Returns buf; a failure fails the running test.
 */
static inline const char *
eng_read(sc_db *db, const char *q, int all_rows, char *buf, size_t size)
{
    buf[0] = '\0';
    if (db == NULL) {
        T_FAIL("no store for %s", q);
        return buf;
    }
    if (!eng_is_pg(db)) {
        sqlite3_stmt *st = NULL;
        int rc, col, nrows = 0;

        if (sqlite3_prepare_v2(sc_sqlite(db), q, -1, &st, NULL)
            != SQLITE_OK) {
            T_FAIL("prepare %s: %s", q, sqlite3_errmsg(sc_sqlite(db)));
            return buf;
        }
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            for (col = 0; col < sqlite3_column_count(st); col++) {
                const unsigned char *v = sqlite3_column_text(st, col);

                if (nrows > 0 || col > 0)
                    eng_append(buf, size, " ");
                eng_append(buf, size, v ? (const char *)v : "");
            }
            nrows++;
            if (!all_rows)
                break;
        }
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            T_FAIL("step %s: %s", q, sqlite3_errmsg(sc_sqlite(db)));
        sqlite3_finalize(st);
        return buf;
    }
#ifdef ENGINE_PG
    {
        const char *uri = eng_store_uri(db);
        PGconn *c = uri ? eng_connect(uri) : NULL;
        PGresult *r;
        int row, col;

        if (c == NULL) {
            T_FAIL("no connection for %s: %s", q, uri ? eng_err : "?");
            return buf;
        }
        r = PQexec(c, q);
        if (PQresultStatus(r) != PGRES_TUPLES_OK) {
            T_FAIL("%s: %s", q, PQerrorMessage(c));
        } else {
            for (row = 0; row < PQntuples(r) && (all_rows || row == 0);
                 row++) {
                for (col = 0; col < PQnfields(r); col++) {
                    if (row > 0 || col > 0)
                        eng_append(buf, size, " ");
                    if (!PQgetisnull(r, row, col))
                        eng_pq_value(r, row, col, buf, size);
                }
            }
        }
        PQclear(r);
        PQfinish(c);
    }
#endif
    return buf;
}

/* The first row of q on db as text (see eng_read). */
static inline const char *
eng_text(sc_db *db, const char *q, char *buf, size_t size)
{
    return eng_read(db, q, 0, buf, size);
}

/* Every row of q on db as text (see eng_read). */
static inline const char *
eng_rows(sc_db *db, const char *q, char *buf, size_t size)
{
    return eng_read(db, q, 1, buf, size);
}

/*
 * Run sql (one statement or several, ';'-separated) on db's store, on its
 * own connection (on PostgreSQL: in one implicit transaction, so all or
 * none).  Returns 0, or -1 with the engine's message in eng_err.
 */
static inline int
eng_exec(sc_db *db, const char *sql)
{
    char *err = NULL;

    eng_err[0] = '\0';
    if (db == NULL) {
        snprintf(eng_err, sizeof eng_err, "no store");
        return -1;
    }
    if (!eng_is_pg(db)) {
        if (sqlite3_exec(sc_sqlite(db), sql, NULL, NULL, &err)
            == SQLITE_OK)
            return 0;
        snprintf(eng_err, sizeof eng_err, "%s", err ? err : "?");
        sqlite3_free(err);
        return -1;
    }
#ifdef ENGINE_PG
    {
        const char *uri = eng_store_uri(db);

        if (uri == NULL) {
            snprintf(eng_err, sizeof eng_err, "not a store of eng_fresh");
            return -1;
        }
        return eng_pq_exec(uri, sql);
    }
#else
    return -1;
#endif
}

/* Run sql on db (eng_exec); a failure fails the running test. */
#define CHECK_SQL(db, sql) do {                                     \
        const char *eng_sql_ = (sql);                               \
        if (eng_exec((db), eng_sql_) != 0)                          \
            T_FAIL("sql %s: %s", eng_sql_, eng_err);                \
    } while (0)

/* Drop the databases eng_fresh made (their stores closed or not) and
 * remove the scratch folder.  Returns 0, or -1 after printing what was
 * left behind. */
static inline int
eng_fini(void)
{
    char cmd[128];
    int rc = 0;

#ifdef ENGINE_PG
    int i;

    for (i = 0; i < eng_nstores; i++)
        if (eng_drop_db(eng_stores[i].name) != 0) {
            printf("warning: dropping %s: %s\n", eng_stores[i].name,
                   eng_err);
            rc = -1;
        }
#endif
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", eng_dir);
    if (system(cmd) != 0) {
        printf("warning: could not remove %s\n", eng_dir);
        rc = -1;
    }
    return rc;
}

#endif /* LEARNSTORE_TEST_ENGINE_H */
