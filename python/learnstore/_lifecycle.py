"""Pattern lifecycle and quarantine: promotion, quarantine, validation, retirement."""

import ctypes

from . import _lib
from ._lib import db_t, i64_t, i_t, lib, s_t, text, untext
from ._patterns import Row
from .models import QuarantineStatus


class Promotion(ctypes.Structure):
    """struct ls_promotion."""
    _fields_ = [
        ("promoted", ctypes.POINTER(ctypes.c_char_p)),
        ("npromoted", ctypes.c_size_t),
        ("quarantined", ctypes.POINTER(ctypes.c_char_p)),
        ("nquarantined", ctypes.c_size_t),
        ("degraded", ctypes.POINTER(ctypes.c_char_p)),
        ("ndegraded", ctypes.c_size_t),
    ]


_lib.declare({
    "ls_promote_ready_patterns": (i_t, [db_t, ctypes.POINTER(Promotion)]),
    "ls_promotion_free": (None, [ctypes.POINTER(Promotion)]),
    "ls_update_quarantine_status": (i_t, [db_t, s_t, s_t]),
    "ls_quarantine_pattern": (i_t, [db_t, s_t, s_t]),
    "ls_validate_pattern": (i_t, [db_t, s_t]),
    "ls_retire_pattern": (i_t, [db_t, s_t]),
    "ls_get_quarantined_patterns": (i_t, [db_t, i64_t, Row.each,
                                          ctypes.c_void_p]),
})


def strings(items, n):
    """The n strings of a C array of char * (as ctypes sees it), decoded."""
    return [untext(items[k]) for k in range(n)]


class LifecycleMixin:
    """The methods of this group (docs/python.md)."""

    def promote_ready_patterns(self):
        """Of the pending patterns applied at least 3 times, validate
        those with effectiveness >= 0.60 and quarantine those below 0.35;
        then quarantine validated (or legacy "active") ones applied at
        least 3 times whose effectiveness fell below 0.30.  Returns a dict
        of the ids of each: "promoted", "quarantined", "degraded"."""
        p = Promotion()
        try:
            self._call(lib.ls_promote_ready_patterns, ctypes.byref(p))
            return {
                "promoted": strings(p.promoted, p.npromoted),
                "quarantined": strings(p.quarantined, p.nquarantined),
                "degraded": strings(p.degraded, p.ndegraded),
            }
        finally:
            lib.ls_promotion_free(ctypes.byref(p))

    def update_quarantine_status(self, pattern_id, new_status):
        """Set the pattern's status to new_status (a QuarantineStatus or
        its value), stamping validated_at or quarantined_at with now for
        those two.  Returns False when there is no such pattern."""
        # A value that is no QuarantineStatus raises ValueError here.
        status = QuarantineStatus(new_status)
        if pattern_id is None:
            return False
        return self._found(lib.ls_update_quarantine_status,
                           text(pattern_id), text(status.value))

    def quarantine_pattern(self, pattern_id, reason=None):
        """Quarantine the pattern now for reason (None: none, clearing an
        earlier one).  Returns False when there is no such pattern."""
        if pattern_id is None:
            return False
        return self._found(lib.ls_quarantine_pattern, text(pattern_id),
                           text(reason))

    def validate_pattern(self, pattern_id):
        """Validate the pattern now, clearing its quarantine reason.
        Returns False when there is no such pattern."""
        if pattern_id is None:
            return False
        return self._found(lib.ls_validate_pattern, text(pattern_id))

    def retire_pattern(self, pattern_id):
        """Retire the pattern.  Returns False when there is no such
        pattern."""
        if pattern_id is None:
            return False
        return self._found(lib.ls_retire_pattern, text(pattern_id))

    def get_quarantined_patterns(self, limit=50):
        """The active quarantined patterns, highest priority first, at
        most limit (negative: all), as PatternRecord records."""
        return self._pattern_records(lib.ls_get_quarantined_patterns,
                                     _lib.c_int(limit))
