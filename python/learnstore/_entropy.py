"""Pattern entropy and the responses to low entropy."""

import ctypes
import json
from dataclasses import dataclass
from datetime import datetime

from . import _lib
from ._lib import c_int64, d_t, db_t, i64_t, i_t, lib, out_t, s_t, text, \
    untext
from .models import EntropyResponseRecord, PatternEntropyMetrics

LS_TIME_LEN = 64

HistoryRow = _lib.row_struct("pattern_entropy_history")
ResponseRow = _lib.row_struct("entropy_responses")


class PatternEntropy(ctypes.Structure):
    """struct ls_pattern_entropy."""
    _fields_ = [
        ("calculated_at", ctypes.c_char * LS_TIME_LEN),
        ("shannon_entropy", ctypes.c_double),
        ("max_possible_entropy", ctypes.c_double),
        ("diversity_index", ctypes.c_double),
        ("unique_pattern_count", ctypes.c_int64),
        ("effective_pattern_count", ctypes.c_int64),
        ("total_applications", ctypes.c_int64),
        ("dominant_pattern_share", ctypes.c_double),
        ("threshold_exceeded", ctypes.c_bool),
    ]


class EntropyCheck(ctypes.Structure):
    """struct ls_entropy_check."""
    _fields_ = [
        ("needed", ctypes.c_bool),
        ("has_entropy", ctypes.c_bool),
        ("entropy", ctypes.c_double),
        ("reason", ctypes.c_char * 128),
    ]


class ResponseConfig(ctypes.Structure):
    """struct ls_entropy_response_config."""
    _fields_ = [
        ("boost_budget", ctypes.c_bool),
        ("revisit_quarantine", ctypes.c_bool),
        ("max_quarantine_revisits", ctypes.c_int64),
        ("budget_floor", ctypes.c_double),
        ("budget_ceiling", ctypes.c_double),
        ("budget_boost_amount", ctypes.c_double),
    ]


class ResponseStats(ctypes.Structure):
    """struct ls_entropy_response_stats."""
    _fields_ = [
        ("total_responses", ctypes.c_int64),
        ("avg_entropy_at_trigger", ctypes.c_double),
        ("budget_boosts", ctypes.c_int64),
        ("quarantine_revisits", ctypes.c_int64),
        ("has_last_response", ctypes.c_bool),
        ("last_response", ctypes.c_char * LS_TIME_LEN),
    ]


_lib.declare({
    "ls_calculate_pattern_entropy": (i_t, [db_t,
                                           ctypes.POINTER(PatternEntropy)]),
    "ls_record_pattern_entropy": (i_t, [db_t, ctypes.POINTER(PatternEntropy),
                                        out_t]),
    "ls_get_pattern_entropy_history": (i_t, [db_t, i64_t, HistoryRow.each,
                                             ctypes.c_void_p]),
    "ls_check_entropy_response_needed": (i_t, [
        db_t, s_t, d_t, d_t, ctypes.POINTER(EntropyCheck)]),
    "ls_trigger_entropy_response": (i_t, [
        db_t, s_t, d_t, d_t, ctypes.POINTER(ResponseConfig),
        ctypes.POINTER(ResponseRow)]),
    "ls_get_last_entropy_response": (i_t, [db_t, s_t,
                                           ctypes.POINTER(ResponseRow)]),
    "ls_get_entropy_response_history": (i_t, [db_t, s_t, i64_t,
                                              ResponseRow.each,
                                              ctypes.c_void_p]),
    "ls_get_entropy_response_statistics": (i_t, [
        db_t, s_t, ctypes.POINTER(ResponseStats)]),
})


@dataclass
class EntropyResponseConfig:
    """What trigger_entropy_response does, as the Python store's class of
    this name holds it (any object with these attributes will do)."""

    boost_budget: bool = True
    revisit_quarantine: bool = True
    max_quarantine_revisits: int = 3
    budget_floor: float = 0.05
    budget_ceiling: float = 0.50
    budget_boost_amount: float = 0.10


