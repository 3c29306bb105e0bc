/*
 * bench_rt.c - runtime benchmarks: the generated learning API against
 * hand-written SQLite code doing the same work on the same file with the
 * same pragmas.  Each benchmark prints a table with the median of several
 * runs and the ratio to a baseline measured in the same run, and a
 * "metric NAME VALUE" line for each figure bench/targets.txt names.
 *
 *   bench_rt DIR [RUNS]        scratch files in DIR; RUNS >= 5 (default 5)
 *
 * BENCH_ONLY (e.g. "13") picks tables; BENCH_TARGETS_ONLY=1 leaves out the
 * variants no target needs (for make bench-check).
 *
 * Every connection, ours and raw, runs with journal_mode=WAL,
 * synchronous=NORMAL, foreign_keys=ON and busy_timeout=30000 unless a
 * table says otherwise.
 */
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "learning.h"
#include "schemac.h"

#define NROWS 100000
#define NTYPES 100          /* pattern types: NROWS / NTYPES rows each */
#define MAX_RUNS 50
#define MAX_VARIANTS 6

static const char *dir;
static int nruns = 5;
static char db_file[512];
static bool filled;         /* the scratch file holds the NROWS rows */
static bool targets_only;   /* BENCH_TARGETS_ONLY: skip reference variants */

/* ------------------------------------------------------------------ */
/* The statements, as a hand-written program would carry them: copied  */
/* from the generated learning.c (checked against it at start-up).     */
/* ------------------------------------------------------------------ */

static const char insert_sql[] =
    "INSERT INTO patterns (id, pattern_type, pattern_name, description, "
    "occurrence_count, first_seen, last_seen, last_confirmed, "
    "led_to_success_count, led_to_failure_count, effectiveness_score, "
    "variance, suggested_action, context_tags, priority_score, "
    "quarantine_status, provenance_job_hash, provenance_sheet_num, "
    "quarantined_at, validated_at, quarantine_reason, trust_score, "
    "trust_calculation_date, success_factors, success_factors_updated_at, "
    "active, content_hash, instrument_name) VALUES (?1, ?2, ?3, ?4, "
    "coalesce(?5, 1), ?6, ?7, ?8, coalesce(?9, 0), coalesce(?10, 0), "
    "coalesce(?11, 0.5), coalesce(?12, 0.0), ?13, ?14, coalesce(?15, 0.5), "
    "coalesce(?16, 'pending'), ?17, ?18, ?19, ?20, ?21, coalesce(?22, 0.5), "
    "?23, ?24, ?25, coalesce(?26, 1), ?27, ?28)";

static const char get_sql[] =
    "SELECT id, pattern_type, pattern_name, description, occurrence_count, "
    "first_seen, last_seen, last_confirmed, led_to_success_count, "
    "led_to_failure_count, effectiveness_score, variance, suggested_action, "
    "context_tags, priority_score, quarantine_status, provenance_job_hash, "
    "provenance_sheet_num, quarantined_at, validated_at, quarantine_reason, "
    "trust_score, trust_calculation_date, success_factors, "
    "success_factors_updated_at, active, content_hash, instrument_name FROM "
    "patterns WHERE id = ?1";

/* The three clauses of the select benchmark, and the raw statement the
 * runtime builds from them. */
#define W1 "pattern_type = ?"
#define W2 "priority_score >= ?"
#define W3 "COALESCE(active, 1) = 1"
static const char select_sql[] =
    "SELECT id, pattern_type, pattern_name, description, occurrence_count, "
    "first_seen, last_seen, last_confirmed, led_to_success_count, "
    "led_to_failure_count, effectiveness_score, variance, suggested_action, "
    "context_tags, priority_score, quarantine_status, provenance_job_hash, "
    "provenance_sheet_num, quarantined_at, validated_at, quarantine_reason, "
    "trust_score, trust_calculation_date, success_factors, "
    "success_factors_updated_at, active, content_hash, instrument_name FROM "
    "patterns WHERE " W1 " AND " W2 " AND " W3;

static const char pragmas_sql[] =
    "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; "
    "PRAGMA foreign_keys = ON";

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

/* Stop the benchmark with a message: a failed call makes every figure
 * meaningless. */
static void
die(const char *what, const char *why)
{
    fprintf(stderr, "bench_rt: %s: %s\n", what, why);
    exit(1);
}

/* Remove the scratch database and its WAL and shared-memory files. */
static void
remove_db(void)
{
    char side[600];

    unlink(db_file);
    snprintf(side, sizeof side, "%s-wal", db_file);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", db_file);
    unlink(side);
}

