#!/usr/bin/env python3
"""ls_python.py - the Python learning store's access pattern, for bench_ls.

bench/bench_ls.c starts this as a child process on the file it has filled
and asks for one operation at a time:

    python3 ls_python.py DB pattern=ID job_hash=HASH fresh_job=HASH \
        workspace=HASH escalation=ID

prints "ready", then for each line "OPERATION BUDGET_MS" on stdin runs the
operation over and over for about BUDGET_MS (at least 3 calls) and prints
"CALLS SECONDS SIZE", SIZE being the size of the last result (rows, or
1 / 0 for found / not found) for bench_ls to compare with its own.

Each operation does what the Python store's method does per call: a new
sqlite3 connection (timeout 30 s) with PRAGMA journal_mode=WAL,
foreign_keys=ON and busy_timeout=30000 and sqlite3.Row rows, the method's
SQL, its record objects built from the rows, commit, close.  With
LS_PYTHON_ONE_CONNECTION=1 in the environment every operation runs
instead on one connection opened at the start (bench/bench_python.py's
floor).  Python standard library only.
"""

import hashlib
import json
import math
import os
import sqlite3
import sys
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

DB = sys.argv[1]
KEYS = dict(arg.split("=", 1) for arg in sys.argv[2:])


def connect():
    """A connection configured as the store configures its own."""
    conn = sqlite3.connect(DB, timeout=30.0)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA busy_timeout=30000")
    conn.row_factory = sqlite3.Row
    return conn


# With LS_PYTHON_ONE_CONNECTION=1 in the environment, every operation
# runs on this one connection (committed after each, as the store's
# batch_connection() would): the same SQL and records without the
# store's connection per call, the floor of any Python code running them.
SHARED = connect() if os.environ.get("LS_PYTHON_ONE_CONNECTION") else None


@contextmanager
def connection():
    """A connection for one operation, as the store opens it (or the
    shared one)."""
    conn = SHARED or connect()
    try:
        yield conn
        conn.commit()
    except Exception:
        conn.rollback()
        raise
    finally:
        if conn is not SHARED:
            conn.close()


def hash_job(name, config=None):
    """The store's job hash: 16 hex digits of SHA-256."""
    return hashlib.sha256(f"{name}:{config or ''}".encode()).hexdigest()[:16]


def when(text):
    """A stored timestamp as the records hold it."""
    return datetime.fromisoformat(text) if text else None


# ---- the records the store builds (its dataclasses' fields and clamps) ----

@dataclass
class SuccessFactors:
    validation_types: list = field(default_factory=list)
    error_categories: list = field(default_factory=list)
    prior_sheet_status: str | None = None
    time_of_day_bucket: str | None = None
    retry_iteration: int = 0
    escalation_was_pending: bool = False
    grounding_confidence: float | None = None
    occurrence_count: int = 1
    success_rate: float = 1.0

    def __post_init__(self):
        self.success_rate = max(0.0, min(1.0, self.success_rate))
        self.occurrence_count = max(1, self.occurrence_count)

    @classmethod
    def from_dict(cls, d):
        return cls(d.get("validation_types", []),
                   d.get("error_categories", []),
                   d.get("prior_sheet_status"), d.get("time_of_day_bucket"),
                   d.get("retry_iteration", 0),
                   d.get("escalation_was_pending", False),
                   d.get("grounding_confidence"),
                   d.get("occurrence_count", 1), d.get("success_rate", 1.0))


@dataclass
class PatternRecord:
    id: str
    pattern_type: str
    pattern_name: str
    description: str | None
    occurrence_count: int
    first_seen: datetime
    last_seen: datetime
    last_confirmed: datetime
    led_to_success_count: int
    led_to_failure_count: int
    effectiveness_score: float
    variance: float
    suggested_action: str | None
    context_tags: list
    priority_score: float
    quarantine_status: str = "pending"
    provenance_job_hash: str | None = None
    provenance_sheet_num: int | None = None
    quarantined_at: datetime | None = None
    validated_at: datetime | None = None
    quarantine_reason: str | None = None
    trust_score: float = 0.5
    trust_calculation_date: datetime | None = None
    success_factors: SuccessFactors | None = None
    success_factors_updated_at: datetime | None = None
    active: bool = True
    content_hash: str | None = None
    instrument_name: str | None = None

    def __post_init__(self):
        self.trust_score = max(0.0, min(1.0, self.trust_score))
        self.effectiveness_score = max(0.0, min(1.0,
                                                self.effectiveness_score))
        self.variance = max(0.0, self.variance)
        self.priority_score = max(0.0, self.priority_score)


