"""Success factors in the learnstore package: recording the context of a
pattern's successes, reading them back, the analysis of why a pattern
works and the patterns listed with theirs, with values worked out by hand
from the Python store's documented behaviour."""

import json
import sqlite3
from datetime import datetime

import pytest

from learnstore import StoreError
from learnstore.models import PatternRecord, SuccessFactors
from stored import add_pattern, column


def set_counts(db_path, pid, succ, fail):
    con = sqlite3.connect(db_path)
    try:
        with con:
            con.execute("UPDATE patterns SET led_to_success_count = ?, "
                        "led_to_failure_count = ? WHERE id = ?",
                        (succ, fail, pid))
    finally:
        con.close()


def bucket(hour):
    """The Python store's time bucket of an hour, as documented."""
    if 5 <= hour < 12:
        return "morning"
    if 12 <= hour < 17:
        return "afternoon"
    if 17 <= hour < 21:
        return "evening"
    return "night"


def test_factors_unknown_pattern(store, db_path):
    assert store.get_success_factors("nope") is None
    assert store.get_success_factors(None) is None
    assert store.update_success_factors("nope", ["file"]) is None
    assert store.update_success_factors(None) is None
    assert store.analyze_pattern_why("nope") == \
        {"error": "Pattern nope not found"}
    assert store.analyze_pattern_why(None) == \
        {"error": "Pattern None not found"}
    assert store.get_patterns_with_why() == []
    con = sqlite3.connect(db_path)
    assert con.execute("SELECT COUNT(*) FROM patterns").fetchone() == (0,)
    con.close()


def test_first_success(store, db_path):
    # The counts do not matter the first time: the rate is 1.0.
    add_pattern(db_path, "p", led_to_success_count=1,
                led_to_failure_count=3)
    assert store.get_success_factors("p") is None
    before = datetime.now()
    f = store.update_success_factors("p", ["regex", "file", "regex"],
                                     ["rate_limit"], "completed", 2, True,
                                     0.75)
    after = datetime.now()
    assert isinstance(f, SuccessFactors)
    assert f.time_of_day_bucket in {bucket(before.hour), bucket(after.hour)}
    want = {"validation_types": ["regex", "file", "regex"],
            "error_categories": ["rate_limit"],
            "prior_sheet_status": "completed",
            "time_of_day_bucket": f.time_of_day_bucket,
            "retry_iteration": 2, "escalation_was_pending": True,
            "grounding_confidence": 0.75, "occurrence_count": 1,
            "success_rate": 1.0}
    assert f == SuccessFactors(**want)
    assert type(f.retry_iteration) is int and type(f.success_rate) is float
    text, when = column(db_path, "p", "success_factors",
                        "success_factors_updated_at")
    # Stored as json.dumps writes the record.
    assert text == json.dumps(want)
    assert before <= datetime.fromisoformat(when) <= after
    assert store.get_success_factors("p") == f


def test_first_success_defaults(store, db_path):
    add_pattern(db_path, "p")
    f = store.update_success_factors("p")
    assert (f.validation_types, f.error_categories, f.prior_sheet_status,
            f.retry_iteration, f.escalation_was_pending,
            f.grounding_confidence, f.occurrence_count, f.success_rate) == \
        ([], [], None, 0, False, None, 1, 1.0)
    assert json.loads(column(db_path, "p", "success_factors")[0]) == {
        "validation_types": [], "error_categories": [],
        "prior_sheet_status": None,
        "time_of_day_bucket": f.time_of_day_bucket, "retry_iteration": 0,
        "escalation_was_pending": False, "grounding_confidence": None,
        "occurrence_count": 1, "success_rate": 1.0}
    # An empty prior status is kept as given the first time.
    add_pattern(db_path, "q")
    assert store.update_success_factors(
        "q", prior_sheet_status="").prior_sheet_status == ""