/* Open the scratch file with the generated API and set synchronous. */
static sc_db *
gen_open(void)
{
    sc_db *db;

    if (sc_open(&db, db_file, &learning_schema, NULL) != SC_OK)
        die("sc_open", sc_errmsg(db));
    if (sqlite3_exec(sc_sqlite(db), "PRAGMA synchronous = NORMAL", NULL,
                     NULL, NULL) != SQLITE_OK)
        die("synchronous", sqlite3_errmsg(sc_sqlite(db)));
    return db;
}

/* Open the scratch file as a hand-written program would, same pragmas. */
static sqlite3 *
raw_open(void)
{
    sqlite3 *conn;

    if (sqlite3_open_v2(db_file, &conn, SQLITE_OPEN_READWRITE
                        | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL)
        != SQLITE_OK)
        die("sqlite3_open_v2", sqlite3_errmsg(conn));
    sqlite3_busy_timeout(conn, 30000);
    if (sqlite3_exec(conn, pragmas_sql, NULL, NULL, NULL) != SQLITE_OK)
        die("pragmas", sqlite3_errmsg(conn));
    return conn;
}

/* Run sql on conn or die. */
static void
raw_exec(sqlite3 *conn, const char *sql)
{
    if (sqlite3_exec(conn, sql, NULL, NULL, NULL) != SQLITE_OK)
        die(sql, sqlite3_errmsg(conn));
}

/* Prepare sql on conn or die. */
static sqlite3_stmt *
raw_prepare(sqlite3 *conn, const char *sql)
{
    sqlite3_stmt *stmt;

    if (sqlite3_prepare_v3(conn, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt,
                           NULL) != SQLITE_OK)
        die("prepare", sqlite3_errmsg(conn));
    return stmt;
}

/* A fresh database with the learning schema and nothing in it. */
static void
fresh_db(void)
{
    filled = false;
    remove_db();
    sc_close(gen_open());
}

/* ------------------------------------------------------------------ */
/* Test data: NROWS patterns, built once, shared by every variant.    */
/* ------------------------------------------------------------------ */

#include "patterns.h"

/* ------------------------------------------------------------------ */
/* Hand-written binding and reading of struct learning_patterns        */
/* ------------------------------------------------------------------ */

/* Bind text v (NULL: SQL NULL) to parameter i, without a copy. */
static void
bind_text(sqlite3_stmt *s, int i, const char *v)
{
    if (v == NULL)
        sqlite3_bind_null(s, i);
    else
        sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
}

/* Bind v to parameter i, or NULL when has is false. */
static void
bind_int(sqlite3_stmt *s, int i, bool has, int64_t v)
{
    if (has)
        sqlite3_bind_int64(s, i, v);
    else
        sqlite3_bind_null(s, i);
}

/* Bind v to parameter i, or NULL when has is false. */
static void
bind_real(sqlite3_stmt *s, int i, bool has, double v)
{
    if (has)
        sqlite3_bind_double(s, i, v);
    else
        sqlite3_bind_null(s, i);
}

/* Bind every column of r to the insert statement, in order. */
static void
raw_bind_pattern(sqlite3_stmt *s, const struct learning_patterns *r)
{
    bind_text(s, 1, r->id);
    bind_text(s, 2, r->pattern_type);
    bind_text(s, 3, r->pattern_name);
    bind_text(s, 4, r->description);
    bind_int(s, 5, r->has_occurrence_count, r->occurrence_count);
    bind_text(s, 6, r->first_seen);
    bind_text(s, 7, r->last_seen);
    bind_text(s, 8, r->last_confirmed);
    bind_int(s, 9, r->has_led_to_success_count, r->led_to_success_count);
    bind_int(s, 10, r->has_led_to_failure_count, r->led_to_failure_count);
    bind_real(s, 11, r->has_effectiveness_score, r->effectiveness_score);
    bind_real(s, 12, r->has_variance, r->variance);
    bind_text(s, 13, r->suggested_action);
    bind_text(s, 14, r->context_tags);
    bind_real(s, 15, r->has_priority_score, r->priority_score);
    bind_text(s, 16, r->quarantine_status);
    bind_text(s, 17, r->provenance_job_hash);
    bind_int(s, 18, r->has_provenance_sheet_num, r->provenance_sheet_num);
    bind_text(s, 19, r->quarantined_at);
    bind_text(s, 20, r->validated_at);
    bind_text(s, 21, r->quarantine_reason);
    bind_real(s, 22, r->has_trust_score, r->trust_score);
    bind_text(s, 23, r->trust_calculation_date);
    bind_text(s, 24, r->success_factors);
    bind_text(s, 25, r->success_factors_updated_at);
    bind_int(s, 26, r->has_active, r->active);
    bind_text(s, 27, r->content_hash);
    bind_text(s, 28, r->instrument_name);
}

