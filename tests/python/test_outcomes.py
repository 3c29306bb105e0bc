"""Outcomes in the learnstore package: recording a sheet's outcome, the
similar executions and the hours of day that go well, with values worked
out by hand from the Python store's documented behaviour."""

import enum
import hashlib
import json
import re
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pytest

from learnstore import GlobalLearningStore, StoreError
from learnstore.models import ExecutionRecord
from stored import rows

UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}"
                   r"-[0-9a-f]{12}$")
JOB_A = "118cf0b480000519"      # hash_job("job-a"): SHA-256 of "job-a:"
BASE = datetime(2026, 1, 1, 12, 0, 0)


class Status(str, enum.Enum):
    """A sheet's final status, as the application's enum has it."""

    COMPLETED = "completed"
    FAILED = "failed"


@dataclass
class Outcome:
    """The attributes of the application's sheet outcome that the store
    reads, with a few it does not."""

    sheet_id: str
    job_id: str
    validation_results: list
    execution_duration: float
    retry_count: int
    completion_mode_used: bool
    final_status: Status
    validation_pass_rate: float
    success_without_retry: bool
    patterns_detected: list = field(default_factory=list)
    timestamp: datetime = field(
        default_factory=lambda: datetime.now(tz=timezone.utc))


def outcome(**kw):
    """An outcome of job-a's sheet 3: completed in 12.5 s after 2 retries,
    4 of 5 validations passed; kw changes any of that."""
    o = dict(sheet_id="job-a-sheet3", job_id="job-a", validation_results=[],
             execution_duration=12.5, retry_count=2,
             completion_mode_used=False, final_status=Status.COMPLETED,
             validation_pass_rate=0.8, success_without_retry=False)
    o.update(kw)
    return Outcome(**o)


def execution(db_path, eid):
    [r] = rows(db_path, "SELECT * FROM executions WHERE id = ?", eid)
    return r


def short_hash(s):
    return hashlib.sha256(s.encode()).hexdigest()[:16]


def test_record_outcome_columns(store, db_path, tmp_path):
    ws = tmp_path / "ws"
    ts = datetime(2026, 3, 4, 5, 6, 7, 890000, tzinfo=timezone.utc)
    before = datetime.now()
    eid = store.record_outcome(outcome(timestamp=ts), ws, model="m1",
                               error_codes=["E101", "E102"])
    after = datetime.now()
    assert type(eid) is str and UUID4.match(eid)
    r = execution(db_path, eid)
    completed = datetime.fromisoformat(r.pop("completed_at"))
    assert before <= completed <= after and completed.tzinfo is None
    assert r == {
        "id": eid,
        "workspace_hash": short_hash(str(ws.resolve())),
        "job_hash": JOB_A,
        "sheet_num": 3,
        "started_at": "2026-03-04T05:06:07.890000+00:00",
        "duration_seconds": 12.5,
        "status": "completed",
        "retry_count": 2,
        "success_without_retry": 0,
        "validation_pass_rate": 0.8,
        # 0.8 - 0.1 * 2, as doubles.
        "confidence_score": 0.8 - 0.1 * 2,
        "model": "m1",
        "error_codes": '["E101", "E102"]',
    }


def test_record_outcome_defaults(store, db_path, tmp_path):
    """No model or error codes: NULL and "[]"; the timestamp's default is
    now in UTC; each call a new id."""
    before = datetime.now(timezone.utc)
    o = outcome()
    a = store.record_outcome(o, tmp_path)
    b = store.record_outcome(o, str(tmp_path))
    assert a != b
    ra, rb = execution(db_path, a), execution(db_path, b)
    assert (ra["model"], ra["error_codes"]) == (None, "[]")
    assert ra["workspace_hash"] == rb["workspace_hash"] \
        == short_hash(str(tmp_path.resolve()))
    started = datetime.fromisoformat(ra["started_at"])
    assert started.utcoffset() == timedelta(0) and started >= before \
        - timedelta(seconds=1)
    assert ra["started_at"] == o.timestamp.isoformat()
    assert store.record_outcome(o, tmp_path, error_codes=[]) is not None
    assert len(rows(db_path, "SELECT id FROM executions")) == 3


