#!/usr/bin/env python3
"""pyfiles.py - the Python store's files, both ways.

  pyfiles.py make DB    write a version-15 database as the Python store's
                        own writes leave it: its DDL (tests/learning/
                        spec-v15.sql), then rows in its formats (naive and
                        UTC isoformat() times, with and without
                        microseconds, json.dumps lists and objects with
                        non-ASCII text escaped, booleans bound as Python
                        bools)
  pyfiles.py check DB   after test_pyfiles has worked on it: every time
                        still reads with datetime.fromisoformat(), every
                        JSON column with json.loads(), and the numbers the
                        C store wrote are those the Python store's formulas
                        give for the rows as they are now

Only the standard library.  Prints PLAN and PASS/FAIL lines.
"""
import hashlib
import json
import math
import os
import sqlite3
import sys
from datetime import UTC, datetime, timedelta

HERE = os.path.dirname(os.path.abspath(__file__))
SPEC = os.path.join(HERE, "..", "learning", "spec-v15.sql")
NOW = datetime(2026, 5, 28, 20, 26, 40)        # LEARNSTORE_NOW, TZ=UTC


def pattern_id(ptype, name):
    norm = " ".join(name.lower().split())
    return hashlib.sha256(f"{ptype}:{norm}".encode()).hexdigest()[:16], norm


def content_hash(ptype, norm, description):
    text = f"{ptype}:{norm}:{description or ''}"
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def make(path):
    conn = sqlite3.connect(path)
    with open(SPEC) as f:
        conn.executescript(f.read())
    conn.execute("INSERT OR IGNORE INTO schema_version (version) VALUES (15)")
    when = datetime(2026, 5, 1, 10, 0, 0, 123456)
    pid, norm = pattern_id("retry", "Wait for  the API")
    conn.execute(
        "INSERT INTO patterns (id, pattern_type, pattern_name, description,"
        " occurrence_count, first_seen, last_seen, last_confirmed,"
        " led_to_success_count, led_to_failure_count, effectiveness_score,"
        " variance, suggested_action, context_tags, priority_score,"
        " quarantine_status, provenance_job_hash, provenance_sheet_num,"
        " trust_score, trust_calculation_date, content_hash,"
        " instrument_name, active)"
        " VALUES (?, ?, ?, ?, 1, ?, ?, ?, 2, 1, 0.5, 0.0, ?, ?, 0.5, ?, ?,"
        " ?, 0.5, ?, ?, ?, 1)",
        (pid, "retry", "Wait for  the API", "first", when.isoformat(),
         when.isoformat(), when.isoformat(), "wait", json.dumps(["api",
         "caf\u00e9"]), "pending", "3cc5d3c84b82d2cf", 4, when.isoformat(),
         content_hash("retry", norm, "first"), None))
    apps = [(True, 0.8), (True, None), (False, 0.6)]
    for i, (ok, g) in enumerate(apps):
        conn.execute(
            "INSERT INTO pattern_applications (id, pattern_id, execution_id,"
            " applied_at, pattern_led_to_success, retry_count_before,"
            " retry_count_after, grounding_confidence)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (f"app-{i}", pid, "exec-1",
             (when + timedelta(minutes=i)).isoformat(), ok, 0, 0, g))
    factors = {
        "validation_types": ["regex", "\u00fcn\u00efcode"],
        "error_categories": ["rate_limit"], "prior_sheet_status": None,
        "time_of_day_bucket": "morning", "retry_iteration": 0,
        "escalation_was_pending": False, "grounding_confidence": None,
        "occurrence_count": 3, "success_rate": 0.5,
    }
    fid, _ = pattern_id("fix", "Add the import")
    conn.execute(
        "INSERT INTO patterns (id, pattern_type, pattern_name,"
        " occurrence_count, first_seen, last_seen, last_confirmed,"
        " led_to_success_count, led_to_failure_count, context_tags,"
        " quarantine_status, trust_score, success_factors,"
        " success_factors_updated_at, active)"
        " VALUES (?, 'fix', 'Add the import', 5, ?, ?, ?, 4, 1, '[]',"
        " 'validated', 0.5, ?, ?, 1)",
        (fid, when.isoformat(), when.isoformat(),
         datetime(2026, 5, 28, 10, 0).isoformat(), json.dumps(factors),
         when.isoformat()))
    # A rate limit recorded by datetime.now(UTC), expiring at 21:00 UTC.
    rec = datetime(2026, 5, 28, 20, 0, tzinfo=UTC)
    conn.execute(
        "INSERT INTO rate_limit_events VALUES (?, ?, ?, ?, ?, ?, ?)",
        ("rl-1", "E429", "m1", rec.isoformat(),
         (rec + timedelta(seconds=3600)).isoformat(), "3cc5d3c84b82d2cf",
         4500.0))
    for i, (wait, ok) in enumerate([(10.0, True), (20.0, True),
                                    (30.0, True), (5.0, False)]):
        conn.execute(
            "INSERT INTO error_recoveries VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (f"er-{i}", "E429", 5.0, wait, ok,
             (when + timedelta(seconds=i)).isoformat(), None, 10))
    conn.execute(
        "INSERT INTO exploration_budget VALUES (?, ?, ?, ?, ?, ?, ?)",
        ("b-1", "jh", datetime(2026, 5, 28, 19, 0).isoformat(), 0.2, 0.4,
         "decay", "Entropy 0.400 >= threshold, decaying"))
    conn.execute(
        "INSERT INTO entropy_responses VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        ("er-1", "jh", datetime(2026, 5, 28, 20, 0).isoformat(), 0.1, 0.3,
         json.dumps(["budget_boost"]), 1, 0, json.dumps([])))
    conn.commit()
    conn.close()


