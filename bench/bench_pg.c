/*
 * bench_pg.c - runtime benchmarks on PostgreSQL (table 9 of
 * docs/performance.md): the generated learning API (libschemac's libpq
 * backend) against hand-written libpq code doing the same work with the
 * same SQL on the same server, and a hand-written pipelined batch for
 * what pipelining would give.  Each
 * table prints the median of several runs and the ratio to a baseline
 * measured in the same run, and a "metric NAME VALUE" line for each
 * figure bench/targets.txt names.
 *
 *   bench_pg DBNAME [RUNS]     RUNS >= 1 (default 5)
 *
 * The server is the one libpq's PGHOST, PGPORT and PGUSER name (bench/
 * run.sh runs this under tests/pg/with-server.sh, a private server);
 * DBNAME_gen, DBNAME_raw, DBNAME_pipe and DBNAME_gpipe are dropped and
 * made again.
 * Table 9.3 makes three runs for each asked (at most MAX_RUNS).
 * BENCH_PG_ONLY (e.g. "13": tables 9.1 and 9.3) picks tables;
 * BENCH_TARGETS_ONLY=1 leaves out the variants no target needs.
 *
 * The server shares the machine's cores with this program, and every
 * operation is a round trip between the two processes, so the scheduler
 * moves single runs by a factor of two on a loaded machine.  The sides
 * therefore take turns within each run (CHUNK operations each, or one
 * select), each side's turns timed and added up, and the figure a target
 * names is the median of the runs' own ratios.
 */
#include <libpq-fe.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "learning.h"
#include "schemac.h"

#define NROWS 20000
#define NTYPES 100          /* pattern types: NROWS / NTYPES rows each */
#define MAX_RUNS 50
/* Table 9.3's runs for RUNS asked: three times as many, at most MAX_RUNS
 * (a run takes a fraction of a second, and its ratio moves more). */
#define SELECT_RUNS(n) ((n) * 3 < MAX_RUNS ? (n) * 3 : MAX_RUNS)

#define CHUNK 500           /* operations per turn of a side */
#define NDBS 4              /* one database per side of the inserts */
_Static_assert(NROWS % CHUNK == 0, "whole turns");

static int nruns = 5;
/* The databases: [0] the generated API's, where the reads run too, [1]
 * the hand-written side's, [2] the pipelined side's, [3] the generated
 * pipelined batch's. */
static char conninfo[NDBS][300];
static PGconn *admin[NDBS]; /* truncates and fills between runs */
static bool filled;         /* database 0 holds the NROWS rows */
static bool targets_only;   /* BENCH_TARGETS_ONLY: skip reference variants */

/* ------------------------------------------------------------------ */
/* The statements, as a hand-written program would carry them: copied  */
/* from the generated learning.c's pg_statements (checked at start-up). */
/* ------------------------------------------------------------------ */

#define COLUMNS                                                         \
    "id, pattern_type, pattern_name, description, occurrence_count, "   \
    "first_seen, last_seen, last_confirmed, led_to_success_count, "     \
    "led_to_failure_count, effectiveness_score, variance, "             \
    "suggested_action, context_tags, priority_score, quarantine_status, " \
    "provenance_job_hash, provenance_sheet_num, quarantined_at, "       \
    "validated_at, quarantine_reason, trust_score, "                    \
    "trust_calculation_date, success_factors, "                         \
    "success_factors_updated_at, active, content_hash, instrument_name"

static const char insert_sql[] =
    "INSERT INTO patterns (" COLUMNS ") VALUES ($1, $2, $3, $4, "
    "coalesce($5, 1), $6, $7, $8, coalesce($9, 0), coalesce($10, 0), "
    "coalesce($11, 0.5), coalesce($12, 0.0), $13, $14, coalesce($15, 0.5), "
    "coalesce($16, 'pending'), $17, $18, $19, $20, $21, coalesce($22, 0.5), "
    "$23, $24, $25, coalesce($26, 1), $27, $28)";

static const char get_sql[] =
    "SELECT " COLUMNS " FROM patterns WHERE id = $1";

/* The three clauses of the select benchmark, and the statement the
 * runtime builds from them (placeholders in PostgreSQL's spelling). */
#define W1 "pattern_type = ?"
#define W2 "priority_score >= ?"
#define W3 "COALESCE(active, 1) = 1"
static const char select_sql[] =
    "SELECT " COLUMNS " FROM patterns WHERE (pattern_type = $1) AND "
    "(priority_score >= $2) AND (COALESCE(active, 1) = 1)";

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

/* Stop the benchmark with a message: a failed call makes every figure
 * meaningless. */
static void
die(const char *what, const char *why)
{
    fprintf(stderr, "bench_pg: %s: %s\n", what, why);
    exit(1);
}

/* A notice processor that drops the server's notices ("database ...
 * does not exist, skipping"). */
static void
quiet(void *arg, const char *msg)
{
    (void)arg;
    (void)msg;
}

/* Connect to database i as a hand-written program would, or die. */
static PGconn *
raw_open(int i)
{
    PGconn *conn = PQconnectdb(conninfo[i]);

    if (PQstatus(conn) != CONNECTION_OK)
        die("PQconnectdb", PQerrorMessage(conn));
    return conn;
}

