"""Text beyond ASCII, as the Python store handles it: any Unicode goes in
and comes back the same; a lone surrogate (a str made with
surrogateescape) is stored where the Python store json.dumps a list, as
the same escape, and raises UnicodeEncodeError where its sqlite3 would
bind it."""

import json
import sqlite3

import pytest



class Outcome:
    """The fields record_outcome reads of a sheet outcome."""

    def __init__(self):
        import datetime
        self.job_id = "job"
        self.sheet_id = "sheet-1"
        self.final_status = "completed"
        self.timestamp = datetime.datetime(2026, 1, 2, 3, 4, 5)
        self.execution_duration = 1.5
        self.retry_count = 0
        self.success_without_retry = True
        self.validation_pass_rate = 1.0


def column(db_path, sql):
    """The first column of the first row of sql on the file, read by
    Python's sqlite3 as the Python store reads it."""
    with sqlite3.connect(db_path) as c:
        return c.execute(sql).fetchone()[0]


def test_unicode_round_trip(store, db_path):
    name = "CAF\u00c9 Cr\u00e8me \u1e9etra\u00dfe \U0001f600"
    tags = ["\u0130stanbul", "\u00a0nbsp", "\U0001f600"]
    pid = store.record_pattern("t\u00e9", name, description="d\u00e9j\u00e0",
                               context_tags=tags)
    p = store.get_pattern_by_id(pid)
    assert (p.pattern_type, p.pattern_name, p.description) == \
        ("t\u00e9", name, "d\u00e9j\u00e0")
    assert p.context_tags == tags
    # Stored as the Python store's json.dumps writes it.
    assert column(db_path, "SELECT context_tags FROM patterns") == \
        json.dumps(tags)
    assert [q.id for q in store.get_patterns(context_tags=["\u0130stanbul"],
                                             min_priority=0)] == [pid]


def test_lone_surrogate_in_stored_lists(store, db_path):
    """json.dumps(["\\udcc0"]) is '["\\\\udcc0"]': the Python store keeps
    such a tag, code or issue class, and so do we, byte for byte."""
    odd = ["ok", "\udcc0"]
    pid = store.record_pattern("t", "n", context_tags=odd)
    assert column(db_path, "SELECT context_tags FROM patterns") == \
        json.dumps(odd)
    assert store.get_pattern_by_id(pid).context_tags == odd
    store.record_outcome(Outcome(), "/w", error_codes=odd)
    assert column(db_path, "SELECT error_codes FROM executions") == \
        json.dumps(odd)
    [e] = store.get_recent_executions()
    assert e.error_codes == odd


def test_lone_surrogate_where_bound(store):
    """Where the Python store binds the text itself, its sqlite3 raises
    UnicodeEncodeError; so does the package, and nothing is written."""
    with pytest.raises(UnicodeEncodeError):
        store.record_pattern("t", "bad \udcc0")
    with pytest.raises(UnicodeEncodeError):
        store.get_patterns(context_tags=["\udcc0"], min_priority=0)
    assert store.get_patterns(min_priority=0) == []
