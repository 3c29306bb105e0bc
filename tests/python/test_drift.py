"""Drift in the learnstore package: effectiveness drift (the success rate
of a pattern's recent applications against older ones), epistemic drift
(their grounding confidence), the summaries, retiring what drifts and the
retired patterns, with values worked out by hand from the Python store's
documented behaviour.  Patterns are recorded with the learnstore command;
applications are written as the Python store writes them."""

import dataclasses
import sqlite3
import uuid
from datetime import datetime

import pytest

from learnstore.models import (DriftMetrics, EpistemicDriftMetrics,
                               PatternRecord, QuarantineStatus)


def pattern(cli, name, ptype="drift_test"):
    """A new pattern recorded by the learnstore command; its id."""
    return cli.run("record-pattern", "--type", ptype, "--name", name)["id"]


def apply(db_path, pattern_id, outcomes, groundings=None, day=1):
    """Applications of pattern_id, oldest first: outcomes[k] whether the
    k-th led to success, groundings[k] its grounding confidence (None:
    none), each a minute after the one before, as the Python store's
    record_pattern_application writes them."""
    groundings = groundings or [None] * len(outcomes)
    con = sqlite3.connect(db_path)
    try:
        with con:
            for k, (ok, g) in enumerate(zip(outcomes, groundings)):
                at = datetime(2026, 1, day, 10, k, 0, 123456)
                con.execute(
                    "INSERT INTO pattern_applications (id, pattern_id, "
                    "execution_id, applied_at, pattern_led_to_success, "
                    "retry_count_before, retry_count_after, "
                    "grounding_confidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (str(uuid.uuid4()), pattern_id, "exec-%d" % k,
                     at.isoformat(), bool(ok), 0, 0, g))
    finally:
        con.close()


def column(db_path, pattern_id, name):
    con = sqlite3.connect(db_path)
    try:
        return con.execute("SELECT %s FROM patterns WHERE id = ?" % name,
                           (pattern_id,)).fetchone()[0]
    finally:
        con.close()


# Oldest first.  Older window all successes, recent one success:
# before (5 + 0.5) / 6, after (1 + 0.5) / 6, a negative drift of 4/6.
DECLINING = [1, 1, 1, 1, 1, 0, 0, 0, 1, 0]
# Older one success, recent four: 1.5/6 -> 4.5/6, +0.5.
IMPROVING = [0, 1, 0, 0, 0, 1, 1, 0, 1, 1]
# Older two, recent three: 2.5/6 -> 3.5/6, +1/6 (under 0.2).
SLIGHT = [1, 0, 1, 0, 0, 1, 1, 0, 1, 0]


def test_empty_store(store):
    assert store.calculate_effectiveness_drift("nope") is None
    assert store.calculate_epistemic_drift("nope") is None
    assert store.get_drifting_patterns() == []
    assert store.get_epistemic_drifting_patterns() == []
    assert store.retire_drifting_patterns() == []
    assert store.get_retired_patterns() == []
    s = store.get_pattern_drift_summary()
    assert s == {"total_patterns": 0, "patterns_analyzed": 0,
                 "patterns_drifting": 0, "avg_drift_magnitude": 0.0,
                 "most_drifted": None}
    assert type(s["avg_drift_magnitude"]) is float
    assert type(s["total_patterns"]) is int
    e = store.get_epistemic_drift_summary()
    assert e == {"total_patterns": 0, "patterns_analyzed": 0,
                 "patterns_with_epistemic_drift": 0,
                 "avg_belief_change": 0.0, "avg_belief_entropy": 0.0,
                 "most_unstable": None}
    assert type(e["avg_belief_entropy"]) is float