/* Check res of a statement on conn, clear it, or die. */
static void
raw_check(PGconn *conn, PGresult *res, ExecStatusType want, const char *what)
{
    if (PQresultStatus(res) != want)
        die(what, PQerrorMessage(conn));
    PQclear(res);
}

/* Run sql on conn or die. */
static void
raw_exec(PGconn *conn, const char *sql)
{
    raw_check(conn, PQexec(conn, sql), PGRES_COMMAND_OK, sql);
}

/* Prepare sql on conn as statement name, or die. */
static void
raw_prepare(PGconn *conn, const char *name, const char *sql)
{
    raw_check(conn, PQprepare(conn, name, sql, 0, NULL), PGRES_COMMAND_OK,
              "PQprepare");
}

/* Open database i with the generated API. */
static sc_db *
gen_open(int i)
{
    sc_db *db;

    if (sc_open(&db, conninfo[i], &learning_schema, NULL) != SC_OK)
        die("sc_open", sc_errmsg(db));
    return db;
}

/* Empty the patterns table (and what references it) of every database:
 * a fresh table and fresh indexes for an insert run. */
static void
empty_tables(void)
{
    int i;

    filled = false;
    for (i = 0; i < NDBS; i++)
        raw_exec(admin[i], "TRUNCATE patterns CASCADE");
}

/* ------------------------------------------------------------------ */
/* Test data: NROWS patterns, built once, shared by every variant.    */
/* ------------------------------------------------------------------ */

#include "patterns.h"

/* ------------------------------------------------------------------ */
/* Hand-written parameters and reading of struct learning_patterns     */
/* ------------------------------------------------------------------ */

#define NCOLS 28

/* The text parameters of one insert; numbers written into num. */
struct raw_params {
    const char *v[NCOLS];
    char num[NCOLS][32];
};

/* Parameter i: text v (NULL: SQL NULL). */
static void
par_text(struct raw_params *p, int i, const char *v)
{
    p->v[i] = v;
}

/* Parameter i: v as decimal text, or NULL when has is false. */
static void
par_int(struct raw_params *p, int i, bool has, int64_t v)
{
    if (!has) {
        p->v[i] = NULL;
        return;
    }
    snprintf(p->num[i], sizeof p->num[i], "%lld", (long long)v);
    p->v[i] = p->num[i];
}

/* Parameter i: v with 17 significant digits, or NULL when has is false. */
static void
par_real(struct raw_params *p, int i, bool has, double v)
{
    if (!has) {
        p->v[i] = NULL;
        return;
    }
    snprintf(p->num[i], sizeof p->num[i], "%.17g", v);
    p->v[i] = p->num[i];
}

/* Every column of r as the insert's parameters, in order. */
static void
raw_params_pattern(struct raw_params *p, const struct learning_patterns *r)
{
    par_text(p, 0, r->id);
    par_text(p, 1, r->pattern_type);
    par_text(p, 2, r->pattern_name);
    par_text(p, 3, r->description);
    par_int(p, 4, r->has_occurrence_count, r->occurrence_count);
    par_text(p, 5, r->first_seen);
    par_text(p, 6, r->last_seen);
    par_text(p, 7, r->last_confirmed);
    par_int(p, 8, r->has_led_to_success_count, r->led_to_success_count);
    par_int(p, 9, r->has_led_to_failure_count, r->led_to_failure_count);
    par_real(p, 10, r->has_effectiveness_score, r->effectiveness_score);
    par_real(p, 11, r->has_variance, r->variance);
    par_text(p, 12, r->suggested_action);
    par_text(p, 13, r->context_tags);
    par_real(p, 14, r->has_priority_score, r->priority_score);
    par_text(p, 15, r->quarantine_status);
    par_text(p, 16, r->provenance_job_hash);
    par_int(p, 17, r->has_provenance_sheet_num, r->provenance_sheet_num);
    par_text(p, 18, r->quarantined_at);
    par_text(p, 19, r->validated_at);
    par_text(p, 20, r->quarantine_reason);
    par_real(p, 21, r->has_trust_score, r->trust_score);
    par_text(p, 22, r->trust_calculation_date);
    par_text(p, 23, r->success_factors);
    par_text(p, 24, r->success_factors_updated_at);
    par_int(p, 25, r->has_active, r->active);
    par_text(p, 26, r->content_hash);
    par_text(p, 27, r->instrument_name);
}

/* Column c of row r of res as text: a malloc'd copy when copy is set,
 * else lent from res; NULL for SQL NULL. */
static const char *
col_text(const PGresult *res, int r, int c, bool copy)
{
    const char *p;
    size_t n;
    char *q;

    if (PQgetisnull(res, r, c))
        return NULL;
    p = PQgetvalue(res, r, c);
    if (!copy)
        return p;
    n = (size_t)PQgetlength(res, r, c);
    if ((q = malloc(n + 1)) == NULL)
        die("col_text", "out of memory");
    memcpy(q, p, n + 1);
    return q;
}

