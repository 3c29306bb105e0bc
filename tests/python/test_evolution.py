"""The evolution trajectory in the learnstore package: entries recorded
from arguments or an entry object, cycles, the trajectory by cycle range
and limit, the history and recurring issue classes, with values worked
out by hand from the Python store's documented behaviour."""

import json
import sqlite3
from datetime import datetime
from types import SimpleNamespace

import pytest

from learnstore import StoreError
from learnstore.models import EvolutionEntryInput, EvolutionTrajectoryEntry

SC_CONSTRAINT = 2


def entry(store, cycle, issues=("infra",), **kw):
    """Record cycle with small values of every required field."""
    args = dict(cycle=cycle, evolutions_completed=2, evolutions_deferred=1,
                issue_classes=list(issues), cv_avg=0.5,
                implementation_loc=100, test_loc=40, loc_accuracy=0.8)
    args.update(kw)
    return store.record_evolution_entry(**args)


def count_rows(db_path):
    con = sqlite3.connect(db_path)
    try:
        return con.execute("SELECT COUNT(*) FROM evolution_trajectory") \
            .fetchone()[0]
    finally:
        con.close()


def test_empty_store(store):
    assert store.get_trajectory() == []
    assert store.get_trajectory(1, 10, 5) == []
    assert store.get_evolution_history() == []
    assert store.get_recurring_issues() == {}
    assert store.get_recurring_issues(0, 3) == {}


def test_record_entry(store):
    before = datetime.now()
    eid = store.record_evolution_entry(
        16, 3, 2, ["infrastructure_activation", "epistemic_drift"], 62.5,
        480, 220, 0.85, 1, 4, "cycle sixteen")
    after = datetime.now()
    assert type(eid) is str and len(eid) == 36 and eid[14] == "4"
    [e] = store.get_trajectory()
    assert isinstance(e, EvolutionTrajectoryEntry)
    assert e == EvolutionTrajectoryEntry(
        id=eid, cycle=16, recorded_at=e.recorded_at, evolutions_completed=3,
        evolutions_deferred=2,
        issue_classes=["infrastructure_activation", "epistemic_drift"],
        cv_avg=62.5, implementation_loc=480, test_loc=220,
        loc_accuracy=0.85, research_candidates_resolved=1,
        research_candidates_created=4, notes="cycle sixteen")
    # Local time without a zone, as datetime.now() gives it.
    assert e.recorded_at.tzinfo is None
    assert before <= e.recorded_at <= after
    for name, t in (("cycle", int), ("evolutions_completed", int),
                    ("cv_avg", float), ("implementation_loc", int),
                    ("loc_accuracy", float), ("notes", str),
                    ("research_candidates_created", int)):
        assert type(getattr(e, name)) is t, name


def test_record_entry_defaults(store, db_path):
    # research counts 0 and notes "" by default; None stored for them
    # reads back as 0 and "", as the Python store reads a NULL.
    entry(store, 1)
    entry(store, 2, research_candidates_resolved=None,
          research_candidates_created=None, notes=None)
    e2, e1 = store.get_trajectory()
    for e in (e1, e2):
        assert (e.research_candidates_resolved,
                e.research_candidates_created, e.notes) == (0, 0, "")
    # An int cv and accuracy are stored as reals; no issue classes is [].
    entry(store, 3, issues=(), cv_avg=7, loc_accuracy=1)
    e3 = store.get_trajectory(limit=1)[0]
    assert e3.issue_classes == []
    assert e3.cv_avg == 7.0 and type(e3.cv_avg) is float
    assert e3.loc_accuracy == 1.0 and type(e3.loc_accuracy) is float
    con = sqlite3.connect(db_path)
    try:
        row = con.execute("SELECT issue_classes, notes FROM "
                          "evolution_trajectory WHERE cycle = 1").fetchone()
    finally:
        con.close()
    # As json.dumps writes the list.
    assert row == ('["infra"]', "")