def test_effectiveness_drift_declining(store, cli, db_path):
    p = pattern(cli, "declining")
    apply(db_path, p, DECLINING)
    d = store.calculate_effectiveness_drift(p)
    assert isinstance(d, DriftMetrics)
    assert d.pattern_id == p and d.pattern_name == "declining"
    assert d.window_size == 5 and type(d.window_size) is int
    assert d.effectiveness_before == 5.5 / 6
    assert d.effectiveness_after == 1.5 / 6
    # No grounding at all counts as 1.0.
    assert d.grounding_confidence_avg == 1.0
    assert d.drift_magnitude == abs(1.5 / 6 - 5.5 / 6)
    assert d.drift_magnitude == pytest.approx(4 / 6)
    assert d.drift_direction == "negative"
    assert d.applications_analyzed == 10
    assert d.threshold_exceeded is True
    # 0.667 is not above a threshold of 0.7.
    assert store.calculate_effectiveness_drift(
        p, drift_threshold=0.7).threshold_exceeded is False


def test_effectiveness_drift_directions(store, cli, db_path):
    up = pattern(cli, "improving")
    apply(db_path, up, IMPROVING)
    d = store.calculate_effectiveness_drift(up)
    assert (d.effectiveness_before, d.effectiveness_after) == \
        (1.5 / 6, 4.5 / 6)
    assert d.drift_magnitude == 0.5
    assert (d.drift_direction, d.threshold_exceeded) == ("positive", True)
    slight = pattern(cli, "slight")
    apply(db_path, slight, SLIGHT)
    d = store.calculate_effectiveness_drift(slight)
    assert d.drift_magnitude == pytest.approx(1 / 6)
    # Past 0.05, so positive, but 1/6 is not above 0.2.
    assert (d.drift_direction, d.threshold_exceeded) == ("positive", False)
    same = pattern(cli, "same")
    apply(db_path, same, [1, 0, 1, 0, 1, 0, 1, 0, 1, 1])
    d = store.calculate_effectiveness_drift(same)
    assert (d.effectiveness_before, d.effectiveness_after) == \
        (3.5 / 6, 3.5 / 6)
    assert (d.drift_magnitude, d.drift_direction, d.threshold_exceeded) \
        == (0.0, "stable", False)


def test_effectiveness_drift_grounding(store, cli, db_path):
    p = pattern(cli, "grounded")
    # The two oldest lie outside the last 10 and do not count; of the
    # 10, four have no grounding: (0.2 + 0.4 + 0.3 + 0.5 + 0.2 + 0.4) / 6.
    apply(db_path, p, [0, 0] + SLIGHT,
          [0.9, 0.9, 0.2, None, 0.4, 0.3, None, None, 0.5, 0.2, None, 0.4])
    d = store.calculate_effectiveness_drift(p)
    assert d.applications_analyzed == 10
    assert (d.effectiveness_before, d.effectiveness_after) == \
        (2.5 / 6, 3.5 / 6)
    assert d.grounding_confidence_avg == pytest.approx(2.0 / 6)
    # Low grounding amplifies: 1/6 / max(0.333, 0.5) = 1/3 > 0.2.
    assert d.threshold_exceeded is True
    assert store.calculate_effectiveness_drift(
        p, drift_threshold=0.34).threshold_exceeded is False
    # High grounding does not dampen below the magnitude itself.
    q = pattern(cli, "well grounded")
    apply(db_path, q, SLIGHT, [1.0] * 10)
    d = store.calculate_effectiveness_drift(q)
    assert d.grounding_confidence_avg == 1.0
    assert d.threshold_exceeded is False


def test_effectiveness_drift_windows(store, cli, db_path):
    p = pattern(cli, "windows")
    apply(db_path, p, DECLINING)
    # Window 1: the newest (a failure) against the one before (a
    # success): 0.5 / 2 against 1.5 / 2.
    d = store.calculate_effectiveness_drift(p, window_size=1)
    assert (d.effectiveness_before, d.effectiveness_after) == (0.75, 0.25)
    assert (d.drift_magnitude, d.drift_direction) == (0.5, "negative")
    assert (d.window_size, d.applications_analyzed) == (1, 2)
    # Window 3: newest three 1 success, the three before 1: 1.5/4 each.
    d = store.calculate_effectiveness_drift(p, window_size=3)
    assert (d.effectiveness_before, d.effectiveness_after) == \
        (0.375, 0.375)
    assert d.drift_direction == "stable"
    # Window 6 needs 12 applications; there are 10.
    assert store.calculate_effectiveness_drift(p, window_size=6) is None
    # Window 0 compares two empty windows: 0.5 each, as in Python.
    d = store.calculate_effectiveness_drift(p, window_size=0)
    assert (d.effectiveness_before, d.effectiveness_after,
            d.drift_magnitude, d.applications_analyzed,
            d.threshold_exceeded) == (0.5, 0.5, 0.0, 0, False)
    # A negative window is no analysis.
    assert store.calculate_effectiveness_drift(p, window_size=-1) is None


