"""The Python store's public methods and their signatures, which the
package's GlobalLearningStore must match exactly."""

# Every public method of the Python store's GlobalLearningStore.
PYTHON_STORE_METHODS = set("""
analyze_pattern_why assign_workspace_cluster batch_connection
calculate_budget_adjustment calculate_effectiveness_drift
calculate_epistemic_drift calculate_pattern_entropy calculate_trust_score
check_entropy_response_needed check_recent_pattern_discoveries clear_all
cleanup_expired_pattern_discoveries cleanup_expired_rate_limits close
get_active_pattern_discoveries get_active_rate_limits
get_drifting_patterns get_entropy_response_history
get_entropy_response_statistics get_epistemic_drift_summary
get_epistemic_drifting_patterns get_error_recovery_sample_count
get_escalation_history get_evolution_history get_execution_stats
get_exploration_budget get_exploration_budget_history
get_exploration_budget_statistics get_high_trust_patterns
get_last_entropy_response get_learned_wait_time
get_learned_wait_time_with_fallback get_low_trust_patterns
get_optimal_execution_window get_pattern_by_id get_pattern_drift_summary
get_pattern_entropy_history get_pattern_provenance get_patterns
get_patterns_for_auto_apply get_patterns_with_why get_quarantined_patterns
get_recent_executions get_recurring_issues get_retired_patterns
get_similar_escalation get_similar_executions get_similar_workspaces
get_success_factors get_trajectory get_workspace_cluster hash_job
hash_workspace is_rate_limited promote_ready_patterns quarantine_pattern
recalculate_all_pattern_priorities recalculate_all_trust_scores
record_error_recovery record_escalation_decision record_evolution_cycle
record_evolution_entry record_outcome record_pattern
record_pattern_application record_pattern_discovery
record_pattern_entropy record_rate_limit_event retire_drifting_patterns
retire_pattern soft_delete_pattern trigger_entropy_response
update_escalation_outcome update_exploration_budget
update_pattern_effectiveness update_quarantine_status
update_success_factors update_trust_score validate_pattern
""".split())

# The signatures of the methods ported, as the Python store's, by group.
SIGNATURES = {}

# ---- the store, executions, rate limits, recoveries, escalations, budget
SIGNATURES.update({
    "__init__": "(self, db_path=None)",
    "hash_workspace": "(workspace_path)",
    "hash_job": "(job_name, config_hash=None)",
    "close": "(self)",
    "clear_all": "(self)",
    "batch_connection": "(self)",
    "get_execution_stats": "(self)",
    "record_rate_limit_event":
        "(self, error_code, duration_seconds, job_id, model=None)",
    "is_rate_limited": "(self, error_code=None, model=None)",
    "get_active_rate_limits": "(self, model=None)",
    "cleanup_expired_rate_limits": "(self)",
    "record_error_recovery": "(self, error_code, suggested_wait, "
                             "actual_wait, recovery_success, model=None)",
    "get_learned_wait_time": "(self, error_code, model=None, min_samples=3)",
    "get_learned_wait_time_with_fallback":
        "(self, error_code, static_delay, model=None, min_samples=3, "
        "min_confidence=0.7)",
    "get_error_recovery_sample_count": "(self, error_code)",
    "record_escalation_decision":
        "(self, job_id, sheet_num, confidence, action, "
        "validation_pass_rate, retry_count, guidance=None, "
        "outcome_after_action=None, model=None)",
    "get_escalation_history": "(self, job_id=None, action=None, limit=20)",
    "get_similar_escalation":
        "(self, confidence, validation_pass_rate, "
        "confidence_tolerance=0.15, pass_rate_tolerance=15.0, limit=5)",
    "update_escalation_outcome": "(self, escalation_id, outcome_after_action)",
    "get_workspace_cluster": "(self, workspace_hash)",
    "assign_workspace_cluster": "(self, workspace_hash, cluster_id)",
    "get_similar_workspaces": "(self, cluster_id, limit=10)",
    "get_recent_executions": "(self, limit=20, workspace_hash=None)",
    "get_exploration_budget": "(self, job_hash=None)",
    "get_exploration_budget_history": "(self, job_hash=None, limit=50)",
    "update_exploration_budget":
        "(self, job_hash, budget_value, adjustment_type, "
        "entropy_at_time=None, adjustment_reason=None, floor=0.05, "
        "ceiling=0.5)",
    "calculate_budget_adjustment":
        "(self, job_hash, current_entropy, floor=0.05, ceiling=0.5, "
        "decay_rate=0.95, boost_amount=0.1, entropy_threshold=0.3, "
        "initial_budget=0.15)",
    "get_exploration_budget_statistics": "(self, job_hash=None)",
})

