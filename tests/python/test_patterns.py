"""Patterns in the learnstore package: recording sightings and
applications, the scores, soft deletion, the filtered listing, one
pattern and its provenance, with values worked out by hand from the
Python store's documented behaviour."""

import hashlib
import json
import re
import sqlite3
from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest

from learnstore import GlobalLearningStore
from learnstore.models import PatternProvenance, PatternRecord, \
    QuarantineStatus
from stored import rows

UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}"
                   r"-[0-9a-f]{12}$")
T0 = "2026-01-01T12:00:00"


def sha(s, n):
    return hashlib.sha256(s.encode()).hexdigest()[:n]


def pattern_id(ptype, normalised):
    """16 hex digits of SHA-256 of "type:normalised name"."""
    return sha("%s:%s" % (ptype, normalised), 16)


def content_hash(ptype, normalised, description):
    return sha("%s:%s:%s" % (ptype, normalised, description or ""), 32)


def row(db_path, pid):
    [r] = rows(db_path, "SELECT * FROM patterns WHERE id = ?", pid)
    return r


def execute(db_path, sql, *args):
    con = sqlite3.connect(db_path)
    try:
        with con:
            con.execute(sql, args)
    finally:
        con.close()


def insert_pattern(db_path, pid, **kw):
    """A pattern row as the Python store writes one, kw in place of the
    usual values (None for NULL)."""
    r = {"id": pid, "pattern_type": "a", "pattern_name": "name " + pid,
         "description": None, "occurrence_count": 1, "first_seen": T0,
         "last_seen": T0, "last_confirmed": T0, "led_to_success_count": 0,
         "led_to_failure_count": 0, "effectiveness_score": 0.5,
         "variance": 0.0, "suggested_action": None, "context_tags": "[]",
         "priority_score": 0.5, "quarantine_status": "pending",
         "provenance_job_hash": None, "provenance_sheet_num": None,
         "quarantined_at": None, "validated_at": None,
         "quarantine_reason": None, "trust_score": 0.5,
         "trust_calculation_date": T0, "active": 1, "content_hash": None,
         "instrument_name": None}
    r.update(kw)
    GlobalLearningStore(db_path).close()
    execute(db_path, "INSERT INTO patterns (%s) VALUES (%s)"
            % (", ".join(r), ", ".join("?" * len(r))), *r.values())


def ids(records):
    return [r.id for r in records]


# ---- record_pattern -----------------------------------------------------

def test_record_new_pattern(store, db_path):
    before = datetime.now()
    pid = store.record_pattern(
        "validation_failure", "  File   NOT\tCreated ", "the file is missing",
        ["x", "y"], "create it", provenance_job_hash="jh",
        provenance_sheet_num=4, instrument_name="claude")
    after = datetime.now()
    assert pid == pattern_id("validation_failure", "file not created")
    assert type(pid) is str and len(pid) == 16
    p = store.get_pattern_by_id(pid)
    assert type(p) is PatternRecord
    assert before <= p.first_seen <= after
    assert p.first_seen == p.last_seen == p.last_confirmed \
        == p.trust_calculation_date
    assert p == PatternRecord(
        id=pid, pattern_type="validation_failure",
        pattern_name="  File   NOT\tCreated ",
        description="the file is missing", occurrence_count=1,
        first_seen=p.first_seen, last_seen=p.first_seen,
        last_confirmed=p.first_seen, led_to_success_count=0,
        led_to_failure_count=0, effectiveness_score=0.5, variance=0.0,
        suggested_action="create it", context_tags=["x", "y"],
        priority_score=0.5, quarantine_status=QuarantineStatus.PENDING,
        provenance_job_hash="jh", provenance_sheet_num=4,
        trust_score=0.5, trust_calculation_date=p.first_seen,
        active=True,
        content_hash=content_hash("validation_failure", "file not created",
                                  "the file is missing"),
        instrument_name="claude")
    assert row(db_path, pid)["context_tags"] == '["x", "y"]'