def pattern_record(r):
    """A patterns row as the store's PatternRecord."""
    factors = r["success_factors"]
    return PatternRecord(
        r["id"], r["pattern_type"], r["pattern_name"], r["description"],
        r["occurrence_count"], when(r["first_seen"]), when(r["last_seen"]),
        when(r["last_confirmed"]), r["led_to_success_count"],
        r["led_to_failure_count"], r["effectiveness_score"], r["variance"],
        r["suggested_action"], json.loads(r["context_tags"] or "[]"),
        r["priority_score"], r["quarantine_status"] or "pending",
        r["provenance_job_hash"], r["provenance_sheet_num"],
        when(r["quarantined_at"]), when(r["validated_at"]),
        r["quarantine_reason"],
        r["trust_score"] if r["trust_score"] is not None else 0.5,
        when(r["trust_calculation_date"]),
        SuccessFactors.from_dict(json.loads(factors)) if factors else None,
        when(r["success_factors_updated_at"]),
        bool(r["active"]) if r["active"] is not None else True,
        r["content_hash"], r["instrument_name"])


@dataclass
class ExecutionRecord:
    id: str
    workspace_hash: str
    job_hash: str
    sheet_num: int
    started_at: datetime | None
    completed_at: datetime | None
    duration_seconds: float
    status: str
    retry_count: int
    success_without_retry: bool
    validation_pass_rate: float
    confidence_score: float
    model: str | None
    error_codes: list = field(default_factory=list)

    def __post_init__(self):
        self.duration_seconds = max(0.0, self.duration_seconds)
        self.retry_count = max(0, self.retry_count)
        self.validation_pass_rate = max(0.0, min(1.0,
                                                 self.validation_pass_rate))
        self.confidence_score = max(0.0, min(1.0, self.confidence_score))


@dataclass
class RateLimitEvent:
    id: str
    error_code: str
    model: str | None
    recorded_at: datetime
    expires_at: datetime
    source_job_hash: str
    duration_seconds: float

    def __post_init__(self):
        if self.expires_at < self.recorded_at:
            self.expires_at = self.recorded_at


@dataclass
class EscalationDecisionRecord:
    id: str
    job_hash: str
    sheet_num: int
    confidence: float
    action: str
    guidance: str | None
    validation_pass_rate: float
    retry_count: int
    outcome_after_action: str | None = None
    recorded_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    model: str | None = None

    def __post_init__(self):
        self.confidence = max(0.0, min(1.0, self.confidence))
        if self.action not in ("retry", "skip", "abort", "modify_prompt"):
            self.action = "abort"


def escalation_record(r):
    return EscalationDecisionRecord(
        r["id"], r["job_hash"], r["sheet_num"], r["confidence"], r["action"],
        r["guidance"], r["validation_pass_rate"], r["retry_count"],
        r["outcome_after_action"], when(r["recorded_at"]), r["model"])


@dataclass
class PatternDiscoveryEvent:
    id: str
    pattern_id: str
    pattern_name: str
    pattern_type: str
    source_job_hash: str
    recorded_at: datetime
    expires_at: datetime
    effectiveness_score: float
    context_tags: list = field(default_factory=list)


@dataclass
class ExplorationBudgetRecord:
    id: str
    job_hash: str
    recorded_at: datetime
    budget_value: float
    entropy_at_time: float | None
    adjustment_type: str
    adjustment_reason: str | None


@dataclass
class EntropyResponseRecord:
    id: str
    job_hash: str
    recorded_at: datetime
    entropy_at_trigger: float
    threshold_used: float
    actions_taken: list
    budget_boosted: bool
    quarantine_revisits: int
    patterns_revisited: list