def test_effectiveness_drift_not_enough(store, cli, db_path):
    p = pattern(cli, "nine")
    apply(db_path, p, DECLINING[:9])
    assert store.calculate_effectiveness_drift(p) is None
    assert store.calculate_effectiveness_drift(None) is None
    # Applications of a pattern the store does not hold are not
    # analyzed, nor counted as analyzed.
    orphan = "0000000000000000"
    apply(db_path, orphan, DECLINING, [0.9] * 5 + [0.5] * 5)
    assert store.calculate_effectiveness_drift(orphan) is None
    assert store.calculate_epistemic_drift(orphan) is None
    assert store.get_drifting_patterns() == []
    assert store.get_epistemic_drifting_patterns() == []
    assert store.retire_drifting_patterns() == []
    s = store.get_pattern_drift_summary()
    assert (s["total_patterns"], s["patterns_analyzed"],
            s["most_drifted"]) == (1, 0, None)
    s = store.get_epistemic_drift_summary()
    assert (s["total_patterns"], s["patterns_analyzed"],
            s["most_unstable"]) == (1, 0, None)


def test_drifting_patterns(store, cli, db_path):
    down = pattern(cli, "down")
    up = pattern(cli, "up")
    slight = pattern(cli, "slight")
    few = pattern(cli, "few")
    apply(db_path, down, DECLINING)
    apply(db_path, up, IMPROVING)
    apply(db_path, slight, SLIGHT)
    apply(db_path, few, DECLINING[:9])
    got = store.get_drifting_patterns()
    assert all(isinstance(m, DriftMetrics) for m in got)
    assert [m.pattern_id for m in got] == [down, up]
    assert got[0] == store.calculate_effectiveness_drift(down)
    # The threshold lets the slight one in; the largest magnitude first.
    ids = [m.pattern_id for m in store.get_drifting_patterns(0.1)]
    assert ids == [down, up, slight]
    assert [m.pattern_id for m in store.get_drifting_patterns(limit=1)] \
        == [down]
    assert store.get_drifting_patterns(limit=0) == []
    # A negative limit cuts as list[:limit]: the last ones dropped.
    assert [m.pattern_id for m in store.get_drifting_patterns(0.1,
                                                              limit=-1)] \
        == [down, up]
    # Window 4 needs 8 applications: the fourth pattern has them.
    got = {m.pattern_id: m for m in store.get_drifting_patterns(
        0.0, window_size=4)}
    assert few in got
    # few, oldest first 1,1,1,1,1,0,0,0,1: newest four 0,0,0,1 (1.5/5),
    # the four before 1,1,1,1 (4.5/5).
    assert got[few].effectiveness_after == 1.5 / 5
    assert got[few].effectiveness_before == 4.5 / 5
    assert store.get_drifting_patterns(window_size=-1) == []


def test_drifting_patterns_ties(store, cli, db_path):
    ids = sorted(pattern(cli, "tie %d" % k) for k in range(3))
    # Inserted in reverse id order: ties stay in pattern id order.
    for p in reversed(ids):
        apply(db_path, p, DECLINING)
    got = store.get_drifting_patterns()
    assert [m.pattern_id for m in got] == ids
    assert len({m.drift_magnitude for m in got}) == 1


