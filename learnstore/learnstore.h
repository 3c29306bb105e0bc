/*
 * learnstore.h - the global learning store in C: the operations of the
 * Python store, over the bindings schemac generates from
 * schema/learning.schema.  Every function takes an open sc_db (see
 * ls_open) and returns an SC_* code; sc_errmsg() says why.
 *
 * A list argument is n strings at items, which may be NULL only when n
 * is 0 (else SC_MISUSE).  A NULL item is written as JSON null where the
 * list is stored (json.dumps' None), and matches no tag where the list
 * filters; ls_update_success_factors refuses one.
 */
#ifndef LEARNSTORE_H
#define LEARNSTORE_H

#include "learning.h"

#define LS_UUID_LEN 37      /* 36 characters and a NUL */
#define LS_TIME_LEN 64
#define LS_HASH_HEX 17      /* 16 hex digits and a NUL */

/* Open (and create or migrate) the store at path; NULL: the default
 * ~/.marianne/global-learning.db.  Close with sc_close(). */
int ls_open(sc_db **db, const char *path);

/* ls_open with sc_open's options (busy timeout, log and progress
 * callbacks); opts may be NULL. */
int ls_open_opts(sc_db **db, const char *path, const sc_opts *opts);

/* ---- hashes and paths, as the Python store computes them --------------- */

/* SHA-256 of len bytes at data (NULL only when len is 0) into out. */
void ls_sha256(const void *data, size_t len, unsigned char out[32]);

/* The first 16 lowercase hex digits of SHA-256 of len bytes at data (NULL
 * only when len is 0), and a NUL, into out: the short hash every key
 * below is made of. */
void ls_hash_bytes(const void *data, size_t len, char out[LS_HASH_HEX]);

/* The Python store's hash_job(name, config_hash): the short hash of
 * name ":" (config_hash or "").  Returns SC_OK, SC_NOMEM, or SC_MISUSE
 * when name or out is NULL (out is then untouched). */
int ls_hash_job(const char *name, const char *config_hash,
                char out[LS_HASH_HEX]);

/* The Python store's hash_workspace(path): the short hash of
 * ls_path_resolve(path).  Returns SC_OK, SC_MISUSE (NULL path or out),
 * SC_NOMEM or SC_IO (path cannot be resolved); out is untouched on
 * failure. */
int ls_hash_workspace(const char *path, char out[LS_HASH_HEX]);

/*
 * Resolve path as Python 3.11's Path(path).resolve() (non-strict):
 * relative to the working directory, "." and ".." removed, symlinks
 * followed along the existing prefix, a missing tail kept.  *out is
 * malloc'd; the caller frees it (NULL on failure).  Returns SC_OK,
 * SC_MISUSE, SC_NOMEM or SC_IO (a symlink loop, where Python raises
 * RuntimeError; an unreadable link or working directory).
 */
int ls_path_resolve(const char *path, char **out);

/* ---- values ------------------------------------------------------------ */

int ls_uuid4(char out[LS_UUID_LEN]);
double ls_now(void);
/* isoformat() of t seconds from the epoch, local or UTC; -1 (out empty)
 * for NaN or beyond 10^12 seconds either way. */
int ls_format_time(double t, bool utc, char out[LS_TIME_LEN]);
int ls_parse_time(const char *s, bool utc, double *out);
char *ls_json_list(const char *const *items, size_t n);
int ls_pattern_id(const char *type, const char *name, char out[LS_HASH_HEX]);
int64_t ls_sheet_num(const char *sheet_id);
double ls_clamp01(double x);

/* ---- executions and error recoveries ----------------------------------- */

/* What an execution reports about one sheet. */
struct ls_outcome {
    const char *job_id;
    const char *sheet_id;           /* "sheet-3": trailing digits, else 0 */
    const char *status;
    const char *started_at;         /* the outcome's timestamp; NULL: now,
                                       in UTC, as Python's default */
    const char *completed_at;       /* NULL: now (Python always writes the
                                       moment of recording) */
    double duration_seconds;
    int64_t retry_count;
    bool success_without_retry;
    double validation_pass_rate;
};

/*
 * Insert an executions row for outcome (id: a new UUID4, written to id_out
 * when it is not NULL), with workspace_hash = ls_hash_workspace(path),
 * job_hash = ls_hash_job(job_id), confidence_score = clamp01(pass_rate -
 * 0.1 * min(retries, 5) (+ 0.1, at most 1, when it succeeded without
 * retry)), the error codes as a JSON list, started_at and completed_at
 * as above.
 */
int ls_record_outcome(sc_db *db, const struct ls_outcome *outcome,
                      const char *workspace_path, const char *model,
                      const char *const *error_codes, size_t nerror_codes,
                      char id_out[LS_UUID_LEN]);

/*
 * Call each for the executions matching the filters given (NULL: any),
 * newest completed_at first, at most limit (negative: all).  Rows come
 * as Python's ExecutionRecord holds them: unset numbers 0, an unset
 * status "", unset error codes "[]", duration and retries at least 0,
 * pass rate and confidence clamped into [0, 1]; every has_ flag true.
 */
int ls_get_similar_executions(sc_db *db, const char *job_hash,
                              const char *workspace_hash,
                              const int64_t *sheet_num, int64_t limit,
                              int (*each)(const struct learning_executions *,
                                          void *),
                              void *arg);

/* get_recent_executions: the latest executions (of workspace_hash when it
 * is neither NULL nor ""), rows as ls_get_similar_executions gives. */
