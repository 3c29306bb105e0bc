"""Trust scores in the learnstore package: calculated from a pattern's
record, nudged by a delta, recalculated for all, and the patterns trusted
enough, too little, or enough to apply unasked, with values worked out by
hand from the Python store's documented behaviour."""

import sqlite3
from datetime import datetime, timedelta

import pytest

from learnstore.models import PatternRecord, QuarantineStatus
from stored import SEEN, add_pattern, column


def ago(**delta):
    """The local time delta ago, as the Python store writes times."""
    return (datetime.now() - timedelta(**delta)).isoformat()


def ids(records):
    return [r.id for r in records]


def test_calculate_trust_score(store, db_path):
    # 10 occurrences, 6 successes, 2 failures, confirmed 45 days ago:
    # 0.5 + 0.3 * 0.6 - 0.4 * 0.2 + 0.2 * 0.9 ** (45 / 30).
    add_pattern(db_path, "p", occurrence_count=10, led_to_success_count=6,
                led_to_failure_count=2, last_confirmed=ago(days=45, hours=1))
    before = datetime.now()
    t = store.calculate_trust_score("p")
    after = datetime.now()
    want = 0.5 + 0.18 - 0.08 + 0.2 * 0.9 ** 1.5
    assert type(t) is float
    assert t == pytest.approx(want, abs=1e-12)
    stored, when = column(db_path, "p", "trust_score",
                          "trust_calculation_date")
    assert stored == pytest.approx(want, abs=1e-12)
    assert before <= datetime.fromisoformat(when) <= after
    # Whole days count: 29 days 23 hours is 29 days.
    add_pattern(db_path, "d29", last_confirmed=ago(days=29, hours=23))
    assert store.calculate_trust_score("d29") == \
        pytest.approx(0.5 + 0.2 * 0.9 ** (29 / 30), abs=1e-12)


def test_calculate_trust_status_and_clamping(store, db_path):
    now = ago(hours=1)
    # Validated: + 0.1; here 0.5 + 0.3 + 0.2 + 0.1 = 1.1, clamped to 1.
    add_pattern(db_path, "v", occurrence_count=4, led_to_success_count=4,
                quarantine_status="validated", last_confirmed=now)
    assert store.calculate_trust_score("v") == 1.0
    # Validated, no applications: 0.5 + 0.2 + 0.1.
    add_pattern(db_path, "v0", quarantine_status="validated",
                last_confirmed=now)
    assert store.calculate_trust_score("v0") == pytest.approx(0.8)
    # Quarantined: - 0.2; 0.5 - 0.4 + 0.2 - 0.2 = 0.1.
    add_pattern(db_path, "q", occurrence_count=2, led_to_failure_count=2,
                quarantine_status="quarantined", last_confirmed=now)
    assert store.calculate_trust_score("q") == pytest.approx(0.1)
    # Long unconfirmed and quarantined: below 0, clamped to 0.
    add_pattern(db_path, "q0", occurrence_count=2, led_to_failure_count=2,
                quarantine_status="quarantined",
                last_confirmed=ago(days=3000))
    assert store.calculate_trust_score("q0") == 0.0
    assert column(db_path, "q0", "trust_score") == (0.0,)
    # Retired and pending take neither.
    add_pattern(db_path, "r", quarantine_status="retired", last_confirmed=now)
    assert store.calculate_trust_score("r") == pytest.approx(0.7)


def test_calculate_trust_rates_capped(store, db_path):
    now = ago(minutes=5)
    # No occurrences count as 1; the rates are at most 1: 3 successes of
    # 1 are a rate of 1.
    add_pattern(db_path, "s", occurrence_count=0, led_to_success_count=3,
                last_confirmed=now)
    assert store.calculate_trust_score("s") == pytest.approx(1.0)
    add_pattern(db_path, "f", occurrence_count=0, led_to_failure_count=1,
                last_confirmed=now)
    assert store.calculate_trust_score("f") == pytest.approx(0.3)
    # Confirmed in the future (31 days ahead, floored): the age factor
    # grows past 1: 0.5 + 0.2 * 0.9 ** (-31 / 30).
    future = (datetime.now() + timedelta(days=30, hours=1)).isoformat()
    add_pattern(db_path, "future", last_confirmed=future)
    assert store.calculate_trust_score("future") == \
        pytest.approx(0.5 + 0.2 * 0.9 ** (-31 / 30), abs=1e-12)


def test_calculate_trust_unknown(store, db_path):
    assert store.calculate_trust_score("nope") is None
    assert store.calculate_trust_score(None) is None
    assert store.update_trust_score("nope", 0.1) is None
    assert store.update_trust_score(None, 0.1) is None
    con = sqlite3.connect(db_path)
    assert con.execute("SELECT COUNT(*) FROM patterns").fetchone() == (0,)
    con.close()


