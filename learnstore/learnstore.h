/*
 * learnstore.h - the global learning store in C: the operations of the
 * Python store, over the bindings schemac generates from
 * schema/learning.schema.  Every function takes an open sc_db (see
 * ls_open) and returns an SC_* code; sc_errmsg() says why.
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

/* ---- hashes and paths, as the Python store computes them ----------------- */

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
void ls_format_time(double t, bool utc, char out[LS_TIME_LEN]);
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

/* ---- patterns ------------------------------------------------------------ */

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
 * pattern starts with the store's defaults.  Race-free: the reads and
 * the write run in one BEGIN IMMEDIATE batch, so concurrent first
 * sightings from many processes count every occurrence.
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

/* Call each for the matching patterns, highest priority first. */
int ls_get_patterns(sc_db *db, const struct ls_pattern_filter *f,
                    int (*each)(const struct learning_patterns *, void *),
                    void *arg);

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
 * NULL nor ""), the latest expiry first. */
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

#endif /* LEARNSTORE_H */
