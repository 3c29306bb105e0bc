/*
 * limits.c - rate limits shared between jobs, and escalation decisions
 * with their outcomes.
 */
#include "learnstore.h"
#include "internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Insert a rate-limit event that expires after 0.8 of its duration. */
int
ls_record_rate_limit_event(sc_db *db, const char *error_code,
                           double duration_seconds, const char *job_id,
                           const char *model, char id_out[LS_UUID_LEN])
{
    struct learning_rate_limit_events row = LEARNING_RATE_LIMIT_EVENTS_INIT;
    char id[LS_UUID_LEN], now[LS_TIME_LEN], expires[LS_TIME_LEN];
    char job[LS_HASH_HEX];
    int64_t t = lsi_now_us(), until;
    int rc;

    if ((rc = lsi_add_seconds(db, __func__, "duration_seconds", t,
                              duration_seconds * 0.8, &until)) != SC_OK
        || (rc = ls_uuid4(id)) != SC_OK
        || (rc = ls_hash_job(job_id, NULL, job)) != SC_OK)
        return rc;
    lsi_format_utc(t, now);
    lsi_format_utc(until, expires);
    row.id = id;
    row.error_code = error_code;
    row.model = model;
    row.recorded_at = now;
    row.expires_at = expires;
    row.source_job_hash = job;
    row.duration_seconds = duration_seconds;
    rc = learning_rate_limit_events_insert(db, &row);
    if (rc == SC_OK && id_out != NULL)
        memcpy(id_out, id, LS_UUID_LEN);
    return rc;
}

/*
 * Whether an unexpired event for error_code (NULL: any) and model (NULL:
 * any) exists, and the seconds until the latest expiry: one row read by
 * the expiry index, as the Python store's ORDER BY expires_at DESC
 * LIMIT 1.
 */
int
ls_is_rate_limited(sc_db *db, const char *error_code, const char *model,
                   bool *limited, double *seconds_left)
{
    struct learning_latest_rate_limit_row latest;
    struct learning_rate_limit_code_exists_row some;
    char now[LS_TIME_LEN];
    int64_t t = lsi_now_us(), at;
    int rc;

    *limited = false;
    *seconds_left = 0;
    lsi_format_utc(t, now);
    /* A code (or model) with no event at all is answered by one index
     * probe, without scanning the unexpired events of the others. */
    if (error_code != NULL || model != NULL) {
        rc = error_code != NULL
            ? learning_rate_limit_code_exists(db, error_code, &some)
            : learning_rate_limit_model_exists(db, model, &some);
        learning_rate_limit_code_exists_row_free(&some);
        if (rc != SC_OK)
            return rc == SC_NOTFOUND ? SC_OK : rc;
    }
    if (error_code != NULL && model != NULL)
        rc = learning_latest_rate_limit_code_model(db, now, error_code, model,
                                                   &latest);
    else if (error_code != NULL)
        rc = learning_latest_rate_limit_code(db, now, error_code, &latest);
    else if (model != NULL)
        rc = learning_latest_rate_limit_model(db, now, model, &latest);
    else
        rc = learning_latest_rate_limit(db, now, &latest);
    if (rc == SC_NOTFOUND) {
        rc = SC_OK;
    } else if (rc == SC_OK && lsi_instant_of(latest.expires_at, &at) != 0) {
        rc = lsi_fail(db, SC_CORRUPT, __func__, "the latest expiry '%.64s' "
                      "is not a time",
                      latest.expires_at ? latest.expires_at : "");
    } else if (rc == SC_OK && at > t) {
        /* timedelta.total_seconds(): whole microseconds / 10**6. */
        *limited = true;
        *seconds_left = (double)(at - t) / 1e6;
    }
    learning_latest_rate_limit_row_free(&latest);
    return rc;
}

/* A caller's callback for rate-limit records. */
struct limit_each {
    int (*each)(const struct learning_rate_limit_events *, void *);
    void *arg;
};

/* Whether s has the one shape the store writes rate-limit times in,
 * "YYYY-MM-DDTHH:MM:SS.ffffff+00:00": fixed-width fields, so two such
 * texts are in the order of their times. */
static bool
utc_shaped(const char *s)
{
    return s != NULL && strlen(s) == 32 && s[10] == 'T' && s[19] == '.'
           && strcmp(s + 26, "+00:00") == 0;
}

/* Hand an event over as Python's RateLimitEvent holds it: an expiry
 * before the recording reads as the recording time.  Times the store
 * wrote and in order need no parsing (every record of the listing). */
static int
as_event(const struct learning_rate_limit_events *row, void *arg)
{
    const struct limit_each *x = arg;
    struct learning_rate_limit_events r = *row;
    int64_t rec, exp;

    if (utc_shaped(r.recorded_at) && utc_shaped(r.expires_at)
        && strcmp(r.expires_at, r.recorded_at) >= 0)
        return x->each(&r, x->arg);
    if (lsi_instant_of(r.recorded_at, &rec) == 0
        && lsi_instant_of(r.expires_at, &exp) == 0 && exp < rec)
        r.expires_at = r.recorded_at;
    return x->each(&r, x->arg);
}