def test_drift_summary(store, cli, db_path):
    down = pattern(cli, "down")
    up = pattern(cli, "up")
    slight = pattern(cli, "slight")
    few = pattern(cli, "few")
    pattern(cli, "never applied")
    apply(db_path, down, DECLINING)
    apply(db_path, up, IMPROVING)
    apply(db_path, slight, SLIGHT)
    apply(db_path, few, DECLINING[:9])
    s = store.get_pattern_drift_summary()
    assert s["total_patterns"] == 5
    assert s["patterns_analyzed"] == 3
    assert s["patterns_drifting"] == 2
    assert s["avg_drift_magnitude"] == pytest.approx(
        (4 / 6 + 0.5 + 1 / 6) / 3)
    assert s["most_drifted"] == down


def test_epistemic_drift(store, cli, db_path):
    p = pattern(cli, "weakening")
    # Older 0.9 each, recent 0.5 each; applications without a grounding
    # are left out, wherever they are.
    apply(db_path, p, [1] * 12,
          [0.9] * 5 + [None] + [0.5] * 5 + [None])
    d = store.calculate_epistemic_drift(p)
    assert isinstance(d, EpistemicDriftMetrics)
    assert (d.pattern_id, d.pattern_name, d.window_size) == \
        (p, "weakening", 5)
    assert d.confidence_before == pytest.approx(0.9)
    assert d.confidence_after == pytest.approx(0.5)
    assert d.belief_change == pytest.approx(-0.4)
    # Mean 0.7, each 0.2 away: entropy 0.2 / 0.7.
    assert d.belief_entropy == pytest.approx(0.2 / 0.7)
    assert d.applications_analyzed == 10
    assert d.drift_direction == "weakening"
    # 0.4 * (1 + 0.2857) = 0.514.
    assert d.threshold_exceeded is True
    assert store.calculate_epistemic_drift(
        p, drift_threshold=0.52).threshold_exceeded is False
    assert store.calculate_epistemic_drift(
        p, drift_threshold=0.51).threshold_exceeded is True


def test_epistemic_drift_cases(store, cli, db_path):
    up = pattern(cli, "strengthening")
    apply(db_path, up, [1] * 10, [0.5] * 5 + [0.6] * 5)
    d = store.calculate_epistemic_drift(up)
    assert d.belief_change == pytest.approx(0.1)
    assert d.belief_entropy == pytest.approx(0.05 / 0.55)
    assert d.drift_direction == "strengthening"
    # 0.1 * 1.09 = 0.109: under 0.15, over 0.1.
    assert d.threshold_exceeded is False
    assert store.calculate_epistemic_drift(
        up, drift_threshold=0.1).threshold_exceeded is True
    flat = pattern(cli, "flat")
    # (0.5: a mean of ten 0.8 in binary is not exactly 0.8, nor the
    # entropy 0, in Python either.)
    apply(db_path, flat, [0] * 10, [0.5] * 10)
    d = store.calculate_epistemic_drift(flat)
    assert (d.belief_change, d.belief_entropy, d.drift_direction,
            d.threshold_exceeded) == (0.0, 0.0, "stable", False)
    # A mean of 0 (exactly, in binary) gives entropy 0.
    zero = pattern(cli, "zero mean")
    apply(db_path, zero, [1] * 10, [-0.5] * 5 + [0.5] * 5)
    d = store.calculate_epistemic_drift(zero)
    assert (d.belief_change, d.belief_entropy) == (1.0, 0.0)
    assert (d.drift_direction, d.threshold_exceeded) == \
        ("strengthening", True)
    # So does a negative mean (-0.125).
    neg = pattern(cli, "negative mean")
    apply(db_path, neg, [1] * 10, [0.25] * 5 + [-0.5] * 5)
    d = store.calculate_epistemic_drift(neg)
    assert (d.confidence_before, d.confidence_after) == (0.25, -0.5)
    assert (d.belief_change, d.belief_entropy, d.drift_direction) == \
        (-0.75, 0.0, "weakening")
    # Entropy is capped at 1: mean 0.1, population std dev 0.3.
    wild = pattern(cli, "wild")
    apply(db_path, wild, [1] * 10, [0.0] * 9 + [1.0])
    d = store.calculate_epistemic_drift(wild)
    assert d.belief_entropy == 1.0
    assert d.belief_change == pytest.approx(0.2)


