"""Recent executions in the learnstore package: the latest executions, of
one workspace or all, read as the Python store's ExecutionRecord holds
them, with values worked out by hand from its documented behaviour."""

import json
import sqlite3
from datetime import datetime, timedelta

from learnstore import GlobalLearningStore
from learnstore.models import ExecutionRecord

BASE = datetime(2026, 1, 1, 12, 0, 0)
COLUMNS = ("id", "workspace_hash", "job_hash", "sheet_num", "started_at",
           "completed_at", "duration_seconds", "status", "retry_count",
           "success_without_retry", "validation_pass_rate",
           "confidence_score", "model", "error_codes")


def execution(i, ws="ws-a", **kw):
    """Execution number i of workspace ws, completed i minutes after
    BASE, with the columns of kw in place of the usual values."""
    row = {"id": "e%02d" % i, "workspace_hash": ws, "job_hash": "job",
           "sheet_num": i, "started_at": BASE.isoformat(),
           "completed_at": (BASE + timedelta(minutes=i)).isoformat(),
           "duration_seconds": 1.5, "status": "completed", "retry_count": 1,
           "success_without_retry": 0, "validation_pass_rate": 0.5,
           "confidence_score": 0.4, "model": "m1",
           "error_codes": json.dumps(["E101"])}
    row.update(kw)
    return row


def insert(db_path, *rows):
    """Write execution rows as the Python store writes them."""
    GlobalLearningStore(db_path).close()
    con = sqlite3.connect(db_path)
    try:
        with con:
            con.executemany(
                "INSERT INTO executions (%s) VALUES (%s)"
                % (", ".join(COLUMNS), ", ".join("?" * len(COLUMNS))),
                [tuple(r[c] for c in COLUMNS) for r in rows])
    finally:
        con.close()


def ids(records):
    return [r.id for r in records]


def test_empty_store(store):
    assert store.get_recent_executions() == []
    assert store.get_recent_executions(5, "ws-a") == []
    assert store.get_recent_executions(-1) == []
    assert store.get_recent_executions(workspace_hash="") == []


def test_record_values(db_path):
    insert(db_path, execution(1))
    s = GlobalLearningStore(db_path)
    try:
        [r] = s.get_recent_executions()
    finally:
        s.close()
    assert type(r) is ExecutionRecord
    assert r == ExecutionRecord(
        id="e01", workspace_hash="ws-a", job_hash="job", sheet_num=1,
        started_at=BASE, completed_at=BASE + timedelta(minutes=1),
        duration_seconds=1.5, status="completed", retry_count=1,
        success_without_retry=False, validation_pass_rate=0.5,
        confidence_score=0.4, model="m1", error_codes=["E101"])
    assert type(r.sheet_num) is int and type(r.retry_count) is int
    assert type(r.success_without_retry) is bool
    assert type(r.duration_seconds) is float


def test_order_and_limits(db_path):
    """25 executions, the latest completed first: 20 by default, a
    negative limit all of them, 0 none."""
    insert(db_path, *(execution(i) for i in range(25)))
    s = GlobalLearningStore(db_path)
    try:
        newest_first = ["e%02d" % i for i in range(24, -1, -1)]
        assert ids(s.get_recent_executions()) == newest_first[:20]
        assert ids(s.get_recent_executions(3)) == ["e24", "e23", "e22"]
        assert ids(s.get_recent_executions(limit=1)) == ["e24"]
        assert s.get_recent_executions(0) == []
        assert ids(s.get_recent_executions(-1)) == newest_first
        assert ids(s.get_recent_executions(100)) == newest_first
    finally:
        s.close()


def test_workspace_filter(db_path):
    """A workspace hash filters; None and "" do not (the Python store's
    "if workspace_hash:"); an unknown workspace has none."""
    insert(db_path, execution(1, "ws-a"), execution(2, "ws-b"),
           execution(3, "ws-a"), execution(4, "ws-b"))
    s = GlobalLearningStore(db_path)
    try:
        assert ids(s.get_recent_executions(workspace_hash="ws-a")) \
            == ["e03", "e01"]
        assert ids(s.get_recent_executions(1, "ws-b")) == ["e04"]
        assert ids(s.get_recent_executions(workspace_hash=None)) \
            == ["e04", "e03", "e02", "e01"]
        assert ids(s.get_recent_executions(workspace_hash="")) \
            == ["e04", "e03", "e02", "e01"]
        assert s.get_recent_executions(workspace_hash="ws-zzz") == []
    finally:
        s.close()


