"""Trust scores of patterns."""

import ctypes

from . import _lib
from ._lib import b_t, d_t, db_t, i64_t, i_t, lib, s_t, text
from ._patterns import Row

_lib.declare({
    "ls_calculate_trust_score": (i_t, [db_t, s_t, ctypes.POINTER(d_t)]),
    "ls_update_trust_score": (i_t, [db_t, s_t, d_t, ctypes.POINTER(d_t)]),
    "ls_recalculate_all_trust_scores": (i_t, [db_t,
                                              ctypes.POINTER(i64_t)]),
    "ls_get_high_trust_patterns": (i_t, [db_t, d_t, i64_t, Row.each,
                                         ctypes.c_void_p]),
    "ls_get_low_trust_patterns": (i_t, [db_t, d_t, i64_t, Row.each,
                                        ctypes.c_void_p]),
    "ls_get_patterns_for_auto_apply": (i_t, [
        db_t, d_t, b_t, i64_t, ctypes.POINTER(ctypes.c_char_p),
        ctypes.c_size_t, Row.each, ctypes.c_void_p]),
})


class TrustMixin:
    """The methods of this group (docs/python.md)."""

    def calculate_trust_score(self, pattern_id):
        """Calculate the pattern's trust now and store it with the time:
        0.5 + 0.3 * success rate - 0.4 * failure rate (each out of the
        occurrences, at most 1) + 0.2 * 0.9 ** (whole days since last
        confirmed / 30), - 0.2 when quarantined, + 0.1 when validated,
        clamped into [0, 1].  Returns it (a float), None when there is no
        such pattern."""
        if pattern_id is None:
            return None
        t = ctypes.c_double()
        if not self._found(lib.ls_calculate_trust_score, text(pattern_id),
                           ctypes.byref(t)):
            return None
        return t.value

    def update_trust_score(self, pattern_id, delta):
        """Add delta to the pattern's trust (clamped into [0, 1]) and store
        it with the time.  Returns the new trust (a float), None when
        there is no such pattern."""
        if pattern_id is None:
            return None
        delta = float(delta)
        t = ctypes.c_double()
        if not self._found(lib.ls_update_trust_score, text(pattern_id),
                           delta, ctypes.byref(t)):
            return None
        return t.value

    def recalculate_all_trust_scores(self):
        """Calculate every pattern's trust as calculate_trust_score does,
        in one transaction.  Returns how many were updated (an int)."""
        n = ctypes.c_int64()
        self._call(lib.ls_recalculate_all_trust_scores, ctypes.byref(n))
        return n.value

    def get_high_trust_patterns(self, threshold=0.7, limit=50):
        """The active patterns with trust at least threshold (None: any),
        highest priority first, at most limit (negative: all), as
        PatternRecord records."""
        # None filters nothing in the Python store; -inf lets any stored
        # trust through.
        t = float("-inf") if threshold is None else float(threshold)
        return self._pattern_records(lib.ls_get_high_trust_patterns, t,
                                     _lib.c_int(limit))

    def get_low_trust_patterns(self, threshold=0.3, limit=50):
        """The active patterns with trust at most threshold (None: any),
        highest priority first, at most limit (negative: all), as
        PatternRecord records."""
        t = float("inf") if threshold is None else float(threshold)
        return self._pattern_records(lib.ls_get_low_trust_patterns, t,
                                     _lib.c_int(limit))

    def get_patterns_for_auto_apply(self, trust_threshold=0.85,
                                    require_validated=True, limit=3,
                                    context_tags=None):
        """Of the 2 * limit patterns of highest trust (then priority)
        with trust at least trust_threshold, not retired, and validated
        when require_validated, those sharing a tag with context_tags
        (None or empty: all), at most limit (negative: all), as
        PatternRecord records."""
        if trust_threshold is None:
            # "trust_score >= NULL" holds for no pattern.
            return []
        n = _lib.c_int(limit)
        if n < 0:
            # The Python store's slice [:limit] would drop the last
            # -limit patterns; a negative limit is all, as in SQL.
            n = _lib.c_int(2 ** 31)
        given = list(context_tags or ())
        # A None tag is shared with no pattern (C holds string tags only).
        arr, ntags = _lib.text_array([t for t in given if t is not None])
        if given and not ntags:
            return []
        return self._pattern_records(
            lib.ls_get_patterns_for_auto_apply, float(trust_threshold),
            bool(require_validated), n, arr, ntags)
