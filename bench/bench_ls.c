/*
 * bench_ls.c - the learning store's operations (learnstore.h) on one
 * file: each read against the Python store's access pattern, which
 * bench/ls_python.py runs in a child process in the same run on the same
 * file, and each write against a hand-written single-statement commit on
 * the same connection.  Prints a table per group, and the "metric NAME
 * VALUE" lines bench/targets.txt names.
 *
 *   bench_ls DIR SCRIPT [RUNS]     scratch file in DIR; SCRIPT is
 *                                  ls_python.py; RUNS >= 1 (default 5)
 *
 * PYTHON names the interpreter (default python3).  Ours opens the store
 * once (ls_open: journal_mode=WAL, foreign_keys=ON, busy_timeout=30000,
 * SQLite's default synchronous=FULL) and keeps it open for the whole run,
 * as a program using the library does; the Python pattern connects with
 * the same pragmas for every call, as the Python store does.
 */
#include <errno.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "learnstore.h"

#define MAX_RUNS 50

/* The store's contents: sizes of a store some months old. */
#define NPATTERNS 2000
#define NTYPES 20
#define NDRIFTING 200           /* patterns with 10 to 29 applications */
#define NFACTORS 500            /* patterns with success factors */
#define NEXECUTIONS 10000
#define NJOBS 200
#define NWORKSPACES 100
#define NRECOVERIES 5000
#define NCODES 10
#define NRATELIMITS 200         /* half of them expired */
#define NESCALATIONS 2000
#define NBUDGETS 2000
#define NBUDGET_JOBS 50
#define NRESPONSES 100
#define NENTROPY 200
#define NDISCOVERIES 300
#define NCLUSTERS 100

/* Time per side per run: reads are cheap and steady, a commit waits for
 * the disk, so writes get more. */
#define READ_BUDGET_MS 40
#define WRITE_BUDGET_MS 120
#define WRITE_CHUNK 8           /* calls per side before the other's turn */
#define PY_WRITE_RUNS 3         /* the Python pattern's writes: context */

static int nruns = 5;
static char db_file[512];
static char pattern_ids[NPATTERNS][LS_HASH_HEX];
static char job_hashes[NJOBS][LS_HASH_HEX];
static char ws_hashes[NWORKSPACES][LS_HASH_HEX];
static char esc_ids[NESCALATIONS][LS_UUID_LEN];
static struct ls_pattern_entropy entropy_snapshot;
static const char *const models[] = { "model-a", "model-b", "model-c" };
static const char *const retry_tag[] = { "retry" };

/* Stop the benchmark with a message: a failed call makes every figure
 * meaningless. */
static _Noreturn void
die(const char *what, const char *why)
{
    fprintf(stderr, "bench_ls: %s: %s\n", what, why);
    exit(1);
}

/* Die naming what when rc is not SC_OK. */
static void
check(sc_db *db, int rc, const char *what)
{
    if (rc != SC_OK)
        die(what, sc_errmsg(db));
}

/* ------------------------------------------------------------------ */
/* The store's contents, written through the library in one batch     */
/* ------------------------------------------------------------------ */

/* The type, name and description of pattern p (into the buffers). */
static void
pattern_text(int p, char type[16], char name[32], char desc[96])
{
    snprintf(type, 16, "type-%02d", p % NTYPES);
    snprintf(name, 32, "pattern name %d", p);
    snprintf(desc, 96, "When step %d fails with a timeout, retry it after "
             "%d seconds.", p, p % 60);
}

/* NPATTERNS patterns, tags varying; their ids into pattern_ids. */
static void
fill_patterns(sc_db *db)
{
    static const char *const tags[3][2] = {
        { "retry", "timeout" }, { "auth", NULL }, { "retry", NULL } };
    char type[16], name[32], desc[96];
    int p;

    for (p = 0; p < NPATTERNS; p++) {
        struct ls_pattern_input in = { 0 };
        pattern_text(p, type, name, desc);
        in.pattern_type = type;
        in.pattern_name = name;
        in.description = desc;
        in.context_tags = tags[p % 3];
        in.ncontext_tags = p % 3 == 0 ? 2 : 1;
        in.suggested_action = "Wait, then retry";
        check(db, ls_record_pattern(db, &in, pattern_ids[p]), "pattern");
    }
}

/* Applications: the first NDRIFTING patterns 10 to 29 each (enough for
 * drift), the rest 0 to 3; then success factors, quarantine and trust. */
static void
fill_applications(sc_db *db)
{
    static const char *const vtypes[] = { "file", "regex" };
    static const char *const cats[] = { "rate_limit" };
    int p, k, n;

    for (p = 0; p < NPATTERNS; p++) {
        n = p < NDRIFTING ? 10 + p % 20 : p % 4;
        for (k = 0; k < n; k++) {
            double g = 0.5 + (double)((k + p) % 5) / 10.0;
            check(db, ls_record_pattern_application(db, pattern_ids[p],
                  "execution", (k * 7 + p) % 3 != 0, 0, k % 2, &g, NULL,
                  NULL), "application");
        }
    }
    for (p = 0; p < NFACTORS; p++) {
        struct ls_factor_update u = { vtypes, 2, cats, 1, "completed", 0,
                                      false, NULL };
        check(db, ls_update_success_factors(db, pattern_ids[p], &u, NULL),
              "success factors");
    }
}

