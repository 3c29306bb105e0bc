"""The evolution trajectory: cycles recorded and read back."""

import ctypes
import json
from datetime import datetime

from . import _lib
from ._lib import _I64_MAX, _I64_MIN, c_int64, db_t, i64_t, i_t, lib, \
    out_t, s_t, text, untext
from .models import EvolutionTrajectoryEntry

Row = _lib.row_struct("evolution_trajectory")

# The range of a C int64_t.


class EvolutionEntry(ctypes.Structure):
    """struct ls_evolution_entry."""
    _fields_ = [
        ("cycle", ctypes.c_int64),
        ("evolutions_completed", ctypes.c_int64),
        ("evolutions_deferred", ctypes.c_int64),
        ("issue_classes", ctypes.POINTER(ctypes.c_char_p)),
        ("nissue_classes", ctypes.c_size_t),
        ("cv_avg", ctypes.c_double),
        ("implementation_loc", ctypes.c_int64),
        ("test_loc", ctypes.c_int64),
        ("loc_accuracy", ctypes.c_double),
        ("research_candidates_resolved", ctypes.c_int64),
        ("research_candidates_created", ctypes.c_int64),
        ("notes", ctypes.c_char_p),
    ]


class RecurringIssue(ctypes.Structure):
    """struct ls_recurring_issue."""
    _fields_ = [
        ("issue", ctypes.c_char_p),
        ("cycles", ctypes.POINTER(ctypes.c_int64)),
        ("ncycles", ctypes.c_size_t),
    ]


_lib.declare({
    "ls_record_evolution_entry": (i_t, [db_t, ctypes.POINTER(EvolutionEntry),
                                        out_t]),
    "ls_record_evolution_cycle": (i_t, [db_t, i64_t, i64_t, i64_t, s_t, s_t,
                                        s_t, out_t]),
    "ls_get_trajectory": (i_t, [db_t, ctypes.POINTER(i64_t),
                                ctypes.POINTER(i64_t), i64_t, Row.each,
                                ctypes.c_void_p]),
    "ls_get_evolution_history": (i_t, [db_t, i64_t, Row.each,
                                       ctypes.c_void_p]),
    "ls_get_recurring_issues": (i_t, [
        db_t, i64_t, ctypes.POINTER(i64_t),
        ctypes.POINTER(ctypes.POINTER(RecurringIssue)),
        ctypes.POINTER(ctypes.c_size_t)]),
    "ls_recurring_issues_free": (None, [ctypes.POINTER(RecurringIssue),
                                        ctypes.c_size_t]),
})

# The fields record_evolution_entry reads of an entry object, in order.
_ENTRY_FIELDS = (
    "cycle", "evolutions_completed", "evolutions_deferred", "issue_classes",
    "cv_avg", "implementation_loc", "test_loc", "loc_accuracy",
    "research_candidates_resolved", "research_candidates_created", "notes",
)


def _i64(n):
    """n as an int64_t; OverflowError beyond its range, as sqlite3 raises
    for an integer SQLite cannot hold."""
    n = int(n)
    if not _I64_MIN <= n <= _I64_MAX:
        raise OverflowError("Python int too large to convert to SQLite "
                            "INTEGER")
    return n


def _issue_texts(issue_classes):
    """The issue classes as the texts the library stores: a lone string
    is one class, None stays None (written null, as json.dumps writes
    it), any other item is stored as str() of it."""
    if isinstance(issue_classes, (str, bytes)):
        issue_classes = [issue_classes]
    return [c.decode("utf-8") if isinstance(c, bytes)
            else c if c is None else str(c) for c in issue_classes]


def _entry(r):
    """The EvolutionTrajectoryEntry of a row_values() dict."""
    r["recorded_at"] = datetime.fromisoformat(r["recorded_at"])
    r["issue_classes"] = json.loads(r["issue_classes"])
    return EvolutionTrajectoryEntry(**r)


