"""GlobalLearningStore of the learnstore package: hashes, the store's life
(open, clear_all, close), execution statistics and rate limits, with
values worked out by hand from the Python store's documented behaviour."""

import hashlib
import inspect
import os
import sqlite3
import threading
from datetime import timedelta
from pathlib import Path

import pytest

import learnstore
from learnstore import GlobalLearningStore, StoreError
from learnstore.models import RateLimitEvent
from signatures import PYTHON_STORE_METHODS, SIGNATURES

EMPTY_STATS = {
    "total_executions": 0,
    "success_without_retry_rate": 0.0,
    "total_patterns": 0,
    "avg_pattern_effectiveness": 0.0,
    "total_error_recoveries": 0,
    "unique_workspaces": 0,
}


def test_only_python_store_methods():
    """Every public method of the Python store is there, none invented,
    and each has its signature checked."""
    ours = {n for n in dir(GlobalLearningStore) if not n.startswith("_")}
    assert ours == PYTHON_STORE_METHODS
    assert ours == set(SIGNATURES) - {"__init__"}


def test_signatures():
    for name, sig in SIGNATURES.items():
        assert str(inspect.signature(getattr(GlobalLearningStore, name))) \
            == sig, name
    assert isinstance(inspect.getattr_static(GlobalLearningStore,
                                             "hash_job"), staticmethod)
    assert isinstance(inspect.getattr_static(GlobalLearningStore,
                                             "hash_workspace"), staticmethod)


def test_hash_job():
    assert GlobalLearningStore.hash_job("my-job") == "3cc5d3c84b82d2cf"
    assert GlobalLearningStore.hash_job("my-job", "abc123") \
        == "3ad122e2f637437a"
    # None and "" both hash as "my-job:".
    assert GlobalLearningStore.hash_job("my-job", "") == "3cc5d3c84b82d2cf"
    assert GlobalLearningStore.hash_job("job-a") == "118cf0b480000519"


def test_hash_workspace(tmp_path, monkeypatch):
    h = GlobalLearningStore.hash_workspace
    if Path("/srv/ws").resolve() == Path("/srv/ws"):
        assert h(Path("/srv/ws")) == "0295621f3cf988a7"
    # ".", "..", a trailing slash, a relative path and a symlink all
    # resolve to the folder they name.
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "link").symlink_to(real)
    monkeypatch.chdir(tmp_path)
    want = h(real)
    for p in (tmp_path / "real" / ".", tmp_path / "x" / ".." / "real",
              Path(str(real) + "/"), Path("real"), tmp_path / "link"):
        assert h(p) == want, p
    # A path that does not exist is hashed as written (made absolute).
    assert h(Path("missing/ws")) == h(tmp_path / "missing" / "ws")
    assert h(Path("missing/ws")) != want


def test_hash_workspace_text(tmp_path, monkeypatch):
    """A str is handed to the library as written, Path() not built: every
    spelling still hashes as str(Path(p).resolve()) does, and what Path()
    refuses is refused with Path()'s exception."""
    h = GlobalLearningStore.hash_workspace
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "l").symlink_to("a/b")
    monkeypatch.chdir(tmp_path)
    for p in ("", ".", "..", "/", "//", "///", "//srv", "a//b/",
              "./a/./b/.", "l/..", "l/../..", str(tmp_path) + "//l//",
              "missing/../x", "x\u00e9 y", "/./a", "///a/b//"):
        want = hashlib.sha256(
            str(Path(p).resolve()).encode()).hexdigest()[:16]
        assert h(p) == want, p
        assert h(Path(p)) == want, p
    with pytest.raises(ValueError):
        h("a\0b")
    with pytest.raises(TypeError):
        h(b"/srv")
    with pytest.raises(UnicodeEncodeError):
        h("/srv/\udcff")


def test_default_path():
    assert learnstore.DEFAULT_GLOBAL_STORE_PATH \
        == Path.home() / ".marianne" / "global-learning.db"


def test_open_creates_schema(db_path):
    s = GlobalLearningStore(db_path / ".." / "sub" / "store.db")
    s.close()
    con = sqlite3.connect(db_path.parent / "sub" / "store.db")
    try:
        assert con.execute("SELECT version FROM schema_version").fetchall() \
            == [(15,)]
        assert con.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    finally:
        con.close()


def test_db_path_kept(db_path):
    s = GlobalLearningStore(db_path)
    assert s.db_path is db_path
    s.close()


def test_empty_stats(store):
    stats = store.get_execution_stats()
    assert stats == EMPTY_STATS
    assert [type(v) for v in stats.values()] == [int, float, int, float,
                                                 int, int]