def effectiveness(conn, pid, now):
    """The Python store's _calculate_effectiveness and priority, from the
    rows as they are."""
    row = conn.execute(
        "SELECT led_to_success_count, led_to_failure_count, last_confirmed,"
        " occurrence_count, variance FROM patterns WHERE id = ?",
        (pid,)).fetchone()
    s, f, confirmed, occ, var = row
    total = s + f
    if total < 3:
        eff = 0.55
    else:
        hist = (s + 0.5) / (total + 1)
        apps = conn.execute(
            "SELECT pattern_led_to_success, grounding_confidence FROM"
            " pattern_applications WHERE pattern_id = ? ORDER BY applied_at"
            " DESC LIMIT 5", (pid,)).fetchall()
        recent = sum(1 for a in apps if a[0]) / len(apps) if apps else hist
        g = [a[1] for a in apps if a[1] is not None]
        g = sum(g) / len(g) if g else 1.0
        days = (now - datetime.fromisoformat(confirmed)).days
        eff = (0.7 * recent + (1 - 0.7) * hist) * 0.9 ** (days / 30.0) \
            * (0.7 + 0.3 * g)
    freq = max(0.6, min(1.0, math.log10(occ + 1) / 2.0))
    return eff, max(0.0, min(1.0, eff * freq * (1 - var)))


def check(path):
    results = []

    def case(name, ok, why=""):
        results.append((name, ok, why))

    conn = sqlite3.connect(path)
    times = {
        "executions": ["started_at", "completed_at"],
        "patterns": ["first_seen", "last_seen", "last_confirmed",
                     "quarantined_at", "validated_at",
                     "trust_calculation_date", "success_factors_updated_at"],
        "pattern_applications": ["applied_at"],
        "error_recoveries": ["recorded_at"],
        "rate_limit_events": ["recorded_at", "expires_at"],
        "exploration_budget": ["recorded_at"],
        "entropy_responses": ["recorded_at"],
        "pattern_entropy_history": ["calculated_at"],
    }
    bad = []
    for table, cols in times.items():
        for col in cols:
            for (v,) in conn.execute(f"SELECT {col} FROM {table}"):
                try:
                    if v is not None:
                        datetime.fromisoformat(v)
                except ValueError:
                    bad.append(f"{table}.{col}={v!r}")
    case("times-read-by-python", not bad, ", ".join(bad[:3]))
    bad = []
    for table, col in [("patterns", "context_tags"),
                       ("patterns", "success_factors"),
                       ("executions", "error_codes"),
                       ("entropy_responses", "actions_taken"),
                       ("entropy_responses", "patterns_revisited")]:
        for (v,) in conn.execute(f"SELECT {col} FROM {table}"):
            try:
                if v is not None:
                    json.loads(v)
            except ValueError:
                bad.append(f"{table}.{col}={v!r}")
    case("json-read-by-python", not bad, ", ".join(bad[:3]))

    pid, norm = pattern_id("retry", "Wait for  the API")
    row = conn.execute(
        "SELECT occurrence_count, description, content_hash, context_tags,"
        " led_to_success_count, effectiveness_score, priority_score,"
        " trust_score FROM patterns WHERE id = ?", (pid,)).fetchone()
    occ, desc, chash, tags, succ, eff, prio, trust = row
    case("record-pattern-updated",
         occ == 2 and desc == "first"
         and chash == content_hash("retry", norm, None)
         and json.loads(tags) == ["api", "caf\u00e9", "\u00fcber"],
         repr(row))
    want_eff, want_prio = effectiveness(conn, pid, NOW)
    case("effectiveness-as-python", succ == 3 and eff == want_eff
         and prio == want_prio, f"{eff!r} {prio!r}, want {want_eff!r}"
         f" {want_prio!r}")
    # calculate_trust_score on that pattern, now
    s, f, confirmed, status = conn.execute(
        "SELECT led_to_success_count, led_to_failure_count, last_confirmed,"
        " quarantine_status FROM patterns WHERE id = ?", (pid,)).fetchone()
    t = 0.5 + min(1.0, s / occ) * 0.3 - min(1.0, f / occ) * 0.4 \
        + 0.9 ** ((NOW - datetime.fromisoformat(confirmed)).days / 30.0) * 0.2
    t += 0.1 if status == "validated" else -0.2 if status == "quarantined" \
        else 0
    case("trust-as-python", trust == max(0.0, min(1.0, t)),
         f"{trust!r}, want {max(0.0, min(1.0, t))!r}")

    fid, _ = pattern_id("fix", "Add the import")
    sf, = conn.execute("SELECT success_factors FROM patterns WHERE id = ?",
                       (fid,)).fetchone()
    want = {
        "validation_types": sorted({"regex", "\u00fcn\u00efcode", "file"}),
        "error_categories": ["rate_limit"], "prior_sheet_status": "completed",
        "time_of_day_bucket": "evening", "retry_iteration": 1,
        "escalation_was_pending": False, "grounding_confidence": None,
        "occurrence_count": 4, "success_rate": 4 / 5,
    }
    case("success-factors-as-python", sf == json.dumps(want),
         f"{sf!r}\nwant {json.dumps(want)!r}")
    print(f"PLAN {len(results)}")
    for name, ok, why in results:
        print(f"PASS {name}" if ok else f"FAIL {name}: {why}")
    return 0 if all(ok for _, ok, _ in results) else 1


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("make", "check"):
        sys.exit("usage: pyfiles.py make|check DB")
    if sys.argv[1] == "make":
        make(sys.argv[2])
        print("PLAN 1\nPASS made")
        sys.exit(0)
    sys.exit(check(sys.argv[2]))
