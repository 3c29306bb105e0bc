/*
 * executions.c - execution outcomes and error recoveries: what happened
 * when sheets ran, the statistics and the hours that went well, workspace
 * clusters, and how long waiting out an error took.
 */
#include "learnstore.h"
#include "internal.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Open the store at path (NULL: the schema's default path). */
int
ls_open(sc_db **db, const char *path)
{
    return ls_open_opts(db, path, NULL);
}

/*
 * Open the store at path with opts (may be NULL).  On SQLite the
 * connection then keeps its temporary files in memory (temp_store):
 * an operation inside a caller's batch runs in a savepoint, whose
 * journal of the pages it changes SQLite moves to a file once it has
 * passed 64 KiB, and from then on writes with a system call per page for
 * the rest of the batch; the store's own statements sort and group
 * little.  It is set after sc_open(), so the migrations and index builds
 * the open runs keep SQLite's default.
 */
int
ls_open_opts(sc_db **db, const char *path, const sc_opts *opts)
{
    int rc = sc_open(db, path, &learning_schema, opts);
    sqlite3 *conn = rc == SC_OK ? sc_sqlite(*db) : NULL;

    if (conn != NULL)
        rc = sc_sqlite_error(*db, sqlite3_exec(conn, "PRAGMA temp_store = "
                                               "MEMORY", NULL, NULL, NULL),
                             "setting temp_store");
    return rc;
}

/* Insert the executions row of one sheet's outcome. */
int
ls_record_outcome(sc_db *db, const struct ls_outcome *o,
                  const char *workspace_path, const char *model,
                  const char *const *error_codes, size_t nerror_codes,
                  char id_out[LS_UUID_LEN])
{
    struct learning_executions row = LEARNING_EXECUTIONS_INIT;
    char id[LS_UUID_LEN], ws[LS_HASH_HEX], job[LS_HASH_HEX], *codes;
    char started[LS_TIME_LEN], completed[LS_TIME_LEN];
    int64_t now = lsi_now_us();
    double conf;
    int rc;

    if (o == NULL)
        return lsi_misuse(db, __func__, "outcome is NULL");
    if (workspace_path == NULL)
        return lsi_misuse(db, __func__, "workspace_path is NULL");
    if (o->job_id == NULL)
        return lsi_misuse(db, __func__, "job_id is NULL");
    if ((rc = lsi_check_list(db, __func__, "error_codes", error_codes,
                             nerror_codes, true)) != SC_OK
        || (rc = ls_uuid4(id)) != SC_OK
        || (rc = ls_hash_workspace(workspace_path, ws)) != SC_OK
        || (rc = ls_hash_job(o->job_id, NULL, job)) != SC_OK)
        return rc;
    /* Python's _calculate_confidence, step by step. */
    conf = o->validation_pass_rate
           - 0.1 * (double)(o->retry_count < 5 ? o->retry_count : 5);
    if (o->success_without_retry)
        conf = lsi_min(1.0, conf + 0.1);
    row.id = id;
    row.workspace_hash = ws;
    row.job_hash = job;
    row.sheet_num = ls_sheet_num(o->sheet_id);
    /* The outcome's timestamp defaults to datetime.now(UTC), and the
     * completion is the moment of recording (datetime.now()). */
    row.started_at = o->started_at;
    if (row.started_at == NULL) {
        lsi_format_utc(now, started);
        row.started_at = started;
    }
    row.completed_at = o->completed_at;
    if (row.completed_at == NULL) {
        lsi_format_local(now, completed);
        row.completed_at = completed;
    }
    row.duration_seconds = o->duration_seconds;
    row.has_duration_seconds = true;
    row.status = o->status;
    row.retry_count = o->retry_count;
    row.has_retry_count = true;
    row.success_without_retry = o->success_without_retry;
    row.has_success_without_retry = true;
    row.validation_pass_rate = o->validation_pass_rate;
    row.has_validation_pass_rate = true;
    row.confidence_score = lsi_clamp01(conf);
    row.has_confidence_score = true;
    row.model = model;
    if ((codes = ls_json_list(error_codes, nerror_codes)) == NULL)
        return SC_NOMEM;
    row.error_codes = codes;
    rc = learning_executions_insert(db, &row);
    free(codes);
    if (rc == SC_OK && id_out != NULL)
        memcpy(id_out, id, LS_UUID_LEN);
    return rc;
}

/* A caller's callback for execution records. */
struct execution_each {
    int (*each)(const struct learning_executions *, void *);
    void *arg;
};

