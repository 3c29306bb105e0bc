"""Error recoveries in the learnstore package: recording them, the wait
learned from them (with and without a static fallback) and their count,
with values worked out by hand from the Python store's documented
behaviour."""

import re
import sqlite3
from datetime import datetime, timedelta

import pytest

UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}"
                   r"-[0-9a-f]{12}$")


def rows(db_path, sql, *args):
    """The rows of a query on the file, through Python's sqlite3."""
    con = sqlite3.connect(db_path)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def set_times(db_path, times):
    """Give each recovery (by id) its recorded_at, for a fixed order."""
    con = sqlite3.connect(db_path)
    try:
        with con:
            for rid, t in times.items():
                con.execute("UPDATE error_recoveries SET recorded_at = ? "
                            "WHERE id = ?", (t.isoformat(), rid))
    finally:
        con.close()


def test_error_recovery_empty_store(store):
    assert store.get_learned_wait_time("E101") is None
    assert store.get_learned_wait_time("E101", min_samples=0) is None
    n = store.get_error_recovery_sample_count("E101")
    assert n == 0 and type(n) is int
    assert store.get_learned_wait_time_with_fallback("E101", 30.0) \
        == (30.0, 0.0, "static_fallback")
    # The static delay comes back as it was given.
    d, c, s = store.get_learned_wait_time_with_fallback("E101", 30)
    assert (d, c, s) == (30, 0.0, "static_fallback") and type(d) is int
    assert type(c) is float


def test_record_error_recovery(store, db_path):
    before = datetime.now()
    rid = store.record_error_recovery("E101", 30.0, 45.5, True, model="m1")
    after = datetime.now()
    assert type(rid) is str and UUID4.match(rid)
    other = store.record_error_recovery("E102", 10, 12, False)
    assert other != rid
    [(code, suggested, actual, ok, recorded, model, hour)] = rows(
        db_path, "SELECT error_code, suggested_wait, actual_wait, "
        "recovery_success, recorded_at, model, time_of_day "
        "FROM error_recoveries WHERE id = ?", rid)
    assert (code, suggested, actual, ok, model) == ("E101", 30.0, 45.5, 1,
                                                     "m1")
    # Local time without a zone, as datetime.now().isoformat(); the hour
    # is that time's.
    t = datetime.fromisoformat(recorded)
    assert t.tzinfo is None and before <= t <= after
    assert hour == t.hour
    [(ok, model, suggested)] = rows(
        db_path, "SELECT recovery_success, model, suggested_wait "
        "FROM error_recoveries WHERE id = ?", other)
    assert (ok, model, suggested) == (0, None, 10.0)
    assert store.get_execution_stats()["total_error_recoveries"] == 2


def test_learned_wait_time(store):
    for w in (10, 20, 60):
        store.record_error_recovery("E101", 30, w, True)
    # Failures and other codes do not count.
    store.record_error_recovery("E101", 30, 1, False)
    store.record_error_recovery("E102", 30, 1, True)
    # (average 30 + shortest 10) / 2
    w = store.get_learned_wait_time("E101")
    assert w == 20.0 and type(w) is float
    assert store.get_learned_wait_time("E101", min_samples=3) == 20.0
    assert store.get_learned_wait_time("E101", min_samples=4) is None
    assert store.get_learned_wait_time("E101", min_samples=0) == 20.0
    assert store.get_learned_wait_time("E101", min_samples=-5) == 20.0
    assert store.get_learned_wait_time("E101", min_samples=2 ** 40) is None
    assert store.get_learned_wait_time("E102", min_samples=1) == 1.0
    assert store.get_learned_wait_time("E999", min_samples=0) is None
    assert store.get_learned_wait_time(None) is None
    assert store.get_error_recovery_sample_count("E101") == 3
    assert store.get_error_recovery_sample_count("E102") == 1
    assert store.get_error_recovery_sample_count(None) == 0


