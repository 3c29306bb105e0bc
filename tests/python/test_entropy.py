"""Pattern entropy in the learnstore package: the entropy of applications
over patterns, its history, whether a response is needed, the responses
(budget boosts, quarantined patterns revisited), their history and
statistics, with values worked out by hand from the Python store's
documented behaviour."""

import math
import re
import sqlite3
import uuid
from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest

from learnstore import GlobalLearningStore, StoreError
from learnstore._entropy import EntropyResponseConfig, EntropyTriggerContext
from learnstore.models import EntropyResponseRecord, PatternEntropyMetrics

JOB_A = GlobalLearningStore.hash_job("entropy-a")
JOB_B = GlobalLearningStore.hash_job("entropy-b")
REVISIT_REASON = "Entropy response: revisiting for revalidation"


def connect(db_path):
    return sqlite3.connect(db_path)


def add_pattern(db_path, pid, status="pending", last_seen=None, apps=0):
    """A pattern as the Python store's record_pattern writes one, and apps
    applications of it as record_pattern_application writes them."""
    now = datetime.now().isoformat()
    con = connect(db_path)
    try:
        with con:
            con.execute(
                "INSERT INTO patterns (id, pattern_type, pattern_name, "
                "description, occurrence_count, first_seen, last_seen, "
                "last_confirmed, led_to_success_count, "
                "led_to_failure_count, effectiveness_score, variance, "
                "suggested_action, context_tags, priority_score, "
                "quarantine_status) VALUES (?, 'retry', ?, NULL, 1, ?, ?, ?,"
                " 0, 0, 0.5, 0.0, NULL, '[]', 0.5, ?)",
                (pid, "name-" + pid, now, last_seen or now, now, status))
            for _ in range(apps):
                con.execute(
                    "INSERT INTO pattern_applications (id, pattern_id, "
                    "execution_id, applied_at, pattern_led_to_success, "
                    "retry_count_before, retry_count_after, "
                    "grounding_confidence) VALUES (?, ?, NULL, ?, 1, 0, 0, "
                    "NULL)", (str(uuid.uuid4()), pid, now))
    finally:
        con.close()


def pattern_status(db_path, pid):
    con = connect(db_path)
    try:
        return con.execute("SELECT quarantine_status, quarantine_reason "
                           "FROM patterns WHERE id = ?", (pid,)).fetchone()
    finally:
        con.close()


def set_response_time(db_path, rid, t):
    con = connect(db_path)
    try:
        with con:
            con.execute("UPDATE entropy_responses SET recorded_at = ? "
                        "WHERE id = ?", (t.isoformat(), rid))
    finally:
        con.close()


def count(db_path, table):
    con = connect(db_path)
    try:
        return con.execute("SELECT COUNT(*) FROM " + table).fetchone()[0]
    finally:
        con.close()


EMPTY_STATS = {"total_responses": 0, "avg_entropy_at_trigger": 0.0,
               "budget_boosts": 0, "quarantine_revisits": 0,
               "last_response": None}


def test_empty_store(store):
    before = datetime.now()
    m = store.calculate_pattern_entropy()
    after = datetime.now()
    assert isinstance(m, PatternEntropyMetrics)
    assert before <= m.calculated_at <= after
    assert m.calculated_at.tzinfo is None
    assert (m.shannon_entropy, m.max_possible_entropy, m.diversity_index,
            m.unique_pattern_count, m.effective_pattern_count,
            m.total_applications, m.dominant_pattern_share,
            m.threshold_exceeded) == (0.0, 0.0, 0.0, 0, 0, 0, 0.0, False)
    assert store.get_pattern_entropy_history() == []
    assert store.check_entropy_response_needed(JOB_A) \
        == (False, None, "No pattern applications to analyze")
    assert store.check_entropy_response_needed(None) \
        == (False, None, "No pattern applications to analyze")
    assert store.get_last_entropy_response() is None
    assert store.get_last_entropy_response(JOB_A) is None
    assert store.get_entropy_response_history() == []
    for job in (None, "", JOB_A):
        s = store.get_entropy_response_statistics(job)
        assert s == EMPTY_STATS
        assert type(s["avg_entropy_at_trigger"]) is float
        assert type(s["total_responses"]) is int