#define COL_INT(res, r, c, row, m) do {                                 \
        (row)->has_##m = !PQgetisnull(res, r, c);                       \
        (row)->m = (row)->has_##m                                       \
            ? strtoll(PQgetvalue(res, r, c), NULL, 10) : 0;             \
    } while (0)
#define COL_REAL(res, r, c, row, m) do {                                \
        (row)->has_##m = !PQgetisnull(res, r, c);                       \
        (row)->m = (row)->has_##m                                       \
            ? strtod(PQgetvalue(res, r, c), NULL) : 0.0;                \
    } while (0)

/* Read the 28 columns of row r of res into row (text copied when copy). */
static void
raw_read_pattern(const PGresult *res, int r, struct learning_patterns *row,
                 bool copy)
{
    row->id = col_text(res, r, 0, copy);
    row->pattern_type = col_text(res, r, 1, copy);
    row->pattern_name = col_text(res, r, 2, copy);
    row->description = col_text(res, r, 3, copy);
    COL_INT(res, r, 4, row, occurrence_count);
    row->first_seen = col_text(res, r, 5, copy);
    row->last_seen = col_text(res, r, 6, copy);
    row->last_confirmed = col_text(res, r, 7, copy);
    COL_INT(res, r, 8, row, led_to_success_count);
    COL_INT(res, r, 9, row, led_to_failure_count);
    COL_REAL(res, r, 10, row, effectiveness_score);
    COL_REAL(res, r, 11, row, variance);
    row->suggested_action = col_text(res, r, 12, copy);
    row->context_tags = col_text(res, r, 13, copy);
    COL_REAL(res, r, 14, row, priority_score);
    row->quarantine_status = col_text(res, r, 15, copy);
    row->provenance_job_hash = col_text(res, r, 16, copy);
    COL_INT(res, r, 17, row, provenance_sheet_num);
    row->quarantined_at = col_text(res, r, 18, copy);
    row->validated_at = col_text(res, r, 19, copy);
    row->quarantine_reason = col_text(res, r, 20, copy);
    COL_REAL(res, r, 21, row, trust_score);
    row->trust_calculation_date = col_text(res, r, 22, copy);
    row->success_factors = col_text(res, r, 23, copy);
    row->success_factors_updated_at = col_text(res, r, 24, copy);
    COL_INT(res, r, 25, row, active);
    row->content_hash = col_text(res, r, 26, copy);
    row->instrument_name = col_text(res, r, 27, copy);
}

/*
 * Make the benchmark's databases afresh (DBNAME_gen, DBNAME_raw,
 * DBNAME_pipe, DBNAME_gpipe), create the schema in each with sc_open,
 * and check that the copied statements are the generated ones, so both
 * sides run the same SQL.  The select's text is built by the runtime per call from the
 * where clauses: its clauses are checked against sc_where_sql() here.
 */
static void
setup(const char *dbname)
{
    static const char *const suffix[NDBS] = { "gen", "raw", "pipe",
                                              "gpipe" };
    const char *const *st = learning_schema.pg_statements;
    sc_where w = SC_WHERE_INIT;
    char sql[256], sel[1024];
    PGconn *conn = PQconnectdb("dbname=postgres");
    int i;

    if (PQstatus(conn) != CONNECTION_OK) {
        PQfinish(conn);
        conn = PQconnectdb("");         /* PGDATABASE's */
    }
    if (PQstatus(conn) != CONNECTION_OK)
        die("PQconnectdb", PQerrorMessage(conn));
    PQsetNoticeProcessor(conn, quiet, NULL);
    for (i = 0; i < NDBS; i++) {
        snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS \"%s_%s\"",
                 dbname, suffix[i]);
        raw_exec(conn, sql);
        snprintf(sql, sizeof sql, "CREATE DATABASE \"%s_%s\"", dbname,
                 suffix[i]);
        raw_exec(conn, sql);
        snprintf(conninfo[i], sizeof conninfo[i], "dbname=%s_%s", dbname,
                 suffix[i]);
        sc_close(gen_open(i));          /* creates the schema */
        admin[i] = raw_open(i);
    }
    PQfinish(conn);
    if (st == NULL
        || strcmp(st[learning_patterns_table.stmt_insert], insert_sql) != 0)
        die("check", "insert_sql differs from the generated insert");
    if (strcmp(st[learning_patterns_table.stmt_get], get_sql) != 0)
        die("check", "get_sql differs from the generated get");
    sc_where_add(&w, W1, 1, sc_text("x"));
    sc_where_add(&w, W2, 1, sc_real(0.0));
    sc_where_add(&w, W3, 0);
    snprintf(sel, sizeof sel, "%s WHERE (pattern_type = $1) AND "
             "(priority_score >= $2) AND (COALESCE(active, 1) = 1)",
             learning_patterns_table.select_sql);
    if (strcmp(sc_where_sql(&w), "(" W1 ") AND (" W2 ") AND (" W3 ")") != 0
        || strcmp(sel, select_sql) != 0)
        die("check", "select_sql differs from what the runtime builds");
    sc_where_fini(&w);
}

/* ------------------------------------------------------------------ */
/* Reporting                                                           */
/* ------------------------------------------------------------------ */

