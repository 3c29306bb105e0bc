"""The exploration budget: its records, adjustments and statistics."""

import ctypes
from datetime import datetime

from . import _lib
from ._lib import d_t, db_t, i64_t, i_t, lib, s_t, text
from .models import ExplorationBudgetRecord

Row = _lib.row_struct("exploration_budget")


class BudgetParams(ctypes.Structure):
    """struct ls_budget_params."""
    _fields_ = [
        ("floor", ctypes.c_double),
        ("ceiling", ctypes.c_double),
        ("decay_rate", ctypes.c_double),
        ("boost_amount", ctypes.c_double),
        ("entropy_threshold", ctypes.c_double),
        ("initial_budget", ctypes.c_double),
    ]


class BudgetStats(ctypes.Structure):
    """struct ls_budget_stats."""
    _fields_ = [
        ("has_current_budget", ctypes.c_bool),
        ("current_budget", ctypes.c_double),
        ("avg_budget", ctypes.c_double),
        ("min_budget", ctypes.c_double),
        ("max_budget", ctypes.c_double),
        ("total_adjustments", ctypes.c_int64),
        ("floor_enforcements", ctypes.c_int64),
        ("boost_count", ctypes.c_int64),
        ("decay_count", ctypes.c_int64),
    ]


_lib.declare({
    "ls_update_exploration_budget": (i_t, [
        db_t, s_t, d_t, s_t, ctypes.POINTER(d_t), s_t, d_t, d_t,
        ctypes.POINTER(Row)]),
    "ls_get_exploration_budget": (i_t, [db_t, s_t, ctypes.POINTER(Row)]),
    "ls_get_exploration_budget_history": (i_t, [db_t, s_t, i64_t, Row.each,
                                                ctypes.c_void_p]),
    "ls_calculate_budget_adjustment": (i_t, [
        db_t, s_t, d_t, ctypes.POINTER(BudgetParams), ctypes.POINTER(Row)]),
    "ls_get_exploration_budget_statistics": (i_t, [
        db_t, s_t, ctypes.POINTER(BudgetStats)]),
})


class BudgetMixin:
    """The methods of this group (docs/python.md)."""

    def get_exploration_budget(self, job_hash=None):
        """The latest budget record of job_hash (None or "": of any job),
        as an ExplorationBudgetRecord; None when there is none."""
        r = self._fill(lib.ls_get_exploration_budget, Row, text(job_hash))
        return None if r is None else _record(r)

    def get_exploration_budget_history(self, job_hash=None, limit=50):
        """The budget records of job_hash (None or "": of any job), newest
        first, at most limit (negative: all), as ExplorationBudgetRecord
        records."""
        return [_record(r) for r in self._rows(
            lib.ls_get_exploration_budget_history, Row, text(job_hash),
            int(limit))]

    def update_exploration_budget(self, job_hash, budget_value,
                                  adjustment_type, entropy_at_time=None,
                                  adjustment_reason=None, floor=0.05,
                                  ceiling=0.50):
        """Record budget_value for job_hash, now (local time), clamped
        into [floor, ceiling]; when clamped, the type is "floor_enforced"
        or "ceiling_enforced" and the reason names the bound.  Returns
        the stored ExplorationBudgetRecord."""
        entropy = None if entropy_at_time is None else \
            ctypes.byref(ctypes.c_double(float(entropy_at_time)))
        return _record(self._fill(
            lib.ls_update_exploration_budget, Row, text(job_hash),
            float(budget_value), text(adjustment_type), entropy,
            text(adjustment_reason), float(floor), float(ceiling)))

    def calculate_budget_adjustment(self, job_hash, current_entropy,
                                    floor=0.05, ceiling=0.50,
                                    decay_rate=0.95, boost_amount=0.10,
                                    entropy_threshold=0.3,
                                    initial_budget=0.15):
        """Record job_hash's next budget: initial_budget ("initial") when
        it has none; else below entropy_threshold the latest budget +
        boost_amount ("boost"), otherwise it * decay_rate ("decay");
        clamped as update_exploration_budget clamps.  Returns the stored
        ExplorationBudgetRecord."""
        p = BudgetParams(
            floor=float(floor), ceiling=float(ceiling),
            decay_rate=float(decay_rate), boost_amount=float(boost_amount),
            entropy_threshold=float(entropy_threshold),
            initial_budget=float(initial_budget))
        return _record(self._fill(
            lib.ls_calculate_budget_adjustment, Row, text(job_hash),
            float(current_entropy), ctypes.byref(p)))

    def get_exploration_budget_statistics(self, job_hash=None):
        """Over the budget records of job_hash (None or "": of every job),
        a dict of current_budget (None without records), avg_budget,
        min_budget, max_budget, total_adjustments, floor_enforcements,
        boost_count and decay_count."""
        s = BudgetStats()
        self._call(lib.ls_get_exploration_budget_statistics, text(job_hash),
                   ctypes.byref(s))
        return {
            "current_budget":
                s.current_budget if s.has_current_budget else None,
            "avg_budget": s.avg_budget,
            "min_budget": s.min_budget,
            "max_budget": s.max_budget,
            "total_adjustments": s.total_adjustments,
            "floor_enforcements": s.floor_enforcements,
            "boost_count": s.boost_count,
            "decay_count": s.decay_count,
        }


def _record(fields):
    """The ExplorationBudgetRecord of a row_values() dict."""
    fields["recorded_at"] = datetime.fromisoformat(fields["recorded_at"])
    return ExplorationBudgetRecord(**fields)