int ls_get_recent_executions(sc_db *db, int64_t limit,
                             const char *workspace_hash,
                             int (*each)(const struct learning_executions *,
                                         void *),
                             void *arg);

/* get_execution_stats. */
struct ls_execution_stats {
    int64_t total_executions;
    double success_without_retry_rate;  /* successes / total, 0 if none */
    int64_t total_patterns;
    double avg_pattern_effectiveness;   /* 0 when there are no patterns */
    int64_t total_error_recoveries;
    int64_t unique_workspaces;
};

int ls_get_execution_stats(sc_db *db, struct ls_execution_stats *out);

/* get_optimal_execution_window: of the error recoveries (of error_code
 * when it is neither NULL nor ""), grouped by local hour, the hours with
 * at least 3 samples and a success rate >= 0.7 (optimal) or <= 0.3
 * (avoid), each ascending; confidence = min(samples / 50, 1).  Free with
 * ls_execution_window_free(). */
struct ls_execution_window {
    int64_t *optimal_hours;
    size_t noptimal;
    int64_t *avoid_hours;
    size_t navoid;
    double confidence;
    int64_t sample_count;
};

int ls_get_optimal_execution_window(sc_db *db, const char *error_code,
                                    struct ls_execution_window *out);
void ls_execution_window_free(struct ls_execution_window *w);

/* get_workspace_cluster: *cluster_id (malloc'd, the caller frees it) of
 * workspace_hash; SC_NOTFOUND when it has none. */
int ls_get_workspace_cluster(sc_db *db, const char *workspace_hash,
                             char **cluster_id);

/* assign_workspace_cluster: put the workspace in cluster_id, assigned
 * now (an earlier assignment is replaced). */
int ls_assign_workspace_cluster(sc_db *db, const char *workspace_hash,
                                const char *cluster_id);

/* get_similar_workspaces: the workspace hashes of cluster_id, the latest
 * assigned first, at most limit, each lent to each. */
int ls_get_similar_workspaces(sc_db *db, const char *cluster_id,
                              int64_t limit,
                              int (*each)(const char *workspace_hash,
                                          void *arg),
                              void *arg);

/* Record how waiting out an error went; time_of_day is the local hour.
 * The new id goes to id_out (may be NULL). */
int ls_record_error_recovery(sc_db *db, const char *error_code,
                             double suggested_wait, double actual_wait,
                             bool success, const char *model,
                             char id_out[LS_UUID_LEN]);

/*
 * Of the last 20 successful recoveries from error_code (and model when
 * neither NULL nor ""), the learned wait: (average + minimum) / 2 of
 * their actual waits.  *found is false when there are fewer than
 * min_samples (or none).
 */
int ls_get_learned_wait_time(sc_db *db, const char *error_code,
                             const char *model, int min_samples,
                             bool *found, double *wait);

/* get_error_recovery_sample_count: successful recoveries from
 * error_code. */
int ls_get_error_recovery_sample_count(sc_db *db, const char *error_code,
                                       int64_t *count);

/* get_learned_wait_time_with_fallback: strategy is "static_fallback"
 * (no learned wait: the static delay, confidence 0), "global_learned"
 * (confidence = min(successes / 10, 1) >= min_confidence: max(learned,
 * static / 2)) or "global_learned_blend" (w = confidence /
 * min_confidence: w * max(learned, static / 2) + (1 - w) * static). */
struct ls_wait_advice {
    double delay;
    double confidence;
    const char *strategy;           /* a static string */
};

int ls_get_learned_wait_time_with_fallback(sc_db *db, const char *error_code,
                                           double static_delay,
                                           const char *model,
                                           int min_samples,
                                           double min_confidence,
                                           struct ls_wait_advice *out);

/* ---- patterns ---------------------------------------------------------- */

struct ls_pattern_input {
    const char *pattern_type;
    const char *pattern_name;
    const char *description;        /* NULL: keep the stored one */
    const char *const *context_tags;
    size_t ncontext_tags;
    const char *suggested_action;   /* NULL: keep the stored one */
    const char *provenance_job_hash;
    const int64_t *provenance_sheet_num;
    const char *instrument_name;
};

/*
 * Record a sighting of a pattern and write its id to id_out (may be
 * NULL), as the Python store's record_pattern: a pattern with this id
 * counts one more occurrence (last_seen = now, context tags replaced,
 * description and suggested action kept unless given, content hash
 * recomputed, active again); otherwise a pattern with the same content
 * hash (SHA-256 of type:normalised name:description, 32 hex digits; the
 * highest priority first) takes the sighting (one more occurrence,
 * last_seen, active) and its id is the one written; otherwise a new
 * pattern starts with the store's defaults.  Race-free: a known pattern
 * takes one UPDATE, atomic on its own (one commit); otherwise the update
 * is tried again, then the reads and the write run, in one BEGIN
 * IMMEDIATE batch, so concurrent first sightings from many processes
 * count every occurrence.
 */
int ls_record_pattern(sc_db *db, const struct ls_pattern_input *in,
                      char id_out[LS_HASH_HEX]);

/*
 * Record that pattern_id was applied in execution_id, then update the
 * pattern's counts, effectiveness and priority as the Python store does.
 * An unknown pattern writes nothing: *recorded is false.  The new
 * application's id goes to id_out (may be NULL) either way, as Python
 * returns it.  recorded may be NULL.
 */
