"""The exploration budget in the learnstore package: recording budgets
clamped into their bounds, the latest budget, its history and statistics,
and the adjustments entropy calls for, with values worked out by hand
from the Python store's documented behaviour."""

import sqlite3
from datetime import datetime

import pytest

from learnstore import GlobalLearningStore, StoreError
from learnstore.models import ExplorationBudgetRecord

JOB_A = GlobalLearningStore.hash_job("budget-a")
JOB_B = GlobalLearningStore.hash_job("budget-b")


def set_recorded(db_path, times):
    """Stamp each record of times (id -> ISO time) with that time, for a
    fixed order."""
    con = sqlite3.connect(db_path)
    try:
        with con:
            for rid, t in times.items():
                con.execute("UPDATE exploration_budget SET recorded_at = ? "
                            "WHERE id = ?", (t, rid))
    finally:
        con.close()


def test_empty_store(store):
    assert store.get_exploration_budget() is None
    assert store.get_exploration_budget(JOB_A) is None
    assert store.get_exploration_budget_history() == []
    assert store.get_exploration_budget_history(JOB_A) == []
    want = {
        "current_budget": None, "avg_budget": 0.0, "min_budget": 0.0,
        "max_budget": 0.0, "total_adjustments": 0, "floor_enforcements": 0,
        "boost_count": 0, "decay_count": 0,
    }
    for job in (None, "", JOB_A):
        stats = store.get_exploration_budget_statistics(job)
        assert stats == want
        assert type(stats["avg_budget"]) is float
        assert type(stats["total_adjustments"]) is int


def test_update_within_bounds(store):
    before = datetime.now()
    r = store.update_exploration_budget(JOB_A, 0.2, "boost", 0.4,
                                        "more exploring")
    after = datetime.now()
    assert isinstance(r, ExplorationBudgetRecord)
    assert len(r.id) == 36 and r.id[14] == "4"
    assert r.job_hash == JOB_A
    assert r.budget_value == 0.2 and type(r.budget_value) is float
    assert r.entropy_at_time == 0.4
    assert r.adjustment_type == "boost"
    assert r.adjustment_reason == "more exploring"
    # Local time, without a zone, as datetime.now().
    assert r.recorded_at.tzinfo is None
    assert before <= r.recorded_at <= after
    assert store.get_exploration_budget(JOB_A) == r
    # No entropy and no reason stay None; the bounds themselves are kept.
    r = store.update_exploration_budget(JOB_A, 0.05, "decay")
    assert (r.budget_value, r.entropy_at_time, r.adjustment_type,
            r.adjustment_reason) == (0.05, None, "decay", None)
    r = store.update_exploration_budget(JOB_A, 0.5, "boost")
    assert (r.budget_value, r.adjustment_type) == (0.5, "boost")
    assert store.get_exploration_budget(JOB_A) == r


def test_update_clamped(store):
    r = store.update_exploration_budget(JOB_A, 0.01, "decay", 0.9, "why")
    assert r.budget_value == 0.05
    assert r.adjustment_type == "floor_enforced"
    assert r.adjustment_reason == "Budget 0.010 enforced to floor 0.050"
    assert r.entropy_at_time == 0.9
    r = store.update_exploration_budget(JOB_A, 0.75, "boost")
    assert r.budget_value == 0.5
    assert r.adjustment_type == "ceiling_enforced"
    assert r.adjustment_reason == "Budget 0.750 enforced to ceiling 0.500"
    # The caller's bounds.
    r = store.update_exploration_budget(JOB_A, -1, "decay", floor=0.1,
                                        ceiling=0.2)
    assert (r.budget_value, r.adjustment_type, r.adjustment_reason) == \
        (0.1, "floor_enforced", "Budget -1.000 enforced to floor 0.100")
    r = store.update_exploration_budget(JOB_A, 0.3, "boost", floor=0.1,
                                        ceiling=0.2)
    assert (r.budget_value, r.adjustment_reason) == \
        (0.2, "Budget 0.300 enforced to ceiling 0.200")
    assert store.get_exploration_budget(JOB_A) == r
    stats = store.get_exploration_budget_statistics(JOB_A)
    # floor_enforced twice; ceiling_enforced counts as neither boost nor
    # decay.
    assert stats["floor_enforcements"] == 2
    assert (stats["boost_count"], stats["decay_count"]) == (0, 0)
    assert stats["total_adjustments"] == 4


def test_update_without_job_refused(store):
    with pytest.raises(StoreError) as e:
        store.update_exploration_budget(None, 0.2, "boost")
    assert e.value.name == "SC_CONSTRAINT"
    assert isinstance(e.value, sqlite3.Error)
    with pytest.raises(StoreError) as e:
        store.calculate_budget_adjustment(None, 0.2)
    assert e.value.name == "SC_CONSTRAINT"
    assert store.get_exploration_budget() is None
    assert store.get_exploration_budget_statistics()["total_adjustments"] \
        == 0