struct variant {
    const char *name;
    double secs[MAX_RUNS];      /* wall time of each run */
    double cpu[MAX_RUNS];       /* this process's CPU time of each run */
    double median, min, max, cpu_median;
};

/* Seconds of CPU this process has used (the client's share of the work;
 * the server's is not in it). */
static double
cpu_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Add the wall and CPU time since t0 and c0 to run r of v. */
static void
turn_end(struct variant *v, int r, double t0, double c0)
{
    v->secs[r] += bench_now() - t0;
    v->cpu[r] += cpu_now() - c0;
}

/* Sort v's runs and take median, min and max, and the median CPU time. */
static void
summarise(struct variant *v)
{
    v->cpu_median = bench_median(v->cpu, nruns);
    v->median = bench_median(v->secs, nruns);
    v->min = v->secs[0];
    v->max = v->secs[nruns - 1];
}

/* The median over the runs of num's time divided by den's time in the
 * same run; call it before summarise() sorts the runs. */
static double
paired_ratio(const struct variant *num, const struct variant *den)
{
    double r[MAX_RUNS];
    int i;

    for (i = 0; i < nruns; i++)
        r[i] = num->secs[i] / den->secs[i];
    return bench_median(r, nruns);
}

/* Print a table of nv variants over nops operations each; the ratio is
 * of the medians to variant base's (the metric is the paired one); the
 * last column is the client's median CPU time per operation. */
static void
report(struct variant *v, int nv, int base, long nops)
{
    int i;

    for (i = 0; i < nv; i++)
        summarise(&v[i]);
    printf("   %-44s %9s %8s %8s %8s %6s %10s\n", "variant", "median ms",
           "min ms", "max ms", "us/op", "ratio", "client CPU");
    for (i = 0; i < nv; i++)
        printf("   %-44s %9.1f %8.1f %8.1f %8.2f %6.3f %7.2f us%s\n",
               v[i].name, v[i].median * 1e3, v[i].min * 1e3, v[i].max * 1e3,
               v[i].median * 1e6 / (double)nops, v[i].median / v[base].median,
               v[i].cpu_median * 1e6 / (double)nops,
               i == base ? "  (baseline)" : "");
}

/* ------------------------------------------------------------------ */
/* 9.1 Inserts in one batch                                            */
/* ------------------------------------------------------------------ */

/* The sides of the insert benchmark, each on its own database. */
enum { INS_RAW, INS_GEN, INS_PIPE, INS_GEN_PIPE };

struct ins_sides {
    PGconn *raw;        /* database 1: PQexecPrepared per row */
    sc_db *gen;         /* database 0: learning_patterns_insert */
    PGconn *pipe;       /* database 2: pipeline mode */
    sc_db *gpipe;       /* database 3: the same in a pipelined batch */
};

/* The steps of one side's batch. */
enum { STEP_BEGIN, STEP_ROWS, STEP_COMMIT };

/* Send rows [from, to) in pipeline mode, one PQsendQueryPrepared each,
 * then one sync, and read every result.  In blocking mode libpq reads
 * the server's replies while it waits to send, so the server never
 * stalls on a full socket. */
static void
pipe_rows(PGconn *conn, int from, int to)
{
    struct raw_params p;
    PGresult *res;
    int i, ndone = 0;

    for (i = from; i < to; i++) {
        raw_params_pattern(&p, &rows[i]);
        if (PQsendQueryPrepared(conn, "ins", NCOLS, p.v, NULL, NULL, 0)
            != 1)
            die("PQsendQueryPrepared", PQerrorMessage(conn));
    }
    if (PQpipelineSync(conn) != 1)
        die("PQpipelineSync", PQerrorMessage(conn));
    /* Each insert gives its result, then NULL; then comes the sync's. */
    for (;;) {
        if ((res = PQgetResult(conn)) == NULL)
            continue;
        if (PQresultStatus(res) == PGRES_PIPELINE_SYNC) {
            PQclear(res);
            break;
        }
        if (PQresultStatus(res) != PGRES_COMMAND_OK)
            die("pipelined insert", PQresultErrorMessage(res));
        PQclear(res);
        ndone++;
    }
    if (ndone != to - from)
        die("pipelined insert", "results missing");
}

