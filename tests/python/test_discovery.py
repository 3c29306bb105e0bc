"""Pattern discovery broadcast in the learnstore package: discoveries
recorded with their time to live, polled by other jobs (filtered by job,
type and effectiveness, newest first, limited), listed while unexpired
and cleaned up once expired, with values worked out by hand from the
Python store's documented behaviour."""

import json
import sqlite3
from datetime import datetime, timedelta

import pytest

from learnstore import GlobalLearningStore, StoreError
from learnstore.models import PatternDiscoveryEvent

JOB_A = GlobalLearningStore.hash_job("job-a")


def rows(db_path, sql, args=()):
    con = sqlite3.connect(db_path)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def write(db_path, sql, args_list):
    con = sqlite3.connect(db_path)
    try:
        with con:
            for args in args_list:
                con.execute(sql, args)
    finally:
        con.close()


def set_recorded(db_path, times):
    """Stamp each discovery of times (id -> ISO time) with that recording
    time, for a fixed order."""
    write(db_path, "UPDATE pattern_discovery_events SET recorded_at = ? "
          "WHERE id = ?", [(t, i) for i, t in times.items()])


def test_empty_store(store):
    assert store.get_active_pattern_discoveries() == []
    assert store.get_active_pattern_discoveries("retry") == []
    assert store.check_recent_pattern_discoveries() == []
    assert store.check_recent_pattern_discoveries("job-a", "retry", 0.5,
                                                  5) == []
    n = store.cleanup_expired_pattern_discoveries()
    assert n == 0 and type(n) is int


def test_record_and_read(store, db_path):
    before = datetime.now()
    eid = store.record_pattern_discovery("p1", "file missing", "retry",
                                         "job-a", 0.75, ["io", "caf\u00e9"],
                                         120.5)
    after = datetime.now()
    assert isinstance(eid, str) and len(eid) == 36 and eid[14] == "4"
    got = store.get_active_pattern_discoveries()
    assert len(got) == 1
    e = got[0]
    assert isinstance(e, PatternDiscoveryEvent)
    assert (e.id, e.pattern_id, e.pattern_name, e.pattern_type) == \
        (eid, "p1", "file missing", "retry")
    assert e.source_job_hash == JOB_A
    assert e.effectiveness_score == 0.75
    assert type(e.effectiveness_score) is float
    assert e.context_tags == ["io", "caf\u00e9"]
    # Local times without a zone, expiring ttl seconds after recording.
    assert e.recorded_at.tzinfo is None and e.expires_at.tzinfo is None
    assert before <= e.recorded_at <= after
    assert e.expires_at - e.recorded_at == timedelta(seconds=120.5)
    # Stored as the Python store stores it: tags as json.dumps writes them.
    (tags, rec), = rows(db_path, "SELECT context_tags, recorded_at FROM "
                        "pattern_discovery_events")
    assert tags == json.dumps(["io", "caf\u00e9"])
    assert rec == e.recorded_at.isoformat()
    assert store.check_recent_pattern_discoveries() == got


def test_record_defaults(store):
    store.record_pattern_discovery("p2", "n", "t", "job-b")
    e, = store.get_active_pattern_discoveries()
    assert e.effectiveness_score == 1.0
    assert e.context_tags == []
    assert e.expires_at - e.recorded_at == timedelta(seconds=300)
    assert e.source_job_hash == GlobalLearningStore.hash_job("job-b")
    # An empty tag list and a tuple are lists too.
    store.record_pattern_discovery("p3", "n", "t", "job-b",
                                   context_tags=("x", "y"))
    assert {tuple(e.context_tags) for e in
            store.get_active_pattern_discoveries()} == {(), ("x", "y")}


def test_record_refused(store):
    with pytest.raises(StoreError) as e:
        store.record_pattern_discovery("p", "n", "t", None)
    assert e.value.name == "SC_MISUSE"
    assert "job_id is NULL" in str(e.value)
    with pytest.raises(StoreError) as e:
        store.record_pattern_discovery(None, "n", "t", "job-a")
    assert e.value.name == "SC_CONSTRAINT"
    assert isinstance(e.value, sqlite3.Error)
    with pytest.raises(StoreError) as e:
        store.record_pattern_discovery("p", "n", "t", "job-a", None)
    assert e.value.name == "SC_CONSTRAINT"
    assert store.get_active_pattern_discoveries() == []