def test_latest_of_any_job(store, db_path):
    a1 = store.update_exploration_budget(JOB_A, 0.1, "initial")
    b1 = store.update_exploration_budget(JOB_B, 0.3, "initial")
    a2 = store.update_exploration_budget(JOB_A, 0.2, "boost")
    set_recorded(db_path, {a1.id: "2026-01-01T10:00:00",
                           b1.id: "2026-01-01T12:00:00",
                           a2.id: "2026-01-01T11:00:00"})
    # None and "" mean any job.
    assert store.get_exploration_budget().id == b1.id
    assert store.get_exploration_budget("").id == b1.id
    got = store.get_exploration_budget(JOB_A)
    assert got.id == a2.id
    assert got.recorded_at == datetime(2026, 1, 1, 11, 0, 0)
    assert store.get_exploration_budget(JOB_B).id == b1.id
    assert store.get_exploration_budget("no-such-job") is None


def test_history_order_and_limits(store, db_path):
    ids = {}
    for n, (job, value) in enumerate([(JOB_A, 0.1), (JOB_B, 0.2),
                                      (JOB_A, 0.3), (JOB_A, 0.4),
                                      (JOB_B, 0.45)]):
        r = store.update_exploration_budget(job, value, "boost")
        ids[r.id] = "2026-01-01T1%d:00:00" % n
    set_recorded(db_path, ids)
    h = store.get_exploration_budget_history()
    assert all(isinstance(r, ExplorationBudgetRecord) for r in h)
    assert [r.budget_value for r in h] == [0.45, 0.4, 0.3, 0.2, 0.1]
    assert [r.budget_value for r in store.get_exploration_budget_history(
        "")] == [0.45, 0.4, 0.3, 0.2, 0.1]
    assert [r.budget_value for r in store.get_exploration_budget_history(
        JOB_A)] == [0.4, 0.3, 0.1]
    assert [r.budget_value for r in store.get_exploration_budget_history(
        JOB_B, limit=1)] == [0.45]
    assert [r.budget_value for r in store.get_exploration_budget_history(
        limit=2)] == [0.45, 0.4]
    assert store.get_exploration_budget_history(limit=0) == []
    # A negative limit is all, as SQLite's LIMIT -1.
    assert len(store.get_exploration_budget_history(limit=-1)) == 5
    assert h[0].recorded_at == datetime(2026, 1, 1, 14, 0, 0)
    assert h[0].job_hash == JOB_B


def test_history_default_limit(store, db_path):
    times = {}
    for n in range(53):
        r = store.update_exploration_budget(JOB_A, 0.1 + n / 1000, "decay")
        times[r.id] = "2026-01-01T12:%02d:00" % n
    set_recorded(db_path, times)
    h = store.get_exploration_budget_history(JOB_A)
    assert len(h) == 50
    # Newest first: the last three recorded are the first listed.
    assert [round(r.budget_value, 3) for r in h[:3]] == [0.152, 0.151, 0.15]


def test_calculate_adjustment(store):
    # No budget yet: the initial one.
    r = store.calculate_budget_adjustment(JOB_A, 0.5)
    assert isinstance(r, ExplorationBudgetRecord)
    assert (r.job_hash, r.budget_value, r.entropy_at_time, r.adjustment_type,
            r.adjustment_reason) == (JOB_A, 0.15, 0.5, "initial",
                                     "Initial budget set")
    # Low entropy: + 0.10.
    r = store.calculate_budget_adjustment(JOB_A, 0.1)
    assert r.budget_value == 0.15 + 0.10
    assert (r.adjustment_type, r.adjustment_reason) == \
        ("boost", "Entropy 0.100 < threshold 0.300")
    # At the threshold: decay, * 0.95.
    r = store.calculate_budget_adjustment(JOB_A, 0.3)
    assert r.budget_value == (0.15 + 0.10) * 0.95
    assert (r.adjustment_type, r.adjustment_reason) == \
        ("decay", "Entropy 0.300 >= threshold, decaying")
    # Each job has its own budget.
    r = store.calculate_budget_adjustment(JOB_B, 0.0)
    assert (r.budget_value, r.adjustment_type) == (0.15, "initial")
    stats = store.get_exploration_budget_statistics(JOB_A)
    assert stats["current_budget"] == (0.15 + 0.10) * 0.95
    assert (stats["total_adjustments"], stats["boost_count"],
            stats["decay_count"]) == (3, 1, 1)