/* Column i of s as text: a malloc'd copy when copy is set, else lent. */
static const char *
col_text(sqlite3_stmt *s, int i, bool copy)
{
    const unsigned char *p = sqlite3_column_text(s, i);
    size_t n;
    char *q;

    if (p == NULL || !copy)
        return (const char *)p;
    n = (size_t)sqlite3_column_bytes(s, i);
    if ((q = malloc(n + 1)) == NULL)
        die("col_text", "out of memory");
    memcpy(q, p, n + 1);
    return q;
}

#define COL_INT(s, i, r, m) do {                                        \
        (r)->has_##m = sqlite3_column_type(s, i) != SQLITE_NULL;        \
        (r)->m = sqlite3_column_int64(s, i);                            \
    } while (0)
#define COL_REAL(s, i, r, m) do {                                       \
        (r)->has_##m = sqlite3_column_type(s, i) != SQLITE_NULL;        \
        (r)->m = sqlite3_column_double(s, i);                           \
    } while (0)

/* Read the 28 result columns of s into r (text copied when copy). */
static void
raw_read_pattern(sqlite3_stmt *s, struct learning_patterns *r, bool copy)
{
    r->id = col_text(s, 0, copy);
    r->pattern_type = col_text(s, 1, copy);
    r->pattern_name = col_text(s, 2, copy);
    r->description = col_text(s, 3, copy);
    COL_INT(s, 4, r, occurrence_count);
    r->first_seen = col_text(s, 5, copy);
    r->last_seen = col_text(s, 6, copy);
    r->last_confirmed = col_text(s, 7, copy);
    COL_INT(s, 8, r, led_to_success_count);
    COL_INT(s, 9, r, led_to_failure_count);
    COL_REAL(s, 10, r, effectiveness_score);
    COL_REAL(s, 11, r, variance);
    r->suggested_action = col_text(s, 12, copy);
    r->context_tags = col_text(s, 13, copy);
    COL_REAL(s, 14, r, priority_score);
    r->quarantine_status = col_text(s, 15, copy);
    r->provenance_job_hash = col_text(s, 16, copy);
    COL_INT(s, 17, r, provenance_sheet_num);
    r->quarantined_at = col_text(s, 18, copy);
    r->validated_at = col_text(s, 19, copy);
    r->quarantine_reason = col_text(s, 20, copy);
    COL_REAL(s, 21, r, trust_score);
    r->trust_calculation_date = col_text(s, 22, copy);
    r->success_factors = col_text(s, 23, copy);
    r->success_factors_updated_at = col_text(s, 24, copy);
    COL_INT(s, 25, r, active);
    r->content_hash = col_text(s, 26, copy);
    r->instrument_name = col_text(s, 27, copy);
}

/*
 * Check that the copied statements are the generated ones, so both sides
 * run the same SQL.  The select text is built by the runtime per call;
 * it is checked by the row counts instead.
 */
static void
check_statements(void)
{
    sqlite3_stmt *stmt;
    sc_db *db;

    fresh_db();
    db = gen_open();
    if (sc_stmt_get(db, learning_patterns_table.stmt_insert, &stmt) != SC_OK
        || strcmp(sqlite3_sql(stmt), insert_sql) != 0)
        die("check", "insert_sql differs from the generated insert");
    sc_stmt_release(db, stmt);
    if (sc_stmt_get(db, learning_patterns_table.stmt_get, &stmt) != SC_OK
        || strcmp(sqlite3_sql(stmt), get_sql) != 0)
        die("check", "get_sql differs from the generated get");
    sc_stmt_release(db, stmt);
    sc_close(db);
}

/* ------------------------------------------------------------------ */
/* Reporting                                                           */
/* ------------------------------------------------------------------ */

struct variant {
    const char *name;
    double secs[MAX_RUNS];
    double median, min, max;
};

/* Sort v's runs and take median, min and max. */
static void
summarise(struct variant *v)
{
    v->median = bench_median(v->secs, nruns);
    v->min = v->secs[0];
    v->max = v->secs[nruns - 1];
}

/*
 * The median over the first n runs of num's time divided by den's time in
 * the same run.  The two ran side by side in every run, so the machine's
 * drift from run to run cancels out.  Call it before summarise() or
 * report() sorts the runs.
 */
static double
paired_ratio(const struct variant *num, const struct variant *den, int n)
{
    double r[MAX_RUNS];
    int i;

    for (i = 0; i < n; i++)
        r[i] = num->secs[i] / den->secs[i];
    return bench_median(r, n);
}

/* Print a table of nv variants over nops operations each; the ratio is
 * to variant base. */
static void
report(struct variant *v, int nv, int base, long nops)
{
    int i;

    for (i = 0; i < nv; i++)
        summarise(&v[i]);
    printf("   %-44s %10s %9s %9s %10s %7s\n", "variant", "median ms",
           "min ms", "max ms", "us/op", "ratio");
    for (i = 0; i < nv; i++)
        printf("   %-44s %10.2f %9.2f %9.2f %10.3f %7.3f%s\n", v[i].name,
               v[i].median * 1e3, v[i].min * 1e3, v[i].max * 1e3,
               v[i].median * 1e6 / (double)nops, v[i].median / v[base].median,
               i == base ? "  (baseline)" : "");
}