def test_entropy_without_applications(store, db_path):
    add_pattern(db_path, "p1")
    add_pattern(db_path, "p2")
    m = store.calculate_pattern_entropy()
    # The patterns count; nothing else does.
    assert (m.unique_pattern_count, m.effective_pattern_count,
            m.total_applications, m.shannon_entropy,
            m.max_possible_entropy, m.diversity_index,
            m.dominant_pattern_share) == (2, 0, 0, 0.0, 0.0, 0.0, 0.0)
    assert store.check_entropy_response_needed(JOB_A, 0.9) \
        == (False, None, "No pattern applications to analyze")


def test_entropy_values(store, db_path):
    # Applications 2, 1, 1 and 0: p = 1/2, 1/4, 1/4 over 3 applied
    # patterns; H = 1/2 * 1 + 1/4 * 2 + 1/4 * 2 = 1.5 bits, the maximum
    # log2(3), the diversity 1.5 / log2(3).
    add_pattern(db_path, "a", apps=2)
    add_pattern(db_path, "b", apps=1)
    add_pattern(db_path, "c", apps=1)
    add_pattern(db_path, "d")
    m = store.calculate_pattern_entropy()
    assert m.shannon_entropy == 1.5
    assert m.max_possible_entropy == pytest.approx(1.584962500721156,
                                                   abs=1e-15)
    assert m.diversity_index == pytest.approx(0.9463946303571863, abs=1e-15)
    assert (m.unique_pattern_count, m.effective_pattern_count,
            m.total_applications, m.dominant_pattern_share,
            m.threshold_exceeded) == (4, 3, 4, 0.5, False)
    for name, t in (("shannon_entropy", float), ("unique_pattern_count", int),
                    ("total_applications", int),
                    ("dominant_pattern_share", float)):
        assert type(getattr(m, name)) is t, name
    assert store.check_entropy_response_needed(JOB_A) \
        == (False, m.diversity_index,
            "Entropy 0.946 >= threshold 0.300 (healthy)")
    assert store.check_entropy_response_needed(JOB_A, 0.95) \
        == (True, m.diversity_index, "Entropy 0.946 < threshold 0.950")


def test_entropy_two_and_one(store, db_path):
    # 3 and 1: H = -(3/4 log2(3/4) + 1/4 log2(1/4)) = 2 - 3/4 log2(3)
    # = 0.8112781244591328 bits; the maximum log2(2) = 1.
    add_pattern(db_path, "a", apps=3)
    add_pattern(db_path, "b", apps=1)
    m = store.calculate_pattern_entropy()
    h = 2 - 0.75 * math.log2(3)
    assert m.shannon_entropy == pytest.approx(h, abs=1e-15)
    assert (m.max_possible_entropy, m.dominant_pattern_share) == (1.0, 0.75)
    assert m.diversity_index == pytest.approx(h, abs=1e-15)
    needed, entropy, reason = store.check_entropy_response_needed(
        JOB_A, entropy_threshold=0.9)
    assert needed is True and entropy == pytest.approx(h, abs=1e-15)
    assert reason == "Entropy 0.811 < threshold 0.900"
    # Equal to the threshold is healthy.
    assert store.check_entropy_response_needed(JOB_A, 0.0)[2] \
        == "Entropy 0.811 >= threshold 0.000 (healthy)"


def test_entropy_one_pattern(store, db_path):
    # One applied pattern: p = 1, H = -(1 * 0) = -0.0, the maximum 1.0,
    # the diversity -0.0 (printed "-0.000" by Python's format).
    add_pattern(db_path, "only", apps=3)
    add_pattern(db_path, "never")
    m = store.calculate_pattern_entropy()
    assert (m.shannon_entropy, m.max_possible_entropy, m.diversity_index,
            m.unique_pattern_count, m.effective_pattern_count,
            m.total_applications, m.dominant_pattern_share) \
        == (0.0, 1.0, 0.0, 2, 1, 3, 1.0)
    needed, entropy, reason = store.check_entropy_response_needed(JOB_A)
    assert needed is True and entropy == 0.0
    assert reason == "Entropy -0.000 < threshold 0.300"


