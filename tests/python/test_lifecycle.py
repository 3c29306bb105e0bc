"""The pattern lifecycle in the learnstore package: promotion by
effectiveness, the operator's transitions (quarantine, validation,
retirement, any status) and the quarantined patterns, with values worked
out by hand from the Python store's documented behaviour."""

import sqlite3
from datetime import datetime

import pytest

from learnstore.models import PatternRecord, QuarantineStatus
from stored import add_pattern, column


def count_patterns(db_path):
    con = sqlite3.connect(db_path)
    try:
        return con.execute("SELECT COUNT(*) FROM patterns").fetchone()[0]
    finally:
        con.close()


def stamped(value, before, after):
    """Whether the stored time value lies between before and after."""
    return value is not None and \
        before <= datetime.fromisoformat(value) <= after


def applied(succ, fail, eff, status="pending", **cols):
    """The columns of a pattern applied succ + fail times."""
    return dict(led_to_success_count=succ, led_to_failure_count=fail,
                effectiveness_score=eff, quarantine_status=status, **cols)


def test_promote_empty_store(store):
    got = store.promote_ready_patterns()
    assert got == {"promoted": [], "quarantined": [], "degraded": []}
    assert list(got) == ["promoted", "quarantined", "degraded"]


def test_promote_thresholds(store, db_path):
    # Pending, applied at least 3 times: effectiveness 0.60 or more is
    # validated, below 0.35 quarantined, in between left pending.
    add_pattern(db_path, "p-060", **applied(3, 0, 0.60))
    add_pattern(db_path, "p-095", **applied(5, 4, 0.95, active=0))
    add_pattern(db_path, "p-059", **applied(2, 1, 0.59))
    add_pattern(db_path, "p-035", **applied(1, 2, 0.35))
    add_pattern(db_path, "p-034", **applied(1, 2, 0.34,
                                            quarantine_reason="kept"))
    add_pattern(db_path, "p-000", **applied(0, 7, 0.0))
    # Applications, not occurrences, count: 2 are too few.
    add_pattern(db_path, "p-few", **applied(2, 0, 0.9, occurrence_count=9))
    add_pattern(db_path, "p-few-low", **applied(0, 2, 0.1))
    # Validated (or legacy "active") below 0.30 with 3 applications
    # degrade; at 0.30, or with 2 applications, they stay.
    add_pattern(db_path, "v-029", **applied(1, 2, 0.29, "validated"))
    add_pattern(db_path, "v-030", **applied(1, 2, 0.30, "validated"))
    add_pattern(db_path, "v-few", **applied(0, 2, 0.1, "validated"))
    add_pattern(db_path, "a-010", **applied(0, 3, 0.1, "active"))
    # Other statuses are not looked at.
    add_pattern(db_path, "q-090", **applied(3, 0, 0.9, "quarantined"))
    add_pattern(db_path, "r-010", **applied(0, 3, 0.1, "retired"))
    before = datetime.now()
    got = store.promote_ready_patterns()
    after = datetime.now()
    assert sorted(got["promoted"]) == ["p-060", "p-095"]
    assert sorted(got["quarantined"]) == ["p-000", "p-034"]
    assert sorted(got["degraded"]) == ["a-010", "v-029"]
    assert all(type(i) is str for v in got.values() for i in v)

    for pid in ("p-060", "p-095"):
        status, validated, quarantined = column(
            db_path, pid, "quarantine_status", "validated_at",
            "quarantined_at")
        assert status == "validated" and quarantined is None
        assert stamped(validated, before, after)
    for pid in ("p-000", "p-034", "a-010", "v-029"):
        status, validated, quarantined = column(
            db_path, pid, "quarantine_status", "validated_at",
            "quarantined_at")
        assert status == "quarantined" and validated is None
        assert stamped(quarantined, before, after)
    # The reason is kept.
    assert column(db_path, "p-034", "quarantine_reason") == ("kept",)
    unchanged = {"p-059": "pending", "p-035": "pending", "p-few": "pending",
                 "p-few-low": "pending", "v-030": "validated",
                 "v-few": "validated", "q-090": "quarantined",
                 "r-010": "retired"}
    for pid, status in unchanged.items():
        assert column(db_path, pid, "quarantine_status", "validated_at",
                      "quarantined_at") == (status, None, None)

    # Nothing is left to decide.
    assert store.promote_ready_patterns() == {
        "promoted": [], "quarantined": [], "degraded": []}