/* Step step of side side (rows [from, to) for STEP_ROWS). */
static void
ins_step(struct ins_sides *x, int side, int step, int from, int to)
{
    struct raw_params p;
    int i, rc = SC_OK;

    switch (side * 3 + step) {
    case INS_GEN * 3 + STEP_BEGIN:
        rc = sc_batch_begin(x->gen);
        break;
    case INS_GEN * 3 + STEP_ROWS:
        for (i = from; rc == SC_OK && i < to; i++)
            rc = learning_patterns_insert(x->gen, &rows[i]);
        break;
    case INS_GEN * 3 + STEP_COMMIT:
        rc = sc_batch_end(x->gen, SC_OK);
        break;
    case INS_GEN_PIPE * 3 + STEP_BEGIN:
        if (sc_batch_begin_pipelined(x->gpipe) != SC_OK)
            die("pipelined batch", sc_errmsg(x->gpipe));
        break;
    case INS_GEN_PIPE * 3 + STEP_ROWS:
        for (i = from; i < to; i++)
            if (learning_patterns_insert(x->gpipe, &rows[i]) != SC_OK)
                die("pipelined insert", sc_errmsg(x->gpipe));
        /* A turn ends with its rows done, as the hand-written side's
         * sync does: a nested level opened and kept waits for them (and
         * costs two round trips more). */
        if (sc_batch_begin(x->gpipe) != SC_OK
            || sc_batch_commit(x->gpipe) != SC_OK)
            die("pipelined insert", sc_errmsg(x->gpipe));
        break;
    case INS_GEN_PIPE * 3 + STEP_COMMIT:
        if (sc_batch_end(x->gpipe, SC_OK) != SC_OK)
            die("pipelined batch", sc_errmsg(x->gpipe));
        break;
    case INS_RAW * 3 + STEP_BEGIN:
        raw_exec(x->raw, "BEGIN");
        raw_prepare(x->raw, "ins", insert_sql);
        break;
    case INS_RAW * 3 + STEP_ROWS:
        for (i = from; i < to; i++) {
            raw_params_pattern(&p, &rows[i]);
            raw_check(x->raw, PQexecPrepared(x->raw, "ins", NCOLS, p.v,
                                             NULL, NULL, 0),
                      PGRES_COMMAND_OK, "raw insert");
        }
        break;
    case INS_RAW * 3 + STEP_COMMIT:
        raw_exec(x->raw, "COMMIT");
        break;
    case INS_PIPE * 3 + STEP_BEGIN:
        raw_exec(x->pipe, "BEGIN");
        raw_prepare(x->pipe, "ins", insert_sql);
        if (PQenterPipelineMode(x->pipe) != 1)
            die("PQenterPipelineMode", PQerrorMessage(x->pipe));
        break;
    case INS_PIPE * 3 + STEP_ROWS:
        pipe_rows(x->pipe, from, to);
        break;
    case INS_PIPE * 3 + STEP_COMMIT:
        if (PQexitPipelineMode(x->pipe) != 1)
            die("PQexitPipelineMode", PQerrorMessage(x->pipe));
        raw_exec(x->pipe, "COMMIT");
        break;
    }
    if (rc != SC_OK)
        die("generated insert", sc_errmsg(x->gen));
}

/*
 * Table 9.1: in each run every side inserts the NROWS rows into its own
 * empty table in one batch, the sides taking turns of CHUNK rows (the
 * order rotating per turn and per run), each side's turns timed and
 * added up, from its begin to its commit.  Connecting is not timed.
 */
static void
bench_inserts(void)
{
    struct variant v[4] = {
        { .name = "hand-written libpq, prepared once" },
        { .name = "generated learning_patterns_insert" },
        { .name = "hand-written libpq, pipeline mode" },
        { .name = "generated, sc_batch_begin_pipelined" },
    };
    int nv = targets_only ? 2 : 4;
    struct ins_sides x;
    double ratio, t0, c0;
    int r, c, k, j, step;

    printf("\n9.1 %d inserts into patterns in one batch (BEGIN .. COMMIT), "
           "each side on its\n    own database, empty table each run "
           "(TRUNCATE); the sides take turns of %d\n    inserts; timed from "
           "begin to commit\n", NROWS, CHUNK);
    for (r = 0; r < nruns; r++) {
        empty_tables();
        x.raw = raw_open(1);
        x.gen = gen_open(0);
        x.pipe = nv > 2 ? raw_open(2) : NULL;
        x.gpipe = nv > 3 ? gen_open(3) : NULL;
        for (j = 0; j < nv; j++)
            v[j].secs[r] = v[j].cpu[r] = 0;
        for (c = -1; c <= NROWS / CHUNK; c++) {
            step = c < 0 ? STEP_BEGIN : c < NROWS / CHUNK ? STEP_ROWS
                                                          : STEP_COMMIT;
            for (k = 0; k < nv; k++) {
                j = (k + c + 1 + r) % nv;
                t0 = bench_now(), c0 = cpu_now();
                ins_step(&x, j, step, c * CHUNK, (c + 1) * CHUNK);
                turn_end(&v[j], r, t0, c0);
            }
        }
        PQfinish(x.raw);
        sc_close(x.gen);
        PQfinish(x.pipe);
        sc_close(x.gpipe);
    }
    ratio = paired_ratio(&v[1], &v[0]);
    if (nv > 2)
        printf("    pipelined against one round trip per insert: %.3f "
               "(median of per-run ratios;\n    one sync per turn of %d "
               "inserts); generated pipelined against hand-written\n"
               "    pipelined: %.3f\n", paired_ratio(&v[2], &v[0]), CHUNK,
               paired_ratio(&v[3], &v[2]));
    report(v, nv, 0, NROWS);
    bench_metric("pg_insert_batch_ratio", ratio, nruns);
}

/* ------------------------------------------------------------------ */
/* 9.2 Gets by primary key                                             */
/* ------------------------------------------------------------------ */

/* Fill database 0 with the NROWS rows (for the read benchmarks) unless
 * it holds them, and VACUUM ANALYZE it so the plans are the usual ones. */