int ls_record_pattern_application(sc_db *db, const char *pattern_id,
                                  const char *execution_id,
                                  bool led_to_success, int64_t retry_before,
                                  int64_t retry_after,
                                  const double *grounding_confidence,
                                  bool *recorded, char id_out[LS_UUID_LEN]);

/* update_pattern_effectiveness: rescore pattern_id now (effectiveness
 * and priority, as after an application) and write both;
 * *effectiveness (may be NULL) gets the new effectiveness.  SC_NOTFOUND
 * when there is no such pattern. */
int ls_update_pattern_effectiveness(sc_db *db, const char *pattern_id,
                                    double *effectiveness);

/* recalculate_all_pattern_priorities: rescore every pattern in one
 * batch; *updated gets how many. */
int ls_recalculate_all_pattern_priorities(sc_db *db, int64_t *updated);

/* soft_delete_pattern: set active = 0.  SC_NOTFOUND when there is no
 * such pattern or it is inactive already. */
int ls_soft_delete_pattern(sc_db *db, const char *pattern_id);

/* The filters of get_patterns; LS_PATTERN_FILTER_INIT gives the Python
 * defaults. */
struct ls_pattern_filter {
    const char *pattern_type;
    double min_priority;            /* 0.01 */
    int64_t limit;                  /* 20 */
    const char *const *context_tags;
    size_t ncontext_tags;
    const char *quarantine_status;
    bool exclude_quarantined;
    bool has_min_trust, has_max_trust;
    double min_trust, max_trust;
    bool include_inactive;
    const char *instrument_name;
    bool include_universal;         /* true */
};

#define LS_PATTERN_FILTER_INIT \
    { NULL, 0.01, 20, NULL, 0, NULL, false, false, false, 0, 0, false, \
      NULL, true }

/* Call each for the matching patterns, highest priority first.  Rows
 * come as Python's PatternRecord holds them: trust clamped into [0, 1]
 * (0.5 when unset), effectiveness clamped, variance and priority at
 * least 0, status "pending" and active 1 when unset. */
int ls_get_patterns(sc_db *db, const struct ls_pattern_filter *f,
                    int (*each)(const struct learning_patterns *, void *),
                    void *arg);

/* get_pattern_by_id: pattern_id's row into *out, as ls_get_patterns hands
 * rows over, its strings malloc'd: free it with learning_patterns_free()
 * (also after a failure: *out is zeroed).  SC_NOTFOUND when there is no
 * such pattern. */
int ls_get_pattern_by_id(sc_db *db, const char *pattern_id,
                         struct learning_patterns *out);

/* ---- pattern lifecycle and quarantine ----------------------------------- */

/* The promotion thresholds below, as the Python store exports them
 * (MIN_OCCURRENCES_FOR_PROMOTION, PROMOTION_EFFECTIVENESS_THRESHOLD,
 * QUARANTINE_EFFECTIVENESS_THRESHOLD, DEGRADATION_THRESHOLD). */
extern const int64_t ls_min_occurrences_for_promotion;          /* 3 */
extern const double ls_promotion_effectiveness_threshold;       /* 0.60 */
extern const double ls_quarantine_effectiveness_threshold;      /* 0.35 */
extern const double ls_degradation_threshold;                   /* 0.30 */

/*
 * promote_ready_patterns: of the pending patterns with at least 3
 * applications, those with effectiveness >= 0.60 become validated
 * (validated_at = now) and those below 0.35 quarantined (quarantined_at
 * = now); then validated (or legacy 'active') patterns with at least 3
 * applications and effectiveness below 0.30 are quarantined (degraded).
 * One batch.  The id lists are malloc'd, in the order SQLite read them;
 * free with ls_promotion_free().
 */
struct ls_promotion {
    char **promoted;
    size_t npromoted;
    char **quarantined;
    size_t nquarantined;
    char **degraded;
    size_t ndegraded;
};

int ls_promote_ready_patterns(sc_db *db, struct ls_promotion *out);
void ls_promotion_free(struct ls_promotion *p);

/* update_quarantine_status: status is "pending", "quarantined",
 * "validated" or "retired" (anything else: SC_MISUSE); validated and
 * quarantined stamp validated_at / quarantined_at with now.  SC_NOTFOUND
 * for an unknown pattern. */
int ls_update_quarantine_status(sc_db *db, const char *pattern_id,
                                const char *status);

/* quarantine_pattern: quarantined now, quarantine_reason = reason (NULL
 * clears it).  SC_NOTFOUND for an unknown pattern. */
int ls_quarantine_pattern(sc_db *db, const char *pattern_id,
                          const char *reason);

/* validate_pattern: validated now, the quarantine reason cleared.
 * SC_NOTFOUND for an unknown pattern. */
int ls_validate_pattern(sc_db *db, const char *pattern_id);

/* retire_pattern: status retired.  SC_NOTFOUND for an unknown pattern. */
int ls_retire_pattern(sc_db *db, const char *pattern_id);

/* get_quarantined_patterns: get_patterns with status quarantined, min
 * priority 0, at most limit (Python: 50). */
int ls_get_quarantined_patterns(sc_db *db, int64_t limit,
                                int (*each)(const struct learning_patterns *,
                                            void *),
                                void *arg);

/* get_pattern_provenance: the times as fromisoformat(...).isoformat()
 * writes them (NULL when unset); strings malloc'd, free with
 * ls_provenance_free().  SC_NOTFOUND for an unknown pattern. */
