/*
 * patterns.c - learned patterns: recording sightings (race-free),
 * recording applications with the effectiveness and priority arithmetic
 * of the Python store, and the filtered read.
 */
#include "learnstore.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Fill a new pattern row with the store's starting values. */
static void
new_pattern(struct learning_patterns *p, const struct ls_pattern_input *in,
            char *id, char *now, char *tags)
{
    p->id = id;
    p->pattern_type = in->pattern_type;
    p->pattern_name = in->pattern_name;
    p->description = in->description;
    p->occurrence_count = 1;
    p->has_occurrence_count = true;
    p->first_seen = p->last_seen = p->last_confirmed = now;
    p->led_to_success_count = 0;
    p->has_led_to_success_count = true;
    p->led_to_failure_count = 0;
    p->has_led_to_failure_count = true;
    p->effectiveness_score = 0.5;
    p->has_effectiveness_score = true;
    p->variance = 0;
    p->has_variance = true;
    p->suggested_action = in->suggested_action;
    p->context_tags = tags;
    p->priority_score = 0.5;
    p->has_priority_score = true;
    p->quarantine_status = "pending";
    p->provenance_job_hash = in->provenance_job_hash;
    if (in->provenance_sheet_num != NULL) {
        p->provenance_sheet_num = *in->provenance_sheet_num;
        p->has_provenance_sheet_num = true;
    }
    p->trust_score = 0.5;
    p->has_trust_score = true;
    p->trust_calculation_date = now;
    p->active = 1;
    p->has_active = true;
    p->instrument_name = in->instrument_name;
}

/* Record one sighting of a pattern, counting it exactly once even when
 * other processes record the same pattern at the same moment. */
int
ls_record_pattern(sc_db *db, const struct ls_pattern_input *in,
                  char id_out[LS_HASH_HEX])
{
    char id[LS_HASH_HEX], now[LS_TIME_LEN], *tags;
    int64_t changed = 0;
    int rc;

    if (in == NULL || in->pattern_type == NULL || in->pattern_name == NULL)
        return SC_MISUSE;
    if ((rc = ls_pattern_id(in->pattern_type, in->pattern_name, id)) != SC_OK)
        return rc;
    ls_format_time(ls_now(), false, now);
    if ((tags = ls_json_list(in->context_tags, in->ncontext_tags)) == NULL)
        return SC_NOMEM;
    /* BEGIN IMMEDIATE takes the write lock before the read, so no other
     * process can insert the same id between our get and our insert. */
    if ((rc = sc_batch_begin(db)) != SC_OK) {
        free(tags);
        return rc;
    }
    /* An existing pattern changes only where the Python store's UPDATE
     * changes it; no row changed means there is none yet. */
    rc = learning_pattern_seen_again(db, id, now, in->description,
                                     in->suggested_action, tags, &changed);
    if (rc == SC_OK && changed == 0) {
        struct learning_patterns fresh = LEARNING_PATTERNS_INIT;
        new_pattern(&fresh, in, id, now, tags);
        rc = learning_patterns_insert(db, &fresh);
    }
    rc = sc_batch_end(db, rc);
    free(tags);
    if (rc == SC_OK && id_out != NULL)
        memcpy(id_out, id, LS_HASH_HEX);
    return rc;
}

/* Tallies over a pattern's most recent applications. */
struct recent {
    int n, successes, ngrounded;
    double grounding;
};

/* Count one recent application: success, grounding (a select
 * callback). */
static int
tally(const struct learning_pattern_applications *a, void *arg)
{
    struct recent *r = arg;

    r->n++;
    if (a->has_pattern_led_to_success && a->pattern_led_to_success)
        r->successes++;
    if (a->has_grounding_confidence) {
        r->ngrounded++;
        r->grounding += a->grounding_confidence;
    }
    return 0;
}

/*
 * Recompute p's effectiveness and priority from its counts and its last 5
 * applications, at time now.  Returns SC_OK or the select's error.
 */
static int
rescore(sc_db *db, struct learning_patterns *p, double now)
{
    static const sc_order newest = {
        LEARNING_PATTERN_APPLICATIONS_COL_APPLIED_AT, true
    };
    int64_t s = p->led_to_success_count, f = p->led_to_failure_count;
    int64_t n = s + f, occ = p->has_occurrence_count ? p->occurrence_count
                                                     : 1;
    struct recent r = { 0, 0, 0, 0 };
    double eff, hist, recent, g, days = 0, confirmed, weight;
    sc_where w = SC_WHERE_INIT;
    int rc;

    if (n < 3) {
        eff = 0.55;
    } else {
        sc_where_add(&w, "pattern_id = ?", 1, sc_text(p->id));
        rc = learning_pattern_applications_select(db, &w, &newest, 1, 5, 0,
                                                  tally, &r);
        sc_where_fini(&w);
        if (rc != SC_OK)
            return rc;
        hist = ((double)s + 0.5) / ((double)n + 1);
        recent = r.n > 0 ? (double)r.successes / r.n : 0;
        g = r.ngrounded > 0 ? r.grounding / r.ngrounded : 1.0;
        if (ls_parse_time(p->last_confirmed, false, &confirmed) == 0)
            days = (now - confirmed) / 86400.0;
        eff = (0.7 * recent + 0.3 * hist) * pow(0.9, days / 30.0)
              * (0.7 + 0.3 * g);
    }
    weight = log10((double)occ + 1) / 2;
    weight = weight > 1 ? 1 : weight;
    weight = weight < 0.6 ? 0.6 : weight;
    p->effectiveness_score = eff;
    p->has_effectiveness_score = true;
    p->priority_score = ls_clamp01(eff * weight
                                   * (1 - (p->has_variance ? p->variance
                                                           : 0)));
    p->has_priority_score = true;
    return SC_OK;
}

