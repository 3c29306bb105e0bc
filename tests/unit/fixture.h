/*
 * fixture.h - what the runtime's unit tests share: a hand-written schema
 * descriptor (as the generator would write it) and scratch-file helpers.
 * Version 1 has "parent" only; version 2 adds "child", which references it.
 */
#ifndef SCHEMAC_TEST_FIXTURE_H
#define SCHEMAC_TEST_FIXTURE_H

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "schemac.h"

struct parent {
    int64_t id;
    const char *name;
    double score;
    bool has_score;
    bool flag;
    bool has_flag;
    sc_blob data;
};

struct child {
    const char *id;
    int64_t parent_id;
    bool has_parent_id;
    const char *note;
};

extern const sc_schema demo_schema;

static const char *const demo_statements[] = {
    /* 0 parent insert */
    "INSERT INTO parent (id, name, score, flag, data) VALUES (?1, ?2, ?3, ?4, ?5)",
    /* 1 parent upsert */
    "INSERT INTO parent (id, name, score, flag, data) VALUES (?1, ?2, ?3, ?4, ?5) "
    "ON CONFLICT (id) DO UPDATE SET name = excluded.name, score = excluded.score, "
    "flag = excluded.flag, data = excluded.data",
    /* 2 parent get */
    "SELECT id, name, score, flag, data FROM parent WHERE id = ?1",
    /* 3 parent update */
    "UPDATE parent SET name = ?1, score = ?2, flag = ?3, data = ?4 WHERE id = ?5",
    /* 4 parent delete */
    "DELETE FROM parent WHERE id = ?1",
    /* 5 child insert */
    "INSERT INTO child (id, parent_id, note) VALUES (?1, ?2, ?3)",
    /* 6 child get */
    "SELECT id, parent_id, note FROM child WHERE id = ?1",
};

static const sc_column parent_columns[] = {
    { .name = "id", .type = SC_T_INTEGER, .flags = SC_COL_PK,
      .offset = offsetof(struct parent, id) },
    { .name = "name", .type = SC_T_TEXT, .flags = SC_COL_NOTNULL,
      .offset = offsetof(struct parent, name) },
    { .name = "score", .type = SC_T_REAL,
      .offset = offsetof(struct parent, score),
      .has_offset = offsetof(struct parent, has_score) },
    { .name = "flag", .type = SC_T_BOOLEAN,
      .offset = offsetof(struct parent, flag),
      .has_offset = offsetof(struct parent, has_flag) },
    { .name = "data", .type = SC_T_BLOB,
      .offset = offsetof(struct parent, data) },
};

static const sc_column child_columns[] = {
    { .name = "id", .type = SC_T_TEXT, .flags = SC_COL_PK,
      .offset = offsetof(struct child, id) },
    { .name = "parent_id", .type = SC_T_INTEGER,
      .offset = offsetof(struct child, parent_id),
      .has_offset = offsetof(struct child, has_parent_id) },
    { .name = "note", .type = SC_T_TEXT,
      .offset = offsetof(struct child, note) },
};

static const sc_table parent_table = {
    .schema = &demo_schema, .name = "parent",
    .columns = parent_columns, .ncolumns = 5,
    .row_size = sizeof(struct parent),
    .stmt_insert = 0, .stmt_upsert = 1, .stmt_get = 2, .stmt_update = 3,
    .stmt_delete = 4,
    .select_sql = "SELECT id, name, score, flag, data FROM parent",
    .count_sql = "SELECT count(*) FROM parent",
};

static const sc_table child_table = {
    .schema = &demo_schema, .name = "child",
    .columns = child_columns, .ncolumns = 3,
    .row_size = sizeof(struct child),
    .stmt_insert = 5, .stmt_upsert = SC_NO_STMT, .stmt_get = 6,
    .stmt_update = SC_NO_STMT, .stmt_delete = SC_NO_STMT,
    .select_sql = "SELECT id, parent_id, note FROM child",
    .count_sql = "SELECT count(*) FROM child",
};

static const char *const demo_create[] = {
    "CREATE TABLE schema_version (version INTEGER PRIMARY KEY)",
    "CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT NOT NULL, "
    "score REAL, flag BOOLEAN, data BLOB)",
    "CREATE TABLE child (id TEXT PRIMARY KEY, "
    "parent_id INTEGER REFERENCES parent(id), note TEXT)",
    "CREATE INDEX idx_child_parent ON child (parent_id)",
};

static const char *const demo_v2_steps[] = {
    "CREATE TABLE child (id TEXT PRIMARY KEY, "
    "parent_id INTEGER REFERENCES parent(id), note TEXT)",
    "CREATE INDEX idx_child_parent ON child (parent_id)",
};