struct ls_provenance {
    char *pattern_id;
    char *pattern_name;
    char *quarantine_status;
    char *first_seen, *last_seen, *last_confirmed;
    char *provenance_job_hash;
    int64_t provenance_sheet_num;
    bool has_provenance_sheet_num;
    char *quarantined_at, *validated_at;
    char *quarantine_reason;
    double trust_score;
    char *trust_calculation_date;
};

int ls_get_pattern_provenance(sc_db *db, const char *pattern_id,
                              struct ls_provenance *out);
void ls_provenance_free(struct ls_provenance *p);

/* ---- trust -------------------------------------------------------------- */

/* calculate_trust_score: 0.5 + 0.3 * min(1, successes / occurrences) -
 * 0.4 * min(1, failures / occurrences) (occurrences 0 count as 1) + 0.2
 * * 0.9 ** (whole days since last_confirmed / 30), - 0.2 when
 * quarantined, + 0.1 when validated, clamped into [0, 1]; written with
 * trust_calculation_date = now.  SC_NOTFOUND for an unknown pattern. */
int ls_calculate_trust_score(sc_db *db, const char *pattern_id,
                             double *trust);

/* update_trust_score: clamp(trust + delta), the stored trust clamped
 * and 0.5 when unset. */
int ls_update_trust_score(sc_db *db, const char *pattern_id, double delta,
                          double *trust);

/* recalculate_all_trust_scores: one batch; *updated gets how many. */
int ls_recalculate_all_trust_scores(sc_db *db, int64_t *updated);

/* get_high_trust_patterns / get_low_trust_patterns: get_patterns with
 * min priority 0 and trust >= (<=) threshold (Python: 0.7 / 0.3, limit
 * 50). */
int ls_get_high_trust_patterns(sc_db *db, double threshold, int64_t limit,
                               int (*each)(const struct learning_patterns *,
                                           void *),
                               void *arg);
int ls_get_low_trust_patterns(sc_db *db, double threshold, int64_t limit,
                              int (*each)(const struct learning_patterns *,
                                          void *),
                              void *arg);

/* get_patterns_for_auto_apply: of the 2 * limit patterns of highest
 * trust (then priority) with trust >= trust_threshold, not retired, and
 * validated when require_validated, those sharing one of the ntags tags
 * (no tags: all), at most limit.  Inactive patterns are not excluded,
 * as in Python.  (Python: 0.85, true, 3, none.) */
int ls_get_patterns_for_auto_apply(sc_db *db, double trust_threshold,
                                   bool require_validated, int64_t limit,
                                   const char *const *tags, size_t ntags,
                                   int (*each)(const struct
                                               learning_patterns *,
                                               void *),
                                   void *arg);

/* ---- success factors (why a pattern succeeds) -------------------------- */

/* Python's SuccessFactors, as kept in patterns.success_factors (JSON).
 * Strings and lists are malloc'd; free with ls_success_factors_free(). */
struct ls_success_factors {
    char **validation_types;
    size_t nvalidation_types;
    char **error_categories;
    size_t nerror_categories;
    char *prior_sheet_status;           /* NULL: None */
    char *time_of_day_bucket;           /* morning, afternoon, evening,
                                           night; NULL: None */
    int64_t retry_iteration;
    bool escalation_was_pending;
    double grounding_confidence;
    bool has_grounding_confidence;
    int64_t occurrence_count;           /* at least 1 */
    double success_rate;                /* in [0, 1] */
};

void ls_success_factors_free(struct ls_success_factors *f);

/* The context of one successful application (update_success_factors'
 * arguments; NULL lists and strings are empty / None). */
struct ls_factor_update {
    const char *const *validation_types;
    size_t nvalidation_types;
    const char *const *error_categories;
    size_t nerror_categories;
    const char *prior_sheet_status;
    int64_t retry_iteration;
    bool escalation_was_pending;
    const double *grounding_confidence;
};

/*
 * update_success_factors: the first success records the context as
 * given (occurrences 1, success rate 1.0); later ones count one more
 * occurrence, merge the lists (sorted, no duplicates; only when the new
 * list is not empty), replace the prior status (when given), the
 * retry iteration, the escalation flag and the grounding (when given),
 * and set the success rate to successes / applications (when there are
 * any).  The time bucket is that of the local hour now.  Written as
 * json.dumps writes the record, with success_factors_updated_at = now;
 * one batch.  *out (may be NULL) gets the factors.  SC_NOTFOUND for an
 * unknown pattern; SC_CORRUPT when the stored factors are not a JSON
 * object; SC_MISUSE for a NULL item in either list (the lists are merged
 * and sorted as strings).
 */
int ls_update_success_factors(sc_db *db, const char *pattern_id,
                              const struct ls_factor_update *u,
                              struct ls_success_factors *out);

/* get_success_factors: SC_NOTFOUND for an unknown pattern and for one
 * without factors (Python's None either way). */
int ls_get_success_factors(sc_db *db, const char *pattern_id,
                           struct ls_success_factors *out);

/* analyze_pattern_why: the summary, key conditions, confidence
 * (min(1, observations / 10) * success rate) and recommendations of
 * Python's analysis, in its words; an unset trust or effectiveness reads
 * 0.5, as the pattern's record reads it.  has_observations is false (and
 * observation_count, success_rate unset) without factors.  Free with
 * ls_why_free(). */