/* Record one application of a pattern and rescore the pattern, all in one
 * batch. */
int
ls_record_pattern_application(sc_db *db, const char *pattern_id,
                              const char *execution_id, bool led_to_success,
                              int64_t retry_before, int64_t retry_after,
                              const double *grounding_confidence,
                              bool *recorded)
{
    static const int scores[] = {
        LEARNING_PATTERNS_COL_EFFECTIVENESS_SCORE,
        LEARNING_PATTERNS_COL_PRIORITY_SCORE
    };
    struct learning_pattern_applications app =
        LEARNING_PATTERN_APPLICATIONS_INIT;
    struct learning_patterns p;
    char id[LS_UUID_LEN], now_text[LS_TIME_LEN];
    double now = ls_now();
    int rc;

    *recorded = false;
    if (pattern_id == NULL)
        return SC_MISUSE;
    if ((rc = ls_uuid4(id)) != SC_OK)
        return rc;
    ls_format_time(now, false, now_text);
    if ((rc = sc_batch_begin(db)) != SC_OK)
        return rc;
    rc = learning_patterns_get(db, pattern_id, &p);
    if (rc == SC_NOTFOUND)
        return sc_batch_end(db, SC_OK);
    if (rc != SC_OK)
        return sc_batch_end(db, rc);
    app.id = id;
    app.pattern_id = pattern_id;
    app.execution_id = execution_id;
    app.applied_at = now_text;
    app.pattern_led_to_success = led_to_success;
    app.has_pattern_led_to_success = true;
    app.retry_count_before = retry_before;
    app.has_retry_count_before = true;
    app.retry_count_after = retry_after;
    app.has_retry_count_after = true;
    if (grounding_confidence != NULL) {
        app.grounding_confidence = *grounding_confidence;
        app.has_grounding_confidence = true;
    }
    rc = learning_pattern_applications_insert(db, &app);
    learning_patterns_free(&p);
    /* The counts are raised in SQL, as the Python store does, then read
     * back; only the two scores are written from C. */
    if (rc == SC_OK)
        rc = led_to_success
            ? learning_pattern_succeeded(db, pattern_id, now_text, NULL)
            : learning_pattern_failed(db, pattern_id, NULL);
    if (rc == SC_OK)
        rc = learning_patterns_get(db, pattern_id, &p);
    if (rc == SC_OK) {
        rc = rescore(db, &p, now);
        if (rc == SC_OK)
            rc = learning_patterns_update_cols(db, &p, scores,
                                               sizeof scores
                                               / sizeof scores[0]);
        learning_patterns_free(&p);
    }
    rc = sc_batch_end(db, rc);
    *recorded = rc == SC_OK;
    return rc;
}

/* Call each for the patterns the filter lets through, best first. */
int
ls_get_patterns(sc_db *db, const struct ls_pattern_filter *f,
                int (*each)(const struct learning_patterns *, void *),
                void *arg)
{
    static const sc_order best = {
        LEARNING_PATTERNS_COL_PRIORITY_SCORE, true
    };
    sc_where w = SC_WHERE_INIT;
    sc_value *tags = NULL;
    char *clause = NULL;
    size_t i;
    int rc;

    sc_where_add(&w, "priority_score >= ?", 1, sc_real(f->min_priority));
    if (!f->include_inactive)
        sc_where_add(&w, "COALESCE(active, 1) = 1", 0);
    if (f->pattern_type != NULL)
        sc_where_add(&w, "pattern_type = ?", 1, sc_text(f->pattern_type));
    if (f->instrument_name != NULL && f->include_universal)
        sc_where_add(&w, "(instrument_name = ? OR instrument_name IS NULL)",
                     1, sc_text(f->instrument_name));
    else if (f->instrument_name != NULL)
        sc_where_add(&w, "instrument_name = ?", 1,
                     sc_text(f->instrument_name));
    if (f->quarantine_status != NULL)
        sc_where_add(&w, "quarantine_status = ?", 1,
                     sc_text(f->quarantine_status));
    else if (f->exclude_quarantined)
        sc_where_add(&w, "quarantine_status != 'quarantined'", 0);
    if (f->has_min_trust)
        sc_where_add(&w, "trust_score >= ?", 1, sc_real(f->min_trust));
    if (f->has_max_trust)
        sc_where_add(&w, "trust_score <= ?", 1, sc_real(f->max_trust));
    if (f->ncontext_tags > 0) {
        /* Any of the tags in the JSON list: one placeholder per tag. */
        static const char head[] = "EXISTS (SELECT 1 FROM "
            "json_each(context_tags) WHERE value IN (?";
        size_t len = sizeof(head) + 3 * f->ncontext_tags + 2, used;
        tags = calloc(f->ncontext_tags, sizeof(*tags));
        clause = malloc(len);
        if (tags == NULL || clause == NULL) {
            rc = SC_NOMEM;
            goto done;
        }
        used = (size_t)snprintf(clause, len, "%s", head);
        for (i = 0; i < f->ncontext_tags; i++) {
            if (i > 0)
                used += (size_t)snprintf(clause + used, len - used, ", ?");
            tags[i] = sc_text(f->context_tags[i]);
        }
        snprintf(clause + used, len - used, "))");
        sc_where_addv(&w, clause, tags, f->ncontext_tags);
    }
    rc = learning_patterns_select(db, &w, &best, 1, f->limit, 0, each, arg);
done:
    free(tags);
    free(clause);
    sc_where_fini(&w);
    return rc;
}
