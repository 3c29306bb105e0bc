"""Error recoveries: how long waiting out an error took, and the waits
learned from them."""

import ctypes

from . import _lib
from ._lib import b_t, c_int, d_t, db_t, i64_t, i_t, lib, out_t, s_t, \
    text, untext


class WaitAdvice(ctypes.Structure):
    """struct ls_wait_advice."""
    _fields_ = [
        ("delay", ctypes.c_double),
        ("confidence", ctypes.c_double),
        ("strategy", ctypes.c_char_p),
    ]


_lib.declare({
    "ls_record_error_recovery": (i_t, [db_t, s_t, d_t, d_t, b_t, s_t,
                                       out_t]),
    "ls_get_learned_wait_time": (i_t, [db_t, s_t, s_t, i_t,
                                       ctypes.POINTER(b_t),
                                       ctypes.POINTER(d_t)]),
    "ls_get_error_recovery_sample_count": (i_t, [db_t, s_t,
                                                 ctypes.POINTER(i64_t)]),
    "ls_get_learned_wait_time_with_fallback": (i_t, [
        db_t, s_t, d_t, s_t, i_t, d_t, ctypes.POINTER(WaitAdvice)]),
})


class RecoveryMixin:
    """The methods of this group (docs/python.md)."""

    def record_error_recovery(self, error_code, suggested_wait, actual_wait,
                              recovery_success, model=None):
        """Record how waiting out error_code went, stamped with the local
        time and its hour.  Returns the new record's id."""
        out = _lib.UuidText()
        self._call(lib.ls_record_error_recovery, text(error_code),
                   float(suggested_wait), float(actual_wait),
                   bool(recovery_success), text(model), out)
        return untext(out.value)

    def get_learned_wait_time(self, error_code, model=None, min_samples=3):
        """Of the last 20 successful recoveries from error_code (and model,
        unless None or ""), (average + shortest) / 2 of their waits; None
        when there are fewer than min_samples, or none."""
        if error_code is None:
            # Python's "error_code = NULL" matches no recovery.
            return None
        found = ctypes.c_bool()
        wait = ctypes.c_double()
        self._call(lib.ls_get_learned_wait_time, text(error_code),
                   text(model), c_int(min_samples), ctypes.byref(found),
                   ctypes.byref(wait))
        return wait.value if found.value else None

    def get_learned_wait_time_with_fallback(self, error_code, static_delay,
                                            model=None, min_samples=3,
                                            min_confidence=0.7):
        """(delay, confidence, strategy): static_delay, 0.0 and
        "static_fallback" when nothing is learned; else the confidence is
        min(successful recoveries from error_code / 10, 1), and the
        learned wait (at least half of static_delay) is used as it is
        ("global_learned") from min_confidence up, below it blended with
        static_delay in the ratio confidence / min_confidence
        ("global_learned_blend")."""
        if error_code is None:
            return static_delay, 0.0, "static_fallback"
        a = WaitAdvice()
        self._call(lib.ls_get_learned_wait_time_with_fallback,
                   text(error_code), float(static_delay), text(model),
                   c_int(min_samples), float(min_confidence),
                   ctypes.byref(a))
        strategy = untext(a.strategy)
        if strategy == "static_fallback":
            # static_delay as it was given (an int stays an int).
            return static_delay, 0.0, strategy
        return a.delay, a.confidence, strategy

    def get_error_recovery_sample_count(self, error_code):
        """How many recoveries from error_code succeeded (any model)."""
        if error_code is None:
            return 0
        n = ctypes.c_int64()
        self._call(lib.ls_get_error_recovery_sample_count, text(error_code),
                   ctypes.byref(n))
        return n.value