/* The unexpired events, latest expiry first; model NULL or "": any. */
int
ls_get_active_rate_limits(sc_db *db, const char *model,
                          int (*each)(const struct
                                      learning_rate_limit_events *, void *),
                          void *arg)
{
    struct limit_each x = { each, arg };
    char now[LS_TIME_LEN];

    if (each == NULL)
        return lsi_misuse(db, __func__, "each is NULL");
    lsi_format_utc(lsi_now_us(), now);
    if (model != NULL && model[0] != '\0')
        return learning_active_rate_limits_model(db, now, model, as_event,
                                                 &x);
    return learning_active_rate_limits(db, now, as_event, &x);
}

/* Delete every event whose expiry has passed. */
int
ls_cleanup_expired_rate_limits(sc_db *db, int64_t *deleted)
{
    char now[LS_TIME_LEN];

    lsi_format_utc(lsi_now_us(), now);
    return learning_delete_expired_rate_limits(db, now, deleted);
}

/* Insert an escalation decision for job_id's sheet. */
int
ls_record_escalation_decision(sc_db *db, const struct ls_escalation *e,
                              char id_out[LS_UUID_LEN])
{
    struct learning_escalation_decisions row =
        LEARNING_ESCALATION_DECISIONS_INIT;
    char id[LS_UUID_LEN], now[LS_TIME_LEN], job[LS_HASH_HEX];
    int rc;

    if (e == NULL)
        return lsi_misuse(db, __func__, "escalation is NULL");
    if ((rc = ls_uuid4(id)) != SC_OK
        || (rc = ls_hash_job(e->job_id, NULL, job)) != SC_OK)
        return rc;
    lsi_format_local(lsi_now_us(), now);
    row.id = id;
    row.job_hash = job;
    row.sheet_num = e->sheet_num;
    row.confidence = e->confidence;
    row.action = e->action;
    row.guidance = e->guidance;
    row.validation_pass_rate = e->validation_pass_rate;
    row.retry_count = e->retry_count;
    row.outcome_after_action = e->outcome_after_action;
    row.recorded_at = now;
    row.model = e->model;
    rc = learning_escalation_decisions_insert(db, &row);
    if (rc == SC_OK && id_out != NULL)
        memcpy(id_out, id, LS_UUID_LEN);
    return rc;
}

/* A caller's callback for escalation records. */
struct escalation_each {
    int (*each)(const struct learning_escalation_decisions *, void *);
    void *arg;
};

/* Hand a row over as Python's EscalationDecisionRecord holds it:
 * confidence clamped into [0, 1], an action other than retry, skip,
 * abort and modify_prompt read as "abort". */
static int
as_record(const struct learning_escalation_decisions *row, void *arg)
{
    const struct escalation_each *x = arg;
    struct learning_escalation_decisions r = *row;
    static const char *const actions[] = {
        "retry", "skip", "abort", "modify_prompt"
    };
    size_t i;

    r.confidence = lsi_clamp01(r.confidence);
    for (i = 0; i < 4; i++)
        if (r.action != NULL && strcmp(r.action, actions[i]) == 0)
            break;
    if (i == 4)
        r.action = "abort";
    return x->each(&r, x->arg);
}

/* Escalations, newest first, filtered by job and action when given. */
int
ls_get_escalation_history(sc_db *db, const char *job_id, const char *action,
                          int64_t limit,
                          int (*each)(const struct
                                      learning_escalation_decisions *,
                                      void *),
                          void *arg)
{
    static const sc_order newest = {
        LEARNING_ESCALATION_DECISIONS_COL_RECORDED_AT, true
    };
    struct escalation_each x = { each, arg };
    char job[LS_HASH_HEX];
    sc_where w = SC_WHERE_INIT;
    int rc = SC_OK;

    if (each == NULL)
        return lsi_misuse(db, __func__, "each is NULL");
    if (job_id != NULL && (rc = ls_hash_job(job_id, NULL, job)) == SC_OK)
        sc_where_add(&w, "job_hash = ?", 1, sc_text(job));
    if (action != NULL)
        sc_where_add(&w, "action = ?", 1, sc_text(action));
    if (rc == SC_OK)
        rc = learning_escalation_decisions_select(db, &w, &newest, 1, limit,
                                                  0, as_record, &x);
    sc_where_fini(&w);
    return rc;
}

/* Past escalations close to this one, the successful first. */
int
ls_get_similar_escalation(sc_db *db, double confidence,
                          double validation_pass_rate,
                          double confidence_tolerance,
                          double pass_rate_tolerance, int64_t limit,
                          int (*each)(const struct
                                      learning_escalation_decisions *,
                                      void *),
                          void *arg)
{
    struct escalation_each x = { each, arg };

    if (each == NULL)
        return lsi_misuse(db, __func__, "each is NULL");
    return learning_similar_escalations(db, confidence, validation_pass_rate,
                                        confidence_tolerance,
                                        pass_rate_tolerance, limit,
                                        as_record, &x);
}

/* Record what happened after an escalation's action. */
int
ls_update_escalation_outcome(sc_db *db, const char *escalation_id,
                             const char *outcome_after_action)
{
    int64_t changes = 0;
    int rc;

    if (escalation_id == NULL)
        return lsi_misuse(db, __func__, "escalation_id is NULL");
    rc = learning_escalation_outcome(db, escalation_id, outcome_after_action,
                                     &changes);
    return rc == SC_OK && changes == 0 ? SC_NOTFOUND : rc;
}