def test_epistemic_drift_windows(store, cli, db_path):
    p = pattern(cli, "windows")
    apply(db_path, p, [1] * 10, [0.9] * 5 + [0.5] * 5)
    d = store.calculate_epistemic_drift(p, window_size=2)
    assert (d.confidence_before, d.confidence_after, d.belief_change,
            d.belief_entropy, d.applications_analyzed) == \
        (0.5, 0.5, 0.0, 0.0, 4)
    assert store.calculate_epistemic_drift(p, window_size=6) is None
    # Python divides by a window of 0; ours answers None (and []).
    assert store.calculate_epistemic_drift(p, window_size=0) is None
    assert store.calculate_epistemic_drift(p, window_size=-2) is None
    assert store.get_epistemic_drifting_patterns(window_size=0) == []
    assert store.calculate_epistemic_drift(None) is None
    q = pattern(cli, "ungrounded")
    apply(db_path, q, DECLINING)
    assert store.calculate_epistemic_drift(q) is None
    assert store.calculate_effectiveness_drift(q) is not None


def test_epistemic_drifting_patterns_and_summary(store, cli, db_path):
    weak = pattern(cli, "weak")
    strong = pattern(cli, "strong")
    flat = pattern(cli, "flat")
    pattern(cli, "never applied")
    apply(db_path, weak, [1] * 10, [0.9] * 5 + [0.5] * 5)
    apply(db_path, strong, [1] * 10, [0.5] * 5 + [0.6] * 5)
    apply(db_path, flat, [1] * 10, [0.5] * 10)
    got = store.get_epistemic_drifting_patterns()
    assert [m.pattern_id for m in got] == [weak]
    assert got[0] == store.calculate_epistemic_drift(weak)
    got = store.get_epistemic_drifting_patterns(0.1)
    assert [m.pattern_id for m in got] == [weak, strong]
    assert all(isinstance(m, EpistemicDriftMetrics) for m in got)
    assert [m.pattern_id for m in store.get_epistemic_drifting_patterns(
        0.1, limit=1)] == [weak]
    assert store.get_epistemic_drifting_patterns(0.1, limit=0) == []
    assert [m.pattern_id for m in store.get_epistemic_drifting_patterns(
        0.1, limit=-1)] == [weak]
    s = store.get_epistemic_drift_summary()
    assert s["total_patterns"] == 4
    assert s["patterns_analyzed"] == 3
    assert s["patterns_with_epistemic_drift"] == 1
    # Signed: (-0.4 + 0.1 + 0) / 3.
    assert s["avg_belief_change"] == pytest.approx(-0.1)
    assert s["avg_belief_entropy"] == pytest.approx(
        (0.2 / 0.7 + 0.05 / 0.55) / 3)
    assert s["most_unstable"] == weak


def test_retire_drifting_patterns(store, cli, db_path):
    down = pattern(cli, "down")
    up = pattern(cli, "up")
    slight = pattern(cli, "slight")
    apply(db_path, down, DECLINING)
    apply(db_path, up, IMPROVING)
    apply(db_path, slight, SLIGHT)
    got = store.retire_drifting_patterns()
    assert got == [(down, "down", abs(1.5 / 6 - 5.5 / 6))]
    assert type(got[0]) is tuple
    assert column(db_path, down, "priority_score") == 0
    assert column(db_path, down, "suggested_action") == \
        "Auto-retired: drift negative (0.67), effectiveness 0.92 \u2192 0.25"
    assert column(db_path, up, "priority_score") == 0.5
    assert column(db_path, up, "suggested_action") is None
    # Any direction: up too, and down again (it still drifts).
    got = store.retire_drifting_patterns(require_negative_drift=False)
    assert [(i, n) for i, n, _ in got] == [(down, "down"), (up, "up")]
    assert got[1][2] == 0.5
    assert column(db_path, up, "suggested_action") == \
        "Auto-retired: drift positive (0.50), effectiveness 0.25 \u2192 0.75"
    assert column(db_path, slight, "priority_score") == 0.5
    # The threshold and window are the caller's.
    got = store.retire_drifting_patterns(0.1, 5, False)
    assert [i for i, _, _ in got] == [down, up, slight]
    assert store.retire_drifting_patterns(window_size=-1) == []
    assert store.retire_drifting_patterns(0.9) == []


