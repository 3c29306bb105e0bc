"""Effectiveness and epistemic drift of patterns, and retiring drifting ones."""

import ctypes

from . import _lib
from ._lib import b_t, d_t, db_t, i64_t, i_t, lib, s_t, text, untext
from ._patterns import Row as PatternRow
from .models import DriftMetrics, EpistemicDriftMetrics

size_p = ctypes.POINTER(ctypes.c_size_t)


class Drift(ctypes.Structure):
    """struct ls_drift."""
    _fields_ = [
        ("pattern_id", ctypes.c_char_p),
        ("pattern_name", ctypes.c_char_p),
        ("window_size", ctypes.c_int64),
        ("effectiveness_before", ctypes.c_double),
        ("effectiveness_after", ctypes.c_double),
        ("grounding_confidence_avg", ctypes.c_double),
        ("drift_magnitude", ctypes.c_double),
        ("drift_direction", ctypes.c_char_p),
        ("applications_analyzed", ctypes.c_int64),
        ("threshold_exceeded", ctypes.c_bool),
    ]


class DriftSummary(ctypes.Structure):
    """struct ls_drift_summary."""
    _fields_ = [
        ("total_patterns", ctypes.c_int64),
        ("patterns_analyzed", ctypes.c_int64),
        ("patterns_drifting", ctypes.c_int64),
        ("avg_drift_magnitude", ctypes.c_double),
        ("most_drifted", ctypes.c_char_p),
    ]


class EpistemicDrift(ctypes.Structure):
    """struct ls_epistemic_drift."""
    _fields_ = [
        ("pattern_id", ctypes.c_char_p),
        ("pattern_name", ctypes.c_char_p),
        ("window_size", ctypes.c_int64),
        ("confidence_before", ctypes.c_double),
        ("confidence_after", ctypes.c_double),
        ("belief_change", ctypes.c_double),
        ("belief_entropy", ctypes.c_double),
        ("applications_analyzed", ctypes.c_int64),
        ("threshold_exceeded", ctypes.c_bool),
        ("drift_direction", ctypes.c_char_p),
    ]


class EpistemicSummary(ctypes.Structure):
    """struct ls_epistemic_summary."""
    _fields_ = [
        ("total_patterns", ctypes.c_int64),
        ("patterns_analyzed", ctypes.c_int64),
        ("patterns_with_epistemic_drift", ctypes.c_int64),
        ("avg_belief_change", ctypes.c_double),
        ("avg_belief_entropy", ctypes.c_double),
        ("most_unstable", ctypes.c_char_p),
    ]


class Retired(ctypes.Structure):
    """struct ls_retired."""
    _fields_ = [
        ("pattern_id", ctypes.c_char_p),
        ("pattern_name", ctypes.c_char_p),
        ("drift_magnitude", ctypes.c_double),
    ]


_lib.declare({
    "ls_calculate_effectiveness_drift": (i_t, [
        db_t, s_t, i64_t, d_t, ctypes.POINTER(Drift)]),
    "ls_drift_free": (None, [ctypes.POINTER(Drift)]),
    "ls_drifts_free": (None, [ctypes.POINTER(Drift), ctypes.c_size_t]),
    "ls_get_drifting_patterns": (i_t, [
        db_t, d_t, i64_t, i64_t, ctypes.POINTER(ctypes.POINTER(Drift)),
        size_p]),
    "ls_get_pattern_drift_summary": (i_t, [
        db_t, ctypes.POINTER(DriftSummary)]),
    "ls_drift_summary_free": (None, [ctypes.POINTER(DriftSummary)]),
    "ls_calculate_epistemic_drift": (i_t, [
        db_t, s_t, i64_t, d_t, ctypes.POINTER(EpistemicDrift)]),
    "ls_epistemic_drift_free": (None, [ctypes.POINTER(EpistemicDrift)]),
    "ls_epistemic_drifts_free": (None, [ctypes.POINTER(EpistemicDrift),
                                        ctypes.c_size_t]),
    "ls_get_epistemic_drifting_patterns": (i_t, [
        db_t, d_t, i64_t, i64_t,
        ctypes.POINTER(ctypes.POINTER(EpistemicDrift)), size_p]),
    "ls_get_epistemic_drift_summary": (i_t, [
        db_t, ctypes.POINTER(EpistemicSummary)]),
    "ls_epistemic_summary_free": (None, [ctypes.POINTER(EpistemicSummary)]),
    "ls_retire_drifting_patterns": (i_t, [
        db_t, d_t, i64_t, b_t, ctypes.POINTER(ctypes.POINTER(Retired)),
        size_p]),
    "ls_retired_free": (None, [ctypes.POINTER(Retired), ctypes.c_size_t]),
    "ls_get_retired_patterns": (i_t, [db_t, i64_t, PatternRow.each,
                                      ctypes.c_void_p]),
})