def test_record_and_history(store, db_path):
    t1 = datetime(2026, 3, 1, 10, 0, 0, 123456)
    m1 = PatternEntropyMetrics(t1, 1.5, 1.584962500721156, 0.946, 4, 3, 4,
                               0.5)
    m2 = PatternEntropyMetrics(t1 + timedelta(hours=1), 0.0, 1.0, 0.0, 1, 1,
                               7, 1.0, threshold_exceeded=True)
    m0 = PatternEntropyMetrics(t1 - timedelta(days=1), 0.0, 0.0, 0.0, 0, 0,
                               0, 0.0)
    ids = [store.record_pattern_entropy(m) for m in (m1, m2, m0)]
    assert all(type(i) is str and len(i) == 36 and i[14] == "4"
               for i in ids)
    assert len(set(ids)) == 3
    # The latest calculated first.
    assert store.get_pattern_entropy_history() == [m2, m1, m0]
    assert store.get_pattern_entropy_history(2) == [m2, m1]
    assert store.get_pattern_entropy_history(0) == []
    assert store.get_pattern_entropy_history(-1) == [m2, m1, m0]
    got = store.get_pattern_entropy_history(1)[0]
    assert got.threshold_exceeded is True
    assert type(got.total_applications) is int
    con = connect(db_path)
    try:
        row = con.execute("SELECT calculated_at, threshold_exceeded FROM "
                          "pattern_entropy_history WHERE id = ?",
                          (ids[0],)).fetchone()
    finally:
        con.close()
    # As the Python store writes them: isoformat() and 0 or 1.
    assert row == ("2026-03-01T10:00:00.123456", 0)


def test_record_calculated(store, db_path):
    add_pattern(db_path, "a", apps=1)
    add_pattern(db_path, "b", apps=1)
    m = store.calculate_pattern_entropy()
    assert (m.shannon_entropy, m.diversity_index) == (1.0, 1.0)
    m.threshold_exceeded = True
    store.record_pattern_entropy(m)
    assert store.get_pattern_entropy_history() == [m]
    # Any object with the attributes does.
    other = SimpleNamespace(calculated_at=datetime(2020, 1, 1),
                            shannon_entropy=2, max_possible_entropy=2,
                            diversity_index=1, unique_pattern_count=4,
                            effective_pattern_count=4, total_applications=8,
                            dominant_pattern_share=0.25,
                            threshold_exceeded=0)
    store.record_pattern_entropy(other)
    last = store.get_pattern_entropy_history()[-1]
    assert last == PatternEntropyMetrics(datetime(2020, 1, 1), 2.0, 2.0, 1.0,
                                         4, 4, 8, 0.25, False)
    assert type(last.shannon_entropy) is float


def test_history_default_limit(store):
    t = datetime(2026, 1, 1)
    for k in range(52):
        store.record_pattern_entropy(PatternEntropyMetrics(
            t + timedelta(minutes=k), 0.0, 0.0, 0.0, k, 0, 0, 0.0))
    h = store.get_pattern_entropy_history()
    assert [m.unique_pattern_count for m in h] == list(range(51, 1, -1))


def test_history_written_by_python(store, db_path):
    con = connect(db_path)
    try:
        with con:
            con.execute(
                "INSERT INTO pattern_entropy_history (id, calculated_at, "
                "shannon_entropy, max_possible_entropy, diversity_index, "
                "unique_pattern_count, effective_pattern_count, "
                "total_applications, dominant_pattern_share) VALUES "
                "('h1', '2026-02-03T04:05:06', 0.5, 1.0, 0.5, 3, 2, 9, "
                "0.875)")
            con.execute("UPDATE pattern_entropy_history SET "
                        "threshold_exceeded = NULL")
    finally:
        con.close()
    assert store.get_pattern_entropy_history() == [PatternEntropyMetrics(
        datetime(2026, 2, 3, 4, 5, 6), 0.5, 1.0, 0.5, 3, 2, 9, 0.875,
        False)]