/* Quarantine and validate every tenth pattern each, then score trust. */
static void
fill_lifecycle(sc_db *db)
{
    int64_t n;
    int p;

    for (p = 0; p < NPATTERNS; p++) {
        if (p % 10 == 3)
            check(db, ls_quarantine_pattern(db, pattern_ids[p], "flaky"),
                  "quarantine");
        else if (p % 10 == 7)
            check(db, ls_validate_pattern(db, pattern_ids[p]), "validate");
    }
    check(db, ls_recalculate_all_trust_scores(db, &n), "trust");
}

/* Executions of NJOBS jobs in NWORKSPACES workspaces, error recoveries. */
static void
fill_executions(sc_db *db)
{
    static const char *const codes[] = { "E101" };
    char job[32], sheet[32], path[64];
    int i;

    for (i = 0; i < NEXECUTIONS; i++) {
        struct ls_outcome o = { 0 };
        snprintf(job, sizeof job, "job-%d", i % NJOBS);
        snprintf(sheet, sizeof sheet, "sheet-%d", i % 30);
        snprintf(path, sizeof path, "/srv/bench-ws-%d", i % NWORKSPACES);
        o.job_id = job;
        o.sheet_id = sheet;
        o.status = i % 5 ? "completed" : "failed";
        o.duration_seconds = 10.0 + i % 100;
        o.retry_count = i % 4;
        o.success_without_retry = i % 4 == 0;
        o.validation_pass_rate = (double)(i % 10) / 10.0;
        check(db, ls_record_outcome(db, &o, path, models[i % 3], codes,
                                    i % 5 ? 0 : 1, NULL), "outcome");
    }
    for (i = 0; i < NRECOVERIES; i++) {
        char code[8];
        snprintf(code, sizeof code, "E1%02d", i % NCODES);
        check(db, ls_record_error_recovery(db, code, 30.0, 10.0 + i % 50,
                                           i % 3 != 0, models[i % 3], NULL),
              "recovery");
    }
}

/* Rate limits (every other one expired at once), escalations (a third
 * with an outcome), discoveries and workspace clusters. */
static void
fill_events(sc_db *db)
{
    static const char *const actions[] = { "retry", "skip", "abort",
                                           "modify_prompt" };
    static const char *const outcomes[] = { "success", "skipped", "failed" };
    char job[32], code[8], cluster[16];
    int i;

    for (i = 0; i < NRATELIMITS; i++) {
        snprintf(job, sizeof job, "job-%d", i % NJOBS);
        snprintf(code, sizeof code, "E1%02d", i % 5);
        check(db, ls_record_rate_limit_event(db, code, i % 2 ? 1e6 : 1e-3,
                                             job, models[i % 3], NULL),
              "rate limit");
    }
    for (i = 0; i < NESCALATIONS; i++) {
        struct ls_escalation e = { 0 };
        snprintf(job, sizeof job, "job-%d", i % NJOBS);
        e.job_id = job;
        e.sheet_num = i % 30;
        e.confidence = (double)(i % 100) / 100.0;
        e.action = actions[i % 4];
        e.validation_pass_rate = i % 100;
        e.retry_count = i % 5;
        e.guidance = "Looked at the logs";
        e.model = models[i % 3];
        check(db, ls_record_escalation_decision(db, &e, esc_ids[i]),
              "escalation");
        if (i % 3 == 0)
            check(db, ls_update_escalation_outcome(db, esc_ids[i],
                                                   outcomes[i % 9 / 3]),
                  "escalation outcome");
    }
    for (i = 0; i < NDISCOVERIES; i++) {
        struct ls_discovery d = { 0 };
        char type[16], name[32], desc[96];
        int p = i * 7 % NPATTERNS;
        pattern_text(p, type, name, desc);
        snprintf(job, sizeof job, "job-%d", i % NJOBS);
        d.pattern_id = pattern_ids[p];
        d.pattern_name = name;
        d.pattern_type = type;
        d.job_id = job;
        d.effectiveness_score = (double)(i % 10) / 10.0;
        d.context_tags = retry_tag;
        d.ncontext_tags = 1;
        d.ttl_seconds = 1e6;
        check(db, ls_record_pattern_discovery(db, &d, NULL), "discovery");
    }
    for (i = 0; i < NCLUSTERS; i++) {
        snprintf(cluster, sizeof cluster, "cluster-%d", i % 10);
        check(db, ls_assign_workspace_cluster(db, ws_hashes[i % NWORKSPACES],
                                              cluster), "cluster");
    }
}

/* Exploration budgets of NBUDGET_JOBS jobs, entropy responses (before the
 * quarantine, which they would undo) and entropy snapshots. */