def test_pattern_ids_of_ascii(store):
    """Every ASCII character, between letters and around white space,
    gets the id Python's own str.lower() and str.split() give (the C
    library lowers and splits ASCII without its Unicode tables; Python
    counts \\x1c to \\x1f as white space)."""
    with store.batch_connection():
        for c in map(chr, range(1, 128)):
            for name in ("a%sB" % c, " %s Z\x1f" % c, c + c, "Q" + c):
                want = pattern_id("t", " ".join(name.lower().split()))
                assert store.record_pattern("t", name) == want, repr(name)


def test_record_pattern_again(store, db_path):
    """A second sighting: one more occurrence, seen now, tags replaced,
    description and action kept when not given, the content hash of the
    description given; provenance and instrument stay the first's."""
    pid = store.record_pattern("t", "Name", "d1", ["x"], "act",
                               provenance_job_hash="j1",
                               provenance_sheet_num=1, instrument_name="i1")
    first = store.get_pattern_by_id(pid)
    assert store.record_pattern("t", "NAME", None, None, None,
                                provenance_job_hash="j2",
                                provenance_sheet_num=2,
                                instrument_name="i2") == pid
    p = store.get_pattern_by_id(pid)
    assert (p.occurrence_count, p.description, p.suggested_action,
            p.context_tags, p.pattern_name, p.provenance_job_hash,
            p.provenance_sheet_num, p.instrument_name, p.first_seen) \
        == (2, "d1", "act", [], "Name", "j1", 1, "i1", first.first_seen)
    assert p.last_seen >= first.last_seen
    assert p.content_hash == content_hash("t", "name", None)
    assert store.record_pattern("t", "name", "d2", ["z"], "act2") == pid
    p = store.get_pattern_by_id(pid)
    assert (p.occurrence_count, p.description, p.suggested_action,
            p.context_tags, p.content_hash) \
        == (3, "d2", "act2", ["z"], content_hash("t", "name", "d2"))
    assert len(rows(db_path, "SELECT id FROM patterns")) == 1


def test_record_pattern_provenance(store):
    """provenance's job_hash and sheet_num take the place of the separate
    arguments, even when they are None; any object with them passes."""
    a = store.record_pattern("t", "a", provenance=PatternProvenance("jh", 2),
                             provenance_job_hash="other",
                             provenance_sheet_num=9)
    b = store.record_pattern("t", "b", provenance=SimpleNamespace(
        job_hash=None, sheet_num=None), provenance_job_hash="other",
        provenance_sheet_num=9)
    c = store.record_pattern("t", "c", provenance=SimpleNamespace(
        job_hash="js", sheet_num=0))
    got = [(p.provenance_job_hash, p.provenance_sheet_num)
           for p in map(store.get_pattern_by_id, (a, b, c))]
    assert got == [("jh", 2), (None, None), ("js", 0)]
    assert PatternProvenance() == PatternProvenance(None, None)


def test_record_pattern_merges_by_content_hash(store, db_path):
    """A sighting whose id is not stored but whose content hash is goes to
    that pattern (the highest priority one), reactivating it."""
    h = content_hash("t", "merged name", "same")
    insert_pattern(db_path, "legacy-low", content_hash=h, priority_score=0.2,
                   occurrence_count=5, active=0, instrument_name="old")
    insert_pattern(db_path, "legacy-high", content_hash=h,
                   priority_score=0.8, occurrence_count=7, active=0,
                   instrument_name="old")
    got = store.record_pattern("t", "Merged  Name", "same",
                               instrument_name="new")
    assert got == "legacy-high"
    high = row(db_path, "legacy-high")
    assert (high["occurrence_count"], high["active"], high["instrument_name"],
            high["pattern_name"]) == (8, 1, "old", "name legacy-high")
    assert high["last_seen"] > T0
    assert row(db_path, "legacy-low")["occurrence_count"] == 5
    assert store.get_pattern_by_id(pattern_id("t", "merged name")) is None
    # Another description is another content: a new pattern.
    other = store.record_pattern("t", "merged name", "different")
    assert other == pattern_id("t", "merged name")
    assert len(rows(db_path, "SELECT id FROM patterns")) == 3


