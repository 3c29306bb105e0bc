/*
 * limits.c - rate limits shared between jobs, escalation decisions, and the
 * exploration budget.
 */
#include "learnstore.h"

#include <stdlib.h>
#include <string.h>

/* Insert a rate-limit event that expires after 0.8 of its duration. */
int
ls_record_rate_limit_event(sc_db *db, const char *error_code,
                           double duration_seconds, const char *job_id,
                           const char *model)
{
    struct learning_rate_limit_events row = LEARNING_RATE_LIMIT_EVENTS_INIT;
    char id[LS_UUID_LEN], now[LS_TIME_LEN], expires[LS_TIME_LEN];
    char job[LS_HASH_HEX];
    double t = ls_now();
    int rc;

    if ((rc = ls_uuid4(id)) != SC_OK
        || (rc = ls_hash_job(job_id, NULL, job)) != SC_OK)
        return rc;
    ls_format_time(t, true, now);
    ls_format_time(t + 0.8 * duration_seconds, true, expires);
    row.id = id;
    row.error_code = error_code;
    row.model = model;
    row.recorded_at = now;
    row.expires_at = expires;
    row.source_job_hash = job;
    row.duration_seconds = duration_seconds;
    return learning_rate_limit_events_insert(db, &row);
}

/* The latest expiry among the events a select hands over. */
struct expiry {
    bool any;
    double latest;
};

/* Keep the latest parseable expiry (a select callback). */
static int
latest_expiry(const struct learning_rate_limit_events *e, void *arg)
{
    struct expiry *x = arg;
    double t;

    if (ls_parse_time(e->expires_at, true, &t) == 0
        && (!x->any || t > x->latest)) {
        x->latest = t;
        x->any = true;
    }
    return 0;
}

/* Whether error_code (and model) is rate limited now, and for how long. */
int
ls_is_rate_limited(sc_db *db, const char *error_code, const char *model,
                   bool *limited, double *seconds_left)
{
    struct expiry x = { false, 0 };
    char now[LS_TIME_LEN];
    double t = ls_now();
    sc_where w = SC_WHERE_INIT;
    int rc;

    *limited = false;
    *seconds_left = 0;
    ls_format_time(t, true, now);
    sc_where_add(&w, "error_code = ?", 1, sc_text(error_code));
    sc_where_add(&w, "expires_at > ?", 1, sc_text(now));
    if (model != NULL)
        sc_where_add(&w, "model = ?", 1, sc_text(model));
    rc = learning_rate_limit_events_select(db, &w, NULL, 0, -1, 0,
                                           latest_expiry, &x);
    sc_where_fini(&w);
    if (rc == SC_OK && x.any && x.latest > t) {
        *limited = true;
        *seconds_left = x.latest - t;
    }
    return rc;
}

/* Delete every event whose expiry has passed. */
int
ls_cleanup_expired_rate_limits(sc_db *db, int64_t *deleted)
{
    char now[LS_TIME_LEN];

    ls_format_time(ls_now(), true, now);
    return learning_delete_expired_rate_limits(db, now, deleted);
}

/* Insert an escalation decision for job_id's sheet. */
int
ls_record_escalation_decision(sc_db *db, const struct ls_escalation *e)
{
    struct learning_escalation_decisions row =
        LEARNING_ESCALATION_DECISIONS_INIT;
    char id[LS_UUID_LEN], now[LS_TIME_LEN], job[LS_HASH_HEX];
    int rc;

    if (e == NULL)
        return SC_MISUSE;
    if ((rc = ls_uuid4(id)) != SC_OK
        || (rc = ls_hash_job(e->job_id, NULL, job)) != SC_OK)
        return rc;
    ls_format_time(ls_now(), false, now);
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
    return learning_escalation_decisions_insert(db, &row);
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
    char job[LS_HASH_HEX];
    sc_where w = SC_WHERE_INIT;
    int rc = SC_OK;

    if (job_id != NULL && (rc = ls_hash_job(job_id, NULL, job)) == SC_OK)
        sc_where_add(&w, "job_hash = ?", 1, sc_text(job));
    if (action != NULL)
        sc_where_add(&w, "action = ?", 1, sc_text(action));
    if (rc == SC_OK)
        rc = learning_escalation_decisions_select(db, &w, &newest, 1, limit,
                                                  0, each, arg);
    sc_where_fini(&w);
    return rc;
}

/* Record a clamped exploration budget. */
int
ls_update_exploration_budget(sc_db *db, const char *job_hash, double value,
                             const char *adjustment_type,
                             const double *entropy, const char *reason,
                             double floor, double ceiling, double *recorded)
{
    struct learning_exploration_budget row =
        LEARNING_EXPLORATION_BUDGET_INIT;
    char id[LS_UUID_LEN], now[LS_TIME_LEN];
    int rc;

    if ((rc = ls_uuid4(id)) != SC_OK)
        return rc;
    ls_format_time(ls_now(), false, now);
    row.adjustment_type = adjustment_type;
    if (value < floor) {
        value = floor;
        row.adjustment_type = "floor_enforced";
    } else if (value > ceiling) {
        value = ceiling;
        row.adjustment_type = "ceiling_enforced";
    }
    row.id = id;
    row.job_hash = job_hash;
    row.recorded_at = now;
    row.budget_value = value;
    if (entropy != NULL) {
        row.entropy_at_time = *entropy;
        row.has_entropy_at_time = true;
    }
    row.adjustment_reason = reason;
    rc = learning_exploration_budget_insert(db, &row);
    if (rc == SC_OK && recorded != NULL)
        *recorded = value;
    return rc;
}

/* Keep a copy of the id of the row a select hands over. */
static int
keep_id(const struct learning_exploration_budget *b, void *arg)
{
    char **id = arg;

    *id = strdup(b->id);
    return *id != NULL ? 0 : 1;
}

/* The latest budget record of job_hash. */
int
ls_get_exploration_budget(sc_db *db, const char *job_hash,
                          struct learning_exploration_budget *out)
{
    static const sc_order newest = {
        LEARNING_EXPLORATION_BUDGET_COL_RECORDED_AT, true
    };
    sc_where w = SC_WHERE_INIT;
    char *id = NULL;
    int rc;

    memset(out, 0, sizeof(*out));
    sc_where_add(&w, "job_hash = ?", 1, sc_text(job_hash));
    rc = learning_exploration_budget_select(db, &w, &newest, 1, 1, 0,
                                            keep_id, &id);
    sc_where_fini(&w);
    if (rc == 1)
        rc = SC_NOMEM;
    else if (rc == SC_OK && id == NULL)
        rc = SC_NOTFOUND;
    else if (rc == SC_OK)
        rc = learning_exploration_budget_get(db, id, out);
    free(id);
    return rc;
}
