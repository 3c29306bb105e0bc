"""Executions: recording outcomes, statistics over them, the recent and
similar ones, the hours that go well, and workspace clusters."""

import ctypes
import json
from datetime import datetime

from . import _lib
from ._lib import (db_t, i64_t, i_t, lib, out_t, s_t, take_string, text,
                   untext)
from .models import ExecutionRecord

Row = _lib.row_struct("executions")


class ExecutionStats(ctypes.Structure):
    """struct ls_execution_stats."""
    _fields_ = [
        ("total_executions", ctypes.c_int64),
        ("success_without_retry_rate", ctypes.c_double),
        ("total_patterns", ctypes.c_int64),
        ("avg_pattern_effectiveness", ctypes.c_double),
        ("total_error_recoveries", ctypes.c_int64),
        ("unique_workspaces", ctypes.c_int64),
    ]


class Outcome(ctypes.Structure):
    """struct ls_outcome."""
    _fields_ = [
        ("job_id", ctypes.c_char_p),
        ("sheet_id", ctypes.c_char_p),
        ("status", ctypes.c_char_p),
        ("started_at", ctypes.c_char_p),
        ("completed_at", ctypes.c_char_p),
        ("duration_seconds", ctypes.c_double),
        ("retry_count", ctypes.c_int64),
        ("success_without_retry", ctypes.c_bool),
        ("validation_pass_rate", ctypes.c_double),
    ]


class ExecutionWindow(ctypes.Structure):
    """struct ls_execution_window (its lists the library mallocs)."""
    _fields_ = [
        ("optimal_hours", ctypes.POINTER(ctypes.c_int64)),
        ("noptimal", ctypes.c_size_t),
        ("avoid_hours", ctypes.POINTER(ctypes.c_int64)),
        ("navoid", ctypes.c_size_t),
        ("confidence", ctypes.c_double),
        ("sample_count", ctypes.c_int64),
    ]


# int (*each)(const char *workspace_hash, void *arg)
EACH_WORKSPACE_HASH = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_char_p,
                                       ctypes.c_void_p)

_lib.declare({
    "ls_record_outcome": (i_t, [db_t, ctypes.POINTER(Outcome), s_t, s_t,
                                ctypes.POINTER(ctypes.c_char_p),
                                ctypes.c_size_t, out_t]),
    "ls_get_similar_executions": (i_t, [db_t, s_t, s_t,
                                        ctypes.POINTER(ctypes.c_int64),
                                        i64_t, Row.each, ctypes.c_void_p]),
    "ls_get_optimal_execution_window": (i_t, [
        db_t, s_t, ctypes.POINTER(ExecutionWindow)]),
    "ls_execution_window_free": (None, [ctypes.POINTER(ExecutionWindow)]),
    "ls_get_execution_stats": (i_t, [db_t, ctypes.POINTER(ExecutionStats)]),
    "ls_get_recent_executions": (i_t, [db_t, i64_t, s_t, Row.each,
                                       ctypes.c_void_p]),
    # cluster_id comes back malloc'd: a void pointer, to free after
    # copying it (c_char_p would lose the pointer).
    "ls_get_workspace_cluster": (i_t, [db_t, s_t, ctypes.POINTER(
        ctypes.c_void_p)]),
    "ls_assign_workspace_cluster": (i_t, [db_t, s_t, s_t]),
    "ls_get_similar_workspaces": (i_t, [db_t, s_t, i64_t,
                                        EACH_WORKSPACE_HASH,
                                        ctypes.c_void_p]),
})

# What an unset column of an execution reads as (the Python store's
# record holds numbers there).
_UNSET = {"duration_seconds": 0.0, "retry_count": 0,
          "success_without_retry": False, "validation_pass_rate": 0.0,
          "confidence_score": 0.0}