/* ------------------------------------------------------------------ */
/* 1. Inserts in one batch                                             */
/* ------------------------------------------------------------------ */

/* Table 1, ours: the NROWS rows in one batch on a fresh file.  Returns
 * the seconds from begin to commit. */
static double
gen_inserts(void)
{
    sc_db *db;
    double t0, t;
    int i, rc;

    fresh_db();
    db = gen_open();
    t0 = bench_now();
    rc = sc_batch_begin(db);
    for (i = 0; rc == SC_OK && i < NROWS; i++)
        rc = learning_patterns_insert(db, &rows[i]);
    rc = sc_batch_end(db, rc);
    t = bench_now() - t0;
    if (rc != SC_OK)
        die("generated insert", sc_errmsg(db));
    sc_close(db);
    return t;
}

/* Table 1, hand-written: the same rows and SQL, prepared once.  Returns
 * the seconds from BEGIN to COMMIT. */
static double
raw_inserts(void)
{
    sqlite3_stmt *stmt;
    sqlite3 *conn;
    double t0, t;
    int i;

    fresh_db();
    conn = raw_open();
    t0 = bench_now();
    raw_exec(conn, "BEGIN IMMEDIATE");
    stmt = raw_prepare(conn, insert_sql);
    for (i = 0; i < NROWS; i++) {
        raw_bind_pattern(stmt, &rows[i]);
        if (sqlite3_step(stmt) != SQLITE_DONE)
            die("raw insert", sqlite3_errmsg(conn));
        sqlite3_reset(stmt);
    }
    sqlite3_finalize(stmt);
    raw_exec(conn, "COMMIT");
    t = bench_now() - t0;
    sqlite3_close(conn);
    return t;
}

/* Table 1: run both sides nruns times, alternating, and report. */
static void
bench_inserts(void)
{
    struct variant v[2] = { { "raw sqlite3, prepared once", { 0 }, 0, 0, 0 },
                            { "generated learning_patterns_insert", { 0 },
                              0, 0, 0 } };
    double ratio;
    int r;

    printf("\n1. %d inserts into patterns in one batch (BEGIN IMMEDIATE .. "
           "COMMIT),\n   fresh file each run; timed from begin to commit\n",
           NROWS);
    for (r = 0; r < nruns; r++) {
        /* Alternate the order so drift does not favour one side. */
        if (r % 2) {
            v[1].secs[r] = gen_inserts();
            v[0].secs[r] = raw_inserts();
        } else {
            v[0].secs[r] = raw_inserts();
            v[1].secs[r] = gen_inserts();
        }
    }
    ratio = paired_ratio(&v[1], &v[0], nruns);
    report(v, 2, 0, NROWS);
    bench_metric("insert_batch_ratio", ratio, nruns);
}

/* ------------------------------------------------------------------ */
/* 2. Gets by primary key                                              */
/* ------------------------------------------------------------------ */

/* Fill the scratch file with the NROWS rows (for the read benchmarks),
 * unless it holds them already. */
static void
fill_db(void)
{
    sc_db *db;
    int i, rc;

    if (filled)
        return;
    fresh_db();
    db = gen_open();
    rc = sc_batch_begin(db);
    for (i = 0; rc == SC_OK && i < NROWS; i++)
        rc = learning_patterns_insert(db, &rows[i]);
    if ((rc = sc_batch_end(db, rc)) != SC_OK)
        die("fill", sc_errmsg(db));
    sc_close(db);
    filled = true;
}

/* Table 2, ours: NROWS gets in random order, in one batch when batch is
 * set.  Returns the seconds taken. */
static double
gen_gets(bool batch)
{
    struct learning_patterns out;
    sc_db *db = gen_open();
    double t0, t;
    int i, k, rc = SC_OK;

    t0 = bench_now();
    if (batch)
        rc = sc_batch_begin(db);
    for (i = 0; rc == SC_OK && i < NROWS; i++) {
        k = order_rand[i];
        rc = learning_patterns_get(db, ids[k], &out);
        if (rc == SC_OK && strcmp(out.pattern_name, names[k]) != 0)
            die("generated get", "wrong row");
        learning_patterns_free(&out);
    }
    if (batch)
        rc = sc_batch_end(db, rc);
    t = bench_now() - t0;
    if (rc != SC_OK)
        die("generated get", sc_errmsg(db));
    sc_close(db);
    return t;
}

/* Table 2, hand-written: the same gets, copying the text as the
 * generated get does when copy is set.  Returns the seconds taken. */
