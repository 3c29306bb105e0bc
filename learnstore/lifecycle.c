/*
 * lifecycle.c - where a pattern stands: pending, validated, quarantined
 * or retired, the automatic promotion by effectiveness, the operator's
 * transitions, and a pattern's provenance.
 */
#include "learnstore.h"
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* The Python store's promotion thresholds (learnstore.h). */
const int64_t ls_min_occurrences_for_promotion = 3;
const double ls_promotion_effectiveness_threshold = 0.60;
const double ls_quarantine_effectiveness_threshold = 0.35;
const double ls_degradation_threshold = 0.30;

/* A growing list of malloc'd ids. */
struct id_list {
    char ***v;
    size_t *n;
    int rc;
};

/* Append a copy of id to *l; SC_OK or SC_NOMEM. */
static int
push_id(char ***v, size_t *n, const char *id)
{
    char **p = realloc(*v, (*n + 1) * sizeof(**v));

    if (p == NULL)
        return SC_NOMEM;
    *v = p;
    if ((p[*n] = strdup(id != NULL ? id : "")) == NULL)
        return SC_NOMEM;
    (*n)++;
    return SC_OK;
}

/* Sort a pending pattern into promoted or quarantined (a query
 * callback); a NULL effectiveness decides nothing. */
static int
judge_pending(const struct learning_pending_for_promotion_row *r, void *arg)
{
    struct ls_promotion *p = arg;

    if (!r->has_effectiveness_score)
        return 0;
    if (r->effectiveness_score >= ls_promotion_effectiveness_threshold)
        return push_id(&p->promoted, &p->npromoted, r->id);
    if (r->effectiveness_score < ls_quarantine_effectiveness_threshold)
        return push_id(&p->quarantined, &p->nquarantined, r->id);
    return 0;
}

/* Keep a degraded pattern's id (a query callback). */
static int
judge_degraded(const struct learning_degraded_patterns_row *r, void *arg)
{
    struct ls_promotion *p = arg;

    return push_id(&p->degraded, &p->ndegraded, r->id);
}

/* Free the lists of a promotion result and zero it. */
void
ls_promotion_free(struct ls_promotion *p)
{
    size_t i;

    if (p == NULL)
        return;
    for (i = 0; i < p->npromoted; i++)
        free(p->promoted[i]);
    for (i = 0; i < p->nquarantined; i++)
        free(p->quarantined[i]);
    for (i = 0; i < p->ndegraded; i++)
        free(p->degraded[i]);
    free(p->promoted);
    free(p->quarantined);
    free(p->degraded);
    memset(p, 0, sizeof(*p));
}

/*
 * Promote, quarantine or degrade patterns by their effectiveness, as the
 * Python store's promote_ready_patterns: all reads first, then the
 * writes, in one batch.
 */
int
ls_promote_ready_patterns(sc_db *db, struct ls_promotion *out)
{
    char now[LS_TIME_LEN];
    size_t i;
    int rc;

    memset(out, 0, sizeof(*out));
    lsi_format_local(lsi_now_us(), now);
    if ((rc = sc_batch_begin_op(db)) != SC_OK)
        return rc;
    rc = learning_pending_for_promotion(db, ls_min_occurrences_for_promotion,
                                        judge_pending, out);
    for (i = 0; rc == SC_OK && i < out->npromoted; i++)
        rc = learning_pattern_validated_at(db, out->promoted[i], now, NULL);
    for (i = 0; rc == SC_OK && i < out->nquarantined; i++)
        rc = learning_pattern_quarantined_at(db, out->quarantined[i], now,
                                             NULL);
    if (rc == SC_OK)
        rc = learning_degraded_patterns(db, ls_degradation_threshold,
                                        ls_min_occurrences_for_promotion,
                                        judge_degraded, out);
    for (i = 0; rc == SC_OK && i < out->ndegraded; i++)
        rc = learning_pattern_quarantined_at(db, out->degraded[i], now,
                                             NULL);
    rc = sc_batch_end(db, rc);
    if (rc != SC_OK)
        ls_promotion_free(out);
    return rc;
}

/* SC_NOTFOUND when an update of one pattern changed no row. */
static int
found(int rc, int64_t changes)
{
    return rc == SC_OK && changes == 0 ? SC_NOTFOUND : rc;
}

/* Set a pattern's status, stamping the time of validated and
 * quarantined. */
int
ls_update_quarantine_status(sc_db *db, const char *pattern_id,
                            const char *status)
{
    char now[LS_TIME_LEN];
    int64_t changes = 0;
    int rc;

    if (pattern_id == NULL)
        return lsi_misuse(db, __func__, "pattern_id is NULL");
    if (status == NULL)
        return lsi_misuse(db, __func__, "status is NULL");
    lsi_format_local(lsi_now_us(), now);
    if (strcmp(status, "validated") == 0)
        rc = learning_pattern_validated_at(db, pattern_id, now, &changes);
    else if (strcmp(status, "quarantined") == 0)
        rc = learning_pattern_quarantined_at(db, pattern_id, now, &changes);
    else if (strcmp(status, "pending") == 0 || strcmp(status, "retired") == 0)
        rc = learning_pattern_status(db, pattern_id, status, &changes);
    else
        return lsi_misuse(db, __func__, "status '%s' is not a "
                          "QuarantineStatus", status);
    return found(rc, changes);
}