def test_record_outcome_confidence(store, db_path, tmp_path):
    """pass rate - 0.1 * min(retries, 5), + 0.1 (at most 1) when it passed
    the first time, clamped into [0, 1]."""
    cases = [
        (dict(validation_pass_rate=0.95, retry_count=0,
              success_without_retry=True), 1.0),
        (dict(validation_pass_rate=0.5, retry_count=0,
              success_without_retry=True), 0.6),
        (dict(validation_pass_rate=0.3, retry_count=7), 0.0),
        (dict(validation_pass_rate=1.0, retry_count=9), 0.5),
        (dict(validation_pass_rate=1.0, retry_count=1), 0.9),
        (dict(validation_pass_rate=0.0, retry_count=0), 0.0),
    ]
    for kw, want in cases:
        eid = store.record_outcome(outcome(**kw), tmp_path)
        got = execution(db_path, eid)["confidence_score"]
        assert got == pytest.approx(want, abs=1e-12), kw


def test_record_outcome_sheet_numbers(store, db_path, tmp_path):
    """The sheet id's trailing digits; 0 without any."""
    for sheet_id, want in (("sheet-12", 12), ("7", 7), ("job-1-sheet40", 40),
                           ("abc", 0), ("s1x", 0), ("", 0)):
        eid = store.record_outcome(outcome(sheet_id=sheet_id), tmp_path)
        assert execution(db_path, eid)["sheet_num"] == want, sheet_id


def test_record_outcome_reads_attributes(store, db_path, tmp_path):
    """Any object with the attributes passes; a status that is a plain
    string is stored as it is."""
    o = SimpleNamespace(sheet_id="5", job_id="job-b", execution_duration=3,
                        retry_count=1, final_status="failed",
                        validation_pass_rate=1, success_without_retry=True,
                        timestamp=datetime(2026, 1, 2, 3, 4, 5))
    r = execution(db_path, store.record_outcome(o, tmp_path))
    assert (r["job_hash"], r["sheet_num"], r["status"],
            r["duration_seconds"], r["started_at"],
            r["success_without_retry"], r["confidence_score"]) \
        == (short_hash("job-b:"), 5, "failed", 3.0, "2026-01-02T03:04:05",
            1, 1.0)
    with pytest.raises(StoreError):
        store.record_outcome(outcome(job_id=None), tmp_path)
    with pytest.raises(AttributeError):
        store.record_outcome(object(), tmp_path)


EXEC_COLUMNS = ("id", "workspace_hash", "job_hash", "sheet_num",
                "completed_at", "status")


def insert_executions(db_path, *execs):
    """(id, workspace, job, sheet, minutes after BASE) rows."""
    GlobalLearningStore(db_path).close()
    con = sqlite3.connect(db_path)
    try:
        with con:
            con.executemany(
                "INSERT INTO executions (id, workspace_hash, job_hash, "
                "sheet_num, completed_at, status) VALUES (?, ?, ?, ?, ?, ?)",
                [(i, w, j, s, (BASE + timedelta(minutes=m)).isoformat(),
                  "completed") for i, w, j, s, m in execs])
    finally:
        con.close()


def ids(records):
    return [r.id for r in records]


SIMILAR = [("e1", "w1", "j1", 1, 1), ("e2", "w1", "j1", 2, 2),
           ("e3", "w2", "j1", 1, 3), ("e4", "w1", "j2", 1, 4),
           ("e5", "w2", "j2", 2, 5)]


def test_similar_executions_filters(db_path):
    insert_executions(db_path, *SIMILAR)
    s = GlobalLearningStore(db_path)
    try:
        assert ids(s.get_similar_executions()) \
            == ["e5", "e4", "e3", "e2", "e1"]
        assert ids(s.get_similar_executions("j1")) == ["e3", "e2", "e1"]
        assert ids(s.get_similar_executions(workspace_hash="w1")) \
            == ["e4", "e2", "e1"]
        assert ids(s.get_similar_executions(sheet_num=1)) \
            == ["e4", "e3", "e1"]
        assert ids(s.get_similar_executions("j1", "w1")) == ["e2", "e1"]
        assert ids(s.get_similar_executions("j1", "w1", 1)) == ["e1"]
        assert ids(s.get_similar_executions(job_hash="j2", sheet_num=2)) \
            == ["e5"]
        # "" is a value to match (Python tests "is not None"), 0 a sheet.
        assert s.get_similar_executions("") == []
        assert s.get_similar_executions(workspace_hash="") == []
        assert s.get_similar_executions(sheet_num=0) == []
        assert s.get_similar_executions("j9") == []
        got = s.get_similar_executions("j2")
        assert all(type(r) is ExecutionRecord for r in got)
        assert (got[0].workspace_hash, got[0].job_hash, got[0].sheet_num,
                got[0].completed_at) == ("w2", "j2", 2,
                                         BASE + timedelta(minutes=5))
    finally:
        s.close()