struct ls_why {
    char *pattern_name;
    char *pattern_type;
    bool has_factors;
    double trust_score;
    double effectiveness_score;
    char *factors_summary;
    char **key_conditions;
    size_t nkey_conditions;
    double confidence;
    char **recommendations;
    size_t nrecommendations;
    bool has_observations;
    int64_t observation_count;
    double success_rate;
};

int ls_analyze_pattern_why(sc_db *db, const char *pattern_id,
                           struct ls_why *out);
void ls_why_free(struct ls_why *w);

/* get_patterns_with_why: of the limit patterns with factors, highest
 * priority then trust first, those with at least min_observations
 * observations, each with its analysis (both lent for the call).
 * (Python: 1, 20.) */
int ls_get_patterns_with_why(sc_db *db, int64_t min_observations,
                             int64_t limit,
                             int (*each)(const struct learning_patterns *,
                                         const struct ls_why *, void *),
                             void *arg);

/* ---- pattern discovery broadcast --------------------------------------- */

struct ls_discovery {
    const char *pattern_id;
    const char *pattern_name;
    const char *pattern_type;
    const char *job_id;                 /* hashed as hash_job(job_id) */
    double effectiveness_score;         /* Python: 1.0 */
    const char *const *context_tags;
    size_t ncontext_tags;
    double ttl_seconds;                 /* Python: 300 */
};

/* record_pattern_discovery: expires ttl seconds after now (local); its
 * id to id_out (may be NULL). */
int ls_record_pattern_discovery(sc_db *db, const struct ls_discovery *d,
                                char id_out[LS_UUID_LEN]);

/* check_recent_pattern_discoveries: unexpired, effectiveness at least
 * min_effectiveness, not of exclude_job_id (NULL or "": any job), of
 * pattern_type (NULL: any), newest first, at most limit.  (Python: none,
 * none, 0.0, 20.) */
int ls_check_recent_pattern_discoveries(sc_db *db,
                                        const char *exclude_job_id,
                                        const char *pattern_type,
                                        double min_effectiveness,
                                        int64_t limit,
                                        int (*each)(const struct
                                            learning_pattern_discovery_events
                                            *, void *),
                                        void *arg);

/* cleanup_expired_pattern_discoveries: *deleted gets how many. */
int ls_cleanup_expired_pattern_discoveries(sc_db *db, int64_t *deleted);

/* get_active_pattern_discoveries: unexpired (of pattern_type unless NULL
 * or ""), newest first. */
int ls_get_active_pattern_discoveries(sc_db *db, const char *pattern_type,
                                      int (*each)(const struct
                                          learning_pattern_discovery_events
                                          *, void *),
                                      void *arg);

/* ---- drift -------------------------------------------------------------- */

/* Python's DriftMetrics; strings malloc'd (ls_drift_free). */
struct ls_drift {
    char *pattern_id;
    char *pattern_name;
    int64_t window_size;
    double effectiveness_before;        /* (successes + 0.5) / (n + 1) */
    double effectiveness_after;
    double grounding_confidence_avg;    /* 1.0 when none */
    double drift_magnitude;
    const char *drift_direction;        /* positive, negative, stable */
    int64_t applications_analyzed;
    bool threshold_exceeded;            /* magnitude / max(avg, 0.5) >
                                           threshold */
};

void ls_drift_free(struct ls_drift *d);
void ls_drifts_free(struct ls_drift *d, size_t n);

/* calculate_effectiveness_drift: the last window_size applications
 * against the window_size before them.  SC_NOTFOUND for an unknown
 * pattern or fewer than 2 * window_size applications; SC_MISUSE for a
 * negative window.  (Python: 5, 0.2.) */
int ls_calculate_effectiveness_drift(sc_db *db, const char *pattern_id,
                                     int64_t window_size,
                                     double drift_threshold,
                                     struct ls_drift *out);

/* get_drifting_patterns: every pattern over the threshold, the largest
 * magnitude first (ties in SQLite's order), at most limit; *out
 * malloc'd (ls_drifts_free).  (Python: 0.2, 5, 20.) */
int ls_get_drifting_patterns(sc_db *db, double drift_threshold,
                             int64_t window_size, int64_t limit,
                             struct ls_drift **out, size_t *n);

/* get_pattern_drift_summary: patterns with at least 10 applications at
 * window 5 and threshold 0.2; most_drifted malloc'd (NULL when none;
 * ls_drift_summary_free). */
struct ls_drift_summary {
    int64_t total_patterns;
    int64_t patterns_analyzed;
    int64_t patterns_drifting;
    double avg_drift_magnitude;
    char *most_drifted;
};

int ls_get_pattern_drift_summary(sc_db *db, struct ls_drift_summary *out);
void ls_drift_summary_free(struct ls_drift_summary *s);

/* Python's EpistemicDriftMetrics (ls_epistemic_drift_free). */
struct ls_epistemic_drift {
    char *pattern_id;
    char *pattern_name;
    int64_t window_size;
    double confidence_before;
    double confidence_after;
    double belief_change;               /* after - before */
    double belief_entropy;              /* min(1, std dev / mean) */
    int64_t applications_analyzed;
    bool threshold_exceeded;            /* |change| * (1 + entropy) >
                                           threshold */
    const char *drift_direction;        /* strengthening, weakening,
                                           stable */
};

void ls_epistemic_drift_free(struct ls_epistemic_drift *d);
void ls_epistemic_drifts_free(struct ls_epistemic_drift *d, size_t n);

/* calculate_epistemic_drift: over the applications with a grounding
 * confidence.  SC_NOTFOUND as for effectiveness drift; SC_MISUSE for a
 * window below 1.  (Python: 5, 0.15.) */