class DriftMixin:
    """The methods of this group (docs/python.md)."""

    def calculate_effectiveness_drift(self, pattern_id, window_size=5,
                                      drift_threshold=0.2):
        """The DriftMetrics of pattern_id's last window_size applications
        against the window_size before them: each window's success rate
        (successes + 0.5) / (window_size + 1), the mean grounding
        confidence of both (1.0 when none has one), exceeded when the
        magnitude / max(that mean, 0.5) > drift_threshold.  None for an
        unknown pattern, fewer than 2 * window_size applications or a
        negative window."""
        if pattern_id is None or int(window_size) < 0:
            return None
        d = Drift()
        try:
            if not self._found(lib.ls_calculate_effectiveness_drift,
                               text(pattern_id), int(window_size),
                               float(drift_threshold), ctypes.byref(d)):
                return None
            return _drift(d)
        finally:
            lib.ls_drift_free(ctypes.byref(d))

    def get_drifting_patterns(self, drift_threshold=0.2, window_size=5,
                              limit=20):
        """The DriftMetrics of every pattern with 2 * window_size
        applications whose drift exceeds drift_threshold, the largest
        magnitude first (ties in pattern id order), cut as
        list[:limit] cuts; [] for a negative window."""
        if int(window_size) < 0:
            return []
        limit = int(limit)
        out = ctypes.POINTER(Drift)()
        n = ctypes.c_size_t()
        try:
            self._call(lib.ls_get_drifting_patterns, float(drift_threshold),
                       int(window_size), limit if limit >= 0 else -1,
                       ctypes.byref(out), ctypes.byref(n))
            found = [_drift(out[k]) for k in range(n.value)]
        finally:
            lib.ls_drifts_free(out, n.value)
        # A negative limit drops that many from the end, as Python's slice.
        return found if limit >= 0 else found[:limit]

    def get_pattern_drift_summary(self):
        """A dict over the patterns with 10 or more applications, each at
        window 5 and threshold 0.2: total_patterns (every pattern),
        patterns_analyzed, patterns_drifting, avg_drift_magnitude and
        most_drifted (the id of the first of largest magnitude; None
        when none was analyzed)."""
        s = DriftSummary()
        try:
            self._call(lib.ls_get_pattern_drift_summary, ctypes.byref(s))
            return {
                "total_patterns": s.total_patterns,
                "patterns_analyzed": s.patterns_analyzed,
                "patterns_drifting": s.patterns_drifting,
                "avg_drift_magnitude": s.avg_drift_magnitude,
                "most_drifted": untext(s.most_drifted),
            }
        finally:
            lib.ls_drift_summary_free(ctypes.byref(s))

    def calculate_epistemic_drift(self, pattern_id, window_size=5,
                                  drift_threshold=0.15):
        """The EpistemicDriftMetrics of pattern_id's last window_size
        applications with a grounding confidence against the window_size
        before them: the mean confidence of each, their change, the
        entropy min(1, population std dev / mean) of all (0 for a mean
        not above 0), exceeded when |change| * (1 + entropy) >
        drift_threshold.  None for an unknown pattern, fewer than
        2 * window_size such applications or a window below 1."""
        if pattern_id is None or int(window_size) < 1:
            return None
        d = EpistemicDrift()
        try:
            if not self._found(lib.ls_calculate_epistemic_drift,
                               text(pattern_id), int(window_size),
                               float(drift_threshold), ctypes.byref(d)):
                return None
            return _epistemic(d)
        finally:
            lib.ls_epistemic_drift_free(ctypes.byref(d))

    def get_epistemic_drifting_patterns(self, drift_threshold=0.15,
                                        window_size=5, limit=20):
        """The EpistemicDriftMetrics of every pattern with 2 * window_size
        applications with a grounding confidence whose epistemic drift
        exceeds drift_threshold, the largest |belief_change| first (ties
        in pattern id order), cut as list[:limit] cuts; [] for a window
        below 1."""
        if int(window_size) < 1:
            return []
        limit = int(limit)
        out = ctypes.POINTER(EpistemicDrift)()
        n = ctypes.c_size_t()
        try:
            self._call(lib.ls_get_epistemic_drifting_patterns,
                       float(drift_threshold), int(window_size),
                       limit if limit >= 0 else -1, ctypes.byref(out),
                       ctypes.byref(n))
            found = [_epistemic(out[k]) for k in range(n.value)]
        finally:
            lib.ls_epistemic_drifts_free(out, n.value)
        return found if limit >= 0 else found[:limit]

    def get_epistemic_drift_summary(self):
        """A dict over the patterns with 10 or more applications with a
        grounding confidence, each at window 5 and threshold 0.15:
        total_patterns (every pattern), patterns_analyzed,
        patterns_with_epistemic_drift, avg_belief_change,
        avg_belief_entropy and most_unstable (the id of the first of
        largest |belief_change|; None when none was analyzed)."""
        s = EpistemicSummary()
        try:
            self._call(lib.ls_get_epistemic_drift_summary, ctypes.byref(s))
            return {
                "total_patterns": s.total_patterns,
                "patterns_analyzed": s.patterns_analyzed,
                "patterns_with_epistemic_drift":
                    s.patterns_with_epistemic_drift,
                "avg_belief_change": s.avg_belief_change,
                "avg_belief_entropy": s.avg_belief_entropy,
                "most_unstable": untext(s.most_unstable),
            }
        finally:
            lib.ls_epistemic_summary_free(ctypes.byref(s))

    def retire_drifting_patterns(self, drift_threshold=0.2, window_size=5,
                                 require_negative_drift=True):
        """Retire, in one transaction, the drifting patterns (the first
        100 get_drifting_patterns gives) whose drift is negative (any,
        unless require_negative_drift): priority 0 and suggested_action
        "Auto-retired: drift negative (0.30), effectiveness 0.70 → 0.40".
        Returns a list of (pattern_id, pattern_name, drift_magnitude)
        tuples, in that order; [] for a negative window."""
        if int(window_size) < 0:
            return []
        out = ctypes.POINTER(Retired)()
        n = ctypes.c_size_t()
        try:
            self._call(lib.ls_retire_drifting_patterns,
                       float(drift_threshold), int(window_size),
                       bool(require_negative_drift), ctypes.byref(out),
                       ctypes.byref(n))
            return [(untext(out[k].pattern_id), untext(out[k].pattern_name),
                     out[k].drift_magnitude) for k in range(n.value)]
        finally:
            lib.ls_retired_free(out, n.value)

    def get_retired_patterns(self, limit=50):
        """The patterns with priority 0, the latest seen first, at most
        limit (negative: all), as PatternRecord records whose active,
        content_hash and instrument_name are the record's defaults (True,
        None, None), as the Python store builds them."""
        return self._pattern_records(lib.ls_get_retired_patterns,
                                     int(limit))


def _drift(d):
    """The DriftMetrics of a struct ls_drift."""
    return DriftMetrics(
        pattern_id=untext(d.pattern_id),
        pattern_name=untext(d.pattern_name),
        window_size=d.window_size,
        effectiveness_before=d.effectiveness_before,
        effectiveness_after=d.effectiveness_after,
        grounding_confidence_avg=d.grounding_confidence_avg,
        drift_magnitude=d.drift_magnitude,
        drift_direction=untext(d.drift_direction),
        applications_analyzed=d.applications_analyzed,
        threshold_exceeded=bool(d.threshold_exceeded))


def _epistemic(d):
    """The EpistemicDriftMetrics of a struct ls_epistemic_drift."""
    return EpistemicDriftMetrics(
        pattern_id=untext(d.pattern_id),
        pattern_name=untext(d.pattern_name),
        window_size=d.window_size,
        confidence_before=d.confidence_before,
        confidence_after=d.confidence_after,
        belief_change=d.belief_change,
        belief_entropy=d.belief_entropy,
        applications_analyzed=d.applications_analyzed,
        threshold_exceeded=bool(d.threshold_exceeded),
        drift_direction=untext(d.drift_direction))