def test_retired_patterns(store, cli, db_path):
    down = pattern(cli, "down")
    up = pattern(cli, "up")
    kept = pattern(cli, "kept")
    apply(db_path, down, DECLINING)
    apply(db_path, up, IMPROVING)
    store.retire_drifting_patterns(require_negative_drift=False)
    con = sqlite3.connect(db_path)
    try:
        with con:
            # Latest seen first; a soft-deleted one is listed too.
            con.execute("UPDATE patterns SET last_seen = ? WHERE id = ?",
                        ("2026-01-01T10:00:00", down))
            con.execute("UPDATE patterns SET last_seen = ?, active = 0 "
                        "WHERE id = ?", ("2026-01-02T10:00:00", up))
    finally:
        con.close()
    got = store.get_retired_patterns()
    assert [r.id for r in got] == [up, down]
    r = got[1]
    assert isinstance(r, PatternRecord)
    assert (r.pattern_name, r.pattern_type) == ("down", "drift_test")
    assert r.priority_score == 0.0
    assert r.suggested_action.startswith("Auto-retired: drift negative")
    assert r.last_seen == datetime(2026, 1, 1, 10, 0)
    assert r.quarantine_status is QuarantineStatus.PENDING
    assert r.context_tags == []
    # As the Python store builds them: active, content hash and
    # instrument are the record's defaults, whatever the row holds.
    assert column(db_path, up, "active") == 0
    assert column(db_path, up, "content_hash") is not None
    assert all((r.active, r.content_hash, r.instrument_name)
               == (True, None, None) for r in got)
    assert [r.id for r in store.get_retired_patterns(1)] == [up]
    assert store.get_retired_patterns(0) == []
    assert [r.id for r in store.get_retired_patterns(-1)] == [up, down]
    assert kept not in [r.id for r in got]


def test_cli_drift_matches(store, cli, db_path):
    down = pattern(cli, "down")
    up = pattern(cli, "up")
    weak = pattern(cli, "weak")
    apply(db_path, down, DECLINING, [0.6] * 10)
    apply(db_path, up, IMPROVING)
    apply(db_path, weak, SLIGHT, [0.9] * 5 + [0.5] * 5)
    out = cli.run("drift")
    eff, epi = out["effectiveness"], out["epistemic"]
    assert eff["summary"] == store.get_pattern_drift_summary()
    assert epi["summary"] == store.get_epistemic_drift_summary()
    assert eff["drifting"] == [dataclasses.asdict(m)
                               for m in store.get_drifting_patterns()]
    assert epi["drifting"] == [dataclasses.asdict(m) for m in
                               store.get_epistemic_drifting_patterns()]
    assert [m["pattern_id"] for m in eff["drifting"]] == [down, up, weak]
    assert [m["pattern_id"] for m in epi["drifting"]] == [weak]
    out = cli.run("drift", "--window", "2", "--threshold", "0.1",
                  "--limit", "1")
    assert out["effectiveness"]["drifting"] == [
        dataclasses.asdict(m) for m in store.get_drifting_patterns(
            0.1, 2, 1)]
    # What the package retires the command reads retired, and the
    # command still lists it as drifting (its applications stay).
    assert store.retire_drifting_patterns() == [
        (down, "down", abs(1.5 / 6 - 5.5 / 6))]
    row = cli.run("pattern", down)
    assert row["priority_score"] == 0.0
    assert row["suggested_action"] == "Auto-retired: drift negative " \
        "(0.67), effectiveness 0.92 \u2192 0.25"
    assert cli.run("drift")["effectiveness"]["drifting"] == \
        eff["drifting"]