def test_later_success_merges(store, db_path):
    add_pattern(db_path, "p")
    store.update_success_factors("p", ["regex", "file", "regex"],
                                 ["rate_limit"], "completed", 2, True, 0.75)
    set_counts(db_path, "p", 2, 1)
    before = datetime.now()
    f = store.update_success_factors("p", ["artifact", "file"])
    after = datetime.now()
    # Lists merged sorted without duplicates; the prior status and the
    # grounding kept when not given; retry and escalation replaced; the
    # rate 2 of 3.
    want = {"validation_types": ["artifact", "file", "regex"],
            "error_categories": ["rate_limit"],
            "prior_sheet_status": "completed",
            "time_of_day_bucket": f.time_of_day_bucket,
            "retry_iteration": 0, "escalation_was_pending": False,
            "grounding_confidence": 0.75, "occurrence_count": 2,
            "success_rate": 2 / 3}
    assert f.time_of_day_bucket in {bucket(before.hour), bucket(after.hour)}
    assert f == SuccessFactors(**want)
    assert column(db_path, "p", "success_factors")[0] == json.dumps(want)
    assert store.get_success_factors("p") == f
    # An empty status does not replace; a given one does, with the
    # grounding and the retry.
    f = store.update_success_factors("p", None, ["auth", "rate_limit"], "",
                                     4, True, 0.5)
    assert (f.error_categories, f.prior_sheet_status, f.retry_iteration,
            f.escalation_was_pending, f.grounding_confidence,
            f.occurrence_count) == (["auth", "rate_limit"], "completed", 4,
                                    True, 0.5, 3)
    f = store.update_success_factors("p", prior_sheet_status="failed")
    assert f.prior_sheet_status == "failed" and f.occurrence_count == 4
    assert f.validation_types == ["artifact", "file", "regex"]


def test_later_success_stored_by_python(store, db_path):
    # Factors as the Python store left them: lists unsorted, a rate of
    # 0.4.  Without applications the rate stays; an empty list given
    # leaves the stored one as it is (unsorted).
    add_pattern(db_path, "p", success_factors={
        "validation_types": ["z", "y"], "error_categories": ["b", "a"],
        "prior_sheet_status": None, "time_of_day_bucket": "morning",
        "retry_iteration": 1, "escalation_was_pending": True,
        "grounding_confidence": None, "occurrence_count": 6,
        "success_rate": 0.4})
    f = store.update_success_factors("p", [], ["a"])
    assert f.validation_types == ["z", "y"]
    assert f.error_categories == ["a", "b"]
    assert (f.success_rate, f.occurrence_count, f.retry_iteration,
            f.escalation_was_pending, f.grounding_confidence) == \
        (0.4, 7, 0, False, None)


def test_get_success_factors_read_as_python(store, db_path):
    # Missing keys take the defaults; occurrences at least 1, the rate
    # within [0, 1].
    add_pattern(db_path, "p", success_factors={
        "validation_types": ["file"], "occurrence_count": 0,
        "success_rate": 1.5})
    assert store.get_success_factors("p") == SuccessFactors(
        validation_types=["file"], error_categories=[],
        prior_sheet_status=None, time_of_day_bucket=None, retry_iteration=0,
        escalation_was_pending=False, grounding_confidence=None,
        occurrence_count=1, success_rate=1.0)
    add_pattern(db_path, "neg", success_factors={"success_rate": -2,
                                                 "occurrence_count": -4,
                                                 "retry_iteration": 3})
    f = store.get_success_factors("neg")
    assert (f.success_rate, f.occurrence_count, f.retry_iteration) == \
        (0.0, 1, 3)
    # An empty text is no factors, as None.
    add_pattern(db_path, "empty", success_factors="")
    assert store.get_success_factors("empty") is None


def test_analyze_without_factors(store, db_path):
    add_pattern(db_path, "p", pattern_name="Slow start",
                pattern_type="rate_limit", trust_score=1.4,
                effectiveness_score=0.25)
    got = store.analyze_pattern_why("p")
    assert got == {
        "pattern_name": "Slow start", "pattern_type": "rate_limit",
        "has_factors": False, "trust_score": 1.0,
        "effectiveness_score": 0.25,
        "factors_summary": "No success factors captured yet",
        "key_conditions": [], "confidence": 0.0,
        "recommendations": [
            "Apply this pattern more times to capture success factors"]}
    assert list(got) == ["pattern_name", "pattern_type", "has_factors",
                         "trust_score", "effectiveness_score",
                         "factors_summary", "key_conditions", "confidence",
                         "recommendations"]
    assert type(got["confidence"]) is float