static void
fill_table(void)
{
    sc_db *db;
    int i, rc;

    if (filled)
        return;
    empty_tables();
    db = gen_open(0);
    rc = sc_batch_begin(db);
    for (i = 0; rc == SC_OK && i < NROWS; i++)
        rc = learning_patterns_insert(db, &rows[i]);
    if ((rc = sc_batch_end(db, rc)) != SC_OK)
        die("fill", sc_errmsg(db));
    sc_close(db);
    raw_exec(admin[0], "VACUUM ANALYZE patterns");
    filled = true;
}

/* Ours: the gets of order_rand[from .. to). */
static void
gen_gets(sc_db *db, int from, int to)
{
    struct learning_patterns out;
    int i, k, rc;

    for (i = from; i < to; i++) {
        k = order_rand[i];
        if ((rc = learning_patterns_get(db, ids[k], &out)) != SC_OK)
            die("generated get", sc_errmsg(db));
        if (strcmp(out.pattern_name, names[k]) != 0)
            die("generated get", "wrong row");
        learning_patterns_free(&out);
    }
}

/* Hand-written: the same gets (statement "get" prepared once,
 * PQexecPrepared), filling the struct with malloc'd copies as the
 * generated get does. */
static void
raw_gets(PGconn *conn, int from, int to)
{
    struct learning_patterns out;
    const char *key;
    PGresult *res;
    int i, k;

    for (i = from; i < to; i++) {
        k = order_rand[i];
        key = ids[k];
        res = PQexecPrepared(conn, "get", 1, &key, NULL, NULL, 0);
        if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1)
            die("raw get", PQerrorMessage(conn));
        memset(&out, 0, sizeof out);
        raw_read_pattern(res, 0, &out, true);
        PQclear(res);
        if (strcmp(out.pattern_name, names[k]) != 0)
            die("raw get", "wrong row");
        raw_free_pattern(&out);
    }
}

/*
 * Run r of one pair of table 9.2 into raw and gen: both sides get every
 * row on database 0 in turns of CHUNK gets (the first side alternating),
 * inside one batch each when batch is set (begin and commit timed).
 */
static void
gets_run(struct variant *raw, struct variant *gen, int r, bool batch)
{
    PGconn *conn = raw_open(0);
    sc_db *db = gen_open(0);
    double t0, c0;
    int c, k, first;

    raw->secs[r] = gen->secs[r] = raw->cpu[r] = gen->cpu[r] = 0;
    t0 = bench_now(), c0 = cpu_now();
    if (batch)
        raw_exec(conn, "BEGIN");
    raw_prepare(conn, "get", get_sql);
    turn_end(raw, r, t0, c0);
    t0 = bench_now(), c0 = cpu_now();
    if (batch && sc_batch_begin(db) != SC_OK)
        die("generated get", sc_errmsg(db));
    turn_end(gen, r, t0, c0);
    for (c = 0; c < NROWS / CHUNK; c++) {
        first = (c + r) % 2;
        for (k = 0; k < 2; k++) {
            t0 = bench_now(), c0 = cpu_now();
            if (k == first)
                raw_gets(conn, c * CHUNK, (c + 1) * CHUNK);
            else
                gen_gets(db, c * CHUNK, (c + 1) * CHUNK);
            turn_end(k == first ? raw : gen, r, t0, c0);
        }
    }
    if (batch) {
        t0 = bench_now(), c0 = cpu_now();
        raw_exec(conn, "COMMIT");
        turn_end(raw, r, t0, c0);
        t0 = bench_now(), c0 = cpu_now();
        if (sc_batch_end(db, SC_OK) != SC_OK)
            die("generated get", sc_errmsg(db));
        turn_end(gen, r, t0, c0);
    }
    PQfinish(conn);
    sc_close(db);
}

/* Table 9.2: outside and inside a batch, each run, and the report. */
static void
bench_gets(void)
{
    struct variant v[4] = {
        { .name = "hand-written, outside a batch" },
        { .name = "generated get, outside a batch" },
        { .name = "hand-written, inside a batch" },
        { .name = "generated get, inside a batch" },
    };
    double outside, inside;
    int r;

    printf("\n9.2 %d gets by primary key (16-hex-char text ids) in random "
           "order, %d rows\n    in the table; each get fills a struct with "
           "malloc'd copies; the sides take\n    turns of %d gets\n", NROWS,
           NROWS, CHUNK);
    fill_table();
    for (r = 0; r < nruns; r++) {
        gets_run(&v[0], &v[1], r, false);
        gets_run(&v[2], &v[3], r, true);
    }
    outside = paired_ratio(&v[1], &v[0]);
    inside = paired_ratio(&v[3], &v[2]);
    printf("    outside a batch (each get its own transaction):\n");
    report(v, 2, 0, NROWS);
    bench_metric("pg_get_ratio_outside_batch", outside, nruns);
    printf("    inside one batch:\n");
    report(v + 2, 2, 0, NROWS);
    bench_metric("pg_get_ratio_inside_batch", inside, nruns);
}

/* ------------------------------------------------------------------ */
/* 9.3 Selects with a three-clause where                               */
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

