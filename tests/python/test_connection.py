"""_get_connection() and batch_connection(): the Python sqlite3 connection
the application's own SQL runs on, configured as the Python store's, and
batches of the store's calls as one transaction."""

import sqlite3
import threading
import time

import pytest

from learnstore import GlobalLearningStore, StoreError


def _events(path):
    """The rate-limit event ids on the file, read by a connection of our
    own (what another process sees)."""
    conn = sqlite3.connect(str(path))
    try:
        return {r[0] for r in conn.execute(
            "SELECT id FROM rate_limit_events")}
    finally:
        conn.close()


def test_get_connection_configured(store):
    with store._get_connection() as conn:
        assert isinstance(conn, sqlite3.Connection)
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 30000
        assert conn.row_factory is sqlite3.Row
        row = conn.execute("SELECT version FROM schema_version").fetchone()
        assert row["version"] == 15


def test_get_connection_commits(store):
    with store._get_connection() as conn:
        conn.execute(
            "INSERT INTO rate_limit_events (id, error_code, model, "
            "recorded_at, expires_at, source_job_hash, duration_seconds) "
            "VALUES ('r1', 'E9', NULL, '2026-01-01T00:00:00+00:00', "
            "'2999-01-01T00:00:00+00:00', 'j', 10.0)")
    # The store's own connection reads what the block committed.
    assert [e.id for e in store.get_active_rate_limits()] == ["r1"]


def test_get_connection_rolls_back(store, db_path):
    with pytest.raises(ZeroDivisionError):
        with store._get_connection() as conn:
            conn.execute("DELETE FROM schema_version")
            1 / 0
    with store._get_connection() as conn:
        assert conn.execute(
            "SELECT count(*) FROM schema_version").fetchone()[0] == 1


def test_get_connection_new_each_time(store):
    with store._get_connection() as a, store._get_connection() as b:
        assert a is not b


def test_batch_is_one_transaction(store, db_path):
    with store.batch_connection() as conn:
        assert isinstance(conn, sqlite3.Connection)
        with store._get_connection() as inner:
            assert inner is conn
        ids = {store.record_rate_limit_event("E1", 60, "job")
               for _ in range(3)}
        # Not committed yet: another connection sees none of them.
        assert _events(db_path) == set()
    assert _events(db_path) == ids
    # Outside the block, _get_connection() opens its own again.
    with store._get_connection() as conn2:
        assert conn2 is not conn


def test_batch_rolls_back_on_error(store, db_path):
    kept = store.record_rate_limit_event("E1", 60, "job")
    with pytest.raises(KeyError):
        with store.batch_connection():
            store.record_rate_limit_event("E2", 60, "job")
            store.record_rate_limit_event("E3", 60, "job")
            raise KeyError("stop")
    assert _events(db_path) == {kept}
    # The store goes on working after the rolled back batch.
    again = store.record_rate_limit_event("E4", 60, "job")
    assert _events(db_path) == {kept, again}


def test_batch_nested(store, db_path):
    with store.batch_connection():
        a = store.record_rate_limit_event("E1", 60, "job")
        with pytest.raises(ValueError):
            with store.batch_connection():
                store.record_rate_limit_event("E2", 60, "job")
                raise ValueError
        b = store.record_rate_limit_event("E3", 60, "job")
    # The inner block was undone alone.
    assert _events(db_path) == {a, b}


def test_batch_after_a_call_failed(store, db_path):
    """A call that fails before it changes a row (a count at its edge)
    leaves the block's batch going; one that fails after it changed rows
    (a trigger refuses the rescoring that follows an application's
    insert) takes the batch with it: its StoreError says so, the block's
    later calls and its end raise, and nothing of the block is kept."""
    edge = store.record_pattern("t", "edge")
    other = store.record_pattern("t", "other")
    kept = store.record_rate_limit_event("E1", 60, "job")
    conn = sqlite3.connect(str(db_path))
    conn.execute("UPDATE patterns SET led_to_success_count = "
                 "9223372036854775807 WHERE id = ?", (edge,))
    conn.commit()
    with store.batch_connection():
        with pytest.raises(StoreError, match="led_to_success_count"):
            store.record_pattern_application(edge, "e", True)
        going = store.record_rate_limit_event("E2", 60, "job")
    assert _events(db_path) == {kept, going}
    conn.execute("CREATE TRIGGER refuse BEFORE UPDATE OF "
                 "effectiveness_score ON patterns BEGIN "
                 "SELECT RAISE(ABORT, 'refused'); END")
    conn.commit()
    with pytest.raises(StoreError, match="already rolled back"):
        with store.batch_connection():
            store.record_rate_limit_event("E3", 60, "job")
            with pytest.raises(StoreError,
                               match="^SC_CONSTRAINT: the batch was "
                                     "rolled back: .*refused"):
                store.record_pattern_application(other, "e", True)
            with pytest.raises(StoreError, match="already rolled back"):
                store.record_rate_limit_event("E4", 60, "job")
    conn.execute("DROP TRIGGER refuse")
    conn.commit()
    conn.close()
    assert _events(db_path) == {kept, going}
    assert store.record_pattern_application(other, "e", True)
    assert store.get_pattern_by_id(other).led_to_success_count == 1


def test_close_inside_batch(store, db_path):
    with store.batch_connection():
        a = store.record_rate_limit_event("E1", 60, "job")
        store.close()
        b = store.record_rate_limit_event("E2", 60, "job")
    assert _events(db_path) == {a, b}
    assert store._db is None
    assert len(store.get_active_rate_limits()) == 2


def test_batch_makes_other_threads_wait(db_path):
    store = GlobalLearningStore(db_path)
    seen = []
    started = threading.Event()

    def reader():
        started.set()
        seen.append(len(store.get_active_rate_limits()))

    with store.batch_connection():
        store.record_rate_limit_event("E1", 60, "job")
        t = threading.Thread(target=reader)
        t.start()
        started.wait()
        time.sleep(0.2)
        # The other thread's call waits for the batch, not joining it.
        assert seen == []
        store.record_rate_limit_event("E2", 60, "job")
    t.join()
    assert seen == [2]
    store.close()