def test_record_pattern_reactivates(store):
    pid = store.record_pattern("t", "n")
    assert store.soft_delete_pattern(pid) is True
    assert store.get_pattern_by_id(pid).active is False
    assert store.record_pattern("t", "n") == pid
    p = store.get_pattern_by_id(pid)
    assert (p.active, p.occurrence_count) == (True, 2)


# ---- applications and scores --------------------------------------------

def test_application_of_unknown_pattern(store, db_path):
    """The id of an application is returned, but nothing is written."""
    a = store.record_pattern_application("no-such", "e1", True)
    b = store.record_pattern_application(None, "e1", False)
    assert UUID4.match(a) and UUID4.match(b) and a != b
    assert rows(db_path, "SELECT * FROM pattern_applications") == []


def test_application_counts_and_scores(store, db_path):
    pid = store.record_pattern("t", "n")
    before = datetime.now()
    aid = store.record_pattern_application(pid, "e1", True, 1, 0)
    assert UUID4.match(aid)
    [app] = rows(db_path, "SELECT * FROM pattern_applications")
    applied = datetime.fromisoformat(app.pop("applied_at"))
    assert applied >= before
    assert app == {"id": aid, "pattern_id": pid, "execution_id": "e1",
                   "pattern_led_to_success": 1, "retry_count_before": 1,
                   "retry_count_after": 0, "grounding_confidence": None}
    p = store.get_pattern_by_id(pid)
    # Fewer than 3 applications: 0.55; priority 0.55 * max(0.6,
    # log10(2) / 2) * (1 - 0).
    assert (p.led_to_success_count, p.led_to_failure_count) == (1, 0)
    assert p.effectiveness_score == 0.55
    assert p.priority_score == pytest.approx(0.33)
    assert p.last_confirmed >= before
    confirmed = p.last_confirmed
    store.record_pattern_application(pid, "e2", True)
    store.record_pattern_application(pid, "e3", False,
                                     application_mode="exploration",
                                     validation_passed=False)
    p = store.get_pattern_by_id(pid)
    assert (p.led_to_success_count, p.led_to_failure_count) == (2, 1)
    assert p.last_confirmed > confirmed
    # hist (2 + 0.5) / 4, recent 2 / 3, no grounding (weight 1), 0 days:
    # 0.7 * 2/3 + 0.3 * 0.625.
    eff = 0.7 * 2 / 3 + 0.3 * 0.625
    assert p.effectiveness_score == pytest.approx(eff)
    assert p.priority_score == pytest.approx(eff * 0.6)


def test_application_grounding(store, db_path):
    """The mean of the recent grounding given (0.2, 0.8: 0.5) weighs
    0.7 + 0.3 * 0.5 = 0.85."""
    pid = store.record_pattern("t", "n")
    store.record_pattern_application(pid, "e1", True,
                                     grounding_confidence=0.2)
    store.record_pattern_application(pid, "e2", True,
                                     grounding_confidence=0.8)
    store.record_pattern_application(pid, "e3", False)
    p = store.get_pattern_by_id(pid)
    eff = (0.7 * 2 / 3 + 0.3 * 0.625) * 0.85
    assert p.effectiveness_score == pytest.approx(eff)
    got = sorted(r["grounding_confidence"] or 0 for r in rows(
        db_path, "SELECT grounding_confidence FROM pattern_applications"))
    assert got == [0, 0.2, 0.8]


def test_update_effectiveness_decay(store, db_path):
    """60 days since confirmed: * 0.9 ** 2; 99 occurrences: frequency
    log10(100) / 2 = 1; variance 0.2: priority * 0.8."""
    pid = store.record_pattern("t", "n")
    for ok in (True, True, False):
        store.record_pattern_application(pid, "e", ok)
    old = (datetime.now() - timedelta(days=60, hours=1)).isoformat()
    execute(db_path, "UPDATE patterns SET last_confirmed = ?, "
            "occurrence_count = 99, variance = 0.2 WHERE id = ?", old, pid)
    eff = store.update_pattern_effectiveness(pid)
    want = (0.7 * 2 / 3 + 0.3 * 0.625) * 0.81
    assert type(eff) is float and eff == pytest.approx(want)
    r = row(db_path, pid)
    assert r["effectiveness_score"] == eff
    assert r["priority_score"] == pytest.approx(want * 0.8)
    assert r["last_confirmed"] == old