/* Hand a row over as Python's ExecutionRecord holds it: unset numbers
 * as 0, an unset status as "", duration and retries at least 0, the
 * pass rate and confidence clamped into [0, 1], the flag as a bool. */
static int
as_record(const struct learning_executions *row, void *arg)
{
    const struct execution_each *x = arg;
    struct learning_executions r = *row;

    r.duration_seconds = lsi_max(0.0, r.has_duration_seconds
                                      ? r.duration_seconds : 0.0);
    r.status = r.status != NULL ? r.status : "";
    r.retry_count = r.has_retry_count && r.retry_count > 0 ? r.retry_count
                                                           : 0;
    r.success_without_retry = r.has_success_without_retry
                              && r.success_without_retry;
    r.validation_pass_rate = lsi_clamp01(r.has_validation_pass_rate
                                         ? r.validation_pass_rate : 0.0);
    r.confidence_score = lsi_clamp01(r.has_confidence_score
                                     ? r.confidence_score : 0.0);
    r.has_duration_seconds = r.has_retry_count = true;
    r.has_success_without_retry = r.has_validation_pass_rate = true;
    r.has_confidence_score = true;
    r.error_codes = r.error_codes != NULL ? r.error_codes : "[]";
    return x->each(&r, x->arg);
}

/* Call each for executions matching the given filters, newest first. */
int
ls_get_similar_executions(sc_db *db, const char *job_hash,
                          const char *workspace_hash,
                          const int64_t *sheet_num, int64_t limit,
                          int (*each)(const struct learning_executions *,
                                      void *),
                          void *arg)
{
    static const sc_order newest = {
        LEARNING_EXECUTIONS_COL_COMPLETED_AT, true
    };
    struct execution_each x = { each, arg };
    sc_where w = SC_WHERE_INIT;
    int rc;

    if (each == NULL)
        return lsi_misuse(db, __func__, "each is NULL");
    if (job_hash != NULL)
        sc_where_add(&w, "job_hash = ?", 1, sc_text(job_hash));
    if (workspace_hash != NULL)
        sc_where_add(&w, "workspace_hash = ?", 1, sc_text(workspace_hash));
    if (sheet_num != NULL)
        sc_where_add(&w, "sheet_num = ?", 1, sc_int(*sheet_num));
    rc = learning_executions_select(db, &w, &newest, 1, limit, 0, as_record,
                                    &x);
    sc_where_fini(&w);
    return rc;
}

/* The latest executions, of one workspace when workspace_hash is set. */
int
ls_get_recent_executions(sc_db *db, int64_t limit,
                         const char *workspace_hash,
                         int (*each)(const struct learning_executions *,
                                     void *),
                         void *arg)
{
    /* "if workspace_hash:" in Python: an empty hash is no filter. */
    if (workspace_hash != NULL && workspace_hash[0] == '\0')
        workspace_hash = NULL;
    return ls_get_similar_executions(db, NULL, workspace_hash, NULL, limit,
                                     each, arg);
}

/* The aggregate statistics of the store. */
int
ls_get_execution_stats(sc_db *db, struct ls_execution_stats *out)
{
    struct learning_execution_stats_row r;
    int rc;

    memset(out, 0, sizeof(*out));
    if ((rc = learning_execution_stats(db, &r)) != SC_OK)
        return rc;
    out->total_executions = r.total_executions;
    if (r.total_executions > 0)
        out->success_without_retry_rate = (double)r.successes
                                          / (double)r.total_executions;
    out->total_patterns = r.total_patterns;
    out->avg_pattern_effectiveness = r.has_avg_pattern_effectiveness
                                     ? r.avg_pattern_effectiveness : 0.0;
    out->total_error_recoveries = r.total_error_recoveries;
    out->unique_workspaces = r.unique_workspaces;
    learning_execution_stats_row_free(&r);
    return SC_OK;
}

/* Hours found so far, and the samples counted. */
struct window {
    struct ls_execution_window *w;
    int rc;
};

/* Append hour to a growing array; 0 or -1. */
static int
add_hour(int64_t **v, size_t *n, int64_t hour)
{
    int64_t *p = realloc(*v, (*n + 1) * sizeof(**v));

    if (p == NULL)
        return -1;
    p[(*n)++] = hour;
    *v = p;
    return 0;
}