def test_record_entry_object(store):
    e = EvolutionEntryInput(cycle=20, evolutions_completed=4,
                            evolutions_deferred=0, issue_classes=["x"],
                            cv_avg=1.5, implementation_loc=10, test_loc=5,
                            loc_accuracy=0.5, notes="bundled")
    # The object takes the place of every argument given beside it.
    eid = store.record_evolution_entry(99, 9, 9, ["ignored"], 9.0, 9, 9,
                                       9.0, 9, 9, "ignored", entry=e)
    [got] = store.get_trajectory()
    assert got.id == eid
    assert (got.cycle, got.evolutions_completed, got.evolutions_deferred,
            got.issue_classes, got.cv_avg, got.implementation_loc,
            got.test_loc, got.loc_accuracy, got.research_candidates_resolved,
            got.research_candidates_created, got.notes) \
        == (20, 4, 0, ["x"], 1.5, 10, 5, 0.5, 0, 0, "bundled")
    # Any object with the attributes does (the application's own class).
    other = SimpleNamespace(cycle=21, evolutions_completed=1,
                            evolutions_deferred=2, issue_classes=["y", "z"],
                            cv_avg=0.0, implementation_loc=0, test_loc=0,
                            loc_accuracy=1.0, research_candidates_resolved=3,
                            research_candidates_created=5, notes="")
    store.record_evolution_entry(entry=other)
    got = store.get_trajectory(limit=1)[0]
    assert (got.cycle, got.issue_classes, got.research_candidates_resolved,
            got.research_candidates_created) == (21, ["y", "z"], 3, 5)
    # An object missing an attribute is an AttributeError, nothing written.
    with pytest.raises(AttributeError):
        store.record_evolution_entry(entry=SimpleNamespace(cycle=22))
    assert len(store.get_trajectory()) == 2


def test_record_entry_required(store, db_path):
    with pytest.raises(TypeError, match="cycle, evolutions_completed"):
        store.record_evolution_entry()
    with pytest.raises(TypeError, match="cycle, evolutions_completed"):
        store.record_evolution_entry(None, 1, 1, [], 0.0, 0, 0, 1.0)
    with pytest.raises(TypeError, match="issue_classes, cv_avg"):
        store.record_evolution_entry(1, 1, 1, None, 0.0, 0, 0, 1.0)
    with pytest.raises(TypeError, match="issue_classes, cv_avg"):
        store.record_evolution_entry(1, 1, 1, [], None, 0, 0, 1.0)
    with pytest.raises(TypeError, match="implementation_loc, test_loc"):
        store.record_evolution_entry(1, 1, 1, [], 0.0, 0, 0, None)
    with pytest.raises(TypeError, match="implementation_loc, test_loc"):
        store.record_evolution_entry(entry=EvolutionEntryInput(
            1, 1, 1, [], 0.0, None, 0, 1.0))
    assert count_rows(db_path) == 0


def test_record_entry_cycle_twice(store, db_path):
    first = entry(store, 7)
    with pytest.raises(StoreError) as e:
        entry(store, 7, notes="again")
    assert e.value.code == SC_CONSTRAINT
    assert isinstance(e.value, sqlite3.Error)
    [got] = store.get_trajectory()
    assert got.id == first and got.notes == ""
    # A cycle beyond SQLite's integers, as sqlite3 refuses it.
    with pytest.raises(OverflowError):
        entry(store, 2 ** 63)
    assert count_rows(db_path) == 1


def test_record_entry_issue_texts(store):
    # A lone string is one issue class (the Python store would store a
    # JSON string and iterate its letters); other items as their text.
    store.record_evolution_entry(1, 0, 0, "solo", 0.0, 0, 0, 1.0)
    store.record_evolution_entry(2, 0, 0, ("a", 3), 0.0, 0, 0, 1.0)
    # None is null, as the Python store's json.dumps writes it; the
    # recurring issues count strings only.
    store.record_evolution_entry(3, 0, 0, [None, "a"], 0.0, 0, 0, 1.0)
    e3, e2, e1 = store.get_trajectory()
    assert e1.issue_classes == ["solo"]
    assert e2.issue_classes == ["a", "3"]
    assert e3.issue_classes == [None, "a"]
    assert store.get_recurring_issues() == {"a": [3, 2]}


