"""Executions: statistics over them, the recent ones, and workspace
clusters."""

import ctypes
import json
from datetime import datetime

from . import _lib
from ._lib import db_t, i64_t, i_t, lib, s_t, take_string, text, untext
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


# int (*each)(const char *workspace_hash, void *arg)
EACH_WORKSPACE_HASH = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_char_p,
                                       ctypes.c_void_p)

_lib.declare({
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

        def each(workspace_hash, arg):
            hashes.append(untext(workspace_hash))
            return 0

        cb = EACH_WORKSPACE_HASH(each)
        self._call(lib.ls_get_similar_workspaces, text(cluster_id),
                   int(limit), cb, None)
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