def test_update_effectiveness_last_five(db_path):
    """Six applications, oldest first F F S S S S: the last five hold 4
    successes (0.8); hist (4 + 0.5) / 7."""
    insert_pattern(db_path, "p", led_to_success_count=4,
                   led_to_failure_count=2,
                   last_confirmed=datetime.now().isoformat())
    con = sqlite3.connect(db_path)
    try:
        with con:
            for i, ok in enumerate((0, 0, 1, 1, 1, 1)):
                con.execute(
                    "INSERT INTO pattern_applications (id, pattern_id, "
                    "execution_id, applied_at, pattern_led_to_success, "
                    "retry_count_before, retry_count_after) "
                    "VALUES (?, 'p', 'e', ?, ?, 0, 0)",
                    ("a%d" % i, "2026-01-01T00:00:0%d" % i, ok))
    finally:
        con.close()
    s = GlobalLearningStore(db_path)
    try:
        eff = s.update_pattern_effectiveness("p")
        assert eff == pytest.approx(0.7 * 0.8 + 0.3 * 4.5 / 7)
    finally:
        s.close()


def test_update_effectiveness_edges(store, db_path):
    assert store.update_pattern_effectiveness("no-such") is None
    assert store.update_pattern_effectiveness(None) is None
    pid = store.record_pattern("t", "n")
    assert store.update_pattern_effectiveness(pid) == 0.55
    assert row(db_path, pid)["priority_score"] == pytest.approx(0.33)
    # Counts kept by another program without application rows: recent is
    # hist, (3 + 0.5) / 5 = 0.7.
    insert_pattern(db_path, "q", led_to_success_count=3,
                   led_to_failure_count=1,
                   last_confirmed=datetime.now().isoformat())
    assert store.update_pattern_effectiveness("q") == pytest.approx(0.7)


def test_recalculate_all_pattern_priorities(store, db_path):
    assert store.recalculate_all_pattern_priorities() == 0
    a = store.record_pattern("t", "a")
    b = store.record_pattern("t", "b")
    insert_pattern(db_path, "q", led_to_success_count=3,
                   led_to_failure_count=1, occurrence_count=9,
                   last_confirmed=datetime.now().isoformat())
    n = store.recalculate_all_pattern_priorities()
    assert type(n) is int and n == 3
    for pid in (a, b):
        r = row(db_path, pid)
        assert (r["effectiveness_score"], r["priority_score"]) \
            == (0.55, pytest.approx(0.33))
    r = row(db_path, "q")
    # 9 occurrences: frequency max(0.6, log10(10) / 2) = 0.6.
    assert r["effectiveness_score"] == pytest.approx(0.7)
    assert r["priority_score"] == pytest.approx(0.42)


def test_soft_delete_pattern(store, db_path):
    pid = store.record_pattern("t", "n")
    assert store.soft_delete_pattern("no-such") is False
    assert store.soft_delete_pattern(None) is False
    assert store.soft_delete_pattern(pid) is True
    assert store.soft_delete_pattern(pid) is False
    assert row(db_path, pid)["active"] == 0
    assert store.get_patterns() == []
    assert ids(store.get_patterns(include_inactive=True)) == [pid]
    # A row from before soft deletion (active NULL) counts as active.
    insert_pattern(db_path, "legacy", active=None)
    assert store.soft_delete_pattern("legacy") is True
    assert row(db_path, "legacy")["active"] == 0


# ---- get_patterns -------------------------------------------------------