@dataclass
class EntropyTriggerContext:
    """The job, entropy and threshold of a trigger_entropy_response call,
    as the Python store's class of this name holds them."""

    job_hash: str
    entropy_at_trigger: float
    threshold_used: float


# The settings of a response, in EntropyResponseConfig's order.
_CONFIG_FIELDS = ("boost_budget", "revisit_quarantine",
                  "max_quarantine_revisits", "budget_floor",
                  "budget_ceiling", "budget_boost_amount")


def _metrics(m):
    """The PatternEntropyMetrics of a PatternEntropy."""
    return PatternEntropyMetrics(
        calculated_at=datetime.fromisoformat(untext(m.calculated_at)),
        shannon_entropy=m.shannon_entropy,
        max_possible_entropy=m.max_possible_entropy,
        diversity_index=m.diversity_index,
        unique_pattern_count=m.unique_pattern_count,
        effective_pattern_count=m.effective_pattern_count,
        total_applications=m.total_applications,
        dominant_pattern_share=m.dominant_pattern_share,
        threshold_exceeded=bool(m.threshold_exceeded))


def _history(r):
    """The PatternEntropyMetrics of a row_values() dict of the history."""
    del r["id"]
    r["calculated_at"] = datetime.fromisoformat(r["calculated_at"])
    r["threshold_exceeded"] = bool(r["threshold_exceeded"])
    return PatternEntropyMetrics(**r)


def _response(r):
    """The EntropyResponseRecord of a row_values() dict, read as the
    Python store reads a row."""
    r["recorded_at"] = datetime.fromisoformat(r["recorded_at"])
    r["actions_taken"] = json.loads(r["actions_taken"])
    r["budget_boosted"] = bool(r["budget_boosted"])
    r["patterns_revisited"] = json.loads(r["patterns_revisited"]) \
        if r["patterns_revisited"] else []
    return EntropyResponseRecord(**r)


