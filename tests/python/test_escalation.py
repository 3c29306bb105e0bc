"""Escalation decisions in the learnstore package: recording them, their
history, the similar ones and their outcomes, with values worked out by
hand from the Python store's documented behaviour."""

import re
import sqlite3
from datetime import datetime, timedelta

from learnstore import GlobalLearningStore
from learnstore.models import EscalationDecisionRecord

UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}"
                   r"-[0-9a-f]{12}$")
JOB_A = "118cf0b480000519"      # hash_job("job-a")
BASE = datetime(2026, 1, 1, 12, 0, 0)


def set_times(db_path, ids):
    """Stamp the escalations ids[0], ids[1], ... a minute apart, oldest
    first, for a fixed order."""
    con = sqlite3.connect(db_path)
    try:
        with con:
            for i, eid in enumerate(ids):
                con.execute("UPDATE escalation_decisions SET recorded_at = ?"
                            " WHERE id = ?",
                            ((BASE + timedelta(minutes=i)).isoformat(), eid))
    finally:
        con.close()


def ids(records):
    return [r.id for r in records]


def test_escalation_empty_store(store):
    assert store.get_escalation_history() == []
    assert store.get_escalation_history("job-a", "retry", 5) == []
    assert store.get_similar_escalation(0.5, 80.0) == []
    assert store.update_escalation_outcome("no-such-id", "success") is False
    assert store.update_escalation_outcome(None, "success") is False


def test_record_escalation_decision(store):
    before = datetime.now()
    eid = store.record_escalation_decision(
        "job-a", 3, 0.42, "retry", 66.5, 2, guidance="try smaller",
        outcome_after_action="failed", model="m1")
    after = datetime.now()
    assert type(eid) is str and UUID4.match(eid)
    [r] = store.get_escalation_history()
    assert isinstance(r, EscalationDecisionRecord)
    assert (r.id, r.job_hash, r.sheet_num, r.confidence, r.action,
            r.guidance, r.validation_pass_rate, r.retry_count,
            r.outcome_after_action, r.model) == (
        eid, JOB_A, 3, 0.42, "retry", "try smaller", 66.5, 2, "failed",
        "m1")
    assert type(r.sheet_num) is int and type(r.retry_count) is int
    assert type(r.confidence) is float
    assert type(r.validation_pass_rate) is float
    # Local time without a zone, as datetime.now().isoformat().
    assert r.recorded_at.tzinfo is None
    assert before <= r.recorded_at <= after
    # The optional ones default to None.
    eid2 = store.record_escalation_decision("job-b", 1, 0.9, "skip", 100, 0)
    [r2] = [x for x in store.get_escalation_history() if x.id == eid2]
    assert (r2.guidance, r2.outcome_after_action, r2.model) == (None, None,
                                                                None)
    assert r2.validation_pass_rate == 100.0


def test_escalation_history_filters(store, db_path):
    made = [
        store.record_escalation_decision("job-a", 1, 0.5, "retry", 50, 0),
        store.record_escalation_decision("job-b", 2, 0.5, "skip", 50, 0),
        store.record_escalation_decision("job-a", 3, 0.5, "skip", 50, 0),
        store.record_escalation_decision("job-a", 4, 0.5, "retry", 50, 1),
    ]
    set_times(db_path, made)
    newest = made[::-1]
    h = store.get_escalation_history
    assert ids(h()) == newest
    assert ids(h(None, None)) == newest
    assert ids(h("job-a")) == [made[3], made[2], made[0]]
    assert ids(h(action="skip")) == [made[2], made[1]]
    assert ids(h("job-a", "retry")) == [made[3], made[0]]
    assert ids(h(job_id="job-c")) == []
    assert ids(h(action="abort")) == []
    assert ids(h(limit=2)) == newest[:2]
    assert ids(h(limit=0)) == []
    # A negative limit is none, as SQLite's LIMIT -1.
    assert ids(h(limit=-1)) == newest
    assert [r.recorded_at for r in h("job-a", limit=1)] \
        == [BASE + timedelta(minutes=3)]