def test_learned_wait_time_by_model(store):
    store.record_error_recovery("E101", 30, 10, True, "m1")
    store.record_error_recovery("E101", 30, 20, True, "m1")
    store.record_error_recovery("E101", 30, 60, True, "m2")
    # m1: (15 + 10) / 2
    assert store.get_learned_wait_time("E101", "m1", 2) == 12.5
    assert store.get_learned_wait_time("E101", model="m1") is None
    assert store.get_learned_wait_time("E101", "m2", 1) == 60.0
    assert store.get_learned_wait_time("E101", "m3", 0) is None
    # None and "" filter nothing: (30 + 10) / 2.
    assert store.get_learned_wait_time("E101", None) == 20.0
    assert store.get_learned_wait_time("E101", "") == 20.0
    # The count is of every model.
    assert store.get_error_recovery_sample_count("E101") == 3


def test_learned_wait_time_last_20(store, db_path):
    base = datetime(2026, 1, 1, 12, 0, 0)
    times = {}
    # Waits 1..5 are the oldest; 100..119 the latest 20.
    for i, w in enumerate([1, 2, 3, 4, 5] + list(range(100, 120))):
        rid = store.record_error_recovery("E101", 30, w, True)
        times[rid] = base + timedelta(minutes=i)
    set_times(db_path, times)
    # (average 109.5 + shortest 100) / 2
    assert store.get_learned_wait_time("E101") == 104.75
    assert store.get_learned_wait_time("E101", min_samples=20) == 104.75
    # Never more than 20 are looked at.
    assert store.get_learned_wait_time("E101", min_samples=21) is None
    assert store.get_error_recovery_sample_count("E101") == 25


def test_learned_wait_time_with_fallback(store):
    fb = store.get_learned_wait_time_with_fallback
    for w in (10, 20, 30):
        store.record_error_recovery("E101", 30, w, True)
    # learned 15, confidence 3 / 10 below 0.7: the weight is 0.3 / 0.7 of
    # max(15, 30 / 2) against static 30: 30 - 15 * 3 / 7.
    d, c, s = fb("E101", 30.0)
    assert s == "global_learned_blend" and c == 0.3
    assert d == pytest.approx(23.571428571428573, abs=1e-12)
    assert type(d) is float
    # Too few samples: the static delay.
    assert fb("E101", 30.0, min_samples=4) == (30.0, 0.0, "static_fallback")
    assert fb(None, 30.0) == (30.0, 0.0, "static_fallback")
    # A confidence at or above min_confidence uses the learned wait.
    assert fb("E101", 30.0, min_confidence=0.3) == (15.0, 0.3,
                                                     "global_learned")
    assert fb("E101", 20.0, min_confidence=0.0) == (15.0, 0.3,
                                                     "global_learned")
    # ... but never below half the static delay.
    assert fb("E101", 100.0, min_confidence=0.3) == (50.0, 0.3,
                                                      "global_learned")
    # Blend with a floor: max(15, 50) = 50 at weight 0.3 / 0.6 = 0.5,
    # against static 100.
    assert fb("E101", 100.0, min_confidence=0.6) == (75.0, 0.3,
                                                      "global_learned_blend")


def test_learned_wait_time_with_fallback_confident(store):
    fb = store.get_learned_wait_time_with_fallback
    for _ in range(7):
        store.record_error_recovery("E101", 30, 4, True)
    # 7 samples: confidence 0.7 is enough; the learned 4 is floored to 15.
    assert fb("E101", 30.0) == (15.0, 0.7, "global_learned")
    for _ in range(5):
        store.record_error_recovery("E101", 30, 4, True)
    # 12 samples: confidence stays at 1.0.
    assert fb("E101", 4.0) == (4.0, 1.0, "global_learned")


def test_learned_wait_time_with_fallback_models(store):
    fb = store.get_learned_wait_time_with_fallback
    store.record_error_recovery("E101", 30, 10, True, "m1")
    store.record_error_recovery("E101", 30, 10, True, "m1")
    for _ in range(8):
        store.record_error_recovery("E101", 30, 50, True, "m2")
    # The wait is learned from m1 alone (10), the confidence from all ten
    # successes (1.0).
    assert fb("E101", 8.0, model="m1", min_samples=2) == (10.0, 1.0,
                                                          "global_learned")
    assert fb("E101", 8.0, model="m1") == (8.0, 0.0, "static_fallback")
    # Without a model: (average 42 + shortest 10) / 2.
    assert fb("E101", 8.0) == (26.0, 1.0, "global_learned")