class EntropyMixin:
    """The methods of this group (docs/python.md)."""

    def calculate_pattern_entropy(self):
        """A PatternEntropyMetrics of the applications over the patterns
        now (local time): p = a pattern's share of the applications,
        Shannon entropy -sum(p * log2(p)), its maximum log2(patterns
        applied) (1.0 for one), the diversity index their ratio and the
        dominant share max(p); all 0 (but the pattern count) when
        nothing was applied.  threshold_exceeded is False."""
        m = PatternEntropy()
        self._call(lib.ls_calculate_pattern_entropy, ctypes.byref(m))
        return _metrics(m)

    def record_pattern_entropy(self, metrics):
        """Add metrics (a PatternEntropyMetrics, or any object with its
        attributes) to the entropy history.  Returns the new snapshot's
        id."""
        at = metrics.calculated_at
        at = at.isoformat() if isinstance(at, datetime) else str(at)
        m = PatternEntropy(
            calculated_at=text(at),
            shannon_entropy=float(metrics.shannon_entropy),
            max_possible_entropy=float(metrics.max_possible_entropy),
            diversity_index=float(metrics.diversity_index),
            unique_pattern_count=c_int64(metrics.unique_pattern_count),
            effective_pattern_count=c_int64(metrics.effective_pattern_count),
            total_applications=c_int64(metrics.total_applications),
            dominant_pattern_share=float(metrics.dominant_pattern_share),
            threshold_exceeded=bool(metrics.threshold_exceeded))
        out = _lib.UuidText()
        self._call(lib.ls_record_pattern_entropy, ctypes.byref(m), out)
        return untext(out.value)

    def get_pattern_entropy_history(self, limit=50):
        """The recorded snapshots as PatternEntropyMetrics, the latest
        calculated first, at most limit (negative: all)."""
        return [_history(r) for r in self._rows(
            lib.ls_get_pattern_entropy_history, HistoryRow, c_int64(limit))]

    def check_entropy_response_needed(self, job_hash, entropy_threshold=0.3,
                                      cooldown_seconds=3600):
        """(needed, entropy, reason): (False, None, "Cooldown active (NNs
        remaining)") within cooldown_seconds of job_hash's last response
        (None or "": anyone's); (False, None, "No pattern applications to
        analyze") when nothing was applied; else the diversity index of
        the applied patterns, needed when below entropy_threshold
        ("Entropy 0.200 < threshold 0.300", otherwise "Entropy 0.800 >=
        threshold 0.300 (healthy)")."""
        c = EntropyCheck()
        self._call(lib.ls_check_entropy_response_needed, text(job_hash),
                   float(entropy_threshold), float(cooldown_seconds),
                   ctypes.byref(c))
        return (bool(c.needed), c.entropy if c.has_entropy else None,
                untext(c.reason))

    def trigger_entropy_response(self, job_hash="", entropy_at_trigger=0.0,
                                 threshold_used=0.0, *, trigger=None,
                                 config=None, boost_budget=None,
                                 revisit_quarantine=None,
                                 max_quarantine_revisits=None,
                                 budget_floor=None, budget_ceiling=None,
                                 budget_boost_amount=None):
        """Respond to low entropy, in one transaction: unless told not to,
        record job_hash's budget + budget_boost_amount (0.15 + it without
        a budget) as a "boost" clamped into [budget_floor,
        budget_ceiling], and send the max_quarantine_revisits latest seen
        quarantined patterns back to pending.  trigger (an
        EntropyTriggerContext or alike) takes the place of the first
        three arguments; settings not None take the place of config's
        (an EntropyResponseConfig or alike; None: the defaults).  Returns
        the stored EntropyResponseRecord."""
        if trigger is not None:
            job_hash = trigger.job_hash
            entropy_at_trigger = trigger.entropy_at_trigger
            threshold_used = trigger.threshold_used
        given = dict(zip(_CONFIG_FIELDS, (
            boost_budget, revisit_quarantine, max_quarantine_revisits,
            budget_floor, budget_ceiling, budget_boost_amount)))
        base = config if config is not None else EntropyResponseConfig()
        v = {k: getattr(base, k) if given[k] is None else given[k]
             for k in _CONFIG_FIELDS}
        cfg = ResponseConfig(
            boost_budget=bool(v["boost_budget"]),
            revisit_quarantine=bool(v["revisit_quarantine"]),
            max_quarantine_revisits=c_int64(v["max_quarantine_revisits"]),
            budget_floor=float(v["budget_floor"]),
            budget_ceiling=float(v["budget_ceiling"]),
            budget_boost_amount=float(v["budget_boost_amount"]))
        return _response(self._fill(
            lib.ls_trigger_entropy_response, ResponseRow, text(job_hash),
            float(entropy_at_trigger), float(threshold_used),
            ctypes.byref(cfg)))

    def get_last_entropy_response(self, job_hash=None):
        """The latest EntropyResponseRecord of job_hash (None or "": of
        any job); None when there is none."""
        r = self._fill(lib.ls_get_last_entropy_response, ResponseRow,
                       text(job_hash))
        return None if r is None else _response(r)

    def get_entropy_response_history(self, job_hash=None, limit=50):
        """The EntropyResponseRecord records of job_hash (None or "": of
        any job), newest first, at most limit (negative: all)."""
        return [_response(r) for r in self._rows(
            lib.ls_get_entropy_response_history, ResponseRow,
            text(job_hash), c_int64(limit))]

    def get_entropy_response_statistics(self, job_hash=None):
        """Over the responses of job_hash (None or "": of every job), a
        dict of total_responses, avg_entropy_at_trigger, budget_boosts,
        quarantine_revisits and last_response (the latest one's time as
        isoformat() writes it; None without responses)."""
        s = ResponseStats()
        self._call(lib.ls_get_entropy_response_statistics, text(job_hash),
                   ctypes.byref(s))
        return {
            "total_responses": s.total_responses,
            "avg_entropy_at_trigger": s.avg_entropy_at_trigger,
            "budget_boosts": s.budget_boosts,
            "quarantine_revisits": s.quarantine_revisits,
            "last_response":
                untext(s.last_response) if s.has_last_response else None,
        }