/* Judge one hour's recoveries (a query callback). */
static int
judge_hour(const struct learning_recoveries_by_hour_row *r, void *arg)
{
    struct ls_execution_window *w = arg;
    int64_t total = r->has_total ? r->total : 0;
    int64_t ok = r->has_successes ? r->successes : 0;

    w->sample_count += total;
    /* An hour that was never recorded (NULL) has no place in a list of
     * hours. */
    if (!r->has_time_of_day || total < 3)
        return 0;
    if ((double)ok / (double)total >= 0.7)
        return add_hour(&w->optimal_hours, &w->noptimal, r->time_of_day)
               ? SC_NOMEM : 0;
    if ((double)ok / (double)total <= 0.3)
        return add_hour(&w->avoid_hours, &w->navoid, r->time_of_day)
               ? SC_NOMEM : 0;
    return 0;
}

/* Order two hours. */
static int
cmp_hour(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

    return (x > y) - (x < y);
}

/* The hours of the day when recoveries went well or badly. */
int
ls_get_optimal_execution_window(sc_db *db, const char *error_code,
                                struct ls_execution_window *out)
{
    int rc;

    memset(out, 0, sizeof(*out));
    /* "if error_code:" in Python: an empty code is no filter. */
    if (error_code != NULL && error_code[0] != '\0')
        rc = learning_recoveries_by_hour_code(db, error_code, judge_hour,
                                              out);
    else
        rc = learning_recoveries_by_hour(db, judge_hour, out);
    if (rc != SC_OK) {
        ls_execution_window_free(out);
        return rc;
    }
    if (out->noptimal > 1)
        qsort(out->optimal_hours, out->noptimal, sizeof(int64_t), cmp_hour);
    if (out->navoid > 1)
        qsort(out->avoid_hours, out->navoid, sizeof(int64_t), cmp_hour);
    out->confidence = lsi_min((double)out->sample_count / 50.0, 1.0);
    return SC_OK;
}

/* Free the hour lists of a window and zero it. */
void
ls_execution_window_free(struct ls_execution_window *w)
{
    if (w == NULL)
        return;
    free(w->optimal_hours);
    free(w->avoid_hours);
    memset(w, 0, sizeof(*w));
}

/* The cluster of a workspace. */
int
ls_get_workspace_cluster(sc_db *db, const char *workspace_hash,
                         char **cluster_id)
{
    struct learning_workspace_clusters row;
    int rc;

    *cluster_id = NULL;
    if (workspace_hash == NULL)
        return lsi_misuse(db, __func__, "workspace_hash is NULL");
    if ((rc = learning_workspace_clusters_get(db, workspace_hash, &row))
        != SC_OK)
        return rc;
    if (row.cluster_id == NULL) {
        rc = SC_NOTFOUND;
    } else if ((*cluster_id = strdup(row.cluster_id)) == NULL) {
        rc = SC_NOMEM;
    }
    learning_workspace_clusters_free(&row);
    return rc;
}

/* Put a workspace in a cluster (replacing its earlier one). */
int
ls_assign_workspace_cluster(sc_db *db, const char *workspace_hash,
                            const char *cluster_id)
{
    struct learning_workspace_clusters row = LEARNING_WORKSPACE_CLUSTERS_INIT;
    char now[LS_TIME_LEN];

    if (workspace_hash == NULL)
        return lsi_misuse(db, __func__, "workspace_hash is NULL");
    lsi_format_local(lsi_now_us(), now);
    row.workspace_hash = workspace_hash;
    row.cluster_id = cluster_id;
    row.assigned_at = now;
    return learning_workspace_clusters_upsert(db, &row);
}

/* A caller's callback for workspace hashes. */
struct hash_each {
    int (*each)(const char *, void *);
    void *arg;
};

/* Hand one workspace hash over (a query callback). */
static int
each_workspace(const struct learning_cluster_workspaces_row *r, void *arg)
{
    const struct hash_each *x = arg;

    return x->each(r->workspace_hash, x->arg);
}

/* The workspaces of a cluster, latest assigned first. */
int
ls_get_similar_workspaces(sc_db *db, const char *cluster_id, int64_t limit,
                          int (*each)(const char *workspace_hash, void *arg),
                          void *arg)
{
    struct hash_each x = { each, arg };

    if (each == NULL)
        return lsi_misuse(db, __func__, "each is NULL");
    return learning_cluster_workspaces(db, cluster_id, limit, each_workspace,
                                       &x);
}