def test_record_cycle(store):
    snapshot = {"patterns": 6, "entropy": 0.0, "tags": ["a", "é"],
                "nested": {"k": None}}
    eid = store.record_evolution_cycle(25, 5, 3, "Wired the lifecycle",
                                       "PARTIAL", snapshot)
    [e] = store.get_trajectory()
    assert e.id == eid and len(eid) == 36
    assert (e.cycle, e.evolutions_completed, e.evolutions_deferred,
            e.issue_classes, e.cv_avg, e.implementation_loc, e.test_loc,
            e.loc_accuracy, e.research_candidates_resolved,
            e.research_candidates_created) \
        == (25, 3, 2, ["partial"], 0.0, 0, 0, 1.0, 0, 0)
    assert e.notes == (
        'Wired the lifecycle\n\nOutcome: PARTIAL\nLearning snapshot: '
        '{"patterns": 6, "entropy": 0.0, "tags": ["a", "\\u00e9"], '
        '"nested": {"k": null}}')
    # str.lower() of any letter; more applied than generated is a
    # negative deferred count, as the Python store subtracts.
    store.record_evolution_cycle(26, 1, 2, "", "ÉCHEC", {})
    e = store.get_trajectory(limit=1)[0]
    assert e.issue_classes == ["échec"]
    assert e.evolutions_deferred == -1
    assert e.notes == "\n\nOutcome: ÉCHEC\nLearning snapshot: {}"


def test_record_cycle_refused(store, db_path):
    store.record_evolution_cycle(30, 2, 2, "s", "SUCCESS", {})
    with pytest.raises(StoreError) as e:
        store.record_evolution_cycle(30, 2, 2, "s", "SUCCESS", {})
    assert e.value.code == SC_CONSTRAINT
    # What json.dumps cannot write is refused before anything is.
    with pytest.raises(TypeError):
        store.record_evolution_cycle(31, 1, 1, "s", "SUCCESS",
                                     {"t": datetime.now()})
    # The Python store calls outcome.lower().
    with pytest.raises(AttributeError):
        store.record_evolution_cycle(32, 1, 1, "s", None, {})
    # A summary that is not a str is written as an f-string writes it.
    store.record_evolution_cycle(33, 1, 0, None, "DEFERRED", [1])
    e = store.get_trajectory(limit=1)[0]
    assert e.notes == "None\n\nOutcome: DEFERRED\nLearning snapshot: [1]"
    assert e.issue_classes == ["deferred"]
    assert count_rows(db_path) == 2


def test_trajectory_range_and_limit(store):
    for c in (3, 1, 6, 2, 5, 4):
        entry(store, c)

    def cycles(*a, **kw):
        return [e.cycle for e in store.get_trajectory(*a, **kw)]

    assert cycles() == [6, 5, 4, 3, 2, 1]
    assert cycles(2, 4) == [4, 3, 2]
    assert cycles(start_cycle=5) == [6, 5]
    assert cycles(end_cycle=2) == [2, 1]
    assert cycles(4, 4) == [4]
    assert cycles(5, 2) == []
    assert cycles(limit=2) == [6, 5]
    assert cycles(2, 5, 2) == [5, 4]
    assert cycles(limit=0) == []
    assert cycles(limit=-1) == [6, 5, 4, 3, 2, 1]
    # 0 is a bound, not "open".
    assert cycles(0, 0) == []


def test_trajectory_default_limit(store):
    for c in range(1, 53):
        entry(store, c)
    got = store.get_trajectory()
    assert [e.cycle for e in got] == list(range(52, 2, -1))
    assert len(store.get_trajectory(limit=-5)) == 52


def test_evolution_history(store):
    for c in range(1, 13):
        entry(store, c)
    assert [e.cycle for e in store.get_evolution_history()] \
        == list(range(12, 2, -1))
    h = store.get_evolution_history(3)
    assert [e.cycle for e in h] == [12, 11, 10]
    assert all(isinstance(e, EvolutionTrajectoryEntry) for e in h)
    assert h == store.get_trajectory(limit=3)
    assert store.get_evolution_history(0) == []
    assert len(store.get_evolution_history(-1)) == 12


def test_recurring_issues(store):
    entry(store, 1, ["a", "b"])
    entry(store, 2, ["b", "c"])
    entry(store, 3, ["a", "b"])
    entry(store, 4, ["d"])
    # From cycle 4 down: d, then a and b, then c.
    r = store.get_recurring_issues()
    assert r == {"a": [3, 1], "b": [3, 2, 1]}
    assert list(r) == ["a", "b"]
    r = store.get_recurring_issues(1)
    assert r == {"d": [4], "a": [3, 1], "b": [3, 2, 1], "c": [2]}
    assert list(r) == ["d", "a", "b", "c"]
    assert store.get_recurring_issues(3) == {"b": [3, 2, 1]}
    assert store.get_recurring_issues(4) == {}
    assert store.get_recurring_issues(0) == store.get_recurring_issues(1)
    assert store.get_recurring_issues(-3) == store.get_recurring_issues(1)
    # The latest 2 cycles (4 and 3) only.
    assert store.get_recurring_issues(window_cycles=2) == {}
    r = store.get_recurring_issues(1, 2)
    assert r == {"d": [4], "a": [3], "b": [3]}
    assert list(r) == ["d", "a", "b"]
    assert store.get_recurring_issues(2, 3) == {"b": [3, 2]}
    assert store.get_recurring_issues(1, 0) == {}
    assert store.get_recurring_issues(2, -1) == {"a": [3, 1],
                                                 "b": [3, 2, 1]}
    r = store.get_recurring_issues(2)
    assert all(type(c) is int for v in r.values() for c in v)