static const sc_migration demo_migrations[] = {
    { .version = 2, .sql = demo_v2_steps, .nsql = 2, .rebuild = false },
};

static const sc_table *const demo_tables[] = { &parent_table, &child_table };
static const char *const demo_data_tables[] = { "child", "parent" };

const sc_schema demo_schema = {
    .abi = SC_ABI_VERSION, .name = "demo", .version = 2,
    .version_table = "schema_version",
    .default_path = "~/.schemac-test/demo.db",
    .create_sql = demo_create, .ncreate = 4,
    .tables = demo_tables, .ntables = 2,
    .data_tables = demo_data_tables, .ndata_tables = 2,
    .statements = demo_statements, .nstatements = 7,
    .migrations = demo_migrations, .nmigrations = 1,
};

/* A fresh scratch folder for this test program (removed by fx_cleanup). */
static char fx_dir[256];

static inline const char *
fx_path(const char *name)
{
    static char buf[4][512];
    static int next;
    char *p = buf[next++ % 4];

    if (fx_dir[0] == '\0') {
        snprintf(fx_dir, sizeof(fx_dir), "%s/schemac-test-XXXXXX",
                 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
        if (mkdtemp(fx_dir) == NULL)
            abort();
    }
    snprintf(p, 512, "%s/%s", fx_dir, name);
    return p;
}

static inline void
fx_cleanup(void)
{
    char cmd[300];

    if (fx_dir[0] != '\0') {
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx_dir);
        if (system(cmd) != 0)
            printf("warning: could not remove %s\n", fx_dir);
    }
}

/* Open a fresh demo database called name (an earlier file removed) with
 * opts (may be NULL); a failed open is a test failure. */
static inline sc_db *
fx_open_fresh(const char *name, const sc_opts *opts)
{
    sc_db *db = NULL;

    unlink(fx_path(name));
    if (sc_open(&db, fx_path(name), &demo_schema, opts) != SC_OK)
        T_FAIL("open %s: %s", name, sc_errmsg(db));
    return db;
}

/* Insert a parent row with key id (and name "x"); the code. */
static inline int
fx_insert(sc_db *db, int64_t id)
{
    struct parent p;

    memset(&p, 0, sizeof(p));
    p.id = id;
    p.name = "x";
    return sc_row_insert(db, &parent_table, &p);
}

/* Run sql on a plain SQLite connection to file; returns the SQLite code. */
static inline int
fx_exec(const char *file, const char *sql)
{
    sqlite3 *c;
    int rc = sqlite3_open(file, &c);

    if (rc == SQLITE_OK)
        rc = sqlite3_exec(c, sql, NULL, NULL, NULL);
    sqlite3_close(c);
    return rc;
}

/* The first column of the first row of sql on file, as an integer
 * (-999 on error). */
static inline long long
fx_int(const char *file, const char *sql)
{
    sqlite3 *c;
    sqlite3_stmt *st;
    long long v = -999;

    if (sqlite3_open(file, &c) == SQLITE_OK
        && sqlite3_prepare_v2(c, sql, -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            v = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(c);
    return v;
}

/* Read a whole file into a malloc'd buffer; *len gets its size. */
static inline char *
fx_slurp(const char *file, size_t *len)
{
    FILE *f = fopen(file, "rb");
    char *buf = NULL;
    long n;

    *len = 0;
    if (f == NULL)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0
        && fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1))) {
        *len = fread(buf, 1, (size_t)n, f);
    }
    fclose(f);
    return buf;
}

/* Write len bytes to file. */
static inline void
fx_write(const char *file, const void *data, size_t len)
{
    FILE *f = fopen(file, "wb");

    if (f != NULL) {
        fwrite(data, 1, len, f);
        fclose(f);
    }
}

/* Open file with schema and check the result and that not one byte of the
 * file changed. */
static inline void
check_refused_untouched(const char *file, const sc_schema *schema, int want)
{
    size_t before_len, after_len;
    char *before = fx_slurp(file, &before_len), *after;
    sc_db *db;

    CHECK(before != NULL);
    CHECK_INT(sc_open(&db, file, schema, NULL), want);
    CHECK(strlen(sc_errmsg(db)) > 0);
    sc_close(db);
    after = fx_slurp(file, &after_len);
    CHECK(after != NULL);
    CHECK_INT(after_len, before_len);
    CHECK(after && before && memcmp(before, after, before_len) == 0);
    free(before);
    free(after);
}

#endif /* SCHEMAC_TEST_FIXTURE_H */