static double
raw_gets(bool batch, bool copy)
{
    struct learning_patterns out;
    sqlite3_stmt *stmt;
    sqlite3 *conn = raw_open();
    double t0, t;
    int i, k;

    t0 = bench_now();
    if (batch)
        raw_exec(conn, "BEGIN IMMEDIATE");
    stmt = raw_prepare(conn, get_sql);
    for (i = 0; i < NROWS; i++) {
        k = order_rand[i];
        sqlite3_bind_text(stmt, 1, ids[k], -1, SQLITE_STATIC);
        if (sqlite3_step(stmt) != SQLITE_ROW)
            die("raw get", sqlite3_errmsg(conn));
        memset(&out, 0, sizeof out);
        raw_read_pattern(stmt, &out, copy);
        if (strcmp(out.pattern_name, names[k]) != 0)
            die("raw get", "wrong row");
        if (copy)
            raw_free_pattern(&out);
        sqlite3_reset(stmt);
    }
    sqlite3_finalize(stmt);
    if (batch)
        raw_exec(conn, "COMMIT");
    t = bench_now() - t0;
    sqlite3_close(conn);
    return t;
}

/* Table 2: the six variants (the first four with BENCH_TARGETS_ONLY), in
 * a rotating order, and their report. */
static void
bench_gets(void)
{
    struct variant v[6] = {
        { "raw, outside a batch (copies, as get does)", { 0 }, 0, 0, 0 },
        { "generated get, outside a batch", { 0 }, 0, 0, 0 },
        { "raw, inside a batch (copies, as get does)", { 0 }, 0, 0, 0 },
        { "generated get, inside a batch", { 0 }, 0, 0, 0 },
        { "raw, outside a batch, no copies (lent)", { 0 }, 0, 0, 0 },
        { "raw, inside a batch, no copies (lent)", { 0 }, 0, 0, 0 },
    };
    int nv = targets_only ? 4 : 6;
    double outside, inside;
    int r, i;

    printf("\n2. %d gets by primary key (16-hex-char text ids) in random "
           "order,\n   %d rows in the table; each get fills a struct "
           "with malloc'd copies\n", NROWS, NROWS);
    fill_db();
    for (r = 0; r < nruns; r++) {
        double t[6];
        for (i = 0; i < nv; i++) {
            int j = (i + r) % nv;       /* rotate the order per run */
            switch (j) {
            case 0: t[j] = raw_gets(false, true); break;
            case 1: t[j] = gen_gets(false); break;
            case 2: t[j] = raw_gets(true, true); break;
            case 3: t[j] = gen_gets(true); break;
            case 4: t[j] = raw_gets(false, false); break;
            default: t[j] = raw_gets(true, false); break;
            }
        }
        for (i = 0; i < nv; i++)
            v[i].secs[r] = t[i];
    }
    outside = paired_ratio(&v[1], &v[0], nruns);
    inside = paired_ratio(&v[3], &v[2], nruns);
    for (i = 0; i < nv; i++)
        summarise(&v[i]);
    printf("   outside a batch (each get is its own read transaction):\n");
    report(v, 2, 0, NROWS);
    bench_metric("get_ratio_outside_batch", outside, nruns);
    printf("   inside one batch:\n");
    report(v + 2, 2, 0, NROWS);
    bench_metric("get_ratio_inside_batch", inside, nruns);
    if (targets_only)
        return;
    printf("   for reference, raw without copying the text (a different "
           "contract: lent values):\n");
    {
        struct variant ref[4];
        ref[0] = v[0];
        ref[1] = v[4];
        ref[2] = v[2];
        ref[3] = v[5];
        report(ref, 2, 0, NROWS);
        report(ref + 2, 2, 0, NROWS);
    }
}

/* ------------------------------------------------------------------ */
/* 3. Selects with a three-clause where                                */
/* ------------------------------------------------------------------ */

struct tally {
    long rows;
    long bytes;
};

/* The select callback of both sides: count rows and name bytes. */
static int
tally_row(const struct learning_patterns *row, void *arg)
{
    struct tally *t = arg;

    t->rows++;
    t->bytes += (long)strlen(row->pattern_name);
    return 0;
}

/* Table 3, ours: one select with sc_where per pattern type.  Returns the
 * seconds taken. */
static double
gen_selects(void)
{
    struct tally tl = { 0, 0 };
    sc_db *db = gen_open();
    double t0, t;
    int q, rc = SC_OK;

    t0 = bench_now();
    for (q = 0; rc == SC_OK && q < NTYPES; q++) {
        sc_where w = SC_WHERE_INIT;
        long before = tl.rows;
        sc_where_add(&w, W1, 1, sc_text(types[q]));
        sc_where_add(&w, W2, 1, sc_real(0.0));
        sc_where_add(&w, W3, 0);
        rc = learning_patterns_select(db, &w, NULL, 0, -1, 0, tally_row,
                                      &tl);
        sc_where_fini(&w);
        if (tl.rows - before != NROWS / NTYPES)
            die("generated select", "wrong row count");
    }
    t = bench_now() - t0;
    if (rc != SC_OK)
        die("generated select", sc_errmsg(db));
    sc_close(db);
    return t;
}