def test_analyze_with_factors(store, db_path):
    add_pattern(db_path, "p", pattern_name="Backoff", trust_score=0.6,
                effectiveness_score=0.7, success_factors={
                    "validation_types": ["file", "regex"],
                    "error_categories": ["auth"],
                    "prior_sheet_status": "failed",
                    "time_of_day_bucket": "evening", "retry_iteration": 3,
                    "escalation_was_pending": True,
                    "grounding_confidence": 0.7, "occurrence_count": 12,
                    "success_rate": 0.4})
    got = store.analyze_pattern_why("p")
    # Grounding 0.7 is not above 0.7; confidence min(1, 12 / 10) * 0.4.
    assert got == {
        "pattern_name": "Backoff", "pattern_type": "retry",
        "has_factors": True, "trust_score": 0.6,
        "effectiveness_score": 0.7,
        "factors_summary": "validation types: file, regex; error "
                           "categories: auth; typically succeeds in: "
                           "evening; prior sheet was: failed",
        "key_conditions": ["Often succeeds after 3 retries",
                           "Works with 2 validation types"],
        "confidence": 0.4,
        "recommendations": ["Low success rate - review pattern relevance",
                            "Best applied during evening"],
        "observation_count": 12, "success_rate": 0.4}
    assert list(got)[-2:] == ["observation_count", "success_rate"]
    assert type(got["observation_count"]) is int


def test_analyze_conditions(store, db_path):
    # Nothing to summarise: "Context captured"; grounding above 0.7;
    # 5 observations are enough and 0.8 is neither high nor low.
    add_pattern(db_path, "a", success_factors={
        "grounding_confidence": 0.875, "occurrence_count": 5,
        "success_rate": 0.8})
    got = store.analyze_pattern_why("a")
    assert got["factors_summary"] == "Context captured"
    assert got["key_conditions"] == ["High grounding confidence (0.88)",
                                     "Succeeds on first attempt",
                                     "Succeeds without escalation"]
    assert got["confidence"] == 0.4
    assert got["recommendations"] == []
    # A negative retry is neither first nor later; grounding 0 counts as
    # none; an empty bucket is no bucket.
    add_pattern(db_path, "b", success_factors={
        "retry_iteration": -1, "grounding_confidence": 0.0,
        "time_of_day_bucket": "", "occurrence_count": 1,
        "success_rate": 0.9, "error_categories": ["x", "y"]})
    got = store.analyze_pattern_why("b")
    assert got["factors_summary"] == "error categories: x, y"
    assert got["key_conditions"] == ["Succeeds without escalation"]
    assert got["confidence"] == pytest.approx(0.09)
    assert got["recommendations"] == [
        "Need more observations for reliable analysis",
        "High confidence pattern - consider for auto-apply"]
    assert (got["observation_count"], got["success_rate"]) == (1, 0.9)


def test_patterns_with_why(store, db_path):
    def f(n):
        return {"occurrence_count": n, "success_rate": 1.0}
    add_pattern(db_path, "A", priority_score=0.9, success_factors=f(1))
    add_pattern(db_path, "B", priority_score=0.5, trust_score=0.6,
                success_factors=f(5))
    add_pattern(db_path, "C", priority_score=0.5, trust_score=0.9,
                success_factors=f(3))
    add_pattern(db_path, "D", priority_score=1.0)
    # An empty text takes a place in the limit, and is then dropped.
    add_pattern(db_path, "E", priority_score=0.95, success_factors="")
    # Soft-deleted patterns are listed, as in the Python store.
    add_pattern(db_path, "F", priority_score=0.1, active=0,
                success_factors=f(2))

    def ids(got):
        return [p.id for p, _ in got]
    got = store.get_patterns_with_why()
    assert ids(got) == ["A", "C", "B", "F"]
    for p, why in got:
        assert isinstance(p, PatternRecord)
        assert isinstance(p.success_factors, SuccessFactors)
        assert why == store.analyze_pattern_why(p.id)
    p, why = got[1]
    assert p.success_factors.occurrence_count == 3
    assert (why["observation_count"], why["confidence"]) == (3, 0.3)
    assert got[3][0].active is False
    assert ids(store.get_patterns_with_why(3)) == ["C", "B"]
    # The limit counts rows before the observations are looked at.
    assert ids(store.get_patterns_with_why(3, 2)) == []
    assert ids(store.get_patterns_with_why(3, 3)) == ["C"]
    assert store.get_patterns_with_why(limit=0) == []
    assert ids(store.get_patterns_with_why(limit=-1)) == ["A", "C", "B", "F"]
    assert ids(store.get_patterns_with_why(0)) == ["A", "C", "B", "F"]
    assert ids(store.get_patterns_with_why(-5)) == ["A", "C", "B", "F"]
    assert store.get_patterns_with_why(6) == []