/* Quarantine a pattern now, for reason (NULL: none). */
int
ls_quarantine_pattern(sc_db *db, const char *pattern_id, const char *reason)
{
    char now[LS_TIME_LEN];
    int64_t changes = 0;
    int rc;

    if (pattern_id == NULL)
        return lsi_misuse(db, __func__, "pattern_id is NULL");
    lsi_format_local(lsi_now_us(), now);
    rc = learning_pattern_quarantine(db, pattern_id, now, reason, &changes);
    return found(rc, changes);
}

/* Validate a pattern now and clear its quarantine reason. */
int
ls_validate_pattern(sc_db *db, const char *pattern_id)
{
    char now[LS_TIME_LEN];
    int64_t changes = 0;
    int rc;

    if (pattern_id == NULL)
        return lsi_misuse(db, __func__, "pattern_id is NULL");
    lsi_format_local(lsi_now_us(), now);
    rc = learning_pattern_validate(db, pattern_id, now, &changes);
    return found(rc, changes);
}

/* Retire a pattern. */
int
ls_retire_pattern(sc_db *db, const char *pattern_id)
{
    int64_t changes = 0;
    int rc;

    if (pattern_id == NULL)
        return lsi_misuse(db, __func__, "pattern_id is NULL");
    rc = learning_pattern_status(db, pattern_id, "retired", &changes);
    return found(rc, changes);
}

/* The quarantined patterns, by priority. */
int
ls_get_quarantined_patterns(sc_db *db, int64_t limit,
                            int (*each)(const struct learning_patterns *,
                                        void *),
                            void *arg)
{
    struct ls_pattern_filter f = LS_PATTERN_FILTER_INIT;

    f.quarantine_status = "quarantined";
    f.min_priority = 0.0;
    f.limit = limit;
    return ls_get_patterns(db, &f, each, arg);
}

/* Copy a stored time as fromisoformat(...).isoformat() gives it; NULL
 * stays NULL, text that is no time is kept as it is. */
static char *
iso_copy(const char *s)
{
    char t[LS_TIME_LEN];

    if (s == NULL)
        return NULL;
    return strdup(lsi_iso_normalize(s, t) == 0 ? t : s);
}

/* Free a provenance and zero it. */
void
ls_provenance_free(struct ls_provenance *p)
{
    if (p == NULL)
        return;
    free(p->pattern_id);
    free(p->pattern_name);
    free(p->quarantine_status);
    free(p->first_seen);
    free(p->last_seen);
    free(p->last_confirmed);
    free(p->provenance_job_hash);
    free(p->quarantined_at);
    free(p->validated_at);
    free(p->quarantine_reason);
    free(p->trust_calculation_date);
    memset(p, 0, sizeof(*p));
}

/* Where a pattern came from and where it stands. */
int
ls_get_pattern_provenance(sc_db *db, const char *pattern_id,
                          struct ls_provenance *out)
{
    struct learning_patterns row, r;
    int rc;

    memset(out, 0, sizeof(*out));
    if (pattern_id == NULL)
        return lsi_misuse(db, __func__, "pattern_id is NULL");
    if ((rc = learning_patterns_get(db, pattern_id, &row)) != SC_OK)
        return rc;
    lsi_pattern_record(&row, &r);
    out->pattern_id = lsi_strdup(r.id);
    out->pattern_name = lsi_strdup(r.pattern_name);
    out->quarantine_status = lsi_strdup(r.quarantine_status);
    out->first_seen = iso_copy(r.first_seen);
    out->last_seen = iso_copy(r.last_seen);
    out->last_confirmed = iso_copy(r.last_confirmed);
    out->provenance_job_hash = lsi_strdup(r.provenance_job_hash);
    out->provenance_sheet_num = r.provenance_sheet_num;
    out->has_provenance_sheet_num = r.has_provenance_sheet_num;
    out->quarantined_at = iso_copy(r.quarantined_at);
    out->validated_at = iso_copy(r.validated_at);
    out->quarantine_reason = lsi_strdup(r.quarantine_reason);
    out->trust_score = r.trust_score;
    out->trust_calculation_date = iso_copy(r.trust_calculation_date);
    if (out->pattern_id == NULL || out->pattern_name == NULL
        || out->quarantine_status == NULL
        || (r.first_seen && !out->first_seen)
        || (r.last_seen && !out->last_seen)
        || (r.last_confirmed && !out->last_confirmed)
        || (r.provenance_job_hash && !out->provenance_job_hash)
        || (r.quarantined_at && !out->quarantined_at)
        || (r.validated_at && !out->validated_at)
        || (r.quarantine_reason && !out->quarantine_reason)
        || (r.trust_calculation_date && !out->trust_calculation_date)) {
        ls_provenance_free(out);
        rc = SC_NOMEM;
    }
    learning_patterns_free(&row);
    return rc;
}
