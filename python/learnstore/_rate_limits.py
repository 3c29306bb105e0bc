"""Rate limits shared between jobs: recorded, checked, listed, expired."""

import ctypes
from datetime import datetime

from . import _lib
from ._lib import b_t, d_t, db_t, i64_t, i_t, lib, out_t, s_t, text, untext
from .models import RateLimitEvent

Row = _lib.row_struct("rate_limit_events")

_lib.declare({
    "ls_record_rate_limit_event": (i_t, [db_t, s_t, d_t, s_t, s_t, out_t]),
    "ls_is_rate_limited": (i_t, [db_t, s_t, s_t, ctypes.POINTER(b_t),
                                 ctypes.POINTER(d_t)]),
    "ls_get_active_rate_limits": (i_t, [db_t, s_t, Row.each,
                                        ctypes.c_void_p]),
    "ls_cleanup_expired_rate_limits": (i_t, [db_t, ctypes.POINTER(i64_t)]),
})


class RateLimitMixin:
    """The methods of this group (docs/python.md)."""

    def record_rate_limit_event(self, error_code, duration_seconds, job_id,
                                model=None):
        """Record a rate limit hit by job_id: it expires after 0.8 of
        duration_seconds.  Returns the new event's id."""
        out = _lib.UuidText()
        self._call(lib.ls_record_rate_limit_event, text(error_code),
                   float(duration_seconds), text(job_id), text(model), out)
        return untext(out.value)

    def is_rate_limited(self, error_code=None, model=None):
        """(True, seconds until the latest expiry) when an unexpired event
        matches error_code and model (None: any), else (False, None)."""
        limited = ctypes.c_bool()
        left = ctypes.c_double()
        self._call(lib.ls_is_rate_limited, text(error_code), text(model),
                   ctypes.byref(limited), ctypes.byref(left))
        if not limited.value or left.value <= 0:
            return False, None
        return True, left.value

    def get_active_rate_limits(self, model=None):
        """The unexpired events (of model, when given), the latest expiry
        first, as RateLimitEvent records."""
        rows = self._rows(lib.ls_get_active_rate_limits, Row, text(model))
        for r in rows:
            for k in ("recorded_at", "expires_at"):
                r[k] = datetime.fromisoformat(r[k])
        return [RateLimitEvent(**r) for r in rows]

    def cleanup_expired_rate_limits(self):
        """Delete the expired rate-limit events; returns how many."""
        n = ctypes.c_int64()
        self._call(lib.ls_cleanup_expired_rate_limits, ctypes.byref(n))
        return n.value