def filtered_store(db_path):
    """p1..p6 (see below) and a store on them."""
    insert_pattern(db_path, "p1", pattern_type="a", priority_score=0.9,
                   context_tags='["x", "y"]', quarantine_status="validated",
                   trust_score=0.9, instrument_name="claude")
    insert_pattern(db_path, "p2", pattern_type="b", priority_score=0.8,
                   context_tags='["z"]', quarantine_status="quarantined",
                   trust_score=0.2)
    insert_pattern(db_path, "p3", pattern_type="a", priority_score=0.7,
                   quarantine_status="pending", trust_score=0.5,
                   instrument_name="codex")
    insert_pattern(db_path, "p4", pattern_type="a", priority_score=0.6,
                   context_tags='["y"]', trust_score=0.7, active=0)
    insert_pattern(db_path, "p5", pattern_type="b", priority_score=0.005,
                   context_tags='["x"]')
    # A row older versions left: no tags, status, trust or active flag.
    insert_pattern(db_path, "p6", pattern_type="c", priority_score=0.4,
                   context_tags=None, quarantine_status=None,
                   trust_score=None, active=None, instrument_name="claude")
    return GlobalLearningStore(db_path)


def test_get_patterns_filters(db_path):
    s = filtered_store(db_path)
    try:
        g = lambda **kw: ids(s.get_patterns(**kw))     # noqa: E731
        assert g() == ["p1", "p2", "p3", "p6"]
        assert g(min_priority=0) == ["p1", "p2", "p3", "p6", "p5"]
        assert g(min_priority=0.7) == ["p1", "p2", "p3"]
        assert g(pattern_type="a") == ["p1", "p3"]
        assert g(pattern_type="") == g()
        assert g(context_tags=["y"]) == ["p1"]
        assert g(context_tags=["x", "z"]) == ["p1", "p2"]
        assert g(context_tags=["x"], min_priority=0) == ["p1", "p5"]
        assert g(context_tags=[]) == g()
        assert g(context_tags=["nope"]) == []
        assert g(quarantine_status=QuarantineStatus.VALIDATED) == ["p1"]
        assert g(quarantine_status=QuarantineStatus.PENDING) == ["p3"]
        assert g(quarantine_status=QuarantineStatus.RETIRED) == []
        # A status given wins over exclude_quarantined.
        assert g(quarantine_status=QuarantineStatus.QUARANTINED,
                 exclude_quarantined=True) == ["p2"]
        # NULL != 'quarantined' is not true in SQL: p6 goes too.
        assert g(exclude_quarantined=True) == ["p1", "p3"]
        assert g(min_trust=0.5) == ["p1", "p3"]
        assert g(max_trust=0.5) == ["p2", "p3"]
        assert g(min_trust=0.3, max_trust=0.6) == ["p3"]
        assert g(min_trust=0.0) == ["p1", "p2", "p3"]
        assert g(include_inactive=True) == ["p1", "p2", "p3", "p4", "p6"]
        assert g(instrument_name="claude") == ["p1", "p2", "p6"]
        assert g(instrument_name="claude", include_universal=False) \
            == ["p1", "p6"]
        assert g(include_universal=False) == g()
        assert g(instrument_name="") == ["p2"]
        assert g(instrument_name="", include_universal=False) == []
        assert g(pattern_type="a", include_inactive=True,
                 context_tags=["y"]) == ["p1", "p4"]
    finally:
        s.close()


def test_get_patterns_limits(db_path):
    s = filtered_store(db_path)
    try:
        assert ids(s.get_patterns(limit=2)) == ["p1", "p2"]
        assert s.get_patterns(limit=0) == []
        assert ids(s.get_patterns(limit=-1)) == ["p1", "p2", "p3", "p6"]
        assert ids(s.get_patterns(None, 0.0, 1)) == ["p1"]
    finally:
        s.close()
    s = GlobalLearningStore(db_path)
    try:
        for i in range(25):
            s.record_pattern("many", "n%d" % i)
        assert len(s.get_patterns(pattern_type="many")) == 20
        assert len(s.get_patterns(pattern_type="many", limit=-1)) == 25
    finally:
        s.close()


def test_get_patterns_records(db_path):
    s = filtered_store(db_path)
    try:
        got = {p.id: p for p in s.get_patterns()}
    finally:
        s.close()
    assert all(type(p) is PatternRecord for p in got.values())
    p6 = got["p6"]
    assert (p6.quarantine_status, p6.trust_score, p6.active,
            p6.context_tags) == (QuarantineStatus.PENDING, 0.5, True, [])
    p1 = got["p1"]
    assert (p1.quarantine_status, p1.context_tags, p1.trust_score,
            p1.instrument_name, p1.first_seen) \
        == (QuarantineStatus.VALIDATED, ["x", "y"], 0.9, "claude",
            datetime.fromisoformat(T0))
    assert type(p1.occurrence_count) is int
    assert type(p1.priority_score) is float


