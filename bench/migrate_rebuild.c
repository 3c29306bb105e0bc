/*
 * migrate_rebuild.c - time the learning store's version 14 -> 15
 * migration, a rebuild of pattern_applications (its two foreign keys
 * go), on a database holding ROWS applications: once through sc_open()
 * and once as the same SQL run by raw sqlite3 on an identical copy.
 *
 *   migrate_rebuild V14.sql FILE [ROWS]     (make bench-migrate)
 *
 * V14.sql is `schemac --ddl-version 14 schema/learning.schema`.  Prints
 * the two times and their ratio; exit status 0, or 1 when something
 * failed (with why on stderr).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "learning.h"

/* Seconds on a monotonic clock. */
static double
now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Read the whole file at path (malloc'd, NUL-terminated), or NULL. */
static char *
slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long n;

    if (f == NULL)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0
        && fseek(f, 0, SEEK_SET) == 0
        && (buf = malloc((size_t)n + 1)) != NULL) {
        if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
            free(buf);
            buf = NULL;
        } else {
            buf[n] = '\0';
        }
    }
    fclose(f);
    return buf;
}

/* Run sql on db; returns 0, or -1 after printing SQLite's message. */
static int
exec(sqlite3 *db, const char *sql)
{
    char *err = NULL;

    if (sqlite3_exec(db, sql, NULL, NULL, &err) == SQLITE_OK)
        return 0;
    fprintf(stderr, "migrate_rebuild: %s\n", err ? err : "error");
    sqlite3_free(err);
    return -1;
}

/*
 * Create a version-14 database at path from ddl with 1000 patterns,
 * 1000 executions and rows applications pointing at them.  Returns 0,
 * or -1.
 */
static int
make_db(const char *path, const char *ddl, long rows)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    char id[32], pid[32], eid[32];
    long i;
    int rc = -1;

    remove(path);
    if (sqlite3_open(path, &db) != SQLITE_OK || exec(db, ddl) != 0
        || exec(db, "BEGIN; INSERT INTO schema_version VALUES (14);"
                "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 "
                "FROM n WHERE i < 999) INSERT INTO patterns (id, "
                "pattern_type, pattern_name) SELECT 'p' || i, 'retry', "
                "'pattern ' || i FROM n; WITH RECURSIVE n(i) AS (SELECT 0 "
                "UNION ALL SELECT i + 1 FROM n WHERE i < 999) INSERT INTO "
                "executions (id, workspace_hash, job_hash, sheet_num) "
                "SELECT 'e' || i, 'ws', 'job', i FROM n") != 0)
        goto done;
    if (sqlite3_prepare_v2(db, "INSERT INTO pattern_applications VALUES "
                           "(?1, ?2, ?3, '2026-01-02T03:04:05.123456', ?4, "
                           "?5, ?6, ?7)", -1, &st, NULL) != SQLITE_OK)
        goto done;
    for (i = 0; i < rows; i++) {
        snprintf(id, sizeof id, "a%08ld", i);
        snprintf(pid, sizeof pid, "p%ld", i % 1000);
        snprintf(eid, sizeof eid, "e%ld", (i * 7) % 1000);
        sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, pid, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 3, eid, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(st, 4, (int)(i % 2));
        sqlite3_bind_int(st, 5, (int)(i % 4));
        sqlite3_bind_int(st, 6, (int)(i % 3));
        sqlite3_bind_double(st, 7, (double)(i % 100) / 100.0);
        if (sqlite3_step(st) != SQLITE_DONE || sqlite3_reset(st) != SQLITE_OK)
            goto done;
    }
    rc = exec(db, "COMMIT; PRAGMA journal_mode = WAL");
done:
    if (rc != 0)
        fprintf(stderr, "migrate_rebuild: making %s: %s\n", path,
                sqlite3_errmsg(db));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rc;
}