def test_check_excludes_job(store):
    a = store.record_pattern_discovery("p1", "n1", "retry", "job-a")
    b = store.record_pattern_discovery("p2", "n2", "retry", "job-b")
    ids = {e.id for e in store.check_recent_pattern_discoveries("job-a")}
    assert ids == {b}
    ids = {e.id for e in store.check_recent_pattern_discoveries("job-b")}
    assert ids == {a}
    # None and "" exclude nothing; an unknown job excludes nothing either.
    for job in (None, "", "job-c"):
        ids = {e.id for e in store.check_recent_pattern_discoveries(job)}
        assert ids == {a, b}


def test_check_filters(store):
    hi = store.record_pattern_discovery("p1", "n", "retry", "j", 0.9)
    mid = store.record_pattern_discovery("p2", "n", "retry", "j", 0.5)
    lo = store.record_pattern_discovery("p3", "n", "retry", "j", 0.4)
    other = store.record_pattern_discovery("p4", "n", "auth", "j", 0.9)

    def ids(*a, **k):
        return {e.id for e in store.check_recent_pattern_discoveries(*a,
                                                                     **k)}
    # The minimum is inclusive.
    assert ids(min_effectiveness=0.5) == {hi, mid, other}
    assert ids(min_effectiveness=0.0) == {hi, mid, lo, other}
    assert ids(min_effectiveness=0.95) == set()
    assert ids(pattern_type="retry") == {hi, mid, lo}
    assert ids(pattern_type="auth", min_effectiveness=0.5) == {other}
    # "" is a type of its own here (Python tests "is not None").
    assert ids(pattern_type="") == set()
    # effectiveness_score >= NULL holds for no row.
    assert ids(min_effectiveness=None) == set()
    # get_active_pattern_discoveries takes "" as any type.
    assert {e.id for e in store.get_active_pattern_discoveries("")} == \
        {hi, mid, lo, other}
    assert {e.id for e in store.get_active_pattern_discoveries("auth")} == \
        {other}
    assert store.get_active_pattern_discoveries("none such") == []


def test_order_and_limit(store, db_path):
    ids = [store.record_pattern_discovery("p%d" % k, "n", "t", "j")
           for k in range(4)]
    set_recorded(db_path, {ids[0]: "2026-01-01T10:00:02",
                           ids[1]: "2026-01-01T10:00:00",
                           ids[2]: "2026-01-01T10:00:03.500000",
                           ids[3]: "2026-01-01T10:00:01"})
    newest = [ids[2], ids[0], ids[3], ids[1]]
    assert [e.id for e in store.get_active_pattern_discoveries()] == newest
    assert [e.id for e in store.check_recent_pattern_discoveries()] == \
        newest
    assert [e.id for e in store.check_recent_pattern_discoveries(
        limit=2)] == newest[:2]
    assert store.check_recent_pattern_discoveries(limit=0) == []
    # A negative limit is SQL's: no limit.
    assert [e.id for e in store.check_recent_pattern_discoveries(
        limit=-1)] == newest
    got = store.get_active_pattern_discoveries()
    assert got[0].recorded_at == datetime(2026, 1, 1, 10, 0, 3, 500000)


def test_expiry_and_cleanup(store, db_path):
    live = store.record_pattern_discovery("p1", "n", "t", "j")
    gone = store.record_pattern_discovery("p2", "n", "t", "j",
                                          ttl_seconds=-5)
    soon = store.record_pattern_discovery("p3", "n", "t", "j",
                                          ttl_seconds=3600)
    assert {e.id for e in store.get_active_pattern_discoveries()} == \
        {live, soon}
    # A negative time to live expired before it was recorded.
    (rec, exp), = rows(db_path, "SELECT recorded_at, expires_at FROM "
                       "pattern_discovery_events WHERE id = ?", (gone,))
    assert datetime.fromisoformat(exp) - datetime.fromisoformat(rec) == \
        timedelta(seconds=-5)
    # An hour passes for soon: it expired a second ago.
    write(db_path, "UPDATE pattern_discovery_events SET expires_at = ? "
          "WHERE id = ?", [((datetime.now() - timedelta(seconds=1))
                            .isoformat(), soon)])
    assert [e.id for e in store.get_active_pattern_discoveries()] == [live]
    assert [e.id for e in store.check_recent_pattern_discoveries()] == \
        [live]
    # Listing does not delete; cleanup deletes the two expired ones.
    assert len(rows(db_path, "SELECT id FROM pattern_discovery_events")) \
        == 3
    assert store.cleanup_expired_pattern_discoveries() == 2
    assert store.cleanup_expired_pattern_discoveries() == 0
    assert rows(db_path, "SELECT id FROM pattern_discovery_events") == \
        [(live,)]


