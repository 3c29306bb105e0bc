"""Pattern discovery broadcast between concurrent jobs."""

import ctypes
import json
from datetime import datetime

from . import _lib
from ._lib import d_t, db_t, i64_t, i_t, lib, out_t, s_t, text, untext
from .models import PatternDiscoveryEvent

Row = _lib.row_struct("pattern_discovery_events")


class Discovery(ctypes.Structure):
    """struct ls_discovery."""
    _fields_ = [
        ("pattern_id", ctypes.c_char_p),
        ("pattern_name", ctypes.c_char_p),
        ("pattern_type", ctypes.c_char_p),
        ("job_id", ctypes.c_char_p),
        ("effectiveness_score", ctypes.c_double),
        ("context_tags", ctypes.POINTER(ctypes.c_char_p)),
        ("ncontext_tags", ctypes.c_size_t),
        ("ttl_seconds", ctypes.c_double),
    ]


_lib.declare({
    "ls_record_pattern_discovery": (i_t, [
        db_t, ctypes.POINTER(Discovery), out_t]),
    "ls_check_recent_pattern_discoveries": (i_t, [
        db_t, s_t, s_t, d_t, i64_t, Row.each, ctypes.c_void_p]),
    "ls_cleanup_expired_pattern_discoveries": (i_t, [
        db_t, ctypes.POINTER(ctypes.c_int64)]),
    "ls_get_active_pattern_discoveries": (i_t, [
        db_t, s_t, Row.each, ctypes.c_void_p]),
})


class DiscoveryMixin:
    """The methods of this group (docs/python.md)."""

    def record_pattern_discovery(self, pattern_id, pattern_name,
                                 pattern_type, job_id,
                                 effectiveness_score=1.0, context_tags=None,
                                 ttl_seconds=300.0):
        """Broadcast a pattern job_id discovered (its source_job_hash is
        hash_job(job_id)), recorded now (local time) and expiring
        ttl_seconds later.  Returns the new event's id; a None job_id
        is refused (StoreError, SC_MISUSE), a None effectiveness_score
        too (SC_CONSTRAINT)."""
        if effectiveness_score is None:
            # As SQLite refuses the NULL the Python store would insert.
            raise _lib.StoreError(
                _lib.SC_CONSTRAINT, "NOT NULL constraint failed: "
                "pattern_discovery_events.effectiveness_score")
        array, ntags = _lib.text_array(context_tags, stored=True)
        d = Discovery(
            pattern_id=text(pattern_id), pattern_name=text(pattern_name),
            pattern_type=text(pattern_type), job_id=text(job_id),
            effectiveness_score=float(effectiveness_score),
            context_tags=array, ncontext_tags=ntags,
            ttl_seconds=float(ttl_seconds))
        out = _lib.UuidText()
        self._call(lib.ls_record_pattern_discovery, ctypes.byref(d), out)
        return untext(out.value)

    def check_recent_pattern_discoveries(self, exclude_job_id=None,
                                         pattern_type=None,
                                         min_effectiveness=0.0, limit=20):
        """The unexpired discoveries with an effectiveness of at least
        min_effectiveness, not of exclude_job_id (None or "": of any job),
        of pattern_type (None: any), newest first, at most limit
        (negative: all), as PatternDiscoveryEvent records."""
        if min_effectiveness is None:
            # Python's "effectiveness_score >= NULL" holds for no row.
            return []
        return _events(self._rows(
            lib.ls_check_recent_pattern_discoveries, Row,
            text(exclude_job_id), text(pattern_type),
            float(min_effectiveness), int(limit)))

    def cleanup_expired_pattern_discoveries(self):
        """Delete the discoveries expired by now; returns how many."""
        n = ctypes.c_int64()
        self._call(lib.ls_cleanup_expired_pattern_discoveries,
                   ctypes.byref(n))
        return n.value

    def get_active_pattern_discoveries(self, pattern_type=None):
        """Every unexpired discovery of pattern_type (None or "": of any
        type), newest first, as PatternDiscoveryEvent records."""
        return _events(self._rows(lib.ls_get_active_pattern_discoveries,
                                  Row, text(pattern_type)))


def _events(rows):
    """The PatternDiscoveryEvent records of row_values() dicts."""
    for r in rows:
        r["recorded_at"] = datetime.fromisoformat(r["recorded_at"])
        r["expires_at"] = datetime.fromisoformat(r["expires_at"])
        r["context_tags"] = json.loads(r["context_tags"] or "[]")
    return [PatternDiscoveryEvent(**r) for r in rows]