/* Insert an error_recoveries row stamped with the local time and hour. */
int
ls_record_error_recovery(sc_db *db, const char *error_code,
                         double suggested_wait, double actual_wait,
                         bool success, const char *model,
                         char id_out[LS_UUID_LEN])
{
    struct learning_error_recoveries row = LEARNING_ERROR_RECOVERIES_INIT;
    char id[LS_UUID_LEN], now[LS_TIME_LEN];
    int64_t wall = lsi_local_wall(lsi_now_us());
    int rc;

    if ((rc = ls_uuid4(id)) != SC_OK)
        return rc;
    lsi_format_wall(wall, "", now);
    row.id = id;
    row.error_code = error_code;
    row.suggested_wait = suggested_wait;
    row.has_suggested_wait = true;
    row.actual_wait = actual_wait;
    row.has_actual_wait = true;
    row.recovery_success = success;
    row.has_recovery_success = true;
    row.recorded_at = now;
    row.model = model;
    row.time_of_day = lsi_floor_div(wall, LSI_US * 3600);
    row.time_of_day -= lsi_floor_div(row.time_of_day, 24) * 24;
    row.has_time_of_day = true;
    rc = learning_error_recoveries_insert(db, &row);
    if (rc == SC_OK && id_out != NULL)
        memcpy(id_out, id, LS_UUID_LEN);
    return rc;
}

/* Running sums over the waits a query hands over. */
struct wait_stats {
    int n;
    double sum, min;
};

/* Add one recovery's actual wait to the sums (a query callback). */
static int
add_wait(const struct learning_recovery_waits_row *r, void *arg)
{
    struct wait_stats *s = arg;
    double w = r->has_actual_wait ? r->actual_wait : 0;

    if (s->n == 0 || w < s->min)
        s->min = w;
    s->sum += w;
    s->n++;
    return 0;
}

/* (average + minimum) / 2 of the last 20 successful waits. */
int
ls_get_learned_wait_time(sc_db *db, const char *error_code,
                         const char *model, int min_samples, bool *found,
                         double *wait)
{
    struct wait_stats s = { 0, 0, 0 };
    int rc;

    *found = false;
    *wait = 0;
    if (error_code == NULL)
        return lsi_misuse(db, __func__, "error_code is NULL");
    /* "if model:" in Python: an empty model is no filter. */
    if (model != NULL && model[0] != '\0')
        rc = learning_recovery_waits_model(db, error_code, model,
                                           add_wait, &s);
    else
        rc = learning_recovery_waits(db, error_code, add_wait, &s);
    if (rc == SC_OK && s.n >= min_samples && s.n > 0) {
        *found = true;
        *wait = (s.sum / s.n + s.min) / 2;
    }
    return rc;
}

/* How many recoveries from error_code succeeded. */
int
ls_get_error_recovery_sample_count(sc_db *db, const char *error_code,
                                   int64_t *count)
{
    struct learning_recovery_sample_count_row r;
    int rc;

    *count = 0;
    if (error_code == NULL)
        return lsi_misuse(db, __func__, "error_code is NULL");
    if ((rc = learning_recovery_sample_count(db, error_code, &r)) == SC_OK)
        *count = r.has_count ? r.count : 0;
    learning_recovery_sample_count_row_free(&r);
    return rc;
}

/* The learned wait blended with a static delay, with its confidence. */
int
ls_get_learned_wait_time_with_fallback(sc_db *db, const char *error_code,
                                       double static_delay,
                                       const char *model, int min_samples,
                                       double min_confidence,
                                       struct ls_wait_advice *out)
{
    double learned, floor, conf;
    int64_t count;
    bool found;
    int rc;

    out->delay = static_delay;
    out->confidence = 0.0;
    out->strategy = "static_fallback";
    rc = ls_get_learned_wait_time(db, error_code, model, min_samples, &found,
                                  &learned);
    if (rc != SC_OK || !found)
        return rc;
    /* Confidence counts every successful recovery from the code, of any
     * model, as the Python store does. */
    if ((rc = ls_get_error_recovery_sample_count(db, error_code, &count))
        != SC_OK)
        return rc;
    conf = lsi_min((double)count / 10.0, 1.0);
    floor = static_delay * 0.5;
    out->confidence = conf;
    if (conf >= min_confidence) {
        out->delay = lsi_max(learned, floor);
        out->strategy = "global_learned";
    } else {
        double weight = conf / min_confidence;
        out->delay = weight * lsi_max(learned, floor)
                     + (1 - weight) * static_delay;
        out->strategy = "global_learned_blend";
    }
    return SC_OK;
}