/* Ours: the select of type q with sc_where. */
static void
gen_select(sc_db *db, int q)
{
    struct tally tl = { 0, 0 };
    sc_where w = SC_WHERE_INIT;
    int rc;

    sc_where_add(&w, W1, 1, sc_text(types[q]));
    sc_where_add(&w, W2, 1, sc_real(0.0));
    sc_where_add(&w, W3, 0);
    rc = learning_patterns_select(db, &w, NULL, 0, -1, 0, tally_row, &tl);
    sc_where_fini(&w);
    if (rc != SC_OK)
        die("generated select", sc_errmsg(db));
    if (tl.rows != NROWS / NTYPES)
        die("generated select", "wrong row count");
}

/* Hand-written: the same query of type q (statement "sel" prepared
 * once; with unprepared, the text sent with the values per call, as the
 * runtime sends a filter between other statements), each row read into
 * a struct lent to the callback; with copy, the text copied into it and
 * freed after the callback. */
static void
raw_select(PGconn *conn, int q, bool copy, bool unprepared)
{
    struct learning_patterns row;
    struct tally tl = { 0, 0 };
    const char *par[2];
    PGresult *res;
    int r, n;

    par[0] = types[q];
    par[1] = "0";
    if (unprepared)
        res = PQexecParams(conn, select_sql, 2, NULL, par, NULL, NULL, 0);
    else
        res = PQexecPrepared(conn, "sel", 2, par, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK)
        die("raw select", PQerrorMessage(conn));
    n = PQntuples(res);
    for (r = 0; r < n; r++) {
        memset(&row, 0, sizeof row);
        raw_read_pattern(res, r, &row, copy);
        tally_row(&row, &tl);
        if (copy)
            raw_free_pattern(&row);
    }
    PQclear(res);
    if (tl.rows != NROWS / NTYPES)
        die("raw select", "wrong row count");
}

/*
 * Table 9.3: each run, every side runs the NTYPES selects on database 0,
 * the sides taking turns of one select (the order rotating), and the
 * report.  The target's baseline is the hand-written statement with
 * custom plans (plan_cache_mode = force_custom_plan on its connection):
 * with the default plan cache a statement prepared once switches to a
 * generic plan after five runs, and for this query that plan (a BitmapAnd
 * with the index on priority_score, which matches every row) is slower
 * than the custom plan the runtime's statement gets.  That variant is
 * shown too, with two more: the text copied, and the statement sent with
 * its values per call (PQexecParams), as the runtime once sent it.
 */
static void
bench_selects(void)
{
    struct variant v[5] = {
        { .name = "hand-written, prepared once, custom plans" },
        { .name = "generated select with sc_where" },
        { .name = "hand-written, prepared once, default plans" },
        { .name = "hand-written, custom plans, text copied" },
        { .name = "hand-written, PQexecParams per call" },
    };
    int nv = targets_only ? 2 : 5;
    int runs_given = nruns;
    PGconn *conn[5] = { NULL, NULL, NULL, NULL, NULL };
    double ratio, t0, c0;
    sc_db *db;
    int r, q, k, j;

    /* A run is short and its ratio noisy: three runs for each asked. */
    nruns = SELECT_RUNS(nruns);
    printf("\n9.3 %d selects of %d rows each: WHERE %s AND %s AND %s\n"
           "    (index on pattern_type); rows lent to a callback; the sides "
           "take turns\n    of one select; %d runs\n", NTYPES, NROWS / NTYPES,
           W1, W2, W3, nruns);
    fill_table();
    for (r = 0; r < nruns; r++) {
        db = gen_open(0);
        for (j = 0; j < nv; j++) {
            v[j].secs[r] = v[j].cpu[r] = 0;
            if (j == 1)
                continue;
            conn[j] = raw_open(0);
            if (j == 4)
                continue;               /* unnamed: planned per call */
            if (j != 2)
                raw_exec(conn[j], "SET plan_cache_mode = force_custom_plan");
            t0 = bench_now(), c0 = cpu_now();
            raw_prepare(conn[j], "sel", select_sql);
            turn_end(&v[j], r, t0, c0);
        }
        for (q = 0; q < NTYPES; q++) {
            for (k = 0; k < nv; k++) {
                j = (k + q + r) % nv;
                t0 = bench_now(), c0 = cpu_now();
                if (j == 1)
                    gen_select(db, q);
                else
                    raw_select(conn[j], q, j == 3, j == 4);
                turn_end(&v[j], r, t0, c0);
            }
        }
        for (j = 0; j < nv; j++) {
            PQfinish(conn[j]);
            conn[j] = NULL;
        }
        sc_close(db);
    }
    ratio = paired_ratio(&v[1], &v[0]);
    if (nv > 2) {
        printf("    generated against hand-written with default plans: %.3f; "
               "against custom\n    plans with the text copied: %.3f; "
               "against PQexecParams per call: %.3f\n    (medians of "
               "per-run ratios)\n", paired_ratio(&v[1], &v[2]),
               paired_ratio(&v[1], &v[3]), paired_ratio(&v[1], &v[4]));
    }
    report(v, nv, 0, NTYPES);
    printf("    (us/op is per select of %d rows)\n", NROWS / NTYPES);
    bench_metric("pg_select_ratio", ratio, nruns);
    nruns = runs_given;
}