@dataclass
class DriftMetrics:
    pattern_id: str
    pattern_name: str
    window_size: int
    effectiveness_before: float
    effectiveness_after: float
    grounding_confidence_avg: float
    drift_magnitude: float
    drift_direction: str
    applications_analyzed: int
    threshold_exceeded: bool = False


@dataclass
class PatternEntropyMetrics:
    calculated_at: datetime
    shannon_entropy: float
    max_possible_entropy: float
    diversity_index: float
    unique_pattern_count: int
    effective_pattern_count: int
    total_applications: int
    dominant_pattern_share: float
    threshold_exceeded: bool = False


# ---- reads --------------------------------------------------------------

def get_patterns(pattern_type=None, min_priority=0.01, limit=20,
                 context_tags=None, min_trust=None):
    """get_patterns, with the filters the benchmark uses."""
    with connection() as conn:
        clauses, params = ["priority_score >= ?"], [min_priority]
        clauses.append("COALESCE(active, 1) = 1")
        if pattern_type:
            clauses.append("pattern_type = ?")
            params.append(pattern_type)
        if min_trust is not None:
            clauses.append("trust_score >= ?")
            params.append(min_trust)
        if context_tags:
            marks = ", ".join("?" for _ in context_tags)
            clauses.append(f"""EXISTS (
                SELECT 1 FROM json_each(context_tags)
                WHERE json_each.value IN ({marks})
            )""")
            params.extend(context_tags)
        cursor = conn.execute(
            f"""SELECT * FROM patterns WHERE {" AND ".join(clauses)}
                ORDER BY priority_score DESC LIMIT ?""", (*params, limit))
        return [pattern_record(r) for r in cursor.fetchall()]


def get_pattern_by_id(pattern_id):
    with connection() as conn:
        row = conn.execute("SELECT * FROM patterns WHERE id = ?",
                           (pattern_id,)).fetchone()
        return pattern_record(row) if row else None


def rd_get_success_factors():
    pattern = get_pattern_by_id(KEYS["pattern"])
    return 1 if pattern and pattern.success_factors else 0


def rd_is_rate_limited():
    now = datetime.now(UTC)
    with connection() as conn:
        row = conn.execute(
            """SELECT expires_at, error_code, model, duration_seconds
               FROM rate_limit_events WHERE expires_at > ?
               AND error_code = ? ORDER BY expires_at DESC LIMIT 1""",
            (now.isoformat(), "E101")).fetchone()
        if row is None:
            return 0
        left = (datetime.fromisoformat(row["expires_at"]) - now)
        return 1 if left.total_seconds() > 0 else 0


def rd_get_active_rate_limits():
    now = datetime.now(UTC)
    with connection() as conn:
        cursor = conn.execute(
            """SELECT * FROM rate_limit_events WHERE expires_at > ?
               ORDER BY expires_at DESC""", (now.isoformat(),))
        return len([RateLimitEvent(
            r["id"], r["error_code"], r["model"], when(r["recorded_at"]),
            when(r["expires_at"]), r["source_job_hash"],
            r["duration_seconds"]) for r in cursor.fetchall()])


def get_learned_wait_time(error_code, min_samples=3):
    with connection() as conn:
        rows = conn.execute(
            """SELECT actual_wait, recovery_success FROM error_recoveries
               WHERE error_code = ? AND recovery_success = 1
               ORDER BY recorded_at DESC LIMIT 20""",
            (error_code,)).fetchall()
        if len(rows) < min_samples:
            return None
        waits = [float(r["actual_wait"]) for r in rows]
        return (sum(waits) / len(waits) + min(waits)) / 2