def test_record_rate_limit_event(store):
    rid = store.record_rate_limit_event("E101", 100.0, "job-a", model="m1")
    assert len(rid) == 36 and rid.count("-") == 4 and rid[14] == "4"
    [e] = store.get_active_rate_limits()
    assert isinstance(e, RateLimitEvent)
    assert (e.id, e.error_code, e.model, e.source_job_hash,
            e.duration_seconds) == (rid, "E101", "m1", "118cf0b480000519",
                                    100.0)
    # Expires after 0.8 of the duration; both times in UTC.
    assert e.expires_at - e.recorded_at == timedelta(seconds=80)
    assert e.recorded_at.utcoffset() == timedelta(0)


def test_rate_limit_out_of_range(store):
    """A duration whose expiry datetime cannot hold (inf, NaN, past year
    9999) is refused and writes nothing, where the Python store's
    timedelta raises OverflowError or ValueError."""
    for d in (float("inf"), float("nan"), 1e300, 4e11, -4e11):
        with pytest.raises(StoreError) as e:
            store.record_rate_limit_event("E", d, "job")
        assert e.value.name == "SC_MISUSE"
        assert "outside years 1 to 9999" in str(e.value)
    assert store.get_active_rate_limits() == []
    store.record_rate_limit_event("E", 1e10, "job")
    assert len(store.get_active_rate_limits()) == 1


def test_is_rate_limited(store):
    assert store.is_rate_limited() == (False, None)
    store.record_rate_limit_event("E101", 100, "job-a")
    store.record_rate_limit_event("E102", 50, "job-b", "m2")
    limited, left = store.is_rate_limited("E101")
    assert limited is True and 79.0 < left <= 80.0
    limited, left = store.is_rate_limited()        # the latest expiry
    assert limited is True and 79.0 < left <= 80.0
    limited, left = store.is_rate_limited(model="m2")
    assert limited is True and 39.0 < left <= 40.0
    assert store.is_rate_limited("E101", "m2") == (False, None)
    assert store.is_rate_limited("E999") == (False, None)


def test_active_rate_limits_order_and_model(store):
    a = store.record_rate_limit_event("E101", 10, "job-a", "m1")
    b = store.record_rate_limit_event("E101", 1000, "job-a", "m2")
    c = store.record_rate_limit_event("E102", 100, "job-b", "m1")
    assert [e.id for e in store.get_active_rate_limits()] == [b, c, a]
    assert [e.id for e in store.get_active_rate_limits("m1")] == [c, a]
    assert [e.id for e in store.get_active_rate_limits("")] == [b, c, a]
    assert store.get_active_rate_limits("m3") == []


def test_cleanup_expired_rate_limits(store):
    # A zero duration expires the moment it is recorded.
    store.record_rate_limit_event("E101", 0.0, "job-a")
    store.record_rate_limit_event("E101", 0.0, "job-b")
    live = store.record_rate_limit_event("E102", 100.0, "job-a")
    assert store.is_rate_limited("E101") == (False, None)
    assert store.cleanup_expired_rate_limits() == 2
    assert store.cleanup_expired_rate_limits() == 0
    assert [e.id for e in store.get_active_rate_limits()] == [live]


def test_rate_limit_event_model():
    from datetime import datetime
    t = datetime(2026, 1, 1, 12, 0, 0)
    e = RateLimitEvent("id", "E1", None, t, t - timedelta(seconds=5), "h",
                       3.0)
    assert e.expires_at == t


def test_clear_all(store, db_path):
    store.record_rate_limit_event("E101", 100, "job-a")
    store.clear_all()
    assert store.get_active_rate_limits() == []
    assert store.get_execution_stats() == EMPTY_STATS
    con = sqlite3.connect(db_path)
    try:
        assert con.execute("SELECT version FROM schema_version").fetchall() \
            == [(15,)]
    finally:
        con.close()


def test_close_then_use(store):
    store.record_rate_limit_event("E101", 100, "job-a")
    store.close()
    store.close()                       # twice is harmless
    assert store.is_rate_limited("E101")[0] is True
    store.close()


