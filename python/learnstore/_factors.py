"""Success factors of patterns: why they worked."""

import ctypes

from . import _lib
from ._lib import db_t, i64_t, i_t, lib, s_t, text, untext
from ._lifecycle import strings
from ._patterns import Row, pattern_record
from .models import SuccessFactors

_strv = ctypes.POINTER(ctypes.c_char_p)


class SuccessFactorsC(ctypes.Structure):
    """struct ls_success_factors."""
    _fields_ = [
        ("validation_types", _strv),
        ("nvalidation_types", ctypes.c_size_t),
        ("error_categories", _strv),
        ("nerror_categories", ctypes.c_size_t),
        ("prior_sheet_status", ctypes.c_char_p),
        ("time_of_day_bucket", ctypes.c_char_p),
        ("retry_iteration", ctypes.c_int64),
        ("escalation_was_pending", ctypes.c_bool),
        ("grounding_confidence", ctypes.c_double),
        ("has_grounding_confidence", ctypes.c_bool),
        ("occurrence_count", ctypes.c_int64),
        ("success_rate", ctypes.c_double),
    ]


class FactorUpdate(ctypes.Structure):
    """struct ls_factor_update."""
    _fields_ = [
        ("validation_types", _strv),
        ("nvalidation_types", ctypes.c_size_t),
        ("error_categories", _strv),
        ("nerror_categories", ctypes.c_size_t),
        ("prior_sheet_status", ctypes.c_char_p),
        ("retry_iteration", ctypes.c_int64),
        ("escalation_was_pending", ctypes.c_bool),
        ("grounding_confidence", ctypes.POINTER(ctypes.c_double)),
    ]


class Why(ctypes.Structure):
    """struct ls_why."""
    _fields_ = [
        ("pattern_name", ctypes.c_char_p),
        ("pattern_type", ctypes.c_char_p),
        ("has_factors", ctypes.c_bool),
        ("trust_score", ctypes.c_double),
        ("effectiveness_score", ctypes.c_double),
        ("factors_summary", ctypes.c_char_p),
        ("key_conditions", _strv),
        ("nkey_conditions", ctypes.c_size_t),
        ("confidence", ctypes.c_double),
        ("recommendations", _strv),
        ("nrecommendations", ctypes.c_size_t),
        ("has_observations", ctypes.c_bool),
        ("observation_count", ctypes.c_int64),
        ("success_rate", ctypes.c_double),
    ]


# The callback of ls_get_patterns_with_why: a pattern and its analysis.
WhyEach = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(Row),
                           ctypes.POINTER(Why), ctypes.c_void_p)

_lib.declare({
    "ls_update_success_factors": (i_t, [
        db_t, s_t, ctypes.POINTER(FactorUpdate),
        ctypes.POINTER(SuccessFactorsC)]),
    "ls_get_success_factors": (i_t, [db_t, s_t,
                                     ctypes.POINTER(SuccessFactorsC)]),
    "ls_success_factors_free": (None, [ctypes.POINTER(SuccessFactorsC)]),
    "ls_analyze_pattern_why": (i_t, [db_t, s_t, ctypes.POINTER(Why)]),
    "ls_why_free": (None, [ctypes.POINTER(Why)]),
    "ls_get_patterns_with_why": (i_t, [db_t, i64_t, i64_t, WhyEach,
                                       ctypes.c_void_p]),
})


def _factors(f):
    """The SuccessFactors of a filled struct ls_success_factors."""
    return SuccessFactors(
        validation_types=strings(f.validation_types, f.nvalidation_types),
        error_categories=strings(f.error_categories, f.nerror_categories),
        prior_sheet_status=untext(f.prior_sheet_status),
        time_of_day_bucket=untext(f.time_of_day_bucket),
        retry_iteration=f.retry_iteration,
        escalation_was_pending=bool(f.escalation_was_pending),
        grounding_confidence=f.grounding_confidence
        if f.has_grounding_confidence else None,
        occurrence_count=f.occurrence_count,
        success_rate=f.success_rate,
    )