def test_calculate_adjustment_clamped(store):
    # The boosts reach the ceiling: 0.15, 0.35, 0.55 -> 0.5.
    store.calculate_budget_adjustment(JOB_A, 0.0, boost_amount=0.2)
    assert store.calculate_budget_adjustment(
        JOB_A, 0.0, boost_amount=0.2).budget_value == pytest.approx(0.35)
    r = store.calculate_budget_adjustment(JOB_A, 0.0, boost_amount=0.2)
    assert r.budget_value == 0.5
    assert r.adjustment_type == "ceiling_enforced"
    assert r.adjustment_reason == "Budget 0.550 enforced to ceiling 0.500"
    # Decay of 0.1 a step: 0.5 -> 0.05 -> floor 0.06 (a caller's floor).
    r = store.calculate_budget_adjustment(JOB_A, 0.9, decay_rate=0.1,
                                          floor=0.06)
    assert r.budget_value == 0.06
    assert (r.adjustment_type, r.adjustment_reason) == \
        ("floor_enforced", "Budget 0.050 enforced to floor 0.060")
    # The initial budget is clamped too, and a caller's threshold heeded.
    r = store.calculate_budget_adjustment(JOB_B, 0.4, initial_budget=0.9,
                                          ceiling=0.6)
    assert (r.budget_value, r.adjustment_type) == (0.6, "ceiling_enforced")
    r = store.calculate_budget_adjustment(JOB_B, 0.4, entropy_threshold=0.5,
                                          boost_amount=0.05)
    assert r.budget_value == 0.5
    assert r.adjustment_reason == \
        "Budget 0.650 enforced to ceiling 0.500"
    r = store.calculate_budget_adjustment(JOB_B, 0.45, entropy_threshold=0.5,
                                          boost_amount=-0.1)
    assert (r.budget_value, r.adjustment_type, r.adjustment_reason) == \
        (0.4, "boost", "Entropy 0.450 < threshold 0.500")


def test_statistics(store):
    store.update_exploration_budget(JOB_A, 0.1, "initial", 0.5)
    store.update_exploration_budget(JOB_A, 0.3, "boost", 0.1)
    store.update_exploration_budget(JOB_A, 0.01, "decay", 0.6)  # -> 0.05
    store.update_exploration_budget(JOB_B, 0.4, "decay")
    stats = store.get_exploration_budget_statistics(JOB_A)
    assert stats == {
        "current_budget": 0.05,
        "avg_budget": pytest.approx((0.1 + 0.3 + 0.05) / 3),
        "min_budget": 0.05, "max_budget": 0.3, "total_adjustments": 3,
        "floor_enforcements": 1, "boost_count": 1, "decay_count": 0,
    }
    # Of every job: the current budget is the latest of any.
    stats = store.get_exploration_budget_statistics()
    assert stats == {
        "current_budget": 0.4,
        "avg_budget": pytest.approx((0.1 + 0.3 + 0.05 + 0.4) / 4),
        "min_budget": 0.05, "max_budget": 0.4, "total_adjustments": 4,
        "floor_enforcements": 1, "boost_count": 1, "decay_count": 1,
    }
    assert store.get_exploration_budget_statistics("") == stats
    assert type(stats["current_budget"]) is float
    assert type(stats["decay_count"]) is int


def test_budget_shown_by_cli(store, cli):
    """learnstore budget --job J shows the budget of hash_job(J) that the
    package recorded."""
    store.calculate_budget_adjustment(JOB_A, 0.5)
    store.calculate_budget_adjustment(JOB_A, 0.1)
    store.update_exploration_budget(JOB_A, 0.01, "decay", None, "why")
    store.update_exploration_budget(JOB_B, 0.45, "boost", 0.2)
    theirs = cli.run("budget", "--job", "budget-a")
    ours = store.get_exploration_budget_statistics(JOB_A)
    assert {k: v for k, v in theirs.items() if k != "history"} == ours
    history = store.get_exploration_budget_history(JOB_A)
    assert [{
        "recorded_at": r.recorded_at.isoformat(), "job_hash": r.job_hash,
        "budget_value": r.budget_value, "entropy_at_time": r.entropy_at_time,
        "adjustment_type": r.adjustment_type,
        "adjustment_reason": r.adjustment_reason,
    } for r in history] == theirs["history"]
    assert [h["adjustment_type"] for h in theirs["history"]] == \
        ["floor_enforced", "boost", "initial"]
    # Without --job: every job's, as the package's None.
    theirs = cli.run("budget", "--history", "1")
    assert theirs["current_budget"] == 0.45
    assert theirs["total_adjustments"] == 4
    assert [h["job_hash"] for h in theirs["history"]] == [JOB_B]