def test_similar_executions_limits(db_path):
    insert_executions(db_path, *[("e%02d" % i, "w", "j", 1, i)
                                 for i in range(12)])
    s = GlobalLearningStore(db_path)
    try:
        newest_first = ["e%02d" % i for i in range(11, -1, -1)]
        assert ids(s.get_similar_executions()) == newest_first[:10]
        assert ids(s.get_similar_executions(limit=3)) == newest_first[:3]
        assert s.get_similar_executions(limit=0) == []
        assert ids(s.get_similar_executions(limit=-1)) == newest_first
        assert ids(s.get_similar_executions("j", "w", 1, 100)) \
            == newest_first
    finally:
        s.close()


def test_similar_executions_empty_store(store):
    assert store.get_similar_executions() == []
    assert store.get_similar_executions("j", "w", 1, -1) == []


def test_similar_executions_of_recorded_outcomes(store, tmp_path):
    ws = tmp_path / "ws"
    a = store.record_outcome(outcome(), ws)
    b = store.record_outcome(outcome(sheet_id="sheet-4"), ws)
    store.record_outcome(outcome(job_id="job-b"), ws)
    ws_hash = GlobalLearningStore.hash_workspace(ws)
    assert set(ids(store.get_similar_executions(JOB_A, ws_hash))) == {a, b}
    [r] = store.get_similar_executions(JOB_A, ws_hash, 4)
    assert (r.id, r.status, r.retry_count, r.duration_seconds,
            r.error_codes) == (b, "completed", 2, 12.5, [])


def insert_recoveries(db_path, *groups):
    """(error code, hour, successes, failures) groups of recoveries."""
    GlobalLearningStore(db_path).close()
    con = sqlite3.connect(db_path)
    n = 0
    try:
        with con:
            for code, hour, ok, bad in groups:
                for success in [1] * ok + [0] * bad:
                    n += 1
                    con.execute(
                        "INSERT INTO error_recoveries (id, error_code, "
                        "suggested_wait, actual_wait, recovery_success, "
                        "recorded_at, model, time_of_day) "
                        "VALUES (?, ?, 10.0, 10.0, ?, ?, NULL, ?)",
                        ("r%d" % n, code, success, BASE.isoformat(), hour))
    finally:
        con.close()


def test_optimal_window(db_path):
    """Hour 3: 3 of 3 (optimal); 1: 7 of 10 = 0.7 (optimal); 10: 1 of 4
    (avoid); 5: 3 of 10 = 0.3 (avoid); 12: 2 of 3 (neither); 20: 2 of 2,
    too few.  32 samples: confidence 0.64."""
    insert_recoveries(db_path, ("E1", 12, 2, 1), ("E1", 3, 3, 0),
                      ("E1", 10, 1, 3), ("E2", 20, 2, 0), ("E2", 1, 7, 3),
                      ("E2", 5, 3, 7))
    s = GlobalLearningStore(db_path)
    try:
        w = s.get_optimal_execution_window()
        assert w == {"optimal_hours": [1, 3], "avoid_hours": [5, 10],
                     "confidence": 0.64, "sample_count": 32}
        assert type(w["confidence"]) is float
        assert type(w["sample_count"]) is int
        assert all(type(h) is int for h in w["optimal_hours"]
                   + w["avoid_hours"])
        # E1 alone: 10 samples.
        assert s.get_optimal_execution_window("E1") \
            == {"optimal_hours": [3], "avoid_hours": [10],
                "confidence": 0.2, "sample_count": 10}
        assert s.get_optimal_execution_window("E2", model="m1") \
            == {"optimal_hours": [1], "avoid_hours": [5],
                "confidence": 22 / 50, "sample_count": 22}
        # "" is no filter ("if error_code:"); an unknown code has none.
        assert s.get_optimal_execution_window("") == w
        assert s.get_optimal_execution_window("E9") \
            == {"optimal_hours": [], "avoid_hours": [], "confidence": 0.0,
                "sample_count": 0}
    finally:
        s.close()