def test_trigger_boosts_budget(store):
    before = datetime.now()
    r = store.trigger_entropy_response(JOB_A, 0.1, 0.3)
    after = datetime.now()
    assert isinstance(r, EntropyResponseRecord)
    assert len(r.id) == 36 and r.id[14] == "4"
    assert (r.job_hash, r.entropy_at_trigger, r.threshold_used,
            r.actions_taken, r.budget_boosted, r.quarantine_revisits,
            r.patterns_revisited) \
        == (JOB_A, 0.1, 0.3, ["budget_boost"], True, 0, [])
    assert before <= r.recorded_at <= after and r.recorded_at.tzinfo is None
    # No budget yet: 0.15 + 0.10.
    b = store.get_exploration_budget(JOB_A)
    assert b.budget_value == pytest.approx(0.25, abs=1e-15)
    assert (b.adjustment_type, b.entropy_at_time, b.adjustment_reason) \
        == ("boost", 0.1, "Entropy response: diversity 0.100 < 0.300")
    # Then the latest + 0.10.
    store.trigger_entropy_response(JOB_A, 0.05, 0.25)
    b = store.get_exploration_budget(JOB_A)
    assert b.budget_value == pytest.approx(0.35, abs=1e-15)
    assert b.adjustment_reason == "Entropy response: diversity 0.050 < 0.250"
    # Above the ceiling: clamped, as update_exploration_budget clamps.
    store.update_exploration_budget(JOB_B, 0.45, "decay")
    store.trigger_entropy_response(JOB_B, 0.2, 0.3)
    b = store.get_exploration_budget(JOB_B)
    assert (b.budget_value, b.adjustment_type, b.adjustment_reason) \
        == (0.5, "ceiling_enforced", "Budget 0.550 enforced to ceiling 0.500")
    # The caller's floor, ceiling and boost.
    store.trigger_entropy_response(JOB_B, 0.2, 0.3, budget_ceiling=0.9,
                                   budget_boost_amount=0.3)
    assert store.get_exploration_budget(JOB_B).budget_value \
        == pytest.approx(0.8, abs=1e-15)
    store.update_exploration_budget(JOB_B, 0.05, "decay")
    store.trigger_entropy_response(JOB_B, 0.2, 0.3, budget_floor=0.4)
    b = store.get_exploration_budget(JOB_B)
    assert (b.budget_value, b.adjustment_type) == (0.4, "floor_enforced")
    assert b.adjustment_reason == "Budget 0.150 enforced to floor 0.400"


def test_trigger_revisits_quarantine(store, db_path):
    base = datetime(2026, 5, 1, 12, 0, 0)
    for k, pid in enumerate(("q1", "q2", "q3", "q4", "q5")):
        add_pattern(db_path, pid, "quarantined",
                    (base + timedelta(minutes=k)).isoformat())
    add_pattern(db_path, "pend", "pending",
                (base + timedelta(hours=1)).isoformat())
    add_pattern(db_path, "ok", "validated",
                (base + timedelta(hours=2)).isoformat())
    r = store.trigger_entropy_response(JOB_A, 0.1, 0.3)
    # The 3 latest seen quarantined patterns, latest first.
    assert r.patterns_revisited == ["q5", "q4", "q3"]
    assert r.quarantine_revisits == 3
    assert r.actions_taken == ["budget_boost", "quarantine_revisit"]
    for pid in ("q5", "q4", "q3"):
        assert pattern_status(db_path, pid) == ("pending", REVISIT_REASON)
    for pid in ("q1", "q2"):
        assert pattern_status(db_path, pid) == ("quarantined", None)
    assert pattern_status(db_path, "ok") == ("validated", None)
    assert pattern_status(db_path, "pend") == ("pending", None)
    # The next response finds the other two.
    r = store.trigger_entropy_response(JOB_A, 0.1, 0.3, boost_budget=False)
    assert (r.patterns_revisited, r.quarantine_revisits, r.actions_taken,
            r.budget_boosted) == (["q2", "q1"], 2, ["quarantine_revisit"],
                                  False)
    # None left: no revisit action.
    r = store.trigger_entropy_response(JOB_A, 0.1, 0.3, boost_budget=False)
    assert (r.patterns_revisited, r.quarantine_revisits, r.actions_taken) \
        == ([], 0, [])
    assert store.get_last_entropy_response(JOB_A) == r


def test_trigger_revisit_limits(store, db_path):
    for k in range(4):
        add_pattern(db_path, "q%d" % k, "quarantined",
                    datetime(2026, 1, 1, k).isoformat())
    r = store.trigger_entropy_response(JOB_A, 0.1, 0.3,
                                       max_quarantine_revisits=0)
    assert (r.patterns_revisited, r.actions_taken) == ([], ["budget_boost"])
    r = store.trigger_entropy_response(JOB_A, 0.1, 0.3,
                                       max_quarantine_revisits=1,
                                       revisit_quarantine=False)
    assert r.patterns_revisited == []
    assert pattern_status(db_path, "q3")[0] == "quarantined"
    # A negative limit is SQLite's: all of them.
    r = store.trigger_entropy_response(JOB_A, 0.1, 0.3,
                                       max_quarantine_revisits=-1)
    assert r.patterns_revisited == ["q3", "q2", "q1", "q0"]
    assert r.quarantine_revisits == 4