/* Table 3, hand-written: the same query prepared once and rebound.
 * Returns the seconds taken. */
static double
raw_selects(void)
{
    struct learning_patterns row;
    struct tally tl = { 0, 0 };
    sqlite3_stmt *stmt;
    sqlite3 *conn = raw_open();
    double t0, t;
    int q, src;

    t0 = bench_now();
    stmt = raw_prepare(conn, select_sql);
    for (q = 0; q < NTYPES; q++) {
        long before = tl.rows;
        sqlite3_bind_text(stmt, 1, types[q], -1, SQLITE_STATIC);
        sqlite3_bind_double(stmt, 2, 0.0);
        while ((src = sqlite3_step(stmt)) == SQLITE_ROW) {
            memset(&row, 0, sizeof row);
            raw_read_pattern(stmt, &row, false);
            tally_row(&row, &tl);
        }
        if (src != SQLITE_DONE)
            die("raw select", sqlite3_errmsg(conn));
        sqlite3_reset(stmt);
        if (tl.rows - before != NROWS / NTYPES)
            die("raw select", "wrong row count");
    }
    sqlite3_finalize(stmt);
    t = bench_now() - t0;
    sqlite3_close(conn);
    return t;
}

/* Table 3: both sides nruns times, alternating, and the report. */
static void
bench_selects(void)
{
    struct variant v[2] = { { "raw, one statement prepared once", { 0 },
                              0, 0, 0 },
                            { "generated select with sc_where", { 0 }, 0,
                              0, 0 } };
    double ratio;
    int r;

    printf("\n3. %d selects of %d rows each: WHERE %s AND %s AND %s\n"
           "   (index on pattern_type); rows lent to a callback\n", NTYPES,
           NROWS / NTYPES, W1, W2, W3);
    fill_db();
    for (r = 0; r < nruns; r++) {
        if (r % 2) {
            v[1].secs[r] = gen_selects();
            v[0].secs[r] = raw_selects();
        } else {
            v[0].secs[r] = raw_selects();
            v[1].secs[r] = gen_selects();
        }
    }
    ratio = paired_ratio(&v[1], &v[0], nruns);
    report(v, 2, 0, NTYPES);
    printf("   (us/op is per select of %d rows)\n", NROWS / NTYPES);
    bench_metric("select_ratio", ratio, nruns);
}

/* ------------------------------------------------------------------ */
/* 4. The Python store's connection per operation                      */
/* ------------------------------------------------------------------ */

#define NPEROP 10000
#define PEROP_CHECK_RUNS 5      /* per-operation runs for bench-check */

/*
 * What each Python store operation does: connect (30 s timeout), three
 * PRAGMAs (plus the synchronous setting both sides share), the implicit
 * BEGIN before a write, prepare, step, COMMIT, close.
 */