def rd_get_execution_stats():
    with connection() as conn:
        stats = {}
        stats["total_executions"] = conn.execute(
            "SELECT COUNT(*) as count FROM executions").fetchone()["count"]
        row = conn.execute(
            """SELECT SUM(CASE WHEN success_without_retry THEN 1 ELSE 0 END)
                      as successes, COUNT(*) as total
               FROM executions""").fetchone()
        stats["success_without_retry_rate"] = (
            row["successes"] / row["total"] if row["total"] > 0 else 0.0)
        stats["total_patterns"] = conn.execute(
            "SELECT COUNT(*) as count FROM patterns").fetchone()["count"]
        row = conn.execute(
            "SELECT AVG(effectiveness_score) as avg FROM patterns").fetchone()
        stats["avg_pattern_effectiveness"] = row["avg"] or 0.0
        stats["total_error_recoveries"] = conn.execute(
            "SELECT COUNT(*) as count FROM error_recoveries"
        ).fetchone()["count"]
        stats["unique_workspaces"] = conn.execute(
            "SELECT COUNT(DISTINCT workspace_hash) as count FROM executions"
        ).fetchone()["count"]
        return stats["total_executions"]


def rd_get_similar_executions():
    with connection() as conn:
        cursor = conn.execute(
            """SELECT * FROM executions WHERE job_hash = ?
               ORDER BY completed_at DESC LIMIT ?""",
            (KEYS["job_hash"], 10))
        return len([ExecutionRecord(
            r["id"], r["workspace_hash"], r["job_hash"], r["sheet_num"],
            when(r["started_at"]), when(r["completed_at"]),
            r["duration_seconds"] or 0.0, r["status"] or "",
            r["retry_count"] or 0, bool(r["success_without_retry"]),
            r["validation_pass_rate"] or 0.0, r["confidence_score"] or 0.0,
            r["model"], json.loads(r["error_codes"] or "[]"))
            for r in cursor.fetchall()])


def rd_get_workspace_cluster():
    with connection() as conn:
        row = conn.execute(
            "SELECT cluster_id FROM workspace_clusters "
            "WHERE workspace_hash = ?", (KEYS["workspace"],)).fetchone()
        return 1 if row and row["cluster_id"] else 0


def get_exploration_budget(job_hash):
    with connection() as conn:
        row = conn.execute(
            """SELECT id, job_hash, recorded_at, budget_value,
                      entropy_at_time, adjustment_type, adjustment_reason
               FROM exploration_budget WHERE job_hash = ?
               ORDER BY recorded_at DESC LIMIT 1""", (job_hash,)).fetchone()
        if not row:
            return None
        return ExplorationBudgetRecord(
            row["id"], row["job_hash"], when(row["recorded_at"]),
            row["budget_value"], row["entropy_at_time"],
            row["adjustment_type"], row["adjustment_reason"])


def rd_get_exploration_budget_statistics():
    job_hash = KEYS["job_hash"]
    with connection() as conn:
        row = conn.execute(
            """SELECT COUNT(*) as total, AVG(budget_value) as avg_val,
                      MIN(budget_value) as min_val,
                      MAX(budget_value) as max_val,
                      SUM(CASE WHEN adjustment_type = 'floor_enforced'
                          THEN 1 ELSE 0 END) as floor_count,
                      SUM(CASE WHEN adjustment_type = 'boost'
                          THEN 1 ELSE 0 END) as boost_count,
                      SUM(CASE WHEN adjustment_type = 'decay'
                          THEN 1 ELSE 0 END) as decay_count
               FROM exploration_budget WHERE job_hash = ?""",
            (job_hash,)).fetchone()
        if not row or row["total"] == 0:
            return 0
    current = get_exploration_budget(job_hash)
    stats = {"current_budget": current.budget_value if current else None,
             "avg_budget": row["avg_val"] or 0.0,
             "total_adjustments": row["total"]}
    return stats["total_adjustments"]