def test_trigger_config_and_context(store, db_path):
    for k in range(3):
        add_pattern(db_path, "q%d" % k, "quarantined",
                    datetime(2026, 1, 1, k).isoformat())
    cfg = EntropyResponseConfig(boost_budget=False,
                                max_quarantine_revisits=1)
    r = store.trigger_entropy_response(JOB_A, 0.2, 0.4, config=cfg)
    assert (r.actions_taken, r.budget_boosted, r.patterns_revisited) \
        == (["quarantine_revisit"], False, ["q2"])
    assert store.get_exploration_budget() is None
    # Settings given beside the config override it; the config object
    # is left as it was.
    r = store.trigger_entropy_response(JOB_A, 0.2, 0.4, config=cfg,
                                       max_quarantine_revisits=2,
                                       boost_budget=True)
    assert (r.actions_taken, r.patterns_revisited) \
        == (["budget_boost", "quarantine_revisit"], ["q1", "q0"])
    assert (cfg.boost_budget, cfg.max_quarantine_revisits) == (False, 1)
    # The trigger takes the place of the first three arguments; any
    # object with the attributes does, for both.
    ctx = EntropyTriggerContext(JOB_B, 0.05, 0.2)
    r = store.trigger_entropy_response(JOB_A, 0.9, 0.9, trigger=ctx)
    assert (r.job_hash, r.entropy_at_trigger, r.threshold_used) \
        == (JOB_B, 0.05, 0.2)
    assert store.get_exploration_budget(JOB_B).adjustment_reason \
        == "Entropy response: diversity 0.050 < 0.200"
    mine = SimpleNamespace(boost_budget=True, revisit_quarantine=False,
                           max_quarantine_revisits=3, budget_floor=0.05,
                           budget_ceiling=0.5, budget_boost_amount=0.2)
    r = store.trigger_entropy_response(
        trigger=SimpleNamespace(job_hash="j", entropy_at_trigger=0,
                                threshold_used=1), config=mine)
    assert (r.job_hash, r.entropy_at_trigger, r.threshold_used,
            r.actions_taken) == ("j", 0.0, 1.0, ["budget_boost"])
    assert store.get_exploration_budget("j").budget_value \
        == pytest.approx(0.35, abs=1e-15)


def test_trigger_defaults_and_refused(store, db_path):
    # Every default: job "", entropy and threshold 0.
    r = store.trigger_entropy_response()
    assert (r.job_hash, r.entropy_at_trigger, r.threshold_used,
            r.actions_taken) == ("", 0.0, 0.0, ["budget_boost"])
    assert store.get_exploration_budget("").adjustment_reason \
        == "Entropy response: diversity 0.000 < 0.000"
    # No job at all: refused, nothing written (no pattern revisited).
    add_pattern(db_path, "q", "quarantined")
    with pytest.raises(StoreError):
        store.trigger_entropy_response(None, 0.1, 0.3)
    with pytest.raises(StoreError):
        store.trigger_entropy_response(None, 0.1, 0.3, boost_budget=False)
    assert count(db_path, "entropy_responses") == 1
    assert count(db_path, "exploration_budget") == 1
    assert pattern_status(db_path, "q") == ("quarantined", None)


def test_cooldown(store, db_path):
    add_pattern(db_path, "a", apps=3)
    add_pattern(db_path, "b", apps=1)
    r = store.trigger_entropy_response(JOB_A, 0.1, 0.3)
    assert store.check_entropy_response_needed(JOB_A) \
        == (False, None, "Cooldown active (3600s remaining)")
    # Another job's response does not cool this one; None and "" see
    # every job's.
    assert store.check_entropy_response_needed(JOB_B)[2] \
        == "Entropy 0.811 >= threshold 0.300 (healthy)"
    assert store.check_entropy_response_needed(None)[2] \
        == "Cooldown active (3600s remaining)"
    assert store.check_entropy_response_needed("")[0:2] == (False, None)
    # Half an hour ago: 1800 s left.
    set_response_time(db_path, r.id, datetime.now() - timedelta(minutes=30))
    assert store.check_entropy_response_needed(JOB_A) \
        == (False, None, "Cooldown active (1800s remaining)")
    assert store.check_entropy_response_needed(JOB_A, 0.9, 7200)[2] \
        == "Cooldown active (5400s remaining)"
    # A cooldown shorter than the time since: the entropy decides.
    assert store.check_entropy_response_needed(JOB_A, 0.9, 1000)[2] \
        == "Entropy 0.811 < threshold 0.900"
    assert store.check_entropy_response_needed(JOB_A, 0.9, 0)[0] is True
    assert store.check_entropy_response_needed(JOB_A, 0.9, -5)[0] is True