class EvolutionMixin:
    """The methods of this group (docs/python.md)."""

    def record_evolution_entry(self, cycle=None, evolutions_completed=None,
                               evolutions_deferred=None, issue_classes=None,
                               cv_avg=None, implementation_loc=None,
                               test_loc=None, loc_accuracy=None,
                               research_candidates_resolved=0,
                               research_candidates_created=0, notes="", *,
                               entry=None):
        """Record one evolution cycle, stamped with the local time; entry
        (an EvolutionEntryInput, or any object with its attributes), when
        given, takes the place of every other argument.  Returns the new
        entry's id.  TypeError when a field without a default is None;
        StoreError (SC_CONSTRAINT) when the cycle is recorded already."""
        if entry is not None:
            (cycle, evolutions_completed, evolutions_deferred, issue_classes,
             cv_avg, implementation_loc, test_loc, loc_accuracy,
             research_candidates_resolved, research_candidates_created,
             notes) = (getattr(entry, f) for f in _ENTRY_FIELDS)
        if cycle is None or evolutions_completed is None \
                or evolutions_deferred is None:
            raise TypeError("cycle, evolutions_completed, "
                            "evolutions_deferred are required")
        if issue_classes is None or cv_avg is None:
            raise TypeError("issue_classes, cv_avg are required")
        if implementation_loc is None or test_loc is None \
                or loc_accuracy is None:
            raise TypeError("implementation_loc, test_loc, loc_accuracy "
                            "are required")
        array, nissues = _lib.text_array(_issue_texts(issue_classes),
                                         stored=True)
        e = EvolutionEntry(
            cycle=_i64(cycle),
            evolutions_completed=_i64(evolutions_completed),
            evolutions_deferred=_i64(evolutions_deferred),
            issue_classes=ctypes.cast(array, ctypes.POINTER(ctypes.c_char_p)),
            nissue_classes=nissues,
            cv_avg=float(cv_avg),
            implementation_loc=_i64(implementation_loc),
            test_loc=_i64(test_loc),
            loc_accuracy=float(loc_accuracy),
            # An unset count reads back as 0, as the Python store reads it.
            research_candidates_resolved=_i64(
                research_candidates_resolved or 0),
            research_candidates_created=_i64(
                research_candidates_created or 0),
            notes=text(notes))
        out = _lib.UuidText()
        self._call(lib.ls_record_evolution_entry, ctypes.byref(e), out)
        return untext(out.value)

    def record_evolution_cycle(self, cycle_number, candidates_generated,
                               candidates_applied, changes_summary, outcome,
                               learning_snapshot):
        """Record cycle_number as record_evolution_entry does: completed =
        candidates_applied, deferred = generated - applied, issue classes
        [outcome.lower()], cv 0.0, no lines of code, accuracy 1.0, notes
        "SUMMARY\\n\\nOutcome: OUTCOME\\nLearning snapshot: " followed by
        json.dumps(learning_snapshot).  Returns the new entry's id."""
        snapshot = json.dumps(learning_snapshot)
        if not isinstance(outcome, str):
            # The Python store calls outcome.lower().
            raise AttributeError("%r object has no attribute 'lower'"
                                 % type(outcome).__name__)
        # The deferred count must fit as the others do.
        _i64(candidates_generated - candidates_applied)
        out = _lib.UuidText()
        self._call(lib.ls_record_evolution_cycle, _i64(cycle_number),
                   _i64(candidates_generated), _i64(candidates_applied),
                   text(format(changes_summary)), text(outcome),
                   text(snapshot), out)
        return untext(out.value)

    def get_trajectory(self, start_cycle=None, end_cycle=None, limit=50):
        """The EvolutionTrajectoryEntry records of the cycles from
        start_cycle to end_cycle (None: open), the latest cycle first, at
        most limit (negative: all)."""
        start = None if start_cycle is None else \
            ctypes.byref(ctypes.c_int64(c_int64(start_cycle)))
        end = None if end_cycle is None else \
            ctypes.byref(ctypes.c_int64(c_int64(end_cycle)))
        return [_entry(r) for r in self._rows(
            lib.ls_get_trajectory, Row, start, end, c_int64(limit))]

    def get_evolution_history(self, last_n=10):
        """get_trajectory(limit=last_n): the latest last_n cycles as
        EvolutionTrajectoryEntry records, the latest first."""
        return [_entry(r) for r in self._rows(
            lib.ls_get_evolution_history, Row, c_int64(last_n))]

    def get_recurring_issues(self, min_occurrences=2, window_cycles=None):
        """A dict of each issue class addressed in at least
        min_occurrences cycles (of the latest window_cycles cycles unless
        None; negative: all) to those cycles, latest first; the classes
        in the order first met from the latest cycle down."""
        window = None if window_cycles is None else \
            ctypes.byref(ctypes.c_int64(c_int64(window_cycles)))
        v = ctypes.POINTER(RecurringIssue)()
        n = ctypes.c_size_t()
        try:
            self._call(lib.ls_get_recurring_issues, c_int64(min_occurrences),
                       window, ctypes.byref(v), ctypes.byref(n))
            return {untext(v[i].issue):
                    [v[i].cycles[k] for k in range(v[i].ncycles)]
                    for i in range(n.value)}
        finally:
            lib.ls_recurring_issues_free(v, n.value)