/* ------------------------------------------------------------------ */
/* 9.4 Gets and selects in turn                                        */
/* ------------------------------------------------------------------ */

/*
 * Table 9.4: what a get and a filtered select cost the runtime when the
 * two alternate (no plan_cache_mode change, see runtime/pg.c).  Each run, each side
 * does NTYPES rounds of one get (a row in random order) and one select
 * of 200 rows, the sides taking turns of a round.  The hand-written side
 * is what suits this mix best: the get prepared once, the select sent
 * with its text (PQexecParams, planned for its values each time, with
 * no mode to change), as the runtime sends a filter between other
 * statements.
 */
static void
bench_mixed(void)
{
    struct variant v[2] = {
        { .name = "hand-written, get prepared, select per call" },
        { .name = "generated get and select" },
    };
    int runs_given = nruns;
    PGconn *conn;
    double t0, c0;
    sc_db *db;
    int r, q, k, j;

    nruns = SELECT_RUNS(nruns);
    printf("\n9.4 %d rounds of one get and one select of %d rows (as in "
           "9.2 and 9.3); the\n    sides take turns of a round; %d runs\n",
           NTYPES, NROWS / NTYPES, nruns);
    fill_table();
    for (r = 0; r < nruns; r++) {
        /* Which side connects first moved this table by 15%: in turn. */
        if (r % 2 == 0)
            db = gen_open(0), conn = raw_open(0);
        else
            conn = raw_open(0), db = gen_open(0);
        v[0].secs[r] = v[0].cpu[r] = v[1].secs[r] = v[1].cpu[r] = 0;
        t0 = bench_now(), c0 = cpu_now();
        raw_prepare(conn, "get", get_sql);
        turn_end(&v[0], r, t0, c0);
        for (q = 0; q < NTYPES; q++) {
            for (k = 0; k < 2; k++) {
                j = (k + q + r) % 2;
                t0 = bench_now(), c0 = cpu_now();
                if (j == 1) {
                    gen_gets(db, q * 7 % NROWS, q * 7 % NROWS + 1);
                    gen_select(db, q);
                } else {
                    raw_gets(conn, q * 7 % NROWS, q * 7 % NROWS + 1);
                    raw_select(conn, q, false, true);
                }
                turn_end(&v[j], r, t0, c0);
            }
        }
        PQfinish(conn);
        sc_close(db);
    }
    report(v, 2, 0, NTYPES);
    printf("    (us/op is per round of a get and a select)\n");
    bench_metric("pg_mixed_ratio", paired_ratio(&v[1], &v[0]), nruns);
    nruns = runs_given;
}

/* bench_pg DBNAME [RUNS]: make the rows and the databases, check the
 * copied SQL, run the tables BENCH_PG_ONLY names (all by default).  Exit
 * status 1 on a failure. */
int
main(int argc, char **argv)
{
    const char *only = getenv("BENCH_PG_ONLY");
    const char *t_only = getenv("BENCH_TARGETS_ONLY");
    const char *version;
    PGresult *res;
    int i;

    if (argc < 2) {
        fprintf(stderr, "usage: bench_pg DBNAME [RUNS]\n");
        return 2;
    }
    if (argc > 2)
        nruns = atoi(argv[2]);
    if (nruns < 1 || nruns > MAX_RUNS) {
        fprintf(stderr, "bench_pg: RUNS must be 1..%d\n", MAX_RUNS);
        return 2;
    }
    targets_only = t_only != NULL && strcmp(t_only, "0") != 0;
    make_rows();
    setup(argv[1]);
    res = PQexec(admin[0], "SELECT version(), "
                 "current_setting('shared_buffers'), "
                 "current_setting('synchronous_commit'), "
                 "current_setting('fsync')");
    if (PQresultStatus(res) != PGRES_TUPLES_OK)
        die("version", PQerrorMessage(admin[0]));
    version = PQgetvalue(res, 0, 0);
    printf("Runtime benchmarks on PostgreSQL: %.*s\n"
           "server on this machine over a unix socket (shared_buffers %s, "
           "synchronous_commit %s,\nfsync %s); libpq %d; databases %s_*; "
           "median of %d runs (9.3: %d)\n",
           (int)(strstr(version, " on ") ? strstr(version, " on ") - version
                 : (ptrdiff_t)strlen(version)),
           version, PQgetvalue(res, 0, 1),
           PQgetvalue(res, 0, 2), PQgetvalue(res, 0, 3), PQlibVersion(),
           argv[1], nruns, SELECT_RUNS(nruns));
    PQclear(res);
    if (only == NULL || strchr(only, '1'))
        bench_inserts();
    if (only == NULL || strchr(only, '2'))
        bench_gets();
    if (only == NULL || strchr(only, '3'))
        bench_selects();
    if (!targets_only && (only == NULL || strchr(only, '4')))
        bench_mixed();
    for (i = 0; i < NDBS; i++)
        PQfinish(admin[i]);
    return 0;
}