def calculate_effectiveness_drift(pattern_id, window_size=5,
                                  drift_threshold=0.2):
    with connection() as conn:
        row = conn.execute("SELECT pattern_name FROM patterns WHERE id = ?",
                           (pattern_id,)).fetchone()
        if not row:
            return None
        apps = conn.execute(
            """SELECT pattern_led_to_success, grounding_confidence, applied_at
               FROM pattern_applications WHERE pattern_id = ?
               ORDER BY applied_at DESC LIMIT ?""",
            (pattern_id, window_size * 2)).fetchall()
        if len(apps) < window_size * 2:
            return None

        def effectiveness(window):
            wins = sum(1 for a in window if a["pattern_led_to_success"])
            grounding = [a["grounding_confidence"] for a in window
                         if a["grounding_confidence"] is not None]
            return (wins + 0.5) / (len(window) + 1), grounding

        after, g_recent = effectiveness(apps[:window_size])
        before, g_older = effectiveness(apps[window_size:window_size * 2])
        grounding = g_recent + g_older
        avg = sum(grounding) / len(grounding) if grounding else 1.0
        drift = after - before
        direction = ("positive" if drift > 0.05 else
                     "negative" if drift < -0.05 else "stable")
        return DriftMetrics(pattern_id, row["pattern_name"], window_size,
                            before, after, avg, abs(drift), direction,
                            len(apps),
                            abs(drift) / max(avg, 0.5) > drift_threshold)


def rd_get_drifting_patterns(threshold=0.2, window_size=5, limit=20):
    with connection() as conn:
        ids = [r["pattern_id"] for r in conn.execute(
            """SELECT pattern_id, COUNT(*) as app_count
               FROM pattern_applications GROUP BY pattern_id
               HAVING app_count >= ?""", (window_size * 2,)).fetchall()]
    drifting = []
    for pattern_id in ids:
        m = calculate_effectiveness_drift(pattern_id, window_size, threshold)
        if m and m.threshold_exceeded:
            drifting.append(m)
    drifting.sort(key=lambda m: m.drift_magnitude, reverse=True)
    return len(drifting[:limit])


def diversity(rows):
    """Shannon entropy over application counts, as a diversity index."""
    total = sum(r["app_count"] for r in rows)
    probabilities = [r["app_count"] / total for r in rows]
    entropy = -sum(p * math.log2(p) for p in probabilities if p > 0)
    maximum = math.log2(len(rows)) if len(rows) > 1 else 1.0
    return entropy, maximum, probabilities


def rd_calculate_pattern_entropy():
    with connection() as conn:
        rows = conn.execute(
            """SELECT p.id, COUNT(pa.id) as app_count FROM patterns p
               LEFT JOIN pattern_applications pa ON p.id = pa.pattern_id
               GROUP BY p.id""").fetchall()
    effective = [r for r in rows if r["app_count"] > 0]
    entropy, maximum, probabilities = diversity(effective)
    metrics = PatternEntropyMetrics(
        datetime.now(), entropy, maximum,
        entropy / maximum if maximum > 0 else 0.0, len(rows),
        len(effective), sum(r["app_count"] for r in rows),
        max(probabilities))
    return metrics.effective_pattern_count


def get_last_entropy_response(job_hash):
    with connection() as conn:
        row = conn.execute(
            """SELECT id, job_hash, recorded_at, entropy_at_trigger,
                      threshold_used, actions_taken, budget_boosted,
                      quarantine_revisits, patterns_revisited
               FROM entropy_responses WHERE job_hash = ?
               ORDER BY recorded_at DESC LIMIT 1""", (job_hash,)).fetchone()
        if not row:
            return None
        return EntropyResponseRecord(
            row["id"], row["job_hash"], when(row["recorded_at"]),
            row["entropy_at_trigger"], row["threshold_used"],
            json.loads(row["actions_taken"]), bool(row["budget_boosted"]),
            row["quarantine_revisits"],
            json.loads(row["patterns_revisited"])
            if row["patterns_revisited"] else [])


def rd_check_entropy_response_needed(threshold=0.3, cooldown=3600):
    last = get_last_entropy_response(KEYS["fresh_job"])
    if last and (datetime.now() - last.recorded_at).total_seconds() < cooldown:
        return 0
    with connection() as conn:
        rows = conn.execute(
            """SELECT p.id, COUNT(pa.id) as app_count FROM patterns p
               LEFT JOIN pattern_applications pa ON p.id = pa.pattern_id
               GROUP BY p.id HAVING app_count > 0""").fetchall()
    if not rows:
        return 0
    entropy, maximum, _ = diversity(rows)
    return 1 if entropy / maximum < threshold else 0