def test_not_a_database(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not an SQLite database, not at all" * 100)
    with pytest.raises(StoreError) as ei:
        GlobalLearningStore(bad)
    e = ei.value
    assert (e.code, e.name) == (5, "SC_NOTADB")
    assert isinstance(e, sqlite3.Error)
    assert str(e).startswith("SC_NOTADB: ") and e.message


def test_newer_version_refused(db_path):
    GlobalLearningStore(db_path).close()
    con = sqlite3.connect(db_path)
    con.execute("UPDATE schema_version SET version = 99")
    con.commit()
    con.close()
    with pytest.raises(StoreError) as ei:
        GlobalLearningStore(db_path)
    assert (ei.value.code, ei.value.name) == (4, "SC_VERSION")


def test_threads(store):
    """8 threads share one store: every write lands, none fails."""
    errors = []

    def work(k):
        try:
            for i in range(25):
                store.record_rate_limit_event("E%d" % k, 100, "job-%d" % i)
                store.is_rate_limited("E%d" % k)
        except Exception as e:           # pragma: no cover - reported
            errors.append(e)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(store.get_active_rate_limits()) == 200


def test_library_path(monkeypatch):
    monkeypatch.delenv("LEARNSTORE_LIBRARY", raising=False)
    assert learnstore.library_path() == os.path.join(
        os.path.dirname(learnstore.__file__), "liblearnstore.so")


def test_package_exports():
    """What the Python store's package exports, ours exports: the
    records, the default path and the promotion thresholds (the
    library's)."""
    for name in ("QuarantineStatus", "PatternRecord", "ExecutionRecord",
                 "ErrorRecoveryRecord", "RateLimitEvent",
                 "EscalationDecisionRecord", "PatternDiscoveryEvent",
                 "DriftMetrics", "EpistemicDriftMetrics", "SuccessFactors",
                 "EvolutionTrajectoryEntry", "PatternEntropyMetrics",
                 "ExplorationBudgetRecord", "EntropyResponseRecord",
                 "GlobalLearningStore", "get_global_store",
                 "DEFAULT_GLOBAL_STORE_PATH"):
        assert name in learnstore.__all__, name
        assert getattr(learnstore, name) is not None
    assert learnstore.PatternRecord is learnstore.models.PatternRecord
    assert learnstore.MIN_OCCURRENCES_FOR_PROMOTION == 3
    assert learnstore.PROMOTION_EFFECTIVENESS_THRESHOLD == 0.60
    assert learnstore.QUARANTINE_EFFECTIVENESS_THRESHOLD == 0.35
    assert learnstore.DEGRADATION_THRESHOLD == 0.30


def test_get_global_store(tmp_path, monkeypatch):
    monkeypatch.setattr(learnstore, "_global_store", None)
    a = learnstore.get_global_store(tmp_path / "a.db")
    assert learnstore.get_global_store() is a
    assert learnstore.get_global_store(tmp_path / "a.db") is a
    b = learnstore.get_global_store(tmp_path / "b.db")
    assert b is not a and b.db_path == tmp_path / "b.db"
    assert learnstore.get_global_store() is b
    a.close()
    b.close()


def test_postgresql_uri_no_server(tmp_path, monkeypatch):
    """A PostgreSQL URI is no file: with no server there, SC_IO (the URI
    not quoted: it may hold a password), and no folder is made of it."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises(StoreError) as e:
        GlobalLearningStore("postgresql://app:secret@127.0.0.1:1/app"
                            "?connect_timeout=2")
    assert e.value.name == "SC_IO"
    assert "cannot connect to PostgreSQL" in e.value.message
    assert "secret" not in str(e.value)
    assert list(tmp_path.iterdir()) == []


def test_stored_text_not_utf8(store, db_path):
    """Text another program stored that is not UTF-8 raises StoreError
    (SC_CORRUPT, a sqlite3.Error as the Python store's sqlite3 raises);
    a listing is never cut short in silence, and the store goes on."""
    good = store.record_pattern("t", "good")
    bad = store.record_pattern("t", "bad")
    store.record_rate_limit_event("E1", 100.0, "job")
    store.assign_workspace_cluster("w1", "c")
    con = sqlite3.connect(db_path)
    try:
        with con:
            con.execute("UPDATE patterns SET pattern_name = "
                        "CAST(x'ff41' AS TEXT) WHERE id = ?", (bad,))
            con.execute("UPDATE rate_limit_events SET error_code = "
                        "CAST(x'c3' AS TEXT)")
            con.execute("UPDATE workspace_clusters SET workspace_hash = "
                        "CAST(x'80' AS TEXT)")
    finally:
        con.close()
    for call in (lambda: store.get_patterns(min_priority=0),
                 lambda: store.get_pattern_by_id(bad),
                 store.get_active_rate_limits,
                 lambda: store.get_similar_workspaces("c")):
        with pytest.raises(StoreError) as e:
            call()
        assert e.value.name == "SC_CORRUPT"
        assert isinstance(e.value, sqlite3.Error)
    assert store.get_pattern_by_id(good).pattern_name == "good"