def test_promote_then_degrade(store, db_path):
    # A pattern promoted once degrades on a later run when its
    # effectiveness has fallen.
    add_pattern(db_path, "p", **applied(3, 0, 0.7))
    assert store.promote_ready_patterns()["promoted"] == ["p"]
    con = sqlite3.connect(db_path)
    with con:
        con.execute("UPDATE patterns SET led_to_failure_count = 6, "
                    "effectiveness_score = 0.2 WHERE id = 'p'")
    con.close()
    assert store.promote_ready_patterns() == {
        "promoted": [], "quarantined": [], "degraded": ["p"]}
    [r] = store.get_quarantined_patterns()
    assert r.id == "p" and r.quarantine_status is \
        QuarantineStatus.QUARANTINED
    # validated_at stays from the promotion.
    assert r.validated_at is not None and r.quarantined_at is not None


def test_promote_shared_with_cli(store, db_path, cli):
    add_pattern(db_path, "up", **applied(4, 0, 0.8))
    add_pattern(db_path, "down", **applied(0, 4, 0.2))
    got = cli.run("lifecycle", "promote")
    assert got == {"promoted": ["up"], "quarantined": ["down"],
                   "degraded": []}
    assert [r.id for r in store.get_quarantined_patterns()] == ["down"]
    assert column(db_path, "up", "quarantine_status") == ("validated",)
    # And the other way round: what the package decides, the command
    # shows.
    add_pattern(db_path, "next", **applied(3, 0, 0.61))
    assert store.promote_ready_patterns()["promoted"] == ["next"]
    shown = cli.run("pattern", "next")
    assert shown["quarantine_status"] == "validated"
    assert shown["validated_at"] == column(db_path, "next",
                                           "validated_at")[0]


def test_update_quarantine_status(store, db_path):
    add_pattern(db_path, "p", quarantine_reason="why")
    before = datetime.now()
    assert store.update_quarantine_status(
        "p", QuarantineStatus.VALIDATED) is True
    after = datetime.now()
    status, validated, quarantined, reason = column(
        db_path, "p", "quarantine_status", "validated_at", "quarantined_at",
        "quarantine_reason")
    assert (status, quarantined, reason) == ("validated", None, "why")
    assert stamped(validated, before, after)

    before = datetime.now()
    assert store.update_quarantine_status(
        "p", QuarantineStatus.QUARANTINED) is True
    after = datetime.now()
    status, validated2, quarantined, reason = column(
        db_path, "p", "quarantine_status", "validated_at", "quarantined_at",
        "quarantine_reason")
    assert (status, validated2, reason) == ("quarantined", validated, "why")
    assert stamped(quarantined, before, after)

    # Pending and retired stamp no time.
    assert store.update_quarantine_status(
        "p", QuarantineStatus.RETIRED) is True
    assert column(db_path, "p", "quarantine_status", "validated_at",
                  "quarantined_at") == ("retired", validated, quarantined)
    assert store.update_quarantine_status(
        "p", QuarantineStatus.PENDING) is True
    assert column(db_path, "p", "quarantine_status", "validated_at",
                  "quarantined_at") == ("pending", validated, quarantined)
    # The status's value does as well as the member.
    assert store.update_quarantine_status("p", "retired") is True
    assert column(db_path, "p", "quarantine_status") == ("retired",)


def test_update_quarantine_status_unknown(store, db_path):
    assert store.update_quarantine_status(
        "nope", QuarantineStatus.VALIDATED) is False
    assert store.update_quarantine_status(
        None, QuarantineStatus.RETIRED) is False
    assert count_patterns(db_path) == 0
    add_pattern(db_path, "p")
    with pytest.raises(ValueError):
        store.update_quarantine_status("p", "active")
    assert column(db_path, "p", "quarantine_status") == ("pending",)


def test_quarantine_pattern(store, db_path):
    add_pattern(db_path, "p", validated_at="2026-01-02T00:00:00",
                quarantine_status="validated")
    before = datetime.now()
    assert store.quarantine_pattern("p", "broke the build") is True
    after = datetime.now()
    status, quarantined, validated, reason = column(
        db_path, "p", "quarantine_status", "quarantined_at", "validated_at",
        "quarantine_reason")
    assert (status, validated, reason) == (
        "quarantined", "2026-01-02T00:00:00", "broke the build")
    assert stamped(quarantined, before, after)
    # Without a reason, an earlier one is cleared.
    assert store.quarantine_pattern("p") is True
    assert column(db_path, "p", "quarantine_reason") == (None,)
    assert store.quarantine_pattern("nope", "x") is False
    assert store.quarantine_pattern(None) is False
    assert count_patterns(db_path) == 1