def test_factors_shared_with_cli(store, cli):
    a = cli.run("record-pattern", "--type", "retry", "--name", "Backoff")
    b = cli.run("record-pattern", "--type", "auth", "--name", "Refresh")
    store.update_success_factors(a["id"], ["file"], grounding_confidence=0.9)
    store.update_success_factors(a["id"], ["regex"])
    store.update_success_factors(b["id"], error_categories=["auth"],
                                 escalation_was_pending=True)
    shown = cli.run("pattern", a["id"])
    assert shown["success_factors"]["validation_types"] == ["file", "regex"]
    assert shown["success_factors"]["grounding_confidence"] == 0.9
    listed = cli.run("patterns", "--why")
    ours = [dict(id=p.id, **why) for p, why in store.get_patterns_with_why()]
    assert sorted(listed, key=lambda d: d["id"]) == \
        sorted(ours, key=lambda d: d["id"])
    assert {d["id"] for d in listed} == {a["id"], b["id"]}
    assert [d["observation_count"] for d in listed
            if d["id"] == a["id"]] == [2]
    assert cli.run("patterns", "--why", "--min-observations", "2") == \
        [dict(id=p.id, **why)
         for p, why in store.get_patterns_with_why(2)]


def test_factor_argument_types(store, db_path):
    add_pattern(db_path, "p", effectiveness_score=None, trust_score=None)
    # Any sequence of strings does; numbers are stored as floats and ints.
    f = store.update_success_factors("p", ("file",), iter(["auth"]), None,
                                     True, 1, 1)
    assert (f.validation_types, f.error_categories, f.retry_iteration,
            f.escalation_was_pending, f.grounding_confidence) == \
        (["file"], ["auth"], 1, True, 1.0)
    assert type(f.grounding_confidence) is float
    assert json.loads(column(db_path, "p", "success_factors")[0])[
        "grounding_confidence"] == 1.0
    # A None among the strings is refused before anything is written.
    with pytest.raises(TypeError):
        store.update_success_factors("p", ["file", None])
    assert store.get_success_factors("p").occurrence_count == 1
    # Unset scores read as the pattern's record reads them.
    got = store.analyze_pattern_why("p")
    assert (got["trust_score"], got["effectiveness_score"]) == (0.5, 0.5)


def test_patterns_with_why_bad_row(store, db_path):
    # Tags that are no JSON fail reading the record, as in the Python
    # store; the error reaches the caller rather than a shorter list.
    add_pattern(db_path, "bad", context_tags="[oops",
                success_factors={"occurrence_count": 2})
    add_pattern(db_path, "good", priority_score=0.1,
                success_factors={"occurrence_count": 2})
    with pytest.raises(json.JSONDecodeError):
        store.get_patterns_with_why()
    # The store stays usable.
    assert store.analyze_pattern_why("good")["observation_count"] == 2


def test_factors_not_an_object(store, db_path):
    add_pattern(db_path, "p", success_factors="[1, 2]")
    for call in (lambda: store.get_success_factors("p"),
                 lambda: store.analyze_pattern_why("p"),
                 lambda: store.update_success_factors("p", ["file"])):
        with pytest.raises(StoreError) as e:
            call()
        assert e.value.name == "SC_CORRUPT"
    assert column(db_path, "p", "success_factors") == ("[1, 2]",)