int ls_calculate_epistemic_drift(sc_db *db, const char *pattern_id,
                                 int64_t window_size, double drift_threshold,
                                 struct ls_epistemic_drift *out);

/* get_epistemic_drifting_patterns: by |belief change|, largest first.
 * (Python: 0.15, 5, 20.) */
int ls_get_epistemic_drifting_patterns(sc_db *db, double drift_threshold,
                                       int64_t window_size, int64_t limit,
                                       struct ls_epistemic_drift **out,
                                       size_t *n);

struct ls_epistemic_summary {
    int64_t total_patterns;
    int64_t patterns_analyzed;
    int64_t patterns_with_epistemic_drift;
    double avg_belief_change;
    double avg_belief_entropy;
    char *most_unstable;
};

int ls_get_epistemic_drift_summary(sc_db *db,
                                   struct ls_epistemic_summary *out);
void ls_epistemic_summary_free(struct ls_epistemic_summary *s);

/* retire_drifting_patterns: of up to 100 drifting patterns, those over
 * the threshold and (when require_negative) drifting negatively get
 * priority 0 and suggested_action "Auto-retired: drift negative (0.30),
 * effectiveness 0.70 → 0.40"; one batch.  *out malloc'd
 * (ls_retired_free).  (Python: 0.2, 5, true.) */
struct ls_retired {
    char *pattern_id;
    char *pattern_name;
    double drift_magnitude;
};

int ls_retire_drifting_patterns(sc_db *db, double drift_threshold,
                                int64_t window_size, bool require_negative,
                                struct ls_retired **out, size_t *n);
void ls_retired_free(struct ls_retired *r, size_t n);

/* get_retired_patterns: priority 0, latest seen first (Python: 50); the
 * records leave active, content_hash and instrument_name at their
 * defaults (1, NULL, NULL), as Python's do. */
int ls_get_retired_patterns(sc_db *db, int64_t limit,
                            int (*each)(const struct learning_patterns *,
                                        void *),
                            void *arg);

/* ---- evolution trajectory ----------------------------------------------- */

struct ls_evolution_entry {
    int64_t cycle;
    int64_t evolutions_completed;
    int64_t evolutions_deferred;
    const char *const *issue_classes;
    size_t nissue_classes;
    double cv_avg;
    int64_t implementation_loc;
    int64_t test_loc;
    double loc_accuracy;
    int64_t research_candidates_resolved;
    int64_t research_candidates_created;
    const char *notes;                  /* NULL: "" */
};

/* record_evolution_entry: SC_CONSTRAINT when the cycle is recorded
 * already; its id to id_out (may be NULL). */
int ls_record_evolution_entry(sc_db *db, const struct ls_evolution_entry *e,
                              char id_out[LS_UUID_LEN]);

/* record_evolution_cycle: completed = applied, deferred = generated -
 * applied, issue classes [lower(outcome)], cv 0.0, loc 0, accuracy 1.0,
 * notes "SUMMARY\n\nOutcome: OUTCOME\nLearning snapshot: JSON", where
 * learning_snapshot_json is json.dumps(snapshot)'s text. */
int ls_record_evolution_cycle(sc_db *db, int64_t cycle_number,
                              int64_t candidates_generated,
                              int64_t candidates_applied,
                              const char *changes_summary,
                              const char *outcome,
                              const char *learning_snapshot_json,
                              char id_out[LS_UUID_LEN]);

/* get_trajectory: cycles from *start_cycle to *end_cycle (NULL: open),
 * the latest cycle first, at most limit (Python: 50); unset research
 * counts 0 and unset notes "". */
int ls_get_trajectory(sc_db *db, const int64_t *start_cycle,
                      const int64_t *end_cycle, int64_t limit,
                      int (*each)(const struct
                                  learning_evolution_trajectory *, void *),
                      void *arg);

/* get_evolution_history: ls_get_trajectory of the latest last_n. */
int ls_get_evolution_history(sc_db *db, int64_t last_n,
                             int (*each)(const struct
                                         learning_evolution_trajectory *,
                                         void *),
                             void *arg);

/* get_recurring_issues: issue classes in at least min_occurrences cycles
 * (of the latest *window_cycles when not NULL), in the order first met
 * from the latest cycle down, each with its cycles, latest first.
 * *out malloc'd (ls_recurring_issues_free).  (Python: 2, none.) */
struct ls_recurring_issue {
    char *issue;
    int64_t *cycles;
    size_t ncycles;
};

int ls_get_recurring_issues(sc_db *db, int64_t min_occurrences,
                            const int64_t *window_cycles,
                            struct ls_recurring_issue **out, size_t *n);
void ls_recurring_issues_free(struct ls_recurring_issue *v, size_t n);

/* ---- rate limits, escalations, exploration budget ----------------------- */

/* Record a rate limit: recorded_at = now (UTC), expires_at = now + 0.8 *
 * duration, source_job_hash = ls_hash_job(job_id); its id to id_out (may
 * be NULL). */
int ls_record_rate_limit_event(sc_db *db, const char *error_code,
                               double duration_seconds, const char *job_id,
                               const char *model, char id_out[LS_UUID_LEN]);

/* Whether an unexpired event for error_code (NULL: any) and model (NULL:
 * any) exists, and the seconds until the latest such expiry (by the text
 * order of expires_at, as Python's ORDER BY expires_at DESC LIMIT 1). */