static void
fill_budgets(sc_db *db)
{
    int i;

    for (i = 0; i < NBUDGETS; i++) {
        double entropy = (double)(i % 10) / 10.0;
        check(db, ls_update_exploration_budget(db,
              job_hashes[i % NBUDGET_JOBS], 0.02 + (double)(i % 60) / 100.0,
              i % 2 ? "decay" : "boost", &entropy, "bench", 0.05, 0.50,
              NULL), "budget");
    }
    for (i = 0; i < NRESPONSES; i++)
        check(db, ls_trigger_entropy_response(db,
              job_hashes[i % NBUDGET_JOBS], 0.2, 0.3, NULL, NULL),
              "entropy response");
    check(db, ls_calculate_pattern_entropy(db, &entropy_snapshot),
          "entropy");
    for (i = 0; i < NENTROPY; i++)
        check(db, ls_record_pattern_entropy(db, &entropy_snapshot, NULL),
              "entropy snapshot");
}

/* A fresh scratch store with every table filled, in one batch. */
static sc_db *
fill_store(void)
{
    char name[32], path[64], side[600];
    sc_db *db;
    int i;

    unlink(db_file);
    snprintf(side, sizeof side, "%s-wal", db_file);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", db_file);
    unlink(side);
    for (i = 0; i < NJOBS; i++) {
        snprintf(name, sizeof name, "job-%d", i);
        if (ls_hash_job(name, NULL, job_hashes[i]) != SC_OK)
            die("hash_job", name);
    }
    for (i = 0; i < NWORKSPACES; i++) {
        snprintf(path, sizeof path, "/srv/bench-ws-%d", i);
        if (ls_hash_workspace(path, ws_hashes[i]) != SC_OK)
            die("hash_workspace", path);
    }
    if (ls_open(&db, db_file) != SC_OK)
        die("ls_open", sc_errmsg(db));
    check(db, sc_batch_begin(db), "begin");
    fill_patterns(db);
    fill_applications(db);
    fill_budgets(db);
    fill_lifecycle(db);
    fill_executions(db);
    fill_events(db);
    check(db, sc_batch_commit(db), "commit");
    return db;
}

/* ------------------------------------------------------------------ */
/* The Python pattern: bench/ls_python.py as a child, over two pipes    */
/* ------------------------------------------------------------------ */

struct child {
    pid_t pid;
    FILE *to;                   /* its stdin */
    FILE *from;                 /* its stdout */
};

/* Start the Python pattern on db_file with the keys it needs, and wait
 * for its "ready" line. */