static double
perop_inserts(const char *sync)
{
    sqlite3_stmt *stmt;
    sqlite3 *conn;
    char pragmas[256];
    double t0;
    int i;

    snprintf(pragmas, sizeof pragmas, "PRAGMA journal_mode=WAL; "
             "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000; "
             "PRAGMA synchronous=%s", sync);
    fresh_db();
    t0 = bench_now();
    for (i = 0; i < NPEROP; i++) {
        if (sqlite3_open_v2(db_file, &conn, SQLITE_OPEN_READWRITE
                            | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
            die("open", sqlite3_errmsg(conn));
        sqlite3_busy_timeout(conn, 30000);
        raw_exec(conn, pragmas);
        raw_exec(conn, "BEGIN");
        if (sqlite3_prepare_v2(conn, insert_sql, -1, &stmt, NULL)
            != SQLITE_OK)
            die("prepare", sqlite3_errmsg(conn));
        raw_bind_pattern(stmt, &rows[i]);
        if (sqlite3_step(stmt) != SQLITE_DONE)
            die("per-op insert", sqlite3_errmsg(conn));
        sqlite3_finalize(stmt);
        raw_exec(conn, "COMMIT");
        if (sqlite3_close(conn) != SQLITE_OK)
            die("close", "busy");
    }
    return bench_now() - t0;
}

/* Ours: one sc_open, then each insert autocommits; open and close are
 * inside the timing. */
static double
ours_autocommit(const char *sync)
{
    char pragma[64];
    sc_db *db;
    double t0, t;
    int i, rc = SC_OK;

    snprintf(pragma, sizeof pragma, "PRAGMA synchronous = %s", sync);
    fresh_db();
    t0 = bench_now();
    if (sc_open(&db, db_file, &learning_schema, NULL) != SC_OK)
        die("sc_open", sc_errmsg(db));
    if (sqlite3_exec(sc_sqlite(db), pragma, NULL, NULL, NULL) != SQLITE_OK)
        die("synchronous", sqlite3_errmsg(sc_sqlite(db)));
    for (i = 0; rc == SC_OK && i < NPEROP; i++)
        rc = learning_patterns_insert(db, &rows[i]);
    if (rc != SC_OK)
        die("insert", sc_errmsg(db));
    sc_close(db);
    t = bench_now() - t0;
    return t;
}

/* The floor for one commit per insert: hand-written, one connection,
 * the insert prepared once, each step its own transaction. */
static double
raw_autocommit(void)
{
    sqlite3_stmt *stmt;
    sqlite3 *conn;
    double t0, t;
    int i;

    fresh_db();
    t0 = bench_now();
    conn = raw_open();
    stmt = raw_prepare(conn, insert_sql);
    for (i = 0; i < NPEROP; i++) {
        raw_bind_pattern(stmt, &rows[i]);
        if (sqlite3_step(stmt) != SQLITE_DONE)
            die("raw insert", sqlite3_errmsg(conn));
        sqlite3_reset(stmt);
    }
    sqlite3_finalize(stmt);
    sqlite3_close(conn);
    t = bench_now() - t0;
    return t;
}

/* For reference: ours with all NPEROP inserts in one batch. */
static double
ours_one_batch(void)
{
    sc_db *db;
    double t0, t;
    int i, rc;

    fresh_db();
    t0 = bench_now();
    db = gen_open();
    rc = sc_batch_begin(db);
    for (i = 0; rc == SC_OK && i < NPEROP; i++)
        rc = learning_patterns_insert(db, &rows[i]);
    if ((rc = sc_batch_end(db, rc)) != SC_OK)
        die("insert", sc_errmsg(db));
    sc_close(db);
    t = bench_now() - t0;
    return t;
}

/*
 * Table 4: the per-operation pattern against ours and the references,
 * with synchronous=NORMAL, then both main variants with FULL.  With
 * BENCH_TARGETS_ONLY only the first three variants, and the per-operation
 * pattern, which costs ten times the rest and whose target has a wide
 * margin, in the first PEROP_CHECK_RUNS runs only.
 */
static void
bench_perop(void)
{
    struct variant v[4] = {
        { "Python store pattern (connection per insert)", { 0 }, 0, 0, 0 },
        { "generated API, one sc_open, autocommit each", { 0 }, 0, 0, 0 },
        { "raw sqlite3, one connection, autocommit each", { 0 }, 0, 0, 0 },
        { "generated API, all in one batch (reference)", { 0 }, 0, 0, 0 } };
    struct variant f[2] = {
        { "Python store pattern, synchronous=FULL", { 0 }, 0, 0, 0 },
        { "generated API, synchronous=FULL", { 0 }, 0, 0, 0 } };
    int npy = targets_only && nruns > PEROP_CHECK_RUNS ? PEROP_CHECK_RUNS
                                                       : nruns;
    double speedup, overhead;
    int r;

    printf("\n4. %d inserts, each its own transaction: the Python store's "
           "connection per\n   operation (open, PRAGMA journal_mode=WAL, "
           "foreign_keys=ON, busy_timeout=30000,\n   BEGIN, prepare, step, "
           "COMMIT, close) against one sc_open and autocommitted\n   "
           "inserts; synchronous=NORMAL on both sides\n", NPEROP);
    for (r = 0; r < nruns; r++) {
        /* Ours sits between the two others, in alternating order. */
        if (r % 2) {
            v[2].secs[r] = raw_autocommit();
            v[1].secs[r] = ours_autocommit("NORMAL");
            if (r < npy)
                v[0].secs[r] = perop_inserts("NORMAL");
        } else {
            if (r < npy)
                v[0].secs[r] = perop_inserts("NORMAL");
            v[1].secs[r] = ours_autocommit("NORMAL");
            v[2].secs[r] = raw_autocommit();
        }
        if (!targets_only)
            v[3].secs[r] = ours_one_batch();
    }
    speedup = paired_ratio(&v[0], &v[1], npy);
    overhead = paired_ratio(&v[1], &v[2], nruns);
    if (targets_only) {
        printf("   Python store pattern: median %.2f ms over %d runs\n",
               bench_median(v[0].secs, npy) * 1e3, npy);
        report(v + 1, 2, 1, NPEROP);
        bench_metric("python_pattern_speedup", speedup, npy);
        bench_metric("autocommit_ratio", overhead, nruns);
        return;
    }
    report(v, 4, 0, NPEROP);
    bench_metric("python_pattern_speedup", speedup, npy);
    bench_metric("autocommit_ratio", overhead, nruns);
    printf("   speed-up of ours: %.1fx; of raw autocommit (the ceiling for "
           "one commit per\n   insert): %.1fx; of ours in one batch: "
           "%.1fx\n", v[0].median / v[1].median, v[0].median / v[2].median,
           v[0].median / v[3].median);
    printf("   the same with synchronous=FULL (SQLite's default: one fsync "
           "per commit) on both sides:\n");
    for (r = 0; r < nruns; r++) {
        f[0].secs[r] = perop_inserts("FULL");
        f[1].secs[r] = ours_autocommit("FULL");
    }
    report(f, 2, 0, NPEROP);
    printf("   speed-up with FULL: %.1fx\n", f[0].median / f[1].median);
}

/* ------------------------------------------------------------------ */
/* 6. Opening an up-to-date database                                   */
/* ------------------------------------------------------------------ */

#define NOPENS 1000

/* Table 6, ours: NOPENS sc_open/sc_close pairs.  Returns seconds. */
static double
gen_opens(void)
{
    double t0 = bench_now();
    int i;

    for (i = 0; i < NOPENS; i++)
        sc_close(gen_open());
    return bench_now() - t0;
}

/* Table 6, hand-written: NOPENS opens with the same pragmas, closed.
 * Returns seconds. */
static double
raw_opens(void)
{
    double t0 = bench_now();
    int i;

    for (i = 0; i < NOPENS; i++)
        sqlite3_close(raw_open());
    return bench_now() - t0;
}

/* Raw open and pragmas plus the version query, which makes SQLite read
 * and parse the schema as sc_open's checks do. */
static double
raw_opens_query(void)
{
    double t0 = bench_now();
    sqlite3_stmt *stmt;
    sqlite3 *conn;
    int i;

    for (i = 0; i < NOPENS; i++) {
        conn = raw_open();
        stmt = raw_prepare(conn, "SELECT max(version) FROM schema_version");
        if (sqlite3_step(stmt) != SQLITE_ROW
            || sqlite3_column_int(stmt, 0) != 15)
            die("raw version", "not 15");
        sqlite3_finalize(stmt);
        sqlite3_close(conn);
    }
    return bench_now() - t0;
}

/* Table 6: the three variants and their report. */
static void
bench_open(void)
{
    struct variant v[3] = {
        { "sqlite3_open_v2 + the same pragmas, close", { 0 }, 0, 0, 0 },
        { "sc_open (version check), close", { 0 }, 0, 0, 0 },
        { "raw + pragmas + SELECT max(version), close", { 0 }, 0, 0, 0 } };
    int r;

    printf("\n6. %d open/close pairs of an up-to-date learning database "
           "(%d patterns)\n", NOPENS, NROWS);
    fill_db();
    for (r = 0; r < nruns; r++) {
        if (r % 2) {
            v[1].secs[r] = gen_opens();
            v[0].secs[r] = raw_opens();
        } else {
            v[0].secs[r] = raw_opens();
            v[1].secs[r] = gen_opens();
        }
        v[2].secs[r] = raw_opens_query();
    }
    report(v, 3, 0, NOPENS);
    printf("   the bare open never reads the schema; sc_open's version check "
           "does, as the\n   first statement of any connection would (third "
           "row)\n");
}

/* bench_rt DIR [RUNS]: make the rows, check the copied SQL, run the
 * tables BENCH_ONLY names (all by default).  Exit status 1 on a failure. */
int
main(int argc, char **argv)
{
    const char *only = getenv("BENCH_ONLY");
    const char *t_only = getenv("BENCH_TARGETS_ONLY");

    if (argc < 2) {
        fprintf(stderr, "usage: bench_rt DIR [RUNS]\n");
        return 2;
    }
    dir = argv[1];
    if (argc > 2)
        nruns = atoi(argv[2]);
    if (nruns < 1 || nruns > MAX_RUNS) {
        fprintf(stderr, "bench_rt: RUNS must be 1..%d\n", MAX_RUNS);
        return 2;
    }
    targets_only = t_only != NULL && strcmp(t_only, "0") != 0;
    snprintf(db_file, sizeof db_file, "%s/bench.db", dir);
    printf("Runtime benchmarks: SQLite %s, file %s, median of %d runs\n"
           "pragmas on every connection: journal_mode=WAL, "
           "synchronous=NORMAL, foreign_keys=ON,\nbusy_timeout=30000 "
           "(unless a table says otherwise)\n", sqlite3_libversion(),
           db_file, nruns);
    make_rows();
    check_statements();
    if (only == NULL || strchr(only, '1'))
        bench_inserts();
    if (only == NULL || strchr(only, '2'))
        bench_gets();
    if (only == NULL || strchr(only, '3'))
        bench_selects();
    if (only == NULL || strchr(only, '4'))
        bench_perop();
    if (only == NULL || strchr(only, '6'))
        bench_open();
    remove_db();
    return 0;
}