def test_optimal_window_without_hour(db_path):
    """Recoveries another program left without an hour count as samples
    but are no hour of either list."""
    insert_recoveries(db_path, ("E1", None, 4, 0), ("E1", None, 0, 1),
                      ("E1", 6, 3, 0), ("E1", 7, 0, 3))
    s = GlobalLearningStore(db_path)
    try:
        assert s.get_optimal_execution_window() \
            == {"optimal_hours": [6], "avoid_hours": [7],
                "confidence": 11 / 50, "sample_count": 11}
    finally:
        s.close()


def test_optimal_window_confidence_capped(db_path):
    insert_recoveries(db_path, ("E1", 0, 40, 0), ("E1", 23, 0, 30))
    s = GlobalLearningStore(db_path)
    try:
        assert s.get_optimal_execution_window() \
            == {"optimal_hours": [0], "avoid_hours": [23], "confidence": 1.0,
                "sample_count": 70}
    finally:
        s.close()


def test_optimal_window_empty_store(store):
    assert store.get_optimal_execution_window() \
        == {"optimal_hours": [], "avoid_hours": [], "confidence": 0.0,
            "sample_count": 0}
    assert store.get_optimal_execution_window(None, None)["sample_count"] \
        == 0


def test_optimal_window_of_recorded_recoveries(store):
    """Recoveries recorded now fall in the local hour."""
    hour = datetime.now().hour
    for ok in (True, True, True, False):
        store.record_error_recovery("E7", 5.0, 6.0, ok)
    w = store.get_optimal_execution_window("E7")
    if datetime.now().hour == hour:
        assert w == {"optimal_hours": [hour], "avoid_hours": [],
                     "confidence": 4 / 50, "sample_count": 4}


def test_cli_shares_outcomes(db_path, cli, tmp_path):
    """Outcomes the package records are the executions `learnstore
    executions` lists; one the command records is a similar execution
    the package finds; `learnstore stats` shows the same window."""
    ws = tmp_path / "ws"
    mine = GlobalLearningStore(db_path)
    try:
        eid = mine.record_outcome(outcome(), ws, model="m1",
                                  error_codes=["E101"])
        mine.record_error_recovery("E1", 1.0, 1.0, True)
    finally:
        mine.close()
    [theirs] = cli.run("executions")
    assert (theirs["id"], theirs["job_hash"], theirs["sheet_num"],
            theirs["status"], theirs["error_codes"], theirs["model"]) \
        == (eid, JOB_A, 3, "completed", ["E101"], "m1")
    cli.run("record-outcome", "--job", "job-b", "--sheet", "sheet-8",
            "--workspace", str(ws), "--status", "failed", "--retries", "1",
            "--pass-rate", "0.5")
    s = GlobalLearningStore(db_path)
    try:
        [r] = s.get_similar_executions(job_hash=short_hash("job-b:"),
                                       sheet_num=8)
        assert (r.workspace_hash, r.status, r.retry_count,
                r.validation_pass_rate) \
            == (GlobalLearningStore.hash_workspace(ws), "failed", 1, 0.5)
        assert r.confidence_score == pytest.approx(0.4)
        window = s.get_optimal_execution_window()
    finally:
        s.close()
    assert cli.run("stats")["optimal_window"] == window
    assert window["sample_count"] == 1


def test_record_outcome_none_error_code(store, db_path, tmp_path):
    """A None among the error codes is written as null, as the Python
    store's json.dumps writes it."""
    eid = store.record_outcome(outcome(), str(tmp_path),
                               error_codes=["E1", None])
    assert json.loads(execution(db_path, eid)["error_codes"]) == ["E1", None]
    assert execution(db_path, eid)["error_codes"] == '["E1", null]'