def test_get_patterns_empty_store(store):
    assert store.get_patterns() == []
    assert store.get_patterns("t", 0, -1, ["x"],
                              QuarantineStatus.PENDING, True, 0, 1, True,
                              "i", False) == []


# ---- one pattern and its provenance -------------------------------------

def test_get_pattern_by_id(store, db_path):
    assert store.get_pattern_by_id("no-such") is None
    assert store.get_pattern_by_id(None) is None
    insert_pattern(db_path, "odd", trust_score=1.7, effectiveness_score=-0.2,
                   variance=-1.0, priority_score=-3.0,
                   quarantine_status="", active=0,
                   success_factors=json.dumps({"retry_iteration": 2}),
                   success_factors_updated_at=T0,
                   context_tags='["\\u00e9"]')
    p = store.get_pattern_by_id("odd")
    assert (p.trust_score, p.effectiveness_score, p.variance,
            p.priority_score, p.quarantine_status, p.active,
            p.context_tags) \
        == (1.0, 0.0, 0.0, 0.0, QuarantineStatus.PENDING, False, ["\u00e9"])
    assert p.success_factors.retry_iteration == 2
    assert p.success_factors.success_rate == 1.0
    assert p.success_factors_updated_at == datetime.fromisoformat(T0)
    # Not listed (priority below the minimum, inactive), still found.
    assert store.get_patterns(include_inactive=True) == []


def test_get_pattern_provenance(store, db_path):
    assert store.get_pattern_provenance("no-such") is None
    assert store.get_pattern_provenance(None) is None
    insert_pattern(db_path, "p", pattern_name="Some Pattern",
                   first_seen="2026-01-01T12:00:00.000000",
                   last_seen="2026-01-02T08:30:00.250000",
                   last_confirmed="2026-01-03 00:00",
                   provenance_job_hash="jh", provenance_sheet_num=4,
                   quarantine_status="validated",
                   validated_at="2026-01-04T10:00:00",
                   trust_score=0.9,
                   trust_calculation_date="2026-01-05T00:00:00+00:00")
    assert store.get_pattern_provenance("p") == {
        "pattern_id": "p",
        "pattern_name": "Some Pattern",
        "quarantine_status": "validated",
        "first_seen": "2026-01-01T12:00:00",
        "last_seen": "2026-01-02T08:30:00.250000",
        "last_confirmed": "2026-01-03T00:00:00",
        "provenance_job_hash": "jh",
        "provenance_sheet_num": 4,
        "quarantined_at": None,
        "validated_at": "2026-01-04T10:00:00",
        "quarantine_reason": None,
        "trust_score": 0.9,
        "trust_calculation_date": "2026-01-05T00:00:00+00:00",
    }
    insert_pattern(db_path, "q", quarantine_status=None, trust_score=7.0,
                   quarantined_at="2026-02-01T01:02:03",
                   quarantine_reason="flaky")
    got = store.get_pattern_provenance("q")
    assert (got["quarantine_status"], got["trust_score"],
            got["quarantined_at"], got["quarantine_reason"],
            got["provenance_sheet_num"]) \
        == ("pending", 1.0, "2026-02-01T01:02:03", "flaky", None)


