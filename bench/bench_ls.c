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
#define MAX_CALLS 2000          /* calls per side per run, at most */
#define PY_WRITE_RUNS 3         /* the Python pattern's writes: context */
#define ROOM 25                 /* see bench_reads() */

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

/* The store's keys bench/ls_python.py takes, as "name=value" words: a
 * pattern, a job with budgets, a job without, a workspace, an
 * escalation. */
static void
format_keys(char keys[5][64])
{
    snprintf(keys[0], 64, "pattern=%s", pattern_ids[0]);
    snprintf(keys[1], 64, "job_hash=%s", job_hashes[1]);
    snprintf(keys[2], 64, "fresh_job=%s", job_hashes[NJOBS - 1]);
    snprintf(keys[3], 64, "workspace=%s", ws_hashes[1]);
    snprintf(keys[4], 64, "escalation=%s", esc_ids[0]);
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

    format_keys(keys);
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

/* The Python store's SELECT * of patterns, and the filters of get_patterns
 * every call of it adds. */
#define PAT_SELECT "SELECT * FROM patterns WHERE "
#define PAT_ACTIVE " AND COALESCE(active, 1) = 1"
#define PAT_ORDER " ORDER BY priority_score DESC LIMIT "
/* The applications of every pattern (calculate_pattern_entropy and
 * check_entropy_response_needed). */
#define APP_COUNTS "SELECT p.id, COUNT(pa.id) as app_count FROM patterns p " \
    "LEFT JOIN pattern_applications pa ON p.id = pa.pattern_id GROUP BY p.id"

/*
 * A read: ours, and the SQL the Python store runs for it, written by hand
 * (statements separated by ';', run in turn, every column of every row
 * read and nothing copied; :pattern, :job, :fresh_job, :workspace, :now and
 * :now_utc bound as bench_ls's keys and the time).  With per_row the
 * statements after the first run once for each row of the first, with
 * :pattern bound to that row's first column, as the Python store loops.
 */
struct read_op {
    const char *name;           /* the Python method, and ls_python.py's op */
    int (*ours)(sc_db *db, long *size);
    const char *sql;
    bool per_row;
};

static const struct read_op read_ops[] = {
    { "get_patterns", rd_get_patterns,
      PAT_SELECT "priority_score >= 0.01" PAT_ACTIVE PAT_ORDER "20", false },
    { "get_patterns_tagged", rd_get_patterns_tagged,
      PAT_SELECT "priority_score >= 0.01" PAT_ACTIVE " AND pattern_type = "
      "'type-01' AND EXISTS (SELECT 1 FROM json_each(context_tags) WHERE "
      "json_each.value IN ('retry'))" PAT_ORDER "20", false },
    { "get_pattern_by_id", rd_get_pattern_by_id,
      "SELECT * FROM patterns WHERE id = :pattern", false },
    { "get_success_factors", rd_get_success_factors,
      "SELECT * FROM patterns WHERE id = :pattern", false },
    { "get_high_trust_patterns", rd_get_high_trust_patterns,
      PAT_SELECT "priority_score >= 0.0" PAT_ACTIVE " AND trust_score >= 0.7"
      PAT_ORDER "50", false },
    { "is_rate_limited", rd_is_rate_limited,
      "SELECT expires_at, error_code, model, duration_seconds FROM "
      "rate_limit_events WHERE expires_at > :now_utc AND error_code = "
      "'E101' ORDER BY expires_at DESC LIMIT 1", false },
    { "get_active_rate_limits", rd_get_active_rate_limits,
      "SELECT * FROM rate_limit_events WHERE expires_at > :now_utc "
      "ORDER BY expires_at DESC", false },
    { "get_learned_wait_time", rd_get_learned_wait_time,
      "SELECT actual_wait, recovery_success FROM error_recoveries WHERE "
      "error_code = 'E101' AND recovery_success = 1 ORDER BY recorded_at "
      "DESC LIMIT 20", false },
    { "get_execution_stats", rd_get_execution_stats,
      "SELECT COUNT(*) as count FROM executions;"
      "SELECT SUM(CASE WHEN success_without_retry THEN 1 ELSE 0 END) as "
      "successes, COUNT(*) as total FROM executions;"
      "SELECT COUNT(*) as count FROM patterns;"
      "SELECT AVG(effectiveness_score) as avg FROM patterns;"
      "SELECT COUNT(*) as count FROM error_recoveries;"
      "SELECT COUNT(DISTINCT workspace_hash) as count FROM executions",
      false },
    { "get_similar_executions", rd_get_similar_executions,
      "SELECT * FROM executions WHERE job_hash = :job ORDER BY "
      "completed_at DESC LIMIT 10", false },
    { "get_workspace_cluster", rd_get_workspace_cluster,
      "SELECT cluster_id FROM workspace_clusters WHERE workspace_hash = "
      ":workspace", false },
    { "get_exploration_budget", rd_get_exploration_budget,
      "SELECT id, job_hash, recorded_at, budget_value, entropy_at_time, "
      "adjustment_type, adjustment_reason FROM exploration_budget WHERE "
      "job_hash = :job ORDER BY recorded_at DESC LIMIT 1", false },
    { "get_exploration_budget_statistics", rd_get_budget_statistics,
      "SELECT COUNT(*) as total, AVG(budget_value) as avg_val, "
      "MIN(budget_value) as min_val, MAX(budget_value) as max_val, "
      "SUM(CASE WHEN adjustment_type = 'floor_enforced' THEN 1 ELSE 0 END) "
      "as floor_count, SUM(CASE WHEN adjustment_type = 'boost' THEN 1 ELSE "
      "0 END) as boost_count, SUM(CASE WHEN adjustment_type = 'decay' THEN "
      "1 ELSE 0 END) as decay_count FROM exploration_budget WHERE job_hash "
      "= :job;"
      "SELECT id, job_hash, recorded_at, budget_value, entropy_at_time, "
      "adjustment_type, adjustment_reason FROM exploration_budget WHERE "
      "job_hash = :job ORDER BY recorded_at DESC LIMIT 1", false },
    { "calculate_effectiveness_drift", rd_calculate_drift,
      "SELECT pattern_name FROM patterns WHERE id = :pattern;"
      "SELECT pattern_led_to_success, grounding_confidence, applied_at FROM "
      "pattern_applications WHERE pattern_id = :pattern ORDER BY applied_at "
      "DESC LIMIT 10", false },
    { "get_drifting_patterns", rd_get_drifting_patterns,
      "SELECT pattern_id, COUNT(*) as app_count FROM pattern_applications "
      "GROUP BY pattern_id HAVING app_count >= 10;"
      "SELECT pattern_name FROM patterns WHERE id = :pattern;"
      "SELECT pattern_led_to_success, grounding_confidence, applied_at FROM "
      "pattern_applications WHERE pattern_id = :pattern ORDER BY applied_at "
      "DESC LIMIT 10", true },
    { "calculate_pattern_entropy", rd_calculate_entropy, APP_COUNTS, false },
    { "check_entropy_response_needed", rd_check_entropy_response,
      "SELECT id, job_hash, recorded_at, entropy_at_trigger, "
      "threshold_used, actions_taken, budget_boosted, quarantine_revisits, "
      "patterns_revisited FROM entropy_responses WHERE job_hash = "
      ":fresh_job ORDER BY recorded_at DESC LIMIT 1;"
      APP_COUNTS " HAVING app_count > 0", false },
    { "get_similar_escalation", rd_get_similar_escalation,
      "SELECT *, ABS(confidence - 0.5) as conf_diff, "
      "ABS(validation_pass_rate - 50.0) as rate_diff FROM "
      "escalation_decisions WHERE ABS(confidence - 0.5) <= 0.15 AND "
      "ABS(validation_pass_rate - 50.0) <= 15.0 ORDER BY CASE WHEN "
      "outcome_after_action = 'success' THEN 0 WHEN outcome_after_action = "
      "'skipped' THEN 1 WHEN outcome_after_action IS NULL THEN 2 ELSE 3 END, "
      "conf_diff + (rate_diff / 100.0) LIMIT 5", false },
    { "get_escalation_history", rd_get_escalation_history,
      "SELECT * FROM escalation_decisions WHERE job_hash = :job ORDER BY "
      "recorded_at DESC LIMIT 20", false },
    { "check_recent_pattern_discoveries", rd_check_discoveries,
      "SELECT * FROM pattern_discovery_events WHERE expires_at > :now AND "
      "effectiveness_score >= 0.0 ORDER BY recorded_at DESC LIMIT 20", false },
};

#define NREADS (sizeof read_ops / sizeof read_ops[0])

/* One call of one side of a paired measurement: side 0 is ours, side 1
 * the hand-written code; i numbers the pair. */
typedef void pair_fn(void *ctx, int side, long i);

/*
 * Time the two sides of fn in turns, call by call (who goes first
 * alternating), until each has had about budget_ms (at least 3 calls, at
 * most MAX_CALLS).  *t_hand gets the hand-written side's median seconds
 * per call, *t_ours that plus the median of the differences of the pairs:
 * noise both sides of a pair share in time (a slow disk, a busy core)
 * cancels, and one slow call (a WAL checkpoint) does not decide the run.
 * Returns *t_ours / *t_hand.
 */
static double
time_pairs(pair_fn *fn, void *ctx, int budget_ms, double *t_ours,
           double *t_hand)
{
    static double hand[MAX_CALLS], diff[MAX_CALLS];
    static long i;
    double sum[2] = { 0, 0 }, t[2], t0;
    int n = 0, k, side;

    while (n < MAX_CALLS && (n < 3 || sum[0] * 1e3 < budget_ms
                             || sum[1] * 1e3 < budget_ms)) {
        for (k = 0; k < 2; k++) {
            side = (k + n) % 2;
            t0 = bench_now();
            fn(ctx, side, i);
            t[side] = bench_now() - t0;
            sum[side] += t[side];
        }
        hand[n] = t[1];
        diff[n] = t[0] - t[1];
        i++;
        n++;
    }
    *t_hand = bench_median(hand, n);
    *t_ours = *t_hand + bench_median(diff, n);
    return *t_ours / *t_hand;
}

#define MAX_STMTS 8

/* The hand-written form of a read: its statements, prepared once. */
struct hand_read {
    sqlite3_stmt *stmt[MAX_STMTS];
    int n;
    bool per_row;               /* as struct read_op */
};

/* Prepare every statement of sql (';'-separated) on conn into h. */
static void
hand_prepare(sqlite3 *conn, const char *sql, struct hand_read *h)
{
    const char *tail = sql;

    for (h->n = 0; *tail != '\0'; h->n++) {
        if (h->n == MAX_STMTS
            || sqlite3_prepare_v3(conn, tail, -1, SQLITE_PREPARE_PERSISTENT,
                                  &h->stmt[h->n], &tail) != SQLITE_OK)
            die(sql, sqlite3_errmsg(conn));
    }
}

/* Bind the key or time a parameter of stmt names (see struct read_op);
 * pattern is the one :pattern names. */
static void
hand_bind(sqlite3_stmt *stmt, const char *pattern, const char *now_local,
          const char *now_utc)
{
    int i, n = sqlite3_bind_parameter_count(stmt);

    for (i = 1; i <= n; i++) {
        const char *name = sqlite3_bind_parameter_name(stmt, i), *v = NULL;
        if (strcmp(name, ":pattern") == 0)
            v = pattern;
        else if (strcmp(name, ":job") == 0)
            v = job_hashes[1];
        else if (strcmp(name, ":fresh_job") == 0)
            v = job_hashes[NJOBS - 1];
        else if (strcmp(name, ":workspace") == 0)
            v = ws_hashes[1];
        else if (strcmp(name, ":now") == 0)
            v = now_local;
        else if (strcmp(name, ":now_utc") == 0)
            v = now_utc;
        else
            die("hand-written read", name);
        sqlite3_bind_text(stmt, i, v, -1, SQLITE_TRANSIENT);
    }
}

/* Read every column of the current row of stmt as its stored type, as
 * a program using the row would (text and blobs lent, not copied). */
static void
hand_row(sqlite3_stmt *stmt)
{
    int i, n = sqlite3_column_count(stmt);

    for (i = 0; i < n; i++) {
        switch (sqlite3_column_type(stmt, i)) {
        case SQLITE_INTEGER: (void)sqlite3_column_int64(stmt, i); break;
        case SQLITE_FLOAT: (void)sqlite3_column_double(stmt, i); break;
        case SQLITE_TEXT:
            (void)sqlite3_column_text(stmt, i);
            (void)sqlite3_column_bytes(stmt, i);
            break;
        case SQLITE_BLOB:
            (void)sqlite3_column_blob(stmt, i);
            (void)sqlite3_column_bytes(stmt, i);
            break;
        default: break;
        }
    }
}

/* Run statements first..n-1 of h once each: bound, stepped to the end
 * with every column read, reset. */
static void
hand_run(sqlite3 *conn, const struct hand_read *h, int first, int n,
         const char *pattern, const char *now_local, const char *now_utc)
{
    int i, src;

    for (i = first; i < n; i++) {
        hand_bind(h->stmt[i], pattern, now_local, now_utc);
        while ((src = sqlite3_step(h->stmt[i])) == SQLITE_ROW)
            hand_row(h->stmt[i]);
        if (src != SQLITE_DONE)
            die("hand-written read", sqlite3_errmsg(conn));
        sqlite3_reset(h->stmt[i]);
    }
}

/* The hand-written read once (with per_row, the rest of the statements
 * for each row of the first). */
static void
hand_call(sqlite3 *conn, const struct hand_read *h)
{
    char now_local[LS_TIME_LEN], now_utc[LS_TIME_LEN];
    sqlite3_stmt *outer = h->stmt[0];
    double t = ls_now();
    int src;

    ls_format_time(t, false, now_local);
    ls_format_time(t, true, now_utc);
    if (!h->per_row) {
        hand_run(conn, h, 0, h->n, pattern_ids[0], now_local, now_utc);
        return;
    }
    hand_bind(outer, pattern_ids[0], now_local, now_utc);
    while ((src = sqlite3_step(outer)) == SQLITE_ROW)
        hand_run(conn, h, 1, h->n, (const char *)sqlite3_column_text(outer,
                 0), now_local, now_utc);
    if (src != SQLITE_DONE)
        die("hand-written read", sqlite3_errmsg(conn));
    sqlite3_reset(outer);
}

/* What a read's paired calls need. */
struct read_pair {
    sc_db *db;
    const struct read_op *op;
    const struct hand_read *hand;
    long rows;                  /* the size of ours' last result */
};

/* One call of a read: ours (side 0) or its hand-written form (a
 * pair_fn). */
static void
read_call(void *ctx, int side, long i)
{
    struct read_pair *x = ctx;

    (void)i;
    if (side == 0) {
        x->rows = 0;
        check(x->db, x->op->ours(x->db, &x->rows), x->op->name);
    } else {
        hand_call(sc_sqlite(x->db), x->hand);
    }
}

/* One read's medians over the runs: seconds per call of each side, and
 * the per-run ratios Python / ours, Python / hand-written and ours /
 * hand-written. */
struct read_figures {
    double ours, hand, python;
    double speedup, room, hand_ratio;
    long rows;
};

/*
 * Read op nruns times: ours and the hand-written form in turns
 * (time_pairs()), and the Python pattern before or after them,
 * alternating run by run; ours and Python must find results of the same
 * size.  Fills *f.
 */
static void
read_runs(sc_db *db, struct child *py, const struct read_op *op,
          struct read_figures *f)
{
    double ours[MAX_RUNS], hand[MAX_RUNS], theirs[MAX_RUNS];
    double speedup[MAX_RUNS], room[MAX_RUNS], hand_ratio[MAX_RUNS];
    struct hand_read h = { { NULL }, 0, op->per_row };
    struct read_pair x = { db, op, &h, 0 };
    long n_py = 0;
    int r, i;

    hand_prepare(sc_sqlite(db), op->sql, &h);
    for (r = 0; r < nruns; r++) {
        if (r % 2)
            theirs[r] = child_run(py, op->name, READ_BUDGET_MS, &n_py);
        hand_ratio[r] = time_pairs(read_call, &x, READ_BUDGET_MS, &ours[r],
                                   &hand[r]);
        if (r % 2 == 0)
            theirs[r] = child_run(py, op->name, READ_BUDGET_MS, &n_py);
        if (x.rows != n_py) {
            fprintf(stderr, "bench_ls: %s: ours found %ld, Python %ld\n",
                    op->name, x.rows, n_py);
            exit(1);
        }
        speedup[r] = theirs[r] / ours[r];
        room[r] = theirs[r] / hand[r];
    }
    f->rows = x.rows;
    for (i = 0; i < h.n; i++)
        sqlite3_finalize(h.stmt[i]);
    f->speedup = bench_median(speedup, nruns);
    f->room = bench_median(room, nruns);
    f->hand_ratio = bench_median(hand_ratio, nruns);
    f->ours = bench_median(ours, nruns);
    f->hand = bench_median(hand, nruns);
    f->python = bench_median(theirs, nruns);
}

/* The reads' summary: what bench/targets.txt judges. */
struct read_summary {
    double speedup_min;         /* over the reads with room for 20x */
    double speedup_all_min;     /* over every read */
    double hand_max;            /* ours / hand-written, every read */
};

/*
 * Every read (read_runs()) and its row of the table, into *sum.  A read
 * has room for the target when the hand-written program is at least
 * ROOM times faster than the Python pattern: then 20x takes ours within
 * ROOM / 20 of the hand-written program.
 */
static void
bench_reads(sc_db *db, struct child *py, struct read_summary *sum)
{
    struct read_figures f;
    size_t k;

    printf("\n7a. reads: ours (one connection) against the Python store's "
           "pattern (a connection\n    per call, its pragmas, its SQL, its "
           "records), and that SQL hand-written on\n    our connection "
           "(prepared once, every column read, nothing copied); per\n"
           "    call, median of %d runs\n", nruns);
    printf("   %-34s %8s %8s %9s %8s %7s %7s %5s\n", "operation", "ours us",
           "hand us", "Python us", "speed-up", "room", "ours/hd", "rows");
    sum->speedup_min = sum->speedup_all_min = 1e300;
    sum->hand_max = 0;
    for (k = 0; k < NREADS; k++) {
        read_runs(db, py, &read_ops[k], &f);
        printf("   %-34s %8.1f %8.1f %9.1f %8.1f %7.1f %7.3f %5ld\n",
               read_ops[k].name, f.ours * 1e6, f.hand * 1e6, f.python * 1e6,
               f.speedup, f.room, f.hand_ratio, f.rows);
        if (f.room >= ROOM && f.speedup < sum->speedup_min)
            sum->speedup_min = f.speedup;
        if (f.speedup < sum->speedup_all_min)
            sum->speedup_all_min = f.speedup;
        if (f.hand_ratio > sum->hand_max)
            sum->hand_max = f.hand_ratio;
    }
    printf("   speed-up: Python / ours; room: Python / hand-written, the "
           "most a program\n   running the Python store's SQL could reach; "
           "ours/hd: ours / hand-written.\n   The speed-up target covers "
           "the reads with room >= %d\n", ROOM);
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

/* update_escalation_outcome of a recorded escalation, the outcome a new
 * text each time (the time, as the hand-written update writes): SQLite
 * writes nothing for a row set to what it holds. */
static int
wr_update_escalation(sc_db *db, long i)
{
    char outcome[LS_TIME_LEN];

    ls_format_time(ls_now(), false, outcome);
    return ls_update_escalation_outcome(db, esc_ids[i % NESCALATIONS],
                                        outcome);
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
 * program would run for it (the Python store's statement), ?1 the row's
 * key and ?2 the time as text, the other values written out (the same
 * shape of row as ours writes; record_pattern's content hash set to what
 * it holds, as ours sets it).
 * several: the operation needs several statements in its transaction
 * (as the Python store's does), so one statement is no baseline for it;
 * its ratio is reported apart from the others' maximum.
 */
struct write_op {
    const char *name;
    int (*ours)(sc_db *db, long i);
    enum raw_key key;
    const char *sql;
    bool several;
};

static const struct write_op write_ops[] = {
    { "record_outcome", wr_record_outcome, KEY_NEW_ID,
      "INSERT INTO executions (id, workspace_hash, job_hash, sheet_num, "
      "started_at, completed_at, duration_seconds, status, retry_count, "
      "success_without_retry, validation_pass_rate, confidence_score, "
      "model, error_codes) VALUES (?1, '8f14e45fceea167a', "
      "'c4ca4238a0b92382', 3, ?2, ?2, 12.5, 'completed', 0, 1, 1.0, 1.0, "
      "'model-a', '[\"E101\"]')", false },
    { "record_pattern", wr_record_pattern, KEY_PATTERN,
      "UPDATE patterns SET occurrence_count = occurrence_count + 1, "
      "last_seen = ?2, description = COALESCE(NULL, description), "
      "suggested_action = COALESCE(NULL, suggested_action), context_tags = "
      "'[\"retry\"]', content_hash = content_hash, active = 1 WHERE id = ?1",
      false },
    { "record_pattern_application", wr_record_application, KEY_NEW_ID,
      "INSERT INTO pattern_applications (id, pattern_id, execution_id, "
      "applied_at, pattern_led_to_success, retry_count_before, "
      "retry_count_after, grounding_confidence) VALUES (?1, "
      "'0123456789abcdef', 'execution', ?2, 1, 0, 1, 0.8)", true },
    { "record_error_recovery", wr_record_error_recovery, KEY_NEW_ID,
      "INSERT INTO error_recoveries (id, error_code, suggested_wait, "
      "actual_wait, recovery_success, recorded_at, model, time_of_day) "
      "VALUES (?1, 'E101', 30.0, 12.0, 1, ?2, 'model-a', 3)", false },
    { "record_rate_limit_event", wr_record_rate_limit, KEY_NEW_ID,
      "INSERT INTO rate_limit_events (id, error_code, model, recorded_at, "
      "expires_at, source_job_hash, duration_seconds) VALUES (?1, 'E101', "
      "'model-a', ?2, ?2, 'c4ca4238a0b92382', 60.0)", false },
    { "record_escalation_decision", wr_record_escalation, KEY_NEW_ID,
      "INSERT INTO escalation_decisions (id, job_hash, sheet_num, "
      "confidence, action, guidance, validation_pass_rate, retry_count, "
      "outcome_after_action, recorded_at, model) VALUES (?1, "
      "'c4ca4238a0b92382', 3, 0.4, 'retry', 'Looked at the logs', 60.0, 2, "
      "NULL, ?2, 'model-a')", false },
    { "update_escalation_outcome", wr_update_escalation, KEY_ESCALATION,
      "UPDATE escalation_decisions SET outcome_after_action = ?2 "
      "WHERE id = ?1", false },
    { "update_exploration_budget", wr_update_budget, KEY_NEW_ID,
      "INSERT INTO exploration_budget (id, job_hash, recorded_at, "
      "budget_value, entropy_at_time, adjustment_type, adjustment_reason) "
      "VALUES (?1, 'c4ca4238a0b92382', ?2, 0.2, 0.4, 'decay', 'bench')",
      false },
    { "record_pattern_entropy", wr_record_entropy, KEY_NEW_ID,
      "INSERT INTO pattern_entropy_history (id, calculated_at, "
      "shannon_entropy, max_possible_entropy, diversity_index, "
      "unique_pattern_count, effective_pattern_count, total_applications, "
      "dominant_pattern_share, threshold_exceeded) VALUES (?1, ?2, 9.5, "
      "10.5, 0.9, 2000, 1400, 6600, 0.01, 0)", false },
    { "record_pattern_discovery", wr_record_discovery, KEY_NEW_ID,
      "INSERT INTO pattern_discovery_events (id, pattern_id, pattern_name, "
      "pattern_type, source_job_hash, recorded_at, expires_at, "
      "effectiveness_score, context_tags) VALUES (?1, '0123456789abcdef', "
      "'pattern name', 'type-01', 'c4ca4238a0b92382', ?2, ?2, 1.0, "
      "'[\"retry\"]')", false },
    { "validate_pattern", wr_validate_pattern, KEY_PATTERN,
      "UPDATE patterns SET quarantine_status = 'validated', "
      "validated_at = ?2, quarantine_reason = NULL WHERE id = ?1", false },
    { "assign_workspace_cluster", wr_assign_cluster, KEY_WORKSPACE,
      "INSERT OR REPLACE INTO workspace_clusters (workspace_hash, "
      "cluster_id, assigned_at) VALUES (?1, 'cluster-1', ?2)", false },
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

/* What a write's paired calls need. */
struct write_pair {
    sc_db *db;
    const struct write_op *op;
    sqlite3_stmt *stmt;         /* the hand-written statement */
};

/* One call of a write: ours (side 0) or the hand-written statement, each
 * committing on its own (a pair_fn). */
static void
write_call(void *ctx, int side, long i)
{
    struct write_pair *x = ctx;

    if (side == 0)
        check(x->db, x->op->ours(x->db, i), x->op->name);
    else
        raw_write(sc_sqlite(x->db), x->stmt, x->op->key, i);
}

/* The writes' summary: what bench/targets.txt judges. */
struct write_summary {
    double ratio_max;           /* over the single-statement writes */
    double several_max;         /* over those of several statements */
};

/*
 * Every write, nruns runs of time_pairs(), the first PY_WRITE_RUNS each
 * followed by the Python pattern's run of the same operation (context,
 * no target).  Prints the table; *sum
 * gets the largest of the per-operation ratios (each the median of the
 * runs' ours / hand-written).
 */
static void
bench_writes(sc_db *db, struct child *py, struct write_summary *sum)
{
    double ours[MAX_RUNS], raw[MAX_RUNS], ratio[MAX_RUNS], theirs[MAX_RUNS];
    double med, *worst;
    struct write_pair x = { db, NULL, NULL };
    int npy = nruns < PY_WRITE_RUNS ? nruns : PY_WRITE_RUNS, r;
    long size;
    size_t k;

    printf("\n7b. writes, each its own commit: ours against a hand-written "
           "single statement\n    (prepared once) on the same connection, "
           "call by call in turns (the hand-\n    written median per call, "
           "ours that plus the median difference of the\n    pairs), median "
           "of %d runs; the Python store's pattern for context\n    (%d "
           "runs)\n", nruns, npy);
    printf("   %-36s %9s %9s %7s %11s\n", "operation", "ours us", "hand us",
           "ratio", "Python us");
    sum->ratio_max = sum->several_max = 0;
    for (k = 0; k < NWRITES; k++) {
        const struct write_op *op = x.op = &write_ops[k];
        if (sqlite3_prepare_v3(sc_sqlite(db), op->sql, -1,
                               SQLITE_PREPARE_PERSISTENT, &x.stmt, NULL)
            != SQLITE_OK)
            die(op->name, sqlite3_errmsg(sc_sqlite(db)));
        /* The Python pattern right after the first runs, so that it
         * meets the disk as it was for them (its latency drifts). */
        for (r = 0; r < nruns; r++) {
            ratio[r] = time_pairs(write_call, &x, WRITE_BUDGET_MS, &ours[r],
                                  &raw[r]);
            if (r < npy)
                theirs[r] = child_run(py, op->name, WRITE_BUDGET_MS, &size);
        }
        sqlite3_finalize(x.stmt);
        med = bench_median(ratio, nruns);
        printf("   %-36s %9.1f %9.1f %7.3f%s %10.1f\n", op->name,
               bench_median(ours, nruns) * 1e6,
               bench_median(raw, nruns) * 1e6, med, op->several ? "*" : " ",
               bench_median(theirs, npy) * 1e6);
        worst = op->several ? &sum->several_max : &sum->ratio_max;
        if (med > *worst)
            *worst = med;
    }
    printf("   * several statements in one transaction: kept out of "
           "ls_write_ratio_max\n");
}

/* bench_ls --fill DIR: fill DIR/learnstore.db and print its keys (for
 * bench/bench_python.py, which times the same operations from Python).
 * Exit status 1 on a failure. */
static int
fill_only(const char *dir)
{
    char keys[5][64];

    snprintf(db_file, sizeof db_file, "%s/learnstore.db", dir);
    if (sc_close(fill_store()) != SC_OK)
        die("close", db_file);
    format_keys(keys);
    printf("%s %s %s %s %s %s\n", db_file, keys[0], keys[1], keys[2],
           keys[3], keys[4]);
    return 0;
}

/* bench_ls DIR SCRIPT [RUNS]: fill the store, start the Python pattern,
 * time the reads and the writes.  Exit status 1 on a failure. */
int
main(int argc, char **argv)
{
    struct read_summary reads;
    struct write_summary writes;
    struct child py;
    sc_db *db;

    if (argc == 3 && strcmp(argv[1], "--fill") == 0)
        return fill_only(argv[2]);
    if (argc < 3) {
        fprintf(stderr, "usage: bench_ls DIR SCRIPT [RUNS]\n"
                "       bench_ls --fill DIR\n");
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
    bench_reads(db, &py, &reads);
    bench_metric("ls_read_speedup_min", reads.speedup_min, nruns);
    bench_metric("ls_read_speedup_all_min", reads.speedup_all_min, nruns);
    bench_metric("ls_read_hand_ratio_max", reads.hand_max, nruns);
    bench_writes(db, &py, &writes);
    bench_metric("ls_write_ratio_max", writes.ratio_max, nruns);
    bench_metric("ls_write_several_ratio_max", writes.several_max, nruns);
    child_stop(&py);
    sc_close(db);
    return 0;
}