# ---- patterns: recording, applications, scores, queries, provenance ----
SIGNATURES.update({
    "record_outcome":
        "(self, outcome, workspace_path, model=None, error_codes=None)",
    "get_similar_executions":
        "(self, job_hash=None, workspace_hash=None, sheet_num=None, "
        "limit=10)",
    "get_optimal_execution_window": "(self, error_code=None, model=None)",
    "record_pattern":
        "(self, pattern_type, pattern_name, description=None, "
        "context_tags=None, suggested_action=None, provenance=None, "
        "provenance_job_hash=None, provenance_sheet_num=None, "
        "instrument_name=None)",
    "record_pattern_application":
        "(self, pattern_id, execution_id, pattern_led_to_success, "
        "retry_count_before=0, retry_count_after=0, "
        "application_mode='exploitation', validation_passed=None, "
        "grounding_confidence=None)",
    "update_pattern_effectiveness": "(self, pattern_id)",
    "recalculate_all_pattern_priorities": "(self)",
    "soft_delete_pattern": "(self, pattern_id)",
    "get_patterns":
        "(self, pattern_type=None, min_priority=0.01, limit=20, "
        "context_tags=None, quarantine_status=None, "
        "exclude_quarantined=False, min_trust=None, max_trust=None, "
        "include_inactive=False, instrument_name=None, "
        "include_universal=True)",
    "get_pattern_by_id": "(self, pattern_id)",
    "get_pattern_provenance": "(self, pattern_id)",
})

# ---- pattern lifecycle, quarantine, trust, success factors ------------
SIGNATURES.update({
    "promote_ready_patterns": "(self)",
    "update_quarantine_status": "(self, pattern_id, new_status)",
    "quarantine_pattern": "(self, pattern_id, reason=None)",
    "validate_pattern": "(self, pattern_id)",
    "retire_pattern": "(self, pattern_id)",
    "get_quarantined_patterns": "(self, limit=50)",
    "calculate_trust_score": "(self, pattern_id)",
    "update_trust_score": "(self, pattern_id, delta)",
    "recalculate_all_trust_scores": "(self)",
    "get_high_trust_patterns": "(self, threshold=0.7, limit=50)",
    "get_low_trust_patterns": "(self, threshold=0.3, limit=50)",
    "get_patterns_for_auto_apply":
        "(self, trust_threshold=0.85, require_validated=True, limit=3, "
        "context_tags=None)",
    "update_success_factors":
        "(self, pattern_id, validation_types=None, error_categories=None, "
        "prior_sheet_status=None, retry_iteration=0, "
        "escalation_was_pending=False, grounding_confidence=None)",
    "get_success_factors": "(self, pattern_id)",
    "analyze_pattern_why": "(self, pattern_id)",
    "get_patterns_with_why": "(self, min_observations=1, limit=20)",
})

# ---- discovery broadcast, drift ----------------------------------------
SIGNATURES.update({
    "record_pattern_discovery":
        "(self, pattern_id, pattern_name, pattern_type, job_id, "
        "effectiveness_score=1.0, context_tags=None, ttl_seconds=300.0)",
    "check_recent_pattern_discoveries":
        "(self, exclude_job_id=None, pattern_type=None, "
        "min_effectiveness=0.0, limit=20)",
    "cleanup_expired_pattern_discoveries": "(self)",
    "get_active_pattern_discoveries": "(self, pattern_type=None)",
    "calculate_effectiveness_drift":
        "(self, pattern_id, window_size=5, drift_threshold=0.2)",
    "get_drifting_patterns":
        "(self, drift_threshold=0.2, window_size=5, limit=20)",
    "get_pattern_drift_summary": "(self)",
    "calculate_epistemic_drift":
        "(self, pattern_id, window_size=5, drift_threshold=0.15)",
    "get_epistemic_drifting_patterns":
        "(self, drift_threshold=0.15, window_size=5, limit=20)",
    "get_epistemic_drift_summary": "(self)",
    "retire_drifting_patterns":
        "(self, drift_threshold=0.2, window_size=5, "
        "require_negative_drift=True)",
    "get_retired_patterns": "(self, limit=50)",
})

# ---- evolution trajectory, entropy -------------------------------------
SIGNATURES.update({
    "record_evolution_entry":
        "(self, cycle=None, evolutions_completed=None, "
        "evolutions_deferred=None, issue_classes=None, cv_avg=None, "
        "implementation_loc=None, test_loc=None, loc_accuracy=None, "
        "research_candidates_resolved=0, research_candidates_created=0, "
        "notes='', *, entry=None)",
    "record_evolution_cycle":
        "(self, cycle_number, candidates_generated, candidates_applied, "
        "changes_summary, outcome, learning_snapshot)",
    "get_trajectory": "(self, start_cycle=None, end_cycle=None, limit=50)",
    "get_evolution_history": "(self, last_n=10)",
    "get_recurring_issues": "(self, min_occurrences=2, window_cycles=None)",
    "calculate_pattern_entropy": "(self)",
    "record_pattern_entropy": "(self, metrics)",
    "get_pattern_entropy_history": "(self, limit=50)",
    "check_entropy_response_needed":
        "(self, job_hash, entropy_threshold=0.3, cooldown_seconds=3600)",
    "trigger_entropy_response":
        "(self, job_hash='', entropy_at_trigger=0.0, threshold_used=0.0, *, "
        "trigger=None, config=None, boost_budget=None, "
        "revisit_quarantine=None, max_quarantine_revisits=None, "
        "budget_floor=None, budget_ceiling=None, budget_boost_amount=None)",
    "get_last_entropy_response": "(self, job_hash=None)",
    "get_entropy_response_history": "(self, job_hash=None, limit=50)",
    "get_entropy_response_statistics": "(self, job_hash=None)",
})
