/*
 * executions.c - execution outcomes and error recoveries: what happened
 * when sheets ran, and how long waiting out an error took.
 */
#include "learnstore.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Open the store at path (NULL: the schema's default path). */
int
ls_open(sc_db **db, const char *path)
{
    return sc_open(db, path, &learning_schema, NULL);
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
    double retries;
    int rc;

    if (o == NULL || workspace_path == NULL || o->job_id == NULL)
        return SC_MISUSE;
    if ((rc = ls_uuid4(id)) != SC_OK
        || (rc = ls_hash_workspace(workspace_path, ws)) != SC_OK
        || (rc = ls_hash_job(o->job_id, NULL, job)) != SC_OK)
        return rc;
    retries = o->retry_count < 5 ? (double)o->retry_count : 5.0;
    row.id = id;
    row.workspace_hash = ws;
    row.job_hash = job;
    row.sheet_num = ls_sheet_num(o->sheet_id);
    row.started_at = o->started_at;
    row.completed_at = o->completed_at;
    row.duration_seconds = o->duration_seconds;
    row.has_duration_seconds = true;
    row.status = o->status;
    row.retry_count = o->retry_count;
    row.has_retry_count = true;
    row.success_without_retry = o->success_without_retry;
    row.has_success_without_retry = true;
    row.validation_pass_rate = o->validation_pass_rate;
    row.has_validation_pass_rate = true;
    row.confidence_score = ls_clamp01(o->validation_pass_rate - 0.1 * retries
                                      + (o->success_without_retry ? 0.1 : 0));
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
    sc_where w = SC_WHERE_INIT;
    int rc;

    if (job_hash != NULL)
        sc_where_add(&w, "job_hash = ?", 1, sc_text(job_hash));
    if (workspace_hash != NULL)
        sc_where_add(&w, "workspace_hash = ?", 1, sc_text(workspace_hash));
    if (sheet_num != NULL)
        sc_where_add(&w, "sheet_num = ?", 1, sc_int(*sheet_num));
    rc = learning_executions_select(db, &w, &newest, 1, limit, 0, each, arg);
    sc_where_fini(&w);
    return rc;
}

/* Insert an error_recoveries row stamped with the local time and hour. */
int
ls_record_error_recovery(sc_db *db, const char *error_code,
                         double suggested_wait, double actual_wait,
                         bool success, const char *model)
{
    struct learning_error_recoveries row = LEARNING_ERROR_RECOVERIES_INIT;
    char id[LS_UUID_LEN], now[LS_TIME_LEN];
    double t = ls_now();
    time_t secs = (time_t)t;
    struct tm tm;
    int rc;

    if ((rc = ls_uuid4(id)) != SC_OK)
        return rc;
    ls_format_time(t, false, now);
    localtime_r(&secs, &tm);
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
    row.time_of_day = tm.tm_hour;
    row.has_time_of_day = true;
    return learning_error_recoveries_insert(db, &row);
}

/* Running sums over the recoveries a select hands over. */
struct wait_stats {
    int n;
    double sum, min;
};

/* Add one recovery's actual wait to the sums (a select callback). */
static int
add_wait(const struct learning_error_recoveries *r, void *arg)
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
    static const sc_order newest = {
        LEARNING_ERROR_RECOVERIES_COL_RECORDED_AT, true
    };
    struct wait_stats s = { 0, 0, 0 };
    sc_where w = SC_WHERE_INIT;
    int rc;

    *found = false;
    *wait = 0;
    sc_where_add(&w, "error_code = ?", 1, sc_text(error_code));
    sc_where_add(&w, "recovery_success = 1", 0);
    if (model != NULL)
        sc_where_add(&w, "model = ?", 1, sc_text(model));
    rc = learning_error_recoveries_select(db, &w, &newest, 1, 20, 0,
                                          add_wait, &s);
    sc_where_fini(&w);
    if (rc == SC_OK && s.n >= min_samples && s.n > 0) {
        *found = true;
        *wait = (s.sum / s.n + s.min) / 2;
    }
    return rc;
}