def test_update_trust_score(store, db_path):
    add_pattern(db_path, "p")
    before = datetime.now()
    t = store.update_trust_score("p", 0.2)
    after = datetime.now()
    assert type(t) is float and t == pytest.approx(0.7)
    stored, when = column(db_path, "p", "trust_score",
                          "trust_calculation_date")
    assert stored == pytest.approx(0.7)
    assert before <= datetime.fromisoformat(when) <= after
    assert store.update_trust_score("p", -1) == 0.0
    assert store.update_trust_score("p", 5) == 1.0
    assert store.update_trust_score("p", 0) == 1.0
    assert column(db_path, "p", "trust_score") == (1.0,)
    # A stored trust out of range reads clamped first: 1.7 is 1, less
    # 0.25; an unset one reads 0.5.
    add_pattern(db_path, "over", trust_score=1.7)
    assert store.update_trust_score("over", -0.25) == pytest.approx(0.75)
    add_pattern(db_path, "unset", trust_score=None)
    assert store.update_trust_score("unset", 0.1) == pytest.approx(0.6)
    add_pattern(db_path, "under", trust_score=-3.0)
    assert store.update_trust_score("under", 0.25) == pytest.approx(0.25)


def test_recalculate_all_trust_scores(store, db_path):
    assert store.recalculate_all_trust_scores() == 0
    now = ago(hours=2)
    add_pattern(db_path, "a", occurrence_count=5, led_to_success_count=5,
                last_confirmed=now, trust_score=0.1)
    add_pattern(db_path, "b", occurrence_count=5, led_to_failure_count=5,
                last_confirmed=now, trust_score=0.9)
    # Soft-deleted patterns are recalculated too.
    add_pattern(db_path, "c", quarantine_status="validated", active=0,
                last_confirmed=now)
    n = store.recalculate_all_trust_scores()
    assert type(n) is int and n == 3
    assert column(db_path, "a", "trust_score")[0] == pytest.approx(1.0)
    assert column(db_path, "b", "trust_score")[0] == pytest.approx(0.3)
    assert column(db_path, "c", "trust_score")[0] == pytest.approx(0.8)
    for pid in "abc":
        when = column(db_path, pid, "trust_calculation_date")[0]
        assert when != SEEN and datetime.fromisoformat(when) > \
            datetime.fromisoformat(now)


def trust_fixture(db_path):
    """Patterns of several trusts and priorities."""
    add_pattern(db_path, "t90", trust_score=0.9, priority_score=0.2)
    add_pattern(db_path, "t70", trust_score=0.7, priority_score=0.3)
    add_pattern(db_path, "t69", trust_score=0.69, priority_score=0.9)
    add_pattern(db_path, "t30", trust_score=0.3, priority_score=0.5)
    add_pattern(db_path, "t31", trust_score=0.31, priority_score=0.6)
    add_pattern(db_path, "t00", trust_score=0.0, priority_score=0.0)
    add_pattern(db_path, "t99-gone", trust_score=0.99, active=0)
    add_pattern(db_path, "t01-gone", trust_score=0.01, active=0)
    add_pattern(db_path, "t80-q", trust_score=0.8, priority_score=0.1,
                quarantine_status="quarantined")


def test_high_trust_patterns(store, db_path):
    assert store.get_high_trust_patterns() == []
    trust_fixture(db_path)
    got = store.get_high_trust_patterns()
    # Trust 0.7 or more, by priority, soft-deleted ones left out, any
    # status.
    assert ids(got) == ["t70", "t90", "t80-q"]
    assert all(isinstance(r, PatternRecord) for r in got)
    assert got[2].quarantine_status is QuarantineStatus.QUARANTINED
    assert got[1].trust_score == 0.9
    assert ids(store.get_high_trust_patterns(0.85)) == ["t90"]
    assert ids(store.get_high_trust_patterns(0.0, 2)) == ["t69", "t31"]
    assert store.get_high_trust_patterns(limit=0) == []
    assert len(store.get_high_trust_patterns(0.0, -1)) == 7
    assert ids(store.get_high_trust_patterns(1.01)) == []
    # None: no threshold, as in the Python store.
    assert len(store.get_high_trust_patterns(None)) == 7


def test_low_trust_patterns(store, db_path):
    assert store.get_low_trust_patterns() == []
    trust_fixture(db_path)
    # Trust 0.3 or less, priority 0 included.
    assert ids(store.get_low_trust_patterns()) == ["t30", "t00"]
    assert ids(store.get_low_trust_patterns(0.7)) == \
        ["t69", "t31", "t30", "t70", "t00"]
    assert ids(store.get_low_trust_patterns(0.7, 1)) == ["t69"]
    assert store.get_low_trust_patterns(limit=0) == []
    assert len(store.get_low_trust_patterns(1.0, -3)) == 7
    assert ids(store.get_low_trust_patterns(-0.1)) == []
    assert len(store.get_low_trust_patterns(None)) == 7