def rd_get_similar_escalation(confidence=0.5, pass_rate=50.0,
                              conf_tolerance=0.15, rate_tolerance=15.0,
                              limit=5):
    with connection() as conn:
        cursor = conn.execute(
            """SELECT *, ABS(confidence - ?) as conf_diff,
                      ABS(validation_pass_rate - ?) as rate_diff
               FROM escalation_decisions
               WHERE ABS(confidence - ?) <= ?
                 AND ABS(validation_pass_rate - ?) <= ?
               ORDER BY
                   CASE WHEN outcome_after_action = 'success' THEN 0
                        WHEN outcome_after_action = 'skipped' THEN 1
                        WHEN outcome_after_action IS NULL THEN 2
                        ELSE 3 END,
                   conf_diff + (rate_diff / 100.0)
               LIMIT ?""",
            (confidence, pass_rate, confidence, conf_tolerance, pass_rate,
             rate_tolerance, limit))
        return len([escalation_record(r) for r in cursor.fetchall()])


def rd_get_escalation_history(job_id="job-1", limit=20):
    with connection() as conn:
        cursor = conn.execute(
            """SELECT * FROM escalation_decisions WHERE job_hash = ?
               ORDER BY recorded_at DESC LIMIT ?""",
            (hash_job(job_id), limit))
        return len([escalation_record(r) for r in cursor.fetchall()])


def rd_check_recent_pattern_discoveries(min_effectiveness=0.0, limit=20):
    now = datetime.now()
    with connection() as conn:
        cursor = conn.execute(
            """SELECT * FROM pattern_discovery_events
               WHERE expires_at > ? AND effectiveness_score >= ?
               ORDER BY recorded_at DESC LIMIT ?""",
            (now.isoformat(), min_effectiveness, limit))
        return len([PatternDiscoveryEvent(
            r["id"], r["pattern_id"], r["pattern_name"], r["pattern_type"],
            r["source_job_hash"], when(r["recorded_at"]),
            when(r["expires_at"]), r["effectiveness_score"],
            json.loads(r["context_tags"] or "[]"))
            for r in cursor.fetchall()])


# ---- writes (context: their time beside ours) ----------------------------

def insert(sql, values):
    """One INSERT or UPDATE in the store's connection per operation."""
    with connection() as conn:
        return conn.execute(sql, values).rowcount


