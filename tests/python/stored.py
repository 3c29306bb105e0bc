"""Rows read and written the way the Python store reads and writes them,
with Python's own sqlite3 module, for the tests that set up or inspect a
file behind the package's back."""

import json
import sqlite3

# A time the patterns add_pattern() writes were first and last seen.
SEEN = "2026-01-01T12:00:00"


def add_pattern(db_path, pid, **cols):
    """Insert pattern pid as the Python store's record_pattern writes a
    new one, with cols in place of its values (success_factors may be a
    dict, stored as its JSON)."""
    row = {
        "id": pid, "pattern_type": "retry", "pattern_name": pid,
        "description": None, "occurrence_count": 1, "first_seen": SEEN,
        "last_seen": SEEN, "last_confirmed": SEEN,
        "led_to_success_count": 0, "led_to_failure_count": 0,
        "effectiveness_score": 0.5, "variance": 0.0,
        "suggested_action": None, "context_tags": "[]",
        "priority_score": 0.5, "quarantine_status": "pending",
        "provenance_job_hash": None, "provenance_sheet_num": None,
        "trust_score": 0.5, "trust_calculation_date": SEEN, "active": 1,
        "content_hash": None, "instrument_name": None,
    }
    row.update(cols)
    if isinstance(row.get("success_factors"), dict):
        row["success_factors"] = json.dumps(row["success_factors"])
    con = sqlite3.connect(db_path)
    try:
        with con:
            con.execute("INSERT INTO patterns (%s) VALUES (%s)"
                        % (", ".join(row), ", ".join("?" * len(row))),
                        tuple(row.values()))
    finally:
        con.close()


def column(db_path, pid, *names):
    """The columns names of pattern pid, as stored."""
    con = sqlite3.connect(db_path)
    try:
        return con.execute("SELECT %s FROM patterns WHERE id = ?"
                           % ", ".join(names), (pid,)).fetchone()
    finally:
        con.close()


def rows(db_path, sql, *args):
    """The rows sql selects, as dicts."""
    con = sqlite3.connect(db_path)
    con.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in con.execute(sql, args)]
    finally:
        con.close()