def test_recurring_issues_repeated_in_a_cycle(store):
    # A class listed twice in one cycle counts twice, as the Python
    # store appends the cycle for each.
    entry(store, 9, ["x", "x"])
    entry(store, 8, ["y"])
    assert store.get_recurring_issues() == {"x": [9, 9]}


def test_rows_written_by_python(store, db_path):
    """Rows as the Python store's INSERT writes them (and NULLs it would
    leave) read as its get_trajectory reads them."""
    con = sqlite3.connect(db_path)
    try:
        with con:
            con.execute(
                "INSERT INTO evolution_trajectory (id, cycle, recorded_at, "
                "evolutions_completed, evolutions_deferred, issue_classes, "
                "cv_avg, implementation_loc, test_loc, loc_accuracy, "
                "research_candidates_resolved, research_candidates_created, "
                "notes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                ("id-1", 40, "2026-01-02T03:04:05.678901", 2, 1,
                 json.dumps(["a", "b"]), 3.5, 10, 20, 0.75, 1, 2, "n"))
            con.execute(
                "INSERT INTO evolution_trajectory (id, cycle, recorded_at, "
                "evolutions_completed, evolutions_deferred, issue_classes, "
                "cv_avg, implementation_loc, test_loc, loc_accuracy) "
                "VALUES ('id-2', 41, '2026-01-03T00:00:00', 0, 0, '[\"a\"]',"
                " 0.0, 0, 0, 1.0)")
            con.execute("UPDATE evolution_trajectory SET "
                        "research_candidates_resolved = NULL, "
                        "research_candidates_created = NULL "
                        "WHERE id = 'id-2'")
    finally:
        con.close()
    e41, e40 = store.get_trajectory()
    assert e40 == EvolutionTrajectoryEntry(
        "id-1", 40, datetime(2026, 1, 2, 3, 4, 5, 678901), 2, 1, ["a", "b"],
        3.5, 10, 20, 0.75, 1, 2, "n")
    assert e41 == EvolutionTrajectoryEntry(
        "id-2", 41, datetime(2026, 1, 3), 0, 0, ["a"], 0.0, 0, 0, 1.0, 0, 0,
        "")
    assert store.get_recurring_issues() == {"a": [41, 40]}


def test_shared_with_cli(store, cli):
    """What the package records is what `learnstore export` lists (the
    command has none of its own for the trajectory), and a file the
    command cleared is empty for the package."""
    eid = store.record_evolution_entry(5, 1, 0, ["io"], 2.0, 30, 10, 0.9,
                                       notes="n")
    cid = store.record_evolution_cycle(6, 4, 1, "sum", "SUCCESS", {"a": 1})
    rows = {r["id"]: r for r in
            cli.run("export")["tables"]["evolution_trajectory"]}
    assert set(rows) == {eid, cid}
    r = rows[eid]
    assert (r["cycle"], r["evolutions_completed"], r["evolutions_deferred"],
            r["issue_classes"], r["cv_avg"], r["implementation_loc"],
            r["test_loc"], r["loc_accuracy"], r["notes"]) \
        == (5, 1, 0, '["io"]', 2.0, 30, 10, 0.9, "n")
    by_id = {e.id: e for e in store.get_trajectory()}
    assert r["recorded_at"] == by_id[eid].recorded_at.isoformat()
    r = rows[cid]
    assert (r["evolutions_deferred"], r["issue_classes"], r["notes"]) \
        == (3, '["success"]',
            'sum\n\nOutcome: SUCCESS\nLearning snapshot: {"a": 1}')
    cli.run("clear", "--yes")
    assert store.get_trajectory() == []