def wr_record_outcome():
    now = datetime.now()
    return insert(
        """INSERT INTO executions (id, workspace_hash, job_hash, sheet_num,
               started_at, completed_at, duration_seconds, status,
               retry_count, success_without_retry, validation_pass_rate,
               confidence_score, model, error_codes)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (str(uuid.uuid4()), KEYS["workspace"], hash_job("job-1"), 3,
         datetime.now(UTC).isoformat(), now.isoformat(), 12.5, "completed",
         0, True, 1.0, 1.0, "model-a", json.dumps(["E101"])))


def wr_record_pattern():
    """record_pattern of a known pattern: the lookup, then the update."""
    name = " ".join("Pattern Name 1".lower().split())
    pattern_id = hashlib.sha256(
        f"type-01:{name}".encode()).hexdigest()[:16]
    content_hash = hashlib.sha256(
        f"type-01:{name}:".encode()).hexdigest()[:32]
    with connection() as conn:
        if conn.execute("SELECT id FROM patterns WHERE id = ?",
                        (pattern_id,)).fetchone():
            conn.execute(
                """UPDATE patterns SET
                       occurrence_count = occurrence_count + 1,
                       last_seen = ?,
                       description = COALESCE(?, description),
                       suggested_action = COALESCE(?, suggested_action),
                       context_tags = ?, content_hash = ?, active = 1
                   WHERE id = ?""",
                (datetime.now().isoformat(), None, None,
                 json.dumps(["retry"]), content_hash, pattern_id))
            return 1
    return 0


def wr_record_pattern_application():
    """record_pattern_application: guard, insert, count, rescore."""
    pattern_id = KEYS["pattern"]
    now = datetime.now()
    with connection() as conn:
        if not conn.execute("SELECT 1 FROM patterns WHERE id = ?",
                            (pattern_id,)).fetchone():
            return 0
        conn.execute(
            """INSERT INTO pattern_applications (id, pattern_id,
                   execution_id, applied_at, pattern_led_to_success,
                   retry_count_before, retry_count_after,
                   grounding_confidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
            (str(uuid.uuid4()), pattern_id, "execution", now.isoformat(),
             True, 0, 1, 0.8))
        conn.execute(
            """UPDATE patterns SET
                   led_to_success_count = led_to_success_count + 1,
                   last_confirmed = ? WHERE id = ?""",
            (now.isoformat(), pattern_id))
        row = conn.execute(
            """SELECT led_to_success_count, led_to_failure_count,
                      last_confirmed, occurrence_count, variance
               FROM patterns WHERE id = ?""", (pattern_id,)).fetchone()
        recent = conn.execute(
            """SELECT pattern_led_to_success, grounding_confidence
               FROM pattern_applications WHERE pattern_id = ?
               ORDER BY applied_at DESC LIMIT 5""", (pattern_id,)).fetchall()
        wins, losses = row["led_to_success_count"], row["led_to_failure_count"]
        days = (now - when(row["last_confirmed"])).days
        grounded = [r["grounding_confidence"] for r in recent
                    if r["grounding_confidence"] is not None]
        g = sum(grounded) / len(grounded) if grounded else 1.0
        rate = sum(1 for r in recent if r["pattern_led_to_success"])
        effectiveness = ((0.7 * rate / len(recent)
                          + 0.3 * (wins + 0.5) / (wins + losses + 1))
                         * 0.9 ** (days / 30) * (0.7 + 0.3 * g))
        frequency = max(0.6, min(1.0, math.log10(row["occurrence_count"]
                                                 + 1) / 2))
        priority = max(0.0, min(1.0, effectiveness * frequency
                                * (1 - row["variance"])))
        conn.execute(
            """UPDATE patterns SET effectiveness_score = ?,
                   priority_score = ? WHERE id = ?""",
            (effectiveness, priority, pattern_id))
        return 1


def wr_record_error_recovery():
    now = datetime.now()
    return insert(
        """INSERT INTO error_recoveries (id, error_code, suggested_wait,
               actual_wait, recovery_success, recorded_at, model,
               time_of_day) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
        (str(uuid.uuid4()), "E101", 30.0, 12.0, True, now.isoformat(),
         "model-a", now.hour))


def wr_record_rate_limit_event():
    now = datetime.now(UTC)
    return insert(
        """INSERT INTO rate_limit_events (id, error_code, model, recorded_at,
               expires_at, source_job_hash, duration_seconds)
           VALUES (?, ?, ?, ?, ?, ?, ?)""",
        (str(uuid.uuid4()), "E101", "model-a", now.isoformat(),
         (now + timedelta(seconds=60.0 * 0.8)).isoformat(),
         hash_job("job-1"), 60.0))


def wr_record_escalation_decision():
    return insert(
        """INSERT INTO escalation_decisions (id, job_hash, sheet_num,
               confidence, action, guidance, validation_pass_rate,
               retry_count, outcome_after_action, recorded_at, model)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (str(uuid.uuid4()), hash_job("job-1"), 3, 0.4, "retry",
         "Looked at the logs", 60.0, 2, None, datetime.now().isoformat(),
         "model-a"))


def wr_update_escalation_outcome():
    return insert(
        """UPDATE escalation_decisions SET outcome_after_action = ?
           WHERE id = ?""", (datetime.now().isoformat(), KEYS["escalation"]))


def wr_update_exploration_budget():
    return insert(
        """INSERT INTO exploration_budget (id, job_hash, recorded_at,
               budget_value, entropy_at_time, adjustment_type,
               adjustment_reason) VALUES (?, ?, ?, ?, ?, ?, ?)""",
        (str(uuid.uuid4()), KEYS["job_hash"], datetime.now().isoformat(),
         max(0.05, min(0.50, 0.2)), 0.4, "decay", "bench"))


def wr_record_pattern_entropy():
    return insert(
        """INSERT INTO pattern_entropy_history (id, calculated_at,
               shannon_entropy, max_possible_entropy, diversity_index,
               unique_pattern_count, effective_pattern_count,
               total_applications, dominant_pattern_share,
               threshold_exceeded) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (str(uuid.uuid4()), datetime.now().isoformat(), 9.5, 10.5, 0.9,
         2000, 1400, 6600, 0.01, 0))


def wr_record_pattern_discovery():
    now = datetime.now()
    return insert(
        """INSERT INTO pattern_discovery_events (id, pattern_id,
               pattern_name, pattern_type, source_job_hash, recorded_at,
               expires_at, effectiveness_score, context_tags)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (str(uuid.uuid4()), KEYS["pattern"], "pattern name", "type-01",
         hash_job("job-1"), now.isoformat(),
         (now + timedelta(seconds=300.0)).isoformat(), 1.0,
         json.dumps(["retry"])))


def wr_validate_pattern():
    return insert(
        """UPDATE patterns SET quarantine_status = ?, validated_at = ?,
               quarantine_reason = NULL WHERE id = ?""",
        ("validated", datetime.now().isoformat(), KEYS["pattern"]))


def wr_assign_workspace_cluster():
    return insert(
        """INSERT OR REPLACE INTO workspace_clusters
               (workspace_hash, cluster_id, assigned_at) VALUES (?, ?, ?)""",
        (KEYS["workspace"], "cluster-1", datetime.now().isoformat()))


OPS = {
    "get_patterns": lambda: len(get_patterns()),
    "get_patterns_tagged": lambda: len(get_patterns(
        pattern_type="type-01", context_tags=["retry"])),
    "get_pattern_by_id": lambda: int(
        get_pattern_by_id(KEYS["pattern"]) is not None),
    "get_success_factors": rd_get_success_factors,
    "get_high_trust_patterns": lambda: len(get_patterns(
        min_priority=0.0, min_trust=0.7, limit=50)),
    "is_rate_limited": rd_is_rate_limited,
    "get_active_rate_limits": rd_get_active_rate_limits,
    "get_learned_wait_time": lambda: int(
        get_learned_wait_time("E101") is not None),
    "get_execution_stats": rd_get_execution_stats,
    "get_similar_executions": rd_get_similar_executions,
    "get_workspace_cluster": rd_get_workspace_cluster,
    "get_exploration_budget": lambda: int(
        get_exploration_budget(KEYS["job_hash"]) is not None),
    "get_exploration_budget_statistics": rd_get_exploration_budget_statistics,
    "calculate_effectiveness_drift": lambda: (
        lambda m: m.applications_analyzed if m else 0)(
        calculate_effectiveness_drift(KEYS["pattern"])),
    "get_drifting_patterns": rd_get_drifting_patterns,
    "calculate_pattern_entropy": rd_calculate_pattern_entropy,
    "check_entropy_response_needed": rd_check_entropy_response_needed,
    "get_similar_escalation": rd_get_similar_escalation,
    "get_escalation_history": rd_get_escalation_history,
    "check_recent_pattern_discoveries": rd_check_recent_pattern_discoveries,
    "record_outcome": wr_record_outcome,
    "record_pattern": wr_record_pattern,
    "record_pattern_application": wr_record_pattern_application,
    "record_error_recovery": wr_record_error_recovery,
    "record_rate_limit_event": wr_record_rate_limit_event,
    "record_escalation_decision": wr_record_escalation_decision,
    "update_escalation_outcome": wr_update_escalation_outcome,
    "update_exploration_budget": wr_update_exploration_budget,
    "record_pattern_entropy": wr_record_pattern_entropy,
    "record_pattern_discovery": wr_record_pattern_discovery,
    "validate_pattern": wr_validate_pattern,
    "assign_workspace_cluster": wr_assign_workspace_cluster,
}


def serve():
    """Answer bench_ls's requests until its end of input."""
    print("ready", flush=True)
    for line in sys.stdin:
        name, budget = line.split()
        op, budget = OPS[name], float(budget) / 1e3
        calls, t0 = 0, time.perf_counter()
        while True:
            size = op()
            calls += 1
            elapsed = time.perf_counter() - t0
            if calls >= 3 and elapsed >= budget:
                break
        print(calls, elapsed, size, flush=True)


if __name__ == "__main__":
    serve()