def test_response_history(store, db_path):
    base = datetime(2026, 6, 1, 8, 0, 0)
    ids = {}
    for k, job in enumerate((JOB_A, JOB_B, JOB_A, JOB_A)):
        r = store.trigger_entropy_response(job, 0.1 * (k + 1), 0.5,
                                           boost_budget=False)
        set_response_time(db_path, r.id, base + timedelta(minutes=k))
        ids[k] = r.id
    h = store.get_entropy_response_history()
    assert [r.id for r in h] == [ids[3], ids[2], ids[1], ids[0]]
    assert all(isinstance(r, EntropyResponseRecord) for r in h)
    assert h[0].recorded_at == base + timedelta(minutes=3)
    assert [r.id for r in store.get_entropy_response_history(JOB_A)] \
        == [ids[3], ids[2], ids[0]]
    assert [r.id for r in store.get_entropy_response_history("", 2)] \
        == [ids[3], ids[2]]
    assert store.get_entropy_response_history(JOB_A, 0) == []
    assert len(store.get_entropy_response_history(JOB_A, -1)) == 3
    assert store.get_entropy_response_history("nobody") == []
    assert store.get_last_entropy_response().id == ids[3]
    assert store.get_last_entropy_response("").id == ids[3]
    assert store.get_last_entropy_response(JOB_B).id == ids[1]
    assert store.get_last_entropy_response(JOB_B) \
        == store.get_entropy_response_history(JOB_B)[0]
    assert store.get_last_entropy_response("nobody") is None


def test_response_history_default_limit(store):
    for _ in range(52):
        store.trigger_entropy_response(JOB_A, 0.1, 0.3, boost_budget=False,
                                       revisit_quarantine=False)
    assert len(store.get_entropy_response_history()) == 50
    assert len(store.get_entropy_response_history(limit=-1)) == 52


def test_responses_written_by_python(store, db_path):
    """Rows as the Python store writes them, and with the NULLs a row of
    another writer may hold, read as its records read them."""
    con = connect(db_path)
    try:
        with con:
            con.execute(
                "INSERT INTO entropy_responses (id, job_hash, recorded_at, "
                "entropy_at_trigger, threshold_used, actions_taken, "
                "budget_boosted, quarantine_revisits, patterns_revisited) "
                "VALUES ('r1', 'jh', '2026-07-01T00:00:00.000001', 0.2, 0.3,"
                " '[\"budget_boost\", \"quarantine_revisit\"]', 1, 2, "
                "'[\"p1\", \"p2\"]')")
            con.execute(
                "INSERT INTO entropy_responses (id, job_hash, recorded_at, "
                "entropy_at_trigger, threshold_used, actions_taken) VALUES "
                "('r2', 'jh', '2026-07-02T00:00:00', 0.4, 0.5, '[]')")
            con.execute("UPDATE entropy_responses SET budget_boosted = NULL,"
                        " patterns_revisited = '' WHERE id = 'r2'")
    finally:
        con.close()
    r2, r1 = store.get_entropy_response_history("jh")
    assert r1 == EntropyResponseRecord(
        "r1", "jh", datetime(2026, 7, 1, 0, 0, 0, 1), 0.2, 0.3,
        ["budget_boost", "quarantine_revisit"], True, 2, ["p1", "p2"])
    assert r2 == EntropyResponseRecord(
        "r2", "jh", datetime(2026, 7, 2), 0.4, 0.5, [], False, 0, [])
    assert store.get_last_entropy_response("jh") == r2
    s = store.get_entropy_response_statistics("jh")
    assert s == {"total_responses": 2,
                 "avg_entropy_at_trigger": pytest.approx(0.3, abs=1e-15),
                 "budget_boosts": 1, "quarantine_revisits": 2,
                 "last_response": "2026-07-02T00:00:00"}