def test_validate_pattern(store, db_path):
    add_pattern(db_path, "p", quarantine_status="quarantined",
                quarantined_at="2026-01-02T00:00:00",
                quarantine_reason="suspect")
    before = datetime.now()
    assert store.validate_pattern("p") is True
    after = datetime.now()
    status, quarantined, validated, reason = column(
        db_path, "p", "quarantine_status", "quarantined_at", "validated_at",
        "quarantine_reason")
    assert (status, quarantined, reason) == (
        "validated", "2026-01-02T00:00:00", None)
    assert stamped(validated, before, after)
    assert store.validate_pattern("nope") is False
    assert store.validate_pattern(None) is False


def test_retire_pattern(store, db_path):
    add_pattern(db_path, "p", quarantine_status="validated",
                validated_at="2026-01-02T00:00:00", quarantine_reason="r")
    add_pattern(db_path, "inactive", active=0)
    assert store.retire_pattern("p") is True
    assert column(db_path, "p", "quarantine_status", "validated_at",
                  "quarantined_at", "quarantine_reason") == (
        "retired", "2026-01-02T00:00:00", None, "r")
    # A soft-deleted pattern is still there to retire.
    assert store.retire_pattern("inactive") is True
    assert column(db_path, "inactive", "quarantine_status") == ("retired",)
    assert store.retire_pattern("nope") is False
    assert store.retire_pattern(None) is False


def test_transitions_shared_with_cli(store, db_path, cli):
    add_pattern(db_path, "p")
    assert cli.run("quarantine", "p", "--reason", "flaky") == {
        "id": "p", "quarantine_status": "quarantined"}
    [r] = store.get_quarantined_patterns()
    assert (r.id, r.quarantine_reason) == ("p", "flaky")
    assert store.validate_pattern("p") is True
    shown = cli.run("pattern", "p")
    assert (shown["quarantine_status"], shown["quarantine_reason"]) == \
        ("validated", None)
    assert cli.run("retire", "p")["quarantine_status"] == "retired"
    assert store.get_quarantined_patterns() == []
    assert store.update_quarantine_status("p", QuarantineStatus.PENDING)
    assert cli.run("pattern", "p")["quarantine_status"] == "pending"


def test_get_quarantined_patterns(store, db_path):
    assert store.get_quarantined_patterns() == []
    q = dict(quarantine_status="quarantined")
    add_pattern(db_path, "low", priority_score=0.0, **q)
    add_pattern(db_path, "high", priority_score=0.9,
                quarantined_at="2026-01-03T04:05:06", quarantine_reason="r",
                **q)
    add_pattern(db_path, "mid", priority_score=0.4, **q)
    add_pattern(db_path, "gone", priority_score=1.0, active=0, **q)
    add_pattern(db_path, "pending", priority_score=1.0)
    add_pattern(db_path, "validated", priority_score=1.0,
                quarantine_status="validated")
    got = store.get_quarantined_patterns()
    # Priority 0 is included (no minimum); soft-deleted ones are not.
    assert [r.id for r in got] == ["high", "mid", "low"]
    assert all(isinstance(r, PatternRecord) for r in got)
    r = got[0]
    assert r.quarantine_status is QuarantineStatus.QUARANTINED
    assert r.quarantined_at == datetime(2026, 1, 3, 4, 5, 6)
    assert r.quarantine_reason == "r"
    assert r.first_seen == datetime(2026, 1, 1, 12, 0)
    assert r.context_tags == [] and r.active is True
    assert [r.id for r in store.get_quarantined_patterns(2)] == \
        ["high", "mid"]
    assert store.get_quarantined_patterns(0) == []
    assert len(store.get_quarantined_patterns(-1)) == 3


def test_get_quarantined_patterns_default_limit(store, db_path):
    for k in range(53):
        add_pattern(db_path, "q%02d" % k, quarantine_status="quarantined",
                    priority_score=k / 100)
    got = store.get_quarantined_patterns()
    assert len(got) == 50
    assert got[0].id == "q52" and got[-1].id == "q03"
    assert len(store.get_quarantined_patterns(limit=-5)) == 53


def test_promote_unset_effectiveness(store, db_path):
    # No effectiveness decides nothing (the Python store's comparison
    # with None fails); the others are still decided.
    add_pattern(db_path, "unset", **applied(3, 0, None))
    add_pattern(db_path, "up", **applied(3, 0, 0.9))
    assert store.promote_ready_patterns() == {
        "promoted": ["up"], "quarantined": [], "degraded": []}
    assert column(db_path, "unset", "quarantine_status",
                  "effectiveness_score") == ("pending", None)