def test_pattern_without_times(store, db_path):
    """A row another program left without its times reads with None
    there, in the record and the provenance."""
    insert_pattern(db_path, "bare", first_seen=None, last_seen="",
                   last_confirmed=None, trust_calculation_date=None,
                   quarantined_at="", validated_at="")
    p = store.get_pattern_by_id("bare")
    assert (p.first_seen, p.last_seen, p.last_confirmed,
            p.trust_calculation_date) == (None, None, None, None)
    assert ids(store.get_patterns()) == ["bare"]
    got = store.get_pattern_provenance("bare")
    assert (got["first_seen"], got["last_seen"], got["last_confirmed"],
            got["quarantined_at"], got["validated_at"],
            got["trust_calculation_date"]) == (None,) * 6
    # Rescoring without a confirmation time counts 0 days.
    execute(db_path, "UPDATE patterns SET led_to_success_count = 3 "
            "WHERE id = 'bare'")
    assert store.update_pattern_effectiveness("bare") \
        == pytest.approx(0.7 * 3.5 / 4 + 0.3 * 3.5 / 4)


def test_provenance_of_recorded_pattern(store):
    pid = store.record_pattern("t", "n", provenance=PatternProvenance("j", 0))
    p = store.get_pattern_by_id(pid)
    got = store.get_pattern_provenance(pid)
    assert got["first_seen"] == p.first_seen.isoformat()
    assert (got["provenance_job_hash"], got["provenance_sheet_num"],
            got["quarantine_status"], got["trust_score"]) \
        == ("j", 0, "pending", 0.5)
    assert type(got["trust_score"]) is float


# ---- files shared with the learnstore command ---------------------------

def test_cli_records_pattern(db_path, cli):
    """A pattern `learnstore record-pattern` records is the one the
    package finds, under the same id."""
    got = cli.run("record-pattern", "--type", "validation_failure",
                  "--name", "File Not Created", "--description", "d",
                  "--action", "create it", "--tag", "x", "--tag", "y",
                  "--instrument", "claude")
    pid = got["id"]
    assert pid == pattern_id("validation_failure", "file not created")
    s = GlobalLearningStore(db_path)
    try:
        assert s.record_pattern("validation_failure", "file not  created",
                                "d") == pid
        p = s.get_pattern_by_id(pid)
        assert (p.occurrence_count, p.description, p.suggested_action,
                p.context_tags, p.instrument_name) \
            == (2, "d", "create it", [], "claude")
        assert ids(s.get_patterns(context_tags=["x"])) == []
    finally:
        s.close()


def test_cli_lists_recorded_patterns(db_path, cli):
    """Patterns the package records, applies and soft-deletes are listed
    by `learnstore patterns` and `learnstore pattern` as the package
    lists them."""
    s = GlobalLearningStore(db_path)
    try:
        a = s.record_pattern("t", "a", context_tags=["x"])
        b = s.record_pattern("t", "b", instrument_name="i")
        c = s.record_pattern("u", "c")
        for ok in (True, True, False):
            s.record_pattern_application(a, "e", ok)
        s.soft_delete_pattern(c)
        ours = s.get_patterns()
        ours_all = s.get_patterns(include_inactive=True)
        one = s.get_pattern_by_id(a)
    finally:
        s.close()
    assert ids(ours) == [b, a]
    theirs = cli.run("patterns")
    assert [p["id"] for p in theirs] == ids(ours)
    assert [p["id"] for p in cli.run("patterns", "--include-inactive")] \
        == ids(ours_all)
    assert [p["id"] for p in cli.run("patterns", "--tag", "x")] == [a]
    mine = cli.run("pattern", a)
    for k in ("occurrence_count", "led_to_success_count",
              "led_to_failure_count", "effectiveness_score",
              "priority_score", "context_tags", "content_hash",
              "trust_score"):
        assert mine[k] == getattr(one, k), k
    assert datetime.fromisoformat(mine["last_confirmed"]) \
        == one.last_confirmed


def test_none_tag(store, db_path):
    """A None tag is stored as null (json.dumps), read back as None, and
    as a filter matches no pattern (SQL's IN with NULL)."""
    pid = store.record_pattern("retry", "wait", context_tags=["api", None])
    [r] = rows(db_path, "SELECT context_tags FROM patterns WHERE id = ?", pid)
    assert r["context_tags"] == '["api", null]'
    assert store.get_pattern_by_id(pid).context_tags == ["api", None]
    assert store.get_patterns(min_priority=0, context_tags=[None]) == []
    got = store.get_patterns(min_priority=0, context_tags=["api", None])
    assert [p.id for p in got] == [pid]