def test_response_statistics(store, db_path):
    for k in range(2):
        add_pattern(db_path, "q%d" % k, "quarantined",
                    datetime(2026, 1, 1, k).isoformat())
    base = datetime(2026, 8, 1, 9, 30, 0, 250000)
    rs = [store.trigger_entropy_response(JOB_A, 0.1, 0.3),
          store.trigger_entropy_response(JOB_A, 0.2, 0.3,
                                         boost_budget=False),
          store.trigger_entropy_response(JOB_B, 0.3, 0.3)]
    for k, r in enumerate(rs):
        set_response_time(db_path, r.id, base + timedelta(seconds=k))
    # Entropies 0.1, 0.2 (job A) and 0.3 (job B); boosts: the first and
    # the third; revisits: 2 by the first, then none left.
    s = store.get_entropy_response_statistics()
    assert s == {"total_responses": 3,
                 "avg_entropy_at_trigger": pytest.approx(0.2, abs=1e-15),
                 "budget_boosts": 2, "quarantine_revisits": 2,
                 "last_response": "2026-08-01T09:30:02.250000"}
    assert store.get_entropy_response_statistics("") == s
    s = store.get_entropy_response_statistics(JOB_A)
    assert s == {"total_responses": 2,
                 "avg_entropy_at_trigger": pytest.approx(0.15, abs=1e-15),
                 "budget_boosts": 1, "quarantine_revisits": 2,
                 "last_response": "2026-08-01T09:30:01.250000"}
    assert type(s["budget_boosts"]) is int
    assert type(s["avg_entropy_at_trigger"]) is float
    assert store.get_entropy_response_statistics("nobody") == EMPTY_STATS


def test_shared_with_cli(store, db_path, cli):
    """Patterns the learnstore command records and quarantines are what
    the package measures and revisits; `learnstore entropy` agrees with
    the package on the entropy, the need for a response and the history
    either of them recorded."""
    a = cli.run("record-pattern", "--type", "retry", "--name", "alpha")["id"]
    b = cli.run("record-pattern", "--type", "retry", "--name", "beta")["id"]
    con = connect(db_path)
    try:
        with con:
            for pid, n in ((a, 3), (b, 1)):
                for _ in range(n):
                    con.execute(
                        "INSERT INTO pattern_applications (id, pattern_id, "
                        "applied_at, pattern_led_to_success) VALUES (?, ?, "
                        "?, 1)", (str(uuid.uuid4()), pid,
                                  datetime.now().isoformat()))
    finally:
        con.close()
    m = store.calculate_pattern_entropy()
    theirs = cli.run("entropy", "--threshold", "0.9", "--job", "entropy-a",
                     "--record")
    cur = theirs["current"]
    for k in ("shannon_entropy", "max_possible_entropy", "diversity_index",
              "unique_pattern_count", "effective_pattern_count",
              "total_applications", "dominant_pattern_share"):
        assert cur[k] == getattr(m, k), k
    assert (m.unique_pattern_count, m.total_applications) == (2, 4)
    needed, entropy, reason = store.check_entropy_response_needed(JOB_A, 0.9)
    assert (theirs["response_needed"], theirs["entropy"], theirs["reason"]) \
        == (needed, entropy, reason) \
        == (True, m.diversity_index, "Entropy 0.811 < threshold 0.900")
    # The snapshot the command recorded (below the threshold: exceeded).
    [h] = store.get_pattern_entropy_history()
    assert h.threshold_exceeded is True
    assert h.calculated_at.isoformat() == cur["calculated_at"]
    assert h.diversity_index == m.diversity_index
    # One the package records, the command lists first.
    m.threshold_exceeded = False
    m.calculated_at = h.calculated_at + timedelta(seconds=1)
    store.record_pattern_entropy(m)
    first = cli.run("entropy", "--history", "5")["history"][0]
    assert first["calculated_at"] == m.calculated_at.isoformat()
    assert first["threshold_exceeded"] is False
    # A pattern the command quarantined is revisited by a response.
    cli.run("quarantine", b, "--reason", "flaky")
    r = store.trigger_entropy_response(JOB_A, entropy, 0.9)
    assert r.patterns_revisited == [b]
    assert cli.run("pattern", b)["quarantine_status"] == "pending"
    assert store.check_entropy_response_needed(JOB_A, 0.9)[2] \
        == "Cooldown active (3600s remaining)"
    # The command takes the job's name (its hash is JOB_A); it runs a
    # moment later, so a second or so may have gone.
    reason = cli.run("entropy", "--job", "entropy-a")["reason"]
    m = re.fullmatch(r"Cooldown active \((\d+)s remaining\)", reason)
    assert m and 3590 <= int(m.group(1)) <= 3600, reason