int ls_is_rate_limited(sc_db *db, const char *error_code, const char *model,
                       bool *limited, double *seconds_left);

/* get_active_rate_limits: every unexpired event (of model when neither
 * NULL nor ""), the latest expiry first; an expiry before the recording
 * reads as the recording time, as Python's RateLimitEvent holds it. */
int ls_get_active_rate_limits(sc_db *db, const char *model,
                              int (*each)(const struct
                                          learning_rate_limit_events *,
                                          void *),
                              void *arg);

/* Delete expired rate-limit events; *deleted gets their number. */
int ls_cleanup_expired_rate_limits(sc_db *db, int64_t *deleted);

struct ls_escalation {
    const char *job_id;
    int64_t sheet_num;
    double confidence;
    const char *action;
    double validation_pass_rate;
    int64_t retry_count;
    const char *guidance;               /* may be NULL */
    const char *outcome_after_action;   /* may be NULL */
    const char *model;                  /* may be NULL */
};

/* Record an escalation decision (job_hash = hash_job(job_id)); its id
 * goes to id_out (may be NULL), for ls_update_escalation_outcome. */
int ls_record_escalation_decision(sc_db *db, const struct ls_escalation *e,
                                  char id_out[LS_UUID_LEN]);

/* Escalations of job_id (NULL: any) with action (NULL: any), newest
 * first, at most limit.  Rows come as Python's EscalationDecisionRecord
 * holds them: confidence clamped into [0, 1], an action other than
 * retry, skip, abort or modify_prompt read as "abort". */
int ls_get_escalation_history(sc_db *db, const char *job_id,
                              const char *action, int64_t limit,
                              int (*each)(const struct
                                          learning_escalation_decisions *,
                                          void *),
                              void *arg);

/* get_similar_escalation: escalations within confidence_tolerance of
 * confidence and pass_rate_tolerance of validation_pass_rate, outcome
 * "success" first, then "skipped", then none, then the rest, each by
 * |confidence diff| + |pass rate diff| / 100; at most limit.  Rows as
 * ls_get_escalation_history gives.  (Python's defaults: 0.15, 15.0, 5.) */
int ls_get_similar_escalation(sc_db *db, double confidence,
                              double validation_pass_rate,
                              double confidence_tolerance,
                              double pass_rate_tolerance, int64_t limit,
                              int (*each)(const struct
                                          learning_escalation_decisions *,
                                          void *),
                              void *arg);

/* update_escalation_outcome: SC_NOTFOUND when there is no such
 * escalation. */
int ls_update_escalation_outcome(sc_db *db, const char *escalation_id,
                                 const char *outcome_after_action);

/*
 * Record a new exploration budget for job_hash: value clamped as Python's
 * max(floor, min(ceiling, value)); when below the floor (above the
 * ceiling) the adjustment type becomes "floor_enforced"
 * ("ceiling_enforced") and the reason "Budget 0.010 enforced to floor
 * 0.050" ("... to ceiling ...").  entropy may be NULL.  *out (may be
 * NULL) gets the stored record (free with
 * learning_exploration_budget_free).
 */
int ls_update_exploration_budget(sc_db *db, const char *job_hash,
                                 double value, const char *adjustment_type,
                                 const double *entropy, const char *reason,
                                 double floor, double ceiling,
                                 struct learning_exploration_budget *out);

/* The latest budget record of job_hash (NULL or "": of any job) into out
 * (free with learning_exploration_budget_free); SC_NOTFOUND when there
 * is none. */
int ls_get_exploration_budget(sc_db *db, const char *job_hash,
                              struct learning_exploration_budget *out);

/* get_exploration_budget_history: newest first, of job_hash unless NULL
 * or "" (Python: 50). */
int ls_get_exploration_budget_history(sc_db *db, const char *job_hash,
                                      int64_t limit,
                                      int (*each)(const struct
                                          learning_exploration_budget *,
                                          void *),
                                      void *arg);

/* calculate_budget_adjustment's parameters; LS_BUDGET_PARAMS_INIT gives
 * Python's defaults. */
struct ls_budget_params {
    double floor;                       /* 0.05 */
    double ceiling;                     /* 0.50 */
    double decay_rate;                  /* 0.95 */
    double boost_amount;                /* 0.10 */
    double entropy_threshold;           /* 0.3 */
    double initial_budget;              /* 0.15 */
};

#define LS_BUDGET_PARAMS_INIT { 0.05, 0.50, 0.95, 0.10, 0.3, 0.15 }

/* calculate_budget_adjustment: without a budget yet, the initial one
 * ("initial", "Initial budget set"); else below the threshold the
 * budget + boost ("boost", "Entropy 0.100 < threshold 0.300"), otherwise
 * budget * decay ("decay", "Entropy 0.500 >= threshold, decaying");
 * recorded through ls_update_exploration_budget (clamped), one batch.
 * params NULL: the defaults.  *out (may be NULL) gets the record. */
int ls_calculate_budget_adjustment(sc_db *db, const char *job_hash,
                                   double current_entropy,
                                   const struct ls_budget_params *params,
                                   struct learning_exploration_budget *out);

/* get_exploration_budget_statistics (of job_hash unless NULL or ""): all
 * 0 and no current budget when there are no records. */
struct ls_budget_stats {
    bool has_current_budget;
    double current_budget;
    double avg_budget, min_budget, max_budget;
    int64_t total_adjustments;
    int64_t floor_enforcements;
    int64_t boost_count;
    int64_t decay_count;
};