def test_escalation_records_as_python_holds_them(db_path):
    """Rows written by another program are read as the Python store's
    EscalationDecisionRecord holds them: confidence clamped into [0, 1]
    and an unknown action read as "abort" (filters see the stored
    values)."""
    GlobalLearningStore(db_path).close()
    con = sqlite3.connect(db_path)
    with con:
        for i, (conf, action) in enumerate([(1.5, "retry"),
                                            (-0.25, "escalate"),
                                            (0.5, "modify_prompt")]):
            con.execute(
                "INSERT INTO escalation_decisions (id, job_hash, sheet_num,"
                " confidence, action, guidance, validation_pass_rate,"
                " retry_count, outcome_after_action, recorded_at, model)"
                " VALUES (?, ?, ?, ?, ?, NULL, 70.0, 1, NULL, ?, NULL)",
                ("e%d" % i, JOB_A, i, conf, action,
                 (BASE + timedelta(minutes=i)).isoformat()))
    con.close()
    s = GlobalLearningStore(db_path)
    try:
        got = [(r.id, r.confidence, r.action)
               for r in s.get_escalation_history()]
        assert got == [("e2", 0.5, "modify_prompt"), ("e1", 0.0, "abort"),
                       ("e0", 1.0, "retry")]
        [r] = s.get_escalation_history(action="escalate")
        assert (r.id, r.action) == ("e1", "abort")
        assert s.get_escalation_history(action="abort") == []
        assert [r.id for r in s.get_escalation_history("job-a")] \
            == ["e2", "e1", "e0"]
        # Similarity compares the stored confidence: 1.5 is 1.0 from 0.5.
        assert [r.id for r in s.get_similar_escalation(0.5, 70.0)] == ["e2"]
        [r] = s.get_similar_escalation(1.45, 70.0)
        assert (r.id, r.confidence) == ("e0", 1.0)
    finally:
        s.close()


def test_escalation_record_model():
    r = EscalationDecisionRecord(id="x", job_hash="h", sheet_num=1,
                                 confidence=7.0, action="other",
                                 guidance=None, validation_pass_rate=5.0,
                                 retry_count=0)
    assert (r.confidence, r.action, r.outcome_after_action, r.model) \
        == (1.0, "abort", None, None)
    assert r.recorded_at.tzinfo is not None
    r = EscalationDecisionRecord("x", "h", 1, -1.0, "skip", "g", 5.0, 0)
    assert (r.confidence, r.action, r.guidance) == (0.0, "skip", "g")


def similar_store(store, db_path):
    """Escalations A..H (confidence, pass rate, outcome), oldest first."""
    made = {}
    for name, conf, rate, outcome in [
            ("A", 0.50, 80.0, "failed"),
            ("B", 0.55, 85.0, "success"),
            ("C", 0.45, 70.0, None),
            ("D", 0.60, 90.0, "skipped"),
            ("E", 0.70, 80.0, "success"),     # confidence 0.2 away
            ("F", 0.50, 96.0, "success"),     # pass rate 16 away
            ("G", 0.52, 78.0, "success"),
            ("H", 0.50, 95.0, "failed")]:     # pass rate just 15 away
        made[name] = store.record_escalation_decision(
            "job-a", 1, conf, "retry", rate, 0, outcome_after_action=outcome)
    set_times(db_path, list(made.values()))
    return {v: k for k, v in made.items()}


def test_similar_escalation(store, db_path):
    name = similar_store(store, db_path)

    def similar(*args, **kw):
        return [name[r.id] for r in store.get_similar_escalation(*args, **kw)]

    # Success first (G at 0.02 + 0.02, B at 0.05 + 0.05), skipped (D),
    # no outcome (C), the rest (A at 0, H at 0.15); 5 at most.
    assert similar(0.5, 80.0) == ["G", "B", "D", "C", "A"]
    assert similar(0.5, 80.0, limit=10) == ["G", "B", "D", "C", "A", "H"]
    assert similar(0.5, 80.0, limit=2) == ["G", "B"]
    assert similar(0.5, 80.0, limit=0) == []
    assert similar(0.5, 80.0, limit=-1) == ["G", "B", "D", "C", "A", "H"]
    # A wider confidence tolerance takes E (0.2 + 0) in, after B.
    assert similar(0.5, 80.0, confidence_tolerance=0.25, limit=10) \
        == ["G", "B", "E", "D", "C", "A", "H"]
    # A narrower pass rate tolerance leaves D (10 away), C and H out.
    assert similar(0.5, 80.0, pass_rate_tolerance=5.0) == ["G", "B", "A"]
    assert similar(0.5, 80.0, 0.0, 0.0) == ["A"]
    assert similar(0.9, 20.0) == []
    [r] = store.get_similar_escalation(0.5, 80.0, limit=1)
    assert isinstance(r, EscalationDecisionRecord)


def test_update_escalation_outcome(store, db_path):
    name = similar_store(store, db_path)
    by_name = {v: k for k, v in name.items()}
    got = store.update_escalation_outcome(by_name["A"], "success")
    assert got is True
    [r] = [x for x in store.get_escalation_history(limit=-1)
           if x.id == by_name["A"]]
    assert r.outcome_after_action == "success"
    # A is now a success, and the closest of them.
    assert [name[r.id] for r in store.get_similar_escalation(0.5, 80.0)] \
        == ["A", "G", "B", "D", "C"]
    # The same outcome again still finds the row.
    assert store.update_escalation_outcome(by_name["A"], "success") is True
    assert store.update_escalation_outcome("missing", "failed") is False
    assert store.update_escalation_outcome(by_name["C"], "skipped") is True
    assert [name[r.id] for r in store.get_similar_escalation(
        0.5, 80.0, limit=10)] == ["A", "G", "B", "C", "D", "H"]