static void
child_start(struct child *c, const char *script)
{
    const char *py = getenv("PYTHON") != NULL ? getenv("PYTHON") : "python3";
    char keys[5][64], line[64];
    int in[2], out[2];

    snprintf(keys[0], sizeof keys[0], "pattern=%s", pattern_ids[0]);
    snprintf(keys[1], sizeof keys[1], "job_hash=%s", job_hashes[1]);
    snprintf(keys[2], sizeof keys[2], "fresh_job=%s", job_hashes[NJOBS - 1]);
    snprintf(keys[3], sizeof keys[3], "workspace=%s", ws_hashes[1]);
    snprintf(keys[4], sizeof keys[4], "escalation=%s", esc_ids[0]);
    if (pipe(in) != 0 || pipe(out) != 0)
        die("pipe", strerror(errno));
    if ((c->pid = fork()) < 0)
        die("fork", strerror(errno));
    if (c->pid == 0) {
        dup2(in[0], 0);
        dup2(out[1], 1);
        close(in[0]);
        close(in[1]);
        close(out[0]);
        close(out[1]);
        execlp(py, py, script, db_file, keys[0], keys[1], keys[2], keys[3],
               keys[4], (char *)NULL);
        fprintf(stderr, "bench_ls: %s: %s\n", py, strerror(errno));
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    c->to = fdopen(in[1], "w");
    c->from = fdopen(out[0], "r");
    if (c->to == NULL || c->from == NULL)
        die("fdopen", strerror(errno));
    if (fgets(line, sizeof line, c->from) == NULL
        || strcmp(line, "ready\n") != 0)
        die(script, "did not start");
}

/*
 * Have the child run operation op for about budget_ms (at least 3 calls);
 * returns its seconds per call and puts the size of its last result
 * (rows, or 1 / 0 for found / not found) in *size.
 */
static double
child_run(struct child *c, const char *op, int budget_ms, long *size)
{
    char line[128];
    double secs;
    long calls;

    fprintf(c->to, "%s %d\n", op, budget_ms);
    fflush(c->to);
    if (fgets(line, sizeof line, c->from) == NULL
        || sscanf(line, "%ld %lf %ld", &calls, &secs, size) != 3
        || calls < 1)
        die("python pattern", op);
    return secs / (double)calls;
}

/* End the child (EOF on its stdin) and reap it. */
static void
child_stop(struct child *c)
{
    int status;

    fclose(c->to);
    fclose(c->from);
    if (waitpid(c->pid, &status, 0) < 0 || !WIFEXITED(status)
        || WEXITSTATUS(status) != 0)
        die("python pattern", "exited with an error");
}

/* ------------------------------------------------------------------ */
/* Reads: one call of ours each; *size as the Python side counts it    */
/* ------------------------------------------------------------------ */

/* Row counters, one per row type the callbacks lend. */
#define ROW_COUNTER(fn, type)                                           \
    static int fn(const type *row, void *arg)                           \
    {                                                                   \
        (void)row;                                                      \
        ++*(long *)arg;                                                 \
        return 0;                                                       \
    }
ROW_COUNTER(count_pattern, struct learning_patterns)
ROW_COUNTER(count_execution, struct learning_executions)
ROW_COUNTER(count_rate_limit, struct learning_rate_limit_events)
ROW_COUNTER(count_escalation, struct learning_escalation_decisions)
ROW_COUNTER(count_discovery, struct learning_pattern_discovery_events)

/* get_patterns with the Python defaults. */
static int
rd_get_patterns(sc_db *db, long *size)
{
    struct ls_pattern_filter f = LS_PATTERN_FILTER_INIT;

    return ls_get_patterns(db, &f, count_pattern, size);
}

/* get_patterns of one type sharing a tag (json_each over the tags). */
static int
rd_get_patterns_tagged(sc_db *db, long *size)
{
    struct ls_pattern_filter f = LS_PATTERN_FILTER_INIT;

    f.pattern_type = "type-01";
    f.context_tags = retry_tag;
    f.ncontext_tags = 1;
    return ls_get_patterns(db, &f, count_pattern, size);
}

/* get_pattern_by_id: the generated get. */
static int
rd_get_pattern_by_id(sc_db *db, long *size)
{
    struct learning_patterns row;
    int rc = learning_patterns_get(db, pattern_ids[0], &row);

    *size = rc == SC_OK;
    learning_patterns_free(&row);
    return rc;
}

/* get_success_factors of a pattern that has them. */
static int
rd_get_success_factors(sc_db *db, long *size)
{
    struct ls_success_factors f;
    int rc = ls_get_success_factors(db, pattern_ids[0], &f);

    *size = rc == SC_OK;
    if (rc == SC_OK)
        ls_success_factors_free(&f);
    return rc;
}

/* get_high_trust_patterns with the Python defaults. */
static int
rd_get_high_trust_patterns(sc_db *db, long *size)
{
    return ls_get_high_trust_patterns(db, 0.7, 50, count_pattern, size);
}

/* is_rate_limited for one code, any model. */
static int
rd_is_rate_limited(sc_db *db, long *size)
{
    double left;
    bool limited;
    int rc = ls_is_rate_limited(db, "E101", NULL, &limited, &left);

    *size = limited;
    return rc;
}

/* get_active_rate_limits of every model. */
static int
rd_get_active_rate_limits(sc_db *db, long *size)
{
    return ls_get_active_rate_limits(db, NULL, count_rate_limit, size);
}

/* get_learned_wait_time for one code, any model, 3 samples. */
static int
rd_get_learned_wait_time(sc_db *db, long *size)
{
    double wait;
    bool found;
    int rc = ls_get_learned_wait_time(db, "E101", NULL, 3, &found, &wait);

    *size = found;
    return rc;
}

/* get_execution_stats. */
static int
rd_get_execution_stats(sc_db *db, long *size)
{
    struct ls_execution_stats s;
    int rc = ls_get_execution_stats(db, &s);

    *size = (long)s.total_executions;
    return rc;
}

/* get_similar_executions of one job, 10 at most. */
static int
rd_get_similar_executions(sc_db *db, long *size)
{
    return ls_get_similar_executions(db, job_hashes[1], NULL, NULL, 10,
                                     count_execution, size);
}

/* get_exploration_budget of one job. */
static int
rd_get_exploration_budget(sc_db *db, long *size)
{
    struct learning_exploration_budget b;
    int rc = ls_get_exploration_budget(db, job_hashes[1], &b);

    *size = rc == SC_OK;
    learning_exploration_budget_free(&b);
    return rc;
}

/* get_exploration_budget_statistics of one job. */
static int
rd_get_budget_statistics(sc_db *db, long *size)
{
    struct ls_budget_stats s;
    int rc = ls_get_exploration_budget_statistics(db, job_hashes[1], &s);

    *size = (long)s.total_adjustments;
    return rc;
}

/* calculate_effectiveness_drift of a pattern with enough applications. */
static int
rd_calculate_drift(sc_db *db, long *size)
{
    struct ls_drift d;
    int rc = ls_calculate_effectiveness_drift(db, pattern_ids[0], 5, 0.2,
                                              &d);

    *size = rc == SC_OK ? (long)d.applications_analyzed : 0;
    if (rc == SC_OK)
        ls_drift_free(&d);
    return rc;
}

/* get_drifting_patterns with the Python defaults. */
static int
rd_get_drifting_patterns(sc_db *db, long *size)
{
    struct ls_drift *d;
    size_t n;
    int rc = ls_get_drifting_patterns(db, 0.2, 5, 20, &d, &n);

    *size = rc == SC_OK ? (long)n : 0;
    if (rc == SC_OK)
        ls_drifts_free(d, n);
    return rc;
}

/* calculate_pattern_entropy. */
static int
rd_calculate_entropy(sc_db *db, long *size)
{
    struct ls_pattern_entropy m;
    int rc = ls_calculate_pattern_entropy(db, &m);

    *size = (long)m.effective_pattern_count;
    return rc;
}

/* check_entropy_response_needed for a job without responses, so the
 * diversity is computed rather than the cooldown reported. */
static int
rd_check_entropy_response(sc_db *db, long *size)
{
    struct ls_entropy_check c;
    int rc = ls_check_entropy_response_needed(db, job_hashes[NJOBS - 1],
                                              0.3, 3600, &c);

    *size = c.needed;
    return rc;
}

/* get_similar_escalation with the Python defaults. */
static int
rd_get_similar_escalation(sc_db *db, long *size)
{
    return ls_get_similar_escalation(db, 0.5, 50.0, 0.15, 15.0, 5,
                                     count_escalation, size);
}

/* get_escalation_history of one job. */
static int
rd_get_escalation_history(sc_db *db, long *size)
{
    return ls_get_escalation_history(db, "job-1", NULL, 20,
                                     count_escalation, size);
}

/* check_recent_pattern_discoveries with the Python defaults. */
static int
rd_check_discoveries(sc_db *db, long *size)
{
    return ls_check_recent_pattern_discoveries(db, NULL, NULL, 0.0, 20,
                                               count_discovery, size);
}

/* get_workspace_cluster of a clustered workspace. */
static int
rd_get_workspace_cluster(sc_db *db, long *size)
{
    char *cluster;
    int rc = ls_get_workspace_cluster(db, ws_hashes[1], &cluster);

    *size = rc == SC_OK;
    if (rc == SC_OK)
        free(cluster);
    return rc;
}

struct read_op {
    const char *name;           /* the Python method, and ls_python.py's op */
    int (*ours)(sc_db *db, long *size);
};

static const struct read_op read_ops[] = {
    { "get_patterns", rd_get_patterns },
    { "get_patterns_tagged", rd_get_patterns_tagged },
    { "get_pattern_by_id", rd_get_pattern_by_id },
    { "get_success_factors", rd_get_success_factors },
    { "get_high_trust_patterns", rd_get_high_trust_patterns },
    { "is_rate_limited", rd_is_rate_limited },
    { "get_active_rate_limits", rd_get_active_rate_limits },
    { "get_learned_wait_time", rd_get_learned_wait_time },
    { "get_execution_stats", rd_get_execution_stats },
    { "get_similar_executions", rd_get_similar_executions },
    { "get_workspace_cluster", rd_get_workspace_cluster },
    { "get_exploration_budget", rd_get_exploration_budget },
    { "get_exploration_budget_statistics", rd_get_budget_statistics },
    { "calculate_effectiveness_drift", rd_calculate_drift },
    { "get_drifting_patterns", rd_get_drifting_patterns },
    { "calculate_pattern_entropy", rd_calculate_entropy },
    { "check_entropy_response_needed", rd_check_entropy_response },
    { "get_similar_escalation", rd_get_similar_escalation },
    { "get_escalation_history", rd_get_escalation_history },
    { "check_recent_pattern_discoveries", rd_check_discoveries },
};

#define NREADS (sizeof read_ops / sizeof read_ops[0])

/* Ours: op for about READ_BUDGET_MS (at least 3 calls).  Returns seconds
 * per call; *size from the last call. */
static double
time_read(sc_db *db, const struct read_op *op, long *size)
{
    double t0 = bench_now(), t;
    long calls = 0;

    do {
        *size = 0;
        check(db, op->ours(db, size), op->name);
        calls++;
        t = bench_now() - t0;
    } while (calls < 3 || t * 1e3 < READ_BUDGET_MS);
    return t / (double)calls;
}

/*
 * Every read, nruns times, ours and the Python pattern alternating which
 * goes first; both must find results of the same size.  Prints the
 * table; returns the smallest of the per-operation speed-ups (each the
 * median of the runs' Python / ours).
 */
static double
bench_reads(sc_db *db, struct child *py)
{
    double ours[MAX_RUNS], theirs[MAX_RUNS], ratio[MAX_RUNS], med;
    double worst = 0;
    long n_ours, n_py;
    size_t k;
    int r;

    printf("\n1. reads: ours (one connection) against the Python store's "
           "pattern (a connection\n   per call, its pragmas, its SQL, its "
           "records); per call, median of %d runs\n", nruns);
    printf("   %-36s %10s %12s %9s %6s\n", "operation", "ours us",
           "Python us", "speed-up", "rows");
    for (k = 0; k < NREADS; k++) {
        const struct read_op *op = &read_ops[k];
        for (r = 0; r < nruns; r++) {
            if (r % 2) {
                theirs[r] = child_run(py, op->name, READ_BUDGET_MS, &n_py);
                ours[r] = time_read(db, op, &n_ours);
            } else {
                ours[r] = time_read(db, op, &n_ours);
                theirs[r] = child_run(py, op->name, READ_BUDGET_MS, &n_py);
            }
            if (n_ours != n_py) {
                fprintf(stderr, "bench_ls: %s: ours found %ld, Python %ld\n",
                        op->name, n_ours, n_py);
                exit(1);
            }
            ratio[r] = theirs[r] / ours[r];
        }
        med = bench_median(ratio, nruns);
        printf("   %-36s %10.1f %12.1f %9.1f %6ld\n", op->name,
               bench_median(ours, nruns) * 1e6,
               bench_median(theirs, nruns) * 1e6, med, n_ours);
        if (k == 0 || med < worst)
            worst = med;
    }
    return worst;
}

/* ------------------------------------------------------------------ */
/* Writes: one call of ours each, and the hand-written single statement */
/* ------------------------------------------------------------------ */

/* record_outcome of one sheet. */
static int
wr_record_outcome(sc_db *db, long i)
{
    static const char *const codes[] = { "E101" };
    struct ls_outcome o = { 0 };

    o.job_id = "job-1";
    o.sheet_id = "sheet-3";
    o.status = "completed";
    o.duration_seconds = 12.5;
    o.retry_count = i % 3;
    o.success_without_retry = i % 3 == 0;
    o.validation_pass_rate = 1.0;
    return ls_record_outcome(db, &o, "/srv/bench-ws-1", models[0], codes, 1,
                             NULL);
}

/* record_pattern of a known pattern: one more occurrence. */
static int
wr_record_pattern(sc_db *db, long i)
{
    struct ls_pattern_input in = { 0 };
    char type[16], name[32], desc[96];

    pattern_text((int)(i % NPATTERNS), type, name, desc);
    in.pattern_type = type;
    in.pattern_name = name;
    in.context_tags = retry_tag;
    in.ncontext_tags = 1;
    return ls_record_pattern(db, &in, NULL);
}

/* record_pattern_application, then the pattern rescored. */
static int
wr_record_application(sc_db *db, long i)
{
    double g = 0.8;

    return ls_record_pattern_application(db, pattern_ids[i % NPATTERNS],
                                         "execution", i % 2 == 0, 0, 1, &g,
                                         NULL, NULL);
}

/* record_error_recovery. */
static int
wr_record_error_recovery(sc_db *db, long i)
{
    return ls_record_error_recovery(db, "E101", 30.0, 12.0, i % 3 != 0,
                                    models[0], NULL);
}

/* record_rate_limit_event of a minute. */
static int
wr_record_rate_limit(sc_db *db, long i)
{
    (void)i;
    return ls_record_rate_limit_event(db, "E101", 60.0, "job-1", models[0],
                                      NULL);
}

/* record_escalation_decision. */
static int
wr_record_escalation(sc_db *db, long i)
{
    struct ls_escalation e = { 0 };

    e.job_id = "job-1";
    e.sheet_num = i % 30;
    e.confidence = 0.4;
    e.action = "retry";
    e.validation_pass_rate = 60.0;
    e.retry_count = 2;
    e.guidance = "Looked at the logs";
    e.model = models[0];
    return ls_record_escalation_decision(db, &e, NULL);
}

/* update_escalation_outcome of a recorded escalation. */
static int
wr_update_escalation(sc_db *db, long i)
{
    return ls_update_escalation_outcome(db, esc_ids[i % NESCALATIONS],
                                        "success");
}

/* update_exploration_budget within floor and ceiling. */
static int
wr_update_budget(sc_db *db, long i)
{
    double entropy = 0.4;

    (void)i;
    return ls_update_exploration_budget(db, job_hashes[1], 0.2, "decay",
                                        &entropy, "bench", 0.05, 0.50, NULL);
}

/* record_pattern_entropy of the snapshot taken while filling. */
static int
wr_record_entropy(sc_db *db, long i)
{
    (void)i;
    return ls_record_pattern_entropy(db, &entropy_snapshot, NULL);
}

/* record_pattern_discovery with the Python defaults. */
static int
wr_record_discovery(sc_db *db, long i)
{
    struct ls_discovery d = { 0 };

    d.pattern_id = pattern_ids[i % NPATTERNS];
    d.pattern_name = "pattern name";
    d.pattern_type = "type-01";
    d.job_id = "job-1";
    d.effectiveness_score = 1.0;
    d.context_tags = retry_tag;
    d.ncontext_tags = 1;
    d.ttl_seconds = 300.0;
    return ls_record_pattern_discovery(db, &d, NULL);
}

/* validate_pattern: status, time, reason cleared. */
static int
wr_validate_pattern(sc_db *db, long i)
{
    return ls_validate_pattern(db, pattern_ids[i % NPATTERNS]);
}

/* assign_workspace_cluster of a new or known workspace. */
static int
wr_assign_cluster(sc_db *db, long i)
{
    return ls_assign_workspace_cluster(db, ws_hashes[i % NWORKSPACES],
                                       "cluster-1");
}

/* What the hand-written statement binds to ?1. */
enum raw_key {
    KEY_NEW_ID,                 /* a new UUID-shaped id */
    KEY_PATTERN,                /* pattern_ids[i % NPATTERNS] */
    KEY_ESCALATION,             /* esc_ids[i % NESCALATIONS] */
    KEY_WORKSPACE               /* ws_hashes[i % NWORKSPACES] */
};

/*
 * A write and its baseline: the one INSERT or UPDATE a hand-written
 * program would run for it, ?1 the row's key and ?2 the time as text,
 * the other values written out (the same shape of row as ours writes).
 */
struct write_op {
    const char *name;
    int (*ours)(sc_db *db, long i);
    enum raw_key key;
    const char *sql;
};

static const struct write_op write_ops[] = {
    { "record_outcome", wr_record_outcome, KEY_NEW_ID,
      "INSERT INTO executions (id, workspace_hash, job_hash, sheet_num, "
      "started_at, completed_at, duration_seconds, status, retry_count, "
      "success_without_retry, validation_pass_rate, confidence_score, "
      "model, error_codes) VALUES (?1, '8f14e45fceea167a', "
      "'c4ca4238a0b92382', 3, ?2, ?2, 12.5, 'completed', 0, 1, 1.0, 1.0, "
      "'model-a', '[\"E101\"]')" },
    { "record_pattern", wr_record_pattern, KEY_PATTERN,
      "UPDATE patterns SET occurrence_count = occurrence_count + 1, "
      "last_seen = ?2, context_tags = '[\"retry\"]', active = 1 "
      "WHERE id = ?1" },
    { "record_pattern_application", wr_record_application, KEY_NEW_ID,
      "INSERT INTO pattern_applications (id, pattern_id, execution_id, "
      "applied_at, pattern_led_to_success, retry_count_before, "
      "retry_count_after, grounding_confidence) VALUES (?1, "
      "'0123456789abcdef', 'execution', ?2, 1, 0, 1, 0.8)" },
    { "record_error_recovery", wr_record_error_recovery, KEY_NEW_ID,
      "INSERT INTO error_recoveries (id, error_code, suggested_wait, "
      "actual_wait, recovery_success, recorded_at, model, time_of_day) "
      "VALUES (?1, 'E101', 30.0, 12.0, 1, ?2, 'model-a', 3)" },
    { "record_rate_limit_event", wr_record_rate_limit, KEY_NEW_ID,
      "INSERT INTO rate_limit_events (id, error_code, model, recorded_at, "
      "expires_at, source_job_hash, duration_seconds) VALUES (?1, 'E101', "
      "'model-a', ?2, ?2, 'c4ca4238a0b92382', 60.0)" },
    { "record_escalation_decision", wr_record_escalation, KEY_NEW_ID,
      "INSERT INTO escalation_decisions (id, job_hash, sheet_num, "
      "confidence, action, guidance, validation_pass_rate, retry_count, "
      "outcome_after_action, recorded_at, model) VALUES (?1, "
      "'c4ca4238a0b92382', 3, 0.4, 'retry', 'Looked at the logs', 60.0, 2, "
      "NULL, ?2, 'model-a')" },
    { "update_escalation_outcome", wr_update_escalation, KEY_ESCALATION,
      "UPDATE escalation_decisions SET outcome_after_action = 'success' "
      "WHERE id = ?1" },
    { "update_exploration_budget", wr_update_budget, KEY_NEW_ID,
      "INSERT INTO exploration_budget (id, job_hash, recorded_at, "
      "budget_value, entropy_at_time, adjustment_type, adjustment_reason) "
      "VALUES (?1, 'c4ca4238a0b92382', ?2, 0.2, 0.4, 'decay', 'bench')" },
    { "record_pattern_entropy", wr_record_entropy, KEY_NEW_ID,
      "INSERT INTO pattern_entropy_history (id, calculated_at, "
      "shannon_entropy, max_possible_entropy, diversity_index, "
      "unique_pattern_count, effective_pattern_count, total_applications, "
      "dominant_pattern_share, threshold_exceeded) VALUES (?1, ?2, 9.5, "
      "10.5, 0.9, 2000, 1400, 6600, 0.01, 0)" },
    { "record_pattern_discovery", wr_record_discovery, KEY_NEW_ID,
      "INSERT INTO pattern_discovery_events (id, pattern_id, pattern_name, "
      "pattern_type, source_job_hash, recorded_at, expires_at, "
      "effectiveness_score, context_tags) VALUES (?1, '0123456789abcdef', "
      "'pattern name', 'type-01', 'c4ca4238a0b92382', ?2, ?2, 1.0, "
      "'[\"retry\"]')" },
    { "validate_pattern", wr_validate_pattern, KEY_PATTERN,
      "UPDATE patterns SET quarantine_status = 'validated', "
      "validated_at = ?2, quarantine_reason = NULL WHERE id = ?1" },
    { "assign_workspace_cluster", wr_assign_cluster, KEY_WORKSPACE,
      "INSERT OR REPLACE INTO workspace_clusters (workspace_hash, "
      "cluster_id, assigned_at) VALUES (?1, 'cluster-1', ?2)" },
};

#define NWRITES (sizeof write_ops / sizeof write_ops[0])

/* One hand-written write: bind the key of call i and the time, step (one
 * commit: autocommit), reset. */
static void
raw_write(sqlite3 *conn, sqlite3_stmt *stmt, enum raw_key key, long i)
{
    static unsigned long serial;
    char id[LS_UUID_LEN], when[LS_TIME_LEN];
    const char *k = id;

    switch (key) {
    case KEY_NEW_ID:
        snprintf(id, sizeof id, "%08lx-0000-4000-8000-%012lx",
                 (unsigned long)getpid(), ++serial);
        break;
    case KEY_PATTERN: k = pattern_ids[i % NPATTERNS]; break;
    case KEY_ESCALATION: k = esc_ids[i % NESCALATIONS]; break;
    case KEY_WORKSPACE: k = ws_hashes[i % NWORKSPACES]; break;
    }
    ls_format_time(ls_now(), false, when);
    sqlite3_bind_text(stmt, 1, k, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, when, -1, SQLITE_STATIC);
    if (sqlite3_step(stmt) != SQLITE_DONE)
        die("hand-written write", sqlite3_errmsg(conn));
    sqlite3_reset(stmt);
}

/*
 * One run of write op: ours and the hand-written statement take turns
 * of WRITE_CHUNK calls (who starts alternates) until each has had about
 * WRITE_BUDGET_MS.  Returns ours' seconds per call over the hand-written
 * one's, and each side's seconds per call in *t_ours and *t_raw.
 */
static double
write_run(sc_db *db, sqlite3_stmt *stmt, const struct write_op *op,
          double *t_ours, double *t_raw)
{
    static long i;
    double ours = 0, raw = 0, t0;
    long calls = 0, c, turn = 0;

    while (ours * 1e3 < WRITE_BUDGET_MS || raw * 1e3 < WRITE_BUDGET_MS) {
        int side;
        for (side = 0; side < 2; side++) {
            t0 = bench_now();
            for (c = 0; c < WRITE_CHUNK; c++) {
                if ((side + turn) % 2 == 0)
                    check(db, op->ours(db, i + c), op->name);
                else
                    raw_write(sc_sqlite(db), stmt, op->key, i + c);
            }
            if ((side + turn) % 2 == 0)
                ours += bench_now() - t0;
            else
                raw += bench_now() - t0;
        }
        i += WRITE_CHUNK;
        calls += WRITE_CHUNK;
        turn++;
    }
    *t_ours = ours / (double)calls;
    *t_raw = raw / (double)calls;
    return ours / raw;
}

/*
 * Every write, nruns runs of write_run(), then the Python pattern's time
 * for the same operation (context, no target).  Prints the table;
 * returns the largest of the per-operation ratios (each the median of
 * the runs' ours / hand-written).
 */
static double
bench_writes(sc_db *db, struct child *py)
{
    double ours[MAX_RUNS], raw[MAX_RUNS], ratio[MAX_RUNS], theirs[MAX_RUNS];
    double med, worst = 0;
    sqlite3_stmt *stmt;
    long size;
    size_t k;
    int r;

    printf("\n2. writes, each its own commit: ours against a hand-written "
           "single statement\n   (prepared once) on the same connection, "
           "in turns of %d calls; per call, median\n   of %d runs; the "
           "Python store's pattern for context (%d runs)\n", WRITE_CHUNK,
           nruns, PY_WRITE_RUNS);
    printf("   %-36s %9s %9s %7s %11s\n", "operation", "ours us", "hand us",
           "ratio", "Python us");
    for (k = 0; k < NWRITES; k++) {
        const struct write_op *op = &write_ops[k];
        if (sqlite3_prepare_v3(sc_sqlite(db), op->sql, -1,
                               SQLITE_PREPARE_PERSISTENT, &stmt, NULL)
            != SQLITE_OK)
            die(op->name, sqlite3_errmsg(sc_sqlite(db)));
        for (r = 0; r < nruns; r++)
            ratio[r] = write_run(db, stmt, op, &ours[r], &raw[r]);
        sqlite3_finalize(stmt);
        for (r = 0; r < PY_WRITE_RUNS; r++)
            theirs[r] = child_run(py, op->name, WRITE_BUDGET_MS, &size);
        med = bench_median(ratio, nruns);
        printf("   %-36s %9.1f %9.1f %7.3f %11.1f\n", op->name,
               bench_median(ours, nruns) * 1e6,
               bench_median(raw, nruns) * 1e6, med,
               bench_median(theirs, PY_WRITE_RUNS) * 1e6);
        if (med > worst)
            worst = med;
    }
    return worst;
}

/* bench_ls DIR SCRIPT [RUNS]: fill the store, start the Python pattern,
 * time the reads and the writes.  Exit status 1 on a failure. */
int
main(int argc, char **argv)
{
    struct child py;
    double speedup, ratio;
    sc_db *db;

    if (argc < 3) {
        fprintf(stderr, "usage: bench_ls DIR SCRIPT [RUNS]\n");
        return 2;
    }
    if (argc > 3)
        nruns = atoi(argv[3]);
    if (nruns < 1 || nruns > MAX_RUNS) {
        fprintf(stderr, "bench_ls: RUNS must be 1..%d\n", MAX_RUNS);
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    snprintf(db_file, sizeof db_file, "%s/learnstore.db", argv[1]);
    printf("Learning store benchmarks: SQLite %s, file %s, median of %d "
           "runs\n", sqlite3_libversion(), db_file, nruns);
    db = fill_store();
    printf("   the store: %d patterns (%d with 10 to 29 applications), %d "
           "executions,\n   %d error recoveries, %d rate limits, %d "
           "escalations, %d budget records\n", NPATTERNS, NDRIFTING,
           NEXECUTIONS, NRECOVERIES, NRATELIMITS, NESCALATIONS, NBUDGETS);
    child_start(&py, argv[2]);
    speedup = bench_reads(db, &py);
    bench_metric("ls_read_speedup_min", speedup, nruns);
    ratio = bench_writes(db, &py);
    bench_metric("ls_write_ratio_max", ratio, nruns);
    child_stop(&py);
    sc_close(db);
    return 0;
}