def _why(w):
    """The analysis dict of a filled struct ls_why, keys in the Python
    store's order (observation_count and success_rate only with
    factors)."""
    d = {
        "pattern_name": untext(w.pattern_name),
        "pattern_type": untext(w.pattern_type),
        "has_factors": bool(w.has_factors),
        "trust_score": w.trust_score,
        "effectiveness_score": w.effectiveness_score,
        "factors_summary": untext(w.factors_summary),
        "key_conditions": strings(w.key_conditions, w.nkey_conditions),
        "confidence": w.confidence,
        "recommendations": strings(w.recommendations, w.nrecommendations),
    }
    if w.has_observations:
        d["observation_count"] = w.observation_count
        d["success_rate"] = w.success_rate
    return d


class FactorsMixin:
    """The methods of this group (docs/python.md)."""

    def update_success_factors(self, pattern_id, validation_types=None,
                               error_categories=None,
                               prior_sheet_status=None, retry_iteration=0,
                               escalation_was_pending=False,
                               grounding_confidence=None):
        """Record the context of a successful application of the pattern
        in its success factors: the first time as given (1 occurrence,
        success rate 1.0); later, one more occurrence, the lists merged
        (sorted, no duplicates), the prior status and grounding replaced
        when given, the retry iteration and escalation flag replaced, the
        success rate successes / applications (when applied).  The time
        bucket is that of the local hour now.  Returns the SuccessFactors
        stored, None when there is no such pattern."""
        if pattern_id is None:
            return None
        vt, nvt = _lib.text_array(validation_types, stored=True)
        ec, nec = _lib.text_array(error_categories, stored=True)
        if None in vt[:nvt] or None in ec[:nec]:
            raise TypeError("validation types and error categories are "
                            "strings")
        g = None if grounding_confidence is None else \
            ctypes.pointer(ctypes.c_double(float(grounding_confidence)))
        u = FactorUpdate(
            validation_types=vt, nvalidation_types=nvt,
            error_categories=ec, nerror_categories=nec,
            prior_sheet_status=text(prior_sheet_status),
            retry_iteration=int(retry_iteration),
            escalation_was_pending=bool(escalation_was_pending),
            grounding_confidence=g)
        f = SuccessFactorsC()
        try:
            if not self._found(lib.ls_update_success_factors,
                               text(pattern_id), ctypes.byref(u),
                               ctypes.byref(f)):
                return None
            return _factors(f)
        finally:
            lib.ls_success_factors_free(ctypes.byref(f))

    def get_success_factors(self, pattern_id):
        """The pattern's SuccessFactors; None when there is no such
        pattern or it has none yet."""
        if pattern_id is None:
            return None
        f = SuccessFactorsC()
        try:
            if not self._found(lib.ls_get_success_factors, text(pattern_id),
                               ctypes.byref(f)):
                return None
            return _factors(f)
        finally:
            lib.ls_success_factors_free(ctypes.byref(f))

    def analyze_pattern_why(self, pattern_id):
        """Why the pattern succeeds, as a dict: pattern_name,
        pattern_type, has_factors, trust_score, effectiveness_score,
        factors_summary, key_conditions, confidence (min(1,
        observations / 10) * success rate), recommendations, and with
        factors observation_count and success_rate.  For an unknown
        pattern, {"error": "Pattern <id> not found"}."""
        w = Why()
        try:
            if pattern_id is None or not self._found(
                    lib.ls_analyze_pattern_why, text(pattern_id),
                    ctypes.byref(w)):
                return {"error": f"Pattern {pattern_id} not found"}
            return _why(w)
        finally:
            lib.ls_why_free(ctypes.byref(w))

    def get_patterns_with_why(self, min_observations=1, limit=20):
        """Of the limit (negative: all) patterns with success factors,
        highest priority then trust first, those observed at least
        min_observations times, each as a tuple (PatternRecord, its
        analyze_pattern_why dict)."""
        out = []

        def take(r, w, arg):
            out.append((pattern_record(_lib.row_values(r.contents)),
                        _why(w.contents)))
            return 0

        self._listing(lib.ls_get_patterns_with_why, WhyEach, take,
                      _lib.c_int(min_observations), _lib.c_int(limit))
        return out