/* The descriptor's step to version v, or NULL. */
static const sc_migration *
step_to(int v)
{
    size_t i;

    for (i = 0; i < learning_schema.nmigrations; i++)
        if (learning_schema.migrations[i].version == v)
            return &learning_schema.migrations[i];
    return NULL;
}

/* Run the step to 15 as plain SQL, as sc_open() would, timing it into
 * *secs.  Returns 0, or -1. */
static int
raw_migrate(const char *path, double *secs)
{
    const sc_migration *m = step_to(15);
    sqlite3 *db = NULL;
    double t0 = now();
    size_t i;
    int rc = -1;

    if (m == NULL || sqlite3_open(path, &db) != SQLITE_OK
        || exec(db, "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = OFF;"
                " BEGIN IMMEDIATE") != 0)
        goto done;
    for (i = 0; i < m->nsql; i++)
        if (exec(db, m->sql[i]) != 0)
            goto done;
    if (exec(db, "PRAGMA foreign_key_check; DELETE FROM schema_version; "
             "INSERT INTO schema_version VALUES (15); COMMIT; "
             "PRAGMA foreign_keys = ON") != 0)
        goto done;
    rc = 0;
done:
    sqlite3_close(db);
    *secs = now() - t0;
    return rc;
}

/* Count pattern_applications rows and foreign keys in the file at path;
 * returns 0 when there are rows rows and no foreign key, else -1. */
static int
check_result(const char *path, long rows)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int ok = 0;

    if (sqlite3_open(path, &db) == SQLITE_OK
        && sqlite3_prepare_v2(db, "SELECT (SELECT count(*) FROM "
                              "pattern_applications), (SELECT count(*) FROM "
                              "pragma_foreign_key_list('pattern_applications'"
                              "))", -1, &st, NULL) == SQLITE_OK
        && sqlite3_step(st) == SQLITE_ROW)
        ok = sqlite3_column_int64(st, 0) == rows
            && sqlite3_column_int(st, 1) == 0;
    sqlite3_finalize(st);
    sqlite3_close(db);
    if (!ok)
        fprintf(stderr, "migrate_rebuild: %s: rows or foreign keys wrong "
                "after the migration\n", path);
    return ok ? 0 : -1;
}

/* Make the databases, time both migrations, print the figures. */
int
main(int argc, char **argv)
{
    char raw_path[4096];
    char *ddl;
    long rows = argc > 3 ? strtol(argv[3], NULL, 10) : 100000;
    double t0, lib_secs, raw_secs;
    sc_db *db = NULL;
    int rc;

    if (argc < 3 || rows < 0) {
        fprintf(stderr, "usage: migrate_rebuild V14.sql FILE [ROWS]\n");
        return 1;
    }
    if ((ddl = slurp(argv[1])) == NULL) {
        fprintf(stderr, "migrate_rebuild: cannot read %s\n", argv[1]);
        return 1;
    }
    snprintf(raw_path, sizeof raw_path, "%s.raw", argv[2]);
    if (make_db(argv[2], ddl, rows) != 0 || make_db(raw_path, ddl, rows) != 0)
        return 1;
    free(ddl);

    t0 = now();
    rc = sc_open(&db, argv[2], &learning_schema, NULL);
    lib_secs = now() - t0;
    if (rc != SC_OK) {
        fprintf(stderr, "migrate_rebuild: sc_open: %s\n", sc_errmsg(db));
        sc_close(db);
        return 1;
    }
    sc_close(db);
    if (raw_migrate(raw_path, &raw_secs) != 0
        || check_result(argv[2], rows) != 0
        || check_result(raw_path, rows) != 0)
        return 1;
    printf("version 14 -> 15, pattern_applications rebuilt, %ld rows:\n"
           "  sc_open()         %8.1f ms\n"
           "  raw sqlite3 SQL   %8.1f ms\n"
           "  ratio             %8.2f\n", rows, lib_secs * 1e3,
           raw_secs * 1e3, raw_secs > 0 ? lib_secs / raw_secs : 0.0);
    remove(raw_path);
    return 0;
}