int ls_get_exploration_budget_statistics(sc_db *db, const char *job_hash,
                                         struct ls_budget_stats *out);

/* ---- pattern entropy and entropy responses ------------------------------ */

/* Python's PatternEntropyMetrics. */
struct ls_pattern_entropy {
    char calculated_at[LS_TIME_LEN];
    double shannon_entropy;             /* bits */
    double max_possible_entropy;        /* log2(patterns applied), 1.0 for
                                           one */
    double diversity_index;             /* entropy / maximum */
    int64_t unique_pattern_count;
    int64_t effective_pattern_count;    /* applied at least once */
    int64_t total_applications;
    double dominant_pattern_share;
    bool threshold_exceeded;            /* the caller's to set */
};

/* calculate_pattern_entropy: now; all 0 when nothing was applied. */
int ls_calculate_pattern_entropy(sc_db *db, struct ls_pattern_entropy *out);

/* record_pattern_entropy: its id to id_out (may be NULL). */
int ls_record_pattern_entropy(sc_db *db, const struct ls_pattern_entropy *m,
                              char id_out[LS_UUID_LEN]);

/* get_pattern_entropy_history: the latest calculated first (Python:
 * 50). */
int ls_get_pattern_entropy_history(sc_db *db, int64_t limit,
                                   int (*each)(const struct
                                       learning_pattern_entropy_history *,
                                       void *),
                                   void *arg);

/* check_entropy_response_needed: reason in Python's words ("Cooldown
 * active (1800s remaining)", "No pattern applications to analyze",
 * "Entropy 0.200 < threshold 0.300", "... >= threshold 0.300
 * (healthy)"); entropy is the diversity index, unset in the first two
 * cases.  (Python: 0.3, 3600.) */
struct ls_entropy_check {
    bool needed;
    bool has_entropy;
    double entropy;
    char reason[128];
};

int ls_check_entropy_response_needed(sc_db *db, const char *job_hash,
                                     double entropy_threshold,
                                     double cooldown_seconds,
                                     struct ls_entropy_check *out);

/* trigger_entropy_response's configuration; the _INIT macro gives
 * Python's EntropyResponseConfig defaults. */
struct ls_entropy_response_config {
    bool boost_budget;                  /* true */
    bool revisit_quarantine;            /* true */
    int64_t max_quarantine_revisits;    /* 3 */
    double budget_floor;                /* 0.05 */
    double budget_ceiling;              /* 0.50 */
    double budget_boost_amount;         /* 0.10 */
};

#define LS_ENTROPY_RESPONSE_CONFIG_INIT { true, true, 3, 0.05, 0.50, 0.10 }

/* trigger_entropy_response: boost the budget (the latest + boost, or
 * 0.15 + boost; reason "Entropy response: diversity 0.100 < 0.300"),
 * send the latest seen quarantined patterns back to pending, record the
 * response; one batch.  config NULL: the defaults.  *out (may be NULL)
 * gets the stored row. */
int ls_trigger_entropy_response(sc_db *db, const char *job_hash,
                                double entropy_at_trigger,
                                double threshold_used,
                                const struct ls_entropy_response_config
                                    *config,
                                struct learning_entropy_responses *out);

/* get_last_entropy_response: of job_hash unless NULL or "";
 * SC_NOTFOUND when there is none. */
int ls_get_last_entropy_response(sc_db *db, const char *job_hash,
                                 struct learning_entropy_responses *out);

/* get_entropy_response_history: newest first (Python: 50); rows as the
 * records hold them: budget_boosted 0 or 1, patterns_revisited "[]"
 * when unset. */
int ls_get_entropy_response_history(sc_db *db, const char *job_hash,
                                    int64_t limit,
                                    int (*each)(const struct
                                                learning_entropy_responses *,
                                                void *),
                                    void *arg);

/* get_entropy_response_statistics: all 0 and no last response when there
 * are none; last_response as isoformat() writes it. */
struct ls_entropy_response_stats {
    int64_t total_responses;
    double avg_entropy_at_trigger;
    int64_t budget_boosts;
    int64_t quarantine_revisits;
    bool has_last_response;
    char last_response[LS_TIME_LEN];
};

int ls_get_entropy_response_statistics(sc_db *db, const char *job_hash,
                                       struct ls_entropy_response_stats
                                           *out);

/* ---- moving a store between engines ------------------------------------ */

/* What ls_copy() did to one data table: rows copied, and a checksum of
 * their values that does not depend on the engine or on row order (the
 * same on both sides when the copy is exact). */
struct ls_copy_table {
    const char *name;
    int64_t rows;
    uint64_t sum[2];
};

/*
 * Copy every row of every data table of the store at from into the store
 * at to (SQLite file or PostgreSQL database, either way), parents before
 * children, in one batch of to; then read to's rows back inside that
 * batch and compare counts and checksums with from's, committing only
 * when every table agrees.  to must hold no rows, unless replace is set
 * (it is then emptied in the same batch).  from is read in one
 * transaction, so a store written meanwhile copies as of one moment.
 * report (learning_schema.ndata_tables entries, data_tables order) gets
 * each table's figures.  Returns SC_OK, SC_MISUSE (to not empty, or the
 * same handle twice), SC_CORRUPT naming the first table whose copy
 * differs (nothing kept), or an error of either store.
 */
int ls_copy(sc_db *from, sc_db *to, bool replace,
            struct ls_copy_table *report);

#endif /* LEARNSTORE_H */
