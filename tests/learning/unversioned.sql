-- The indexes the learning store adds to the Python store's version 15,
-- unversioned (docs/learnstore.md, "Indexes of our own"): the one
-- difference a file shows after our store opened it.  sqlite_master keeps
-- each as written here.
CREATE INDEX idx_exec_job_completed ON executions (job_hash, completed_at);
CREATE INDEX idx_app_pattern_applied ON pattern_applications (pattern_id, applied_at);
CREATE INDEX idx_recovery_code_recorded ON error_recoveries (error_code, recorded_at);
CREATE INDEX idx_escalation_job_recorded ON escalation_decisions (job_hash, recorded_at);
CREATE INDEX idx_pattern_discovery_recorded ON pattern_discovery_events (recorded_at);
CREATE INDEX idx_budget_job_recorded ON exploration_budget (job_hash, recorded_at);
