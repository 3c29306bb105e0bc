/*
 * budget.c - the exploration budget (how much pattern selection
 * explores), with its floor and ceiling, history and statistics.
 */
#include "learnstore.h"
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Record a clamped exploration budget. */
int
ls_update_exploration_budget(sc_db *db, const char *job_hash, double value,
                             const char *adjustment_type,
                             const double *entropy, const char *reason,
                             double floor, double ceiling,
                             struct learning_exploration_budget *out)
{
    struct learning_exploration_budget row =
        LEARNING_EXPLORATION_BUDGET_INIT;
    char id[LS_UUID_LEN], now[LS_TIME_LEN], a[64], b[64], why[160];
    double stored = lsi_max(floor, lsi_min(ceiling, value));
    int rc;

    if (out != NULL)
        memset(out, 0, sizeof(*out));
    if ((rc = ls_uuid4(id)) != SC_OK)
        return rc;
    lsi_format_local(lsi_now_us(), now);
    row.adjustment_type = adjustment_type;
    row.adjustment_reason = reason;
    /* The Python store names the bound it enforced, in its own words. */
    if (value < floor) {
        lsi_py_fixed(value, 3, a);
        lsi_py_fixed(floor, 3, b);
        snprintf(why, sizeof(why), "Budget %s enforced to floor %s", a, b);
        row.adjustment_type = "floor_enforced";
        row.adjustment_reason = why;
    } else if (value > ceiling) {
        lsi_py_fixed(value, 3, a);
        lsi_py_fixed(ceiling, 3, b);
        snprintf(why, sizeof(why), "Budget %s enforced to ceiling %s", a, b);
        row.adjustment_type = "ceiling_enforced";
        row.adjustment_reason = why;
    }
    row.id = id;
    row.job_hash = job_hash;
    row.recorded_at = now;
    row.budget_value = stored;
    if (entropy != NULL) {
        row.entropy_at_time = *entropy;
        row.has_entropy_at_time = true;
    }
    rc = learning_exploration_budget_insert(db, &row);
    if (rc == SC_OK && out != NULL) {
        *out = row;
        out->id = lsi_strdup(row.id);
        out->job_hash = lsi_strdup(row.job_hash);
        out->recorded_at = lsi_strdup(row.recorded_at);
        out->adjustment_type = lsi_strdup(row.adjustment_type);
        out->adjustment_reason = lsi_strdup(row.adjustment_reason);
        if (out->id == NULL || out->recorded_at == NULL
            || (row.job_hash != NULL && out->job_hash == NULL)
            || (row.adjustment_type != NULL && out->adjustment_type == NULL)
            || (row.adjustment_reason != NULL
                && out->adjustment_reason == NULL)) {
            learning_exploration_budget_free(out);
            rc = SC_NOMEM;
        }
    }
    return rc;
}

/* The latest budget record, of job_hash or (NULL or "") of any job. */
int
ls_get_exploration_budget(sc_db *db, const char *job_hash,
                          struct learning_exploration_budget *out)
{
    if (job_hash != NULL && job_hash[0] != '\0')
        return learning_latest_budget_job(db, job_hash, out);
    return learning_latest_budget(db, out);
}