def auto_fixture(db_path):
    """Candidates for auto-apply: by trust then priority they are
    b (0.95), c (0.9, 0.8), a (0.9, 0.5), x (0.88), g (0.85)."""
    v = dict(quarantine_status="validated")
    add_pattern(db_path, "a", trust_score=0.9, priority_score=0.5,
                context_tags='["api"]', **v)
    add_pattern(db_path, "b", trust_score=0.95, priority_score=0.1,
                context_tags='["db"]', **v)
    add_pattern(db_path, "c", trust_score=0.9, priority_score=0.8,
                context_tags='["api", "db"]', **v)
    add_pattern(db_path, "x", trust_score=0.88, priority_score=0.3,
                context_tags='["rare"]', **v)
    # Exactly at the threshold, and soft-deleted: still a candidate, as in
    # the Python store.
    add_pattern(db_path, "g", trust_score=0.85, priority_score=0.9,
                active=0, **v)
    add_pattern(db_path, "pending", trust_score=0.99, context_tags='["api"]')
    add_pattern(db_path, "retired", trust_score=1.0,
                quarantine_status="retired")
    add_pattern(db_path, "below", trust_score=0.84, **v)
    add_pattern(db_path, "q", trust_score=0.97,
                quarantine_status="quarantined")


def test_auto_apply(store, db_path):
    assert store.get_patterns_for_auto_apply() == []
    auto_fixture(db_path)
    got = store.get_patterns_for_auto_apply()
    assert ids(got) == ["b", "c", "a"]
    assert all(isinstance(r, PatternRecord) for r in got)
    assert got[1].context_tags == ["api", "db"]
    assert ids(store.get_patterns_for_auto_apply(limit=10)) == \
        ["b", "c", "a", "x", "g"]
    assert store.get_patterns_for_auto_apply(limit=10)[-1].active is False
    # Any status but retired.
    assert ids(store.get_patterns_for_auto_apply(
        require_validated=False)) == ["pending", "q", "b"]
    assert ids(store.get_patterns_for_auto_apply(0.96, False, 10)) == \
        ["pending", "q"]
    assert ids(store.get_patterns_for_auto_apply(0.5, True, 10)) == \
        ["b", "c", "a", "x", "g", "below"]
    assert store.get_patterns_for_auto_apply(limit=0) == []
    # A negative limit is all.
    assert ids(store.get_patterns_for_auto_apply(limit=-1)) == \
        ["b", "c", "a", "x", "g"]
    # trust >= NULL holds for none.
    assert store.get_patterns_for_auto_apply(None) == []


def test_auto_apply_tags(store, db_path):
    auto_fixture(db_path)
    assert ids(store.get_patterns_for_auto_apply(
        context_tags=["api"])) == ["c", "a"]
    assert ids(store.get_patterns_for_auto_apply(
        context_tags=["db", "nothing"])) == ["b", "c"]
    assert ids(store.get_patterns_for_auto_apply(
        context_tags=["api", "db"], limit=2)) == ["b", "c"]
    # Only the first 2 * limit candidates are looked at: "rare" is the
    # fourth, past 2 * 1 but within 2 * 2.
    assert store.get_patterns_for_auto_apply(
        context_tags=["rare"], limit=1) == []
    assert ids(store.get_patterns_for_auto_apply(
        context_tags=["rare"], limit=2)) == ["x"]
    assert ids(store.get_patterns_for_auto_apply(
        context_tags=["api"], limit=1)) == ["c"]
    # No tags, or an empty list, filter nothing; a tag no pattern has
    # leaves none; a None tag matches none.
    assert ids(store.get_patterns_for_auto_apply(context_tags=[])) == \
        ["b", "c", "a"]
    assert store.get_patterns_for_auto_apply(context_tags=["zzz"]) == []
    assert store.get_patterns_for_auto_apply(context_tags=[None]) == []
    assert ids(store.get_patterns_for_auto_apply(
        context_tags=[None, "db"])) == ["b", "c"]
    assert ids(store.get_patterns_for_auto_apply(
        context_tags=("api",), require_validated=False)) == \
        ["pending", "c", "a"]


def test_trust_shared_with_cli(store, db_path, cli):
    # A pattern the command records: one occurrence, confirmed now,
    # pending: 0.5 + 0.2.
    pid = cli.run("record-pattern", "--type", "retry", "--name",
                  "Slow start", "--tag", "api")["id"]
    assert store.calculate_trust_score(pid) == pytest.approx(0.7)
    assert cli.run("pattern", pid)["trust_score"] == pytest.approx(0.7)
    assert store.update_trust_score(pid, 0.2) == pytest.approx(0.9)
    assert cli.run("validate", pid)["quarantine_status"] == "validated"
    [r] = store.get_patterns_for_auto_apply(context_tags=["api"])
    assert (r.id, r.pattern_name, r.context_tags) == \
        (pid, "Slow start", ["api"])
    assert r.trust_score == pytest.approx(0.9)
    assert ids(store.get_high_trust_patterns()) == [pid]
    # Recalculated: validated now, + 0.1.
    assert store.recalculate_all_trust_scores() == 1
    assert cli.run("pattern", pid)["trust_score"] == pytest.approx(0.8)


def test_calculate_trust_never_confirmed(store, db_path):
    # No last_confirmed counts as confirmed today: 0.5 + 0.2.
    add_pattern(db_path, "p", last_confirmed=None)
    assert store.calculate_trust_score("p") == pytest.approx(0.7)
    assert column(db_path, "p", "trust_score")[0] == pytest.approx(0.7)