def test_rows_written_by_python_store(store, db_path):
    now = datetime.now()
    sql = ("INSERT INTO pattern_discovery_events (id, pattern_id, "
           "pattern_name, pattern_type, source_job_hash, recorded_at, "
           "expires_at, effectiveness_score, context_tags) "
           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
    write(db_path, sql, [
        ("e1", "p1", "n\u00e9", "retry", JOB_A, now.isoformat(),
         (now + timedelta(hours=1)).isoformat(), 1, json.dumps(["\u00e9"])),
        ("e2", "p2", "n", "retry", "h", now.isoformat(),
         (now + timedelta(hours=1)).isoformat(), 0.25, None),
        ("e3", "p3", "n", "retry", "h", (now - timedelta(hours=2))
         .isoformat(), (now - timedelta(hours=1)).isoformat(), 0.5, "[]"),
    ])
    got = {e.id: e for e in store.get_active_pattern_discoveries()}
    assert set(got) == {"e1", "e2"}
    assert got["e1"].pattern_name == "n\u00e9"
    assert got["e1"].context_tags == ["\u00e9"]
    # An integer effectiveness reads as the column's real.
    assert got["e1"].effectiveness_score == 1.0
    assert type(got["e1"].effectiveness_score) is float
    # A NULL tag list reads as [].
    assert got["e2"].context_tags == []
    assert got["e2"].recorded_at == now
    assert [e.id for e in store.check_recent_pattern_discoveries(
        "job-a")] == ["e2"]
    assert store.cleanup_expired_pattern_discoveries() == 1


def test_cli_export_lists_discoveries(store, cli):
    eid = store.record_pattern_discovery("p1", "name", "retry", "job-a",
                                         0.5, ["x"], 60)
    e, = store.get_active_pattern_discoveries()
    row, = cli.run("export")["tables"]["pattern_discovery_events"]
    assert row == {
        "id": eid, "pattern_id": "p1", "pattern_name": "name",
        "pattern_type": "retry", "source_job_hash": JOB_A,
        "recorded_at": e.recorded_at.isoformat(),
        "expires_at": e.expires_at.isoformat(),
        "effectiveness_score": 0.5, "context_tags": ["x"],
    }
    # What the command clears the package no longer lists.
    cli.run("clear", "--yes")
    assert store.get_active_pattern_discoveries() == []


def test_none_tag_is_null(store, db_path):
    """A None tag is stored as null and read back as None, as the Python
    store's json.dumps and json.loads do."""
    store.record_pattern_discovery("p1", "n", "t", "job-a", 1.0,
                                   ["io", None])
    [e] = store.get_active_pattern_discoveries()
    assert e.context_tags == ["io", None]
    con = sqlite3.connect(db_path)
    try:
        [(tags,)] = con.execute(
            "SELECT context_tags FROM pattern_discovery_events").fetchall()
    finally:
        con.close()
    assert tags == '["io", null]'


def test_ttl_out_of_range(store):
    """A lifetime whose expiry datetime cannot hold is refused, nothing
    written (the Python store's timedelta raises there)."""
    for ttl in (float("inf"), float("nan"), -1e300):
        with pytest.raises(StoreError) as e:
            store.record_pattern_discovery("p", "n", "t", "job-a",
                                           ttl_seconds=ttl)
        assert e.value.name == "SC_MISUSE"
    assert store.get_active_pattern_discoveries() == []