def test_ties_and_no_completion(db_path):
    """Two executions completed at the same time come out together; one
    never completed (NULL) comes last, with no completion time."""
    t = (BASE + timedelta(minutes=5)).isoformat()
    insert(db_path, execution(1), execution(2, completed_at=t),
           execution(3, completed_at=t), execution(4, completed_at=None),
           execution(9))
    s = GlobalLearningStore(db_path)
    try:
        got = s.get_recent_executions()
        assert got[0].id == "e09" and got[3].id == "e01"
        assert {got[1].id, got[2].id} == {"e02", "e03"}
        assert got[4].id == "e04" and got[4].completed_at is None
        assert len(s.get_recent_executions(2)) == 2
    finally:
        s.close()


def test_unset_and_out_of_range(db_path):
    """NULL columns read as the Python store's defaults (times None,
    numbers 0, status "", no error codes), an empty time as None, and
    the record clamps what is out of range."""
    insert(db_path,
           execution(1, started_at=None, completed_at="",
                     duration_seconds=None, status=None, retry_count=None,
                     success_without_retry=None, validation_pass_rate=None,
                     confidence_score=None, model=None, error_codes=None),
           execution(2, started_at="", duration_seconds=-5.0,
                     retry_count=-2, success_without_retry=1,
                     validation_pass_rate=1.5, confidence_score=-0.2,
                     error_codes="[]"))
    s = GlobalLearningStore(db_path)
    try:
        two, one = s.get_recent_executions()
    finally:
        s.close()
    assert (one.started_at, one.completed_at, one.duration_seconds,
            one.status, one.retry_count, one.success_without_retry,
            one.validation_pass_rate, one.confidence_score, one.model,
            one.error_codes) == (None, None, 0.0, "", 0, False, 0.0, 0.0,
                                 None, [])
    assert (two.started_at, two.duration_seconds, two.retry_count,
            two.success_without_retry, two.validation_pass_rate,
            two.confidence_score, two.error_codes) \
        == (None, 0.0, 0, True, 1.0, 0.0, [])


def test_execution_record_clamps():
    r = ExecutionRecord("x", "w", "j", 1, None, None, -1.0, "failed", -3,
                        False, 2.0, 1.7, None)
    assert (r.duration_seconds, r.retry_count, r.validation_pass_rate,
            r.confidence_score, r.error_codes) == (0.0, 0, 1.0, 1.0, [])


def test_cli_outcomes_read(db_path, cli, tmp_path):
    """Outcomes the learnstore command records are the executions the
    package lists, the same as `learnstore executions` lists them."""
    ws = tmp_path / "ws"
    cli.run("record-outcome", "--job", "job-a", "--sheet", "sheet-3",
            "--workspace", str(ws), "--status", "completed",
            "--duration", "12.5", "--retries", "2", "--pass-rate", "0.75",
            "--model", "m1", "--error", "E101", "--error", "E102")
    cli.run("record-outcome", "--job", "job-b", "--sheet", "7",
            "--workspace", str(tmp_path / "other"), "--first-try")
    s = GlobalLearningStore(db_path)
    try:
        ours = s.get_recent_executions()
        mine = s.get_recent_executions(
            workspace_hash=GlobalLearningStore.hash_workspace(ws))
    finally:
        s.close()
    theirs = cli.run("executions")
    for r in theirs:
        for k in ("started_at", "completed_at"):
            r[k] = datetime.fromisoformat(r[k]) if r[k] else None
    assert [r.__dict__ for r in ours] == theirs
    [a] = mine
    assert (a.job_hash, a.sheet_num, a.status, a.duration_seconds,
            a.retry_count, a.success_without_retry,
            a.validation_pass_rate, a.model, a.error_codes) \
        == ("118cf0b480000519", 3, "completed", 12.5, 2, False, 0.75, "m1",
            ["E101", "E102"])
    # 0.75 - 0.1 * 2 retries, no first-try bonus.
    assert abs(a.confidence_score - 0.55) < 1e-9