class ExecutionMixin:
    """The methods of this group (docs/python.md)."""

    def record_outcome(self, outcome, workspace_path, model=None,
                       error_codes=None):
        """Record one sheet's outcome as an execution of the workspace
        (hash_workspace) and job (hash_job of outcome.job_id): the sheet
        number from the sheet id's trailing digits (0 without), started
        at outcome.timestamp, completed now (local time), confidence
        pass rate - 0.1 * min(retries, 5) (+ 0.1, at most 1, when it
        succeeded without retry) clamped into [0, 1], the error codes as
        a JSON list.  Returns the new execution's id (a UUID4)."""
        # The outcome is read by attribute, so the application's own
        # outcome class passes as it is.
        status = outcome.final_status
        codes, ncodes = _lib.text_array(error_codes, stored=True)
        # Fields in order (struct ls_outcome): by keyword the struct
        # takes 2.4 us to make, in order 2.0.
        o = Outcome(text(outcome.job_id), text(outcome.sheet_id),
                    text(getattr(status, "value", status)),
                    text(outcome.timestamp.isoformat()), None,
                    float(outcome.execution_duration),
                    int(outcome.retry_count),
                    bool(outcome.success_without_retry),
                    float(outcome.validation_pass_rate))
        out = _lib.UuidText()
        self._call(lib.ls_record_outcome, o,
                   _lib.path_text(workspace_path), text(model),
                   codes, ncodes, out)
        return untext(out.value)

    def get_similar_executions(self, job_hash=None, workspace_hash=None,
                               sheet_num=None, limit=10):
        """The executions matching every filter given (None: any; ""
        is a filter), the latest completed first, at most limit
        (negative: all), as ExecutionRecord records."""
        sheet = None if sheet_num is None else \
            ctypes.byref(ctypes.c_int64(int(sheet_num)))
        return [execution_record(r) for r in self._rows(
            lib.ls_get_similar_executions, Row, text(job_hash),
            text(workspace_hash), sheet, _lib.c_int(limit))]

    def get_optimal_execution_window(self, error_code=None, model=None):
        """Of the error recoveries (of error_code unless None or ""),
        grouped by hour of day: a dict of optimal_hours (hours with at
        least 3 samples and a success rate >= 0.7) and avoid_hours
        (<= 0.3), each ascending, confidence min(samples / 50, 1) and
        sample_count, the recoveries counted.  model is not used, as in
        the Python store."""
        w = ExecutionWindow()
        try:
            self._call(lib.ls_get_optimal_execution_window, text(error_code),
                       ctypes.byref(w))
            return {
                "optimal_hours": w.optimal_hours[:w.noptimal]
                if w.noptimal else [],
                "avoid_hours": w.avoid_hours[:w.navoid] if w.navoid else [],
                "confidence": w.confidence,
                "sample_count": w.sample_count,
            }
        finally:
            lib.ls_execution_window_free(ctypes.byref(w))

    def get_execution_stats(self):
        """Counts over the store: a dict of total_executions,
        success_without_retry_rate, total_patterns,
        avg_pattern_effectiveness, total_error_recoveries and
        unique_workspaces."""
        s = ExecutionStats()
        self._call(lib.ls_get_execution_stats, ctypes.byref(s))
        return {name: getattr(s, name) for name, _ in s._fields_}

    def get_recent_executions(self, limit=20, workspace_hash=None):
        """The executions (of workspace_hash, unless None or ""), the
        latest completed first, at most limit (negative: all), as
        ExecutionRecord records."""
        return [execution_record(r) for r in self._rows(
            lib.ls_get_recent_executions, Row, int(limit),
            text(workspace_hash))]

    def get_workspace_cluster(self, workspace_hash):
        """The cluster workspace_hash was assigned to; None when it has
        none (or was assigned None)."""
        if workspace_hash is None:
            # Python's "workspace_hash = NULL" matches no workspace.
            return None
        out = ctypes.c_void_p()
        if not self._found(lib.ls_get_workspace_cluster, text(workspace_hash),
                           ctypes.byref(out)):
            return None
        return take_string(out)

    def assign_workspace_cluster(self, workspace_hash, cluster_id):
        """Put workspace_hash in cluster_id, assigned now (local time),
        in place of any cluster it was in."""
        if workspace_hash is None:
            raise _lib.StoreError(_lib.SC_MISUSE,
                                  "a workspace hash is needed, not None")
        self._call(lib.ls_assign_workspace_cluster, text(workspace_hash),
                   text(cluster_id))

    def get_similar_workspaces(self, cluster_id, limit=10):
        """The workspace hashes of cluster_id, the latest assigned first,
        at most limit (negative: all)."""
        hashes = []

        def take(workspace_hash, arg):
            hashes.append(untext(workspace_hash))
            return 0

        self._listing(lib.ls_get_similar_workspaces, EACH_WORKSPACE_HASH,
                      take, text(cluster_id), int(limit))
        return hashes


def execution_record(r):
    """The ExecutionRecord of a row_values() dict of an execution: an
    unset or empty time reads as None, an unset number as 0, the error
    codes' JSON as a list."""
    for k, v in _UNSET.items():
        if r[k] is None:
            r[k] = v
    for k in ("started_at", "completed_at"):
        r[k] = datetime.fromisoformat(r[k]) if r[k] else None
    r["error_codes"] = json.loads(r["error_codes"] or "[]")
    return ExecutionRecord(**r)
