"""Escalation decisions: recorded, listed, matched to similar ones, and
their outcomes."""

import ctypes
from datetime import datetime

from . import _lib
from ._lib import d_t, db_t, i64_t, i_t, lib, out_t, s_t, text, untext
from .models import EscalationDecisionRecord

Row = _lib.row_struct("escalation_decisions")


class EscalationInput(ctypes.Structure):
    """struct ls_escalation."""
    _fields_ = [
        ("job_id", ctypes.c_char_p),
        ("sheet_num", ctypes.c_int64),
        ("confidence", ctypes.c_double),
        ("action", ctypes.c_char_p),
        ("validation_pass_rate", ctypes.c_double),
        ("retry_count", ctypes.c_int64),
        ("guidance", ctypes.c_char_p),
        ("outcome_after_action", ctypes.c_char_p),
        ("model", ctypes.c_char_p),
    ]


_lib.declare({
    "ls_record_escalation_decision": (i_t, [
        db_t, ctypes.POINTER(EscalationInput), out_t]),
    "ls_get_escalation_history": (i_t, [db_t, s_t, s_t, i64_t, Row.each,
                                        ctypes.c_void_p]),
    "ls_get_similar_escalation": (i_t, [db_t, d_t, d_t, d_t, d_t, i64_t,
                                        Row.each, ctypes.c_void_p]),
    "ls_update_escalation_outcome": (i_t, [db_t, s_t, s_t]),
})


class EscalationMixin:
    """The methods of this group (docs/python.md)."""

    def record_escalation_decision(self, job_id, sheet_num, confidence,
                                   action, validation_pass_rate,
                                   retry_count, guidance=None,
                                   outcome_after_action=None, model=None):
        """Record the action taken on an escalation of job_id's sheet,
        stamped with the local time.  Returns the new record's id (for
        update_escalation_outcome)."""
        e = EscalationInput(
            job_id=text(job_id), sheet_num=int(sheet_num),
            confidence=float(confidence), action=text(action),
            validation_pass_rate=float(validation_pass_rate),
            retry_count=int(retry_count), guidance=text(guidance),
            outcome_after_action=text(outcome_after_action),
            model=text(model))
        out = _lib.UuidText()
        self._call(lib.ls_record_escalation_decision, ctypes.byref(e), out)
        return untext(out.value)

    def get_escalation_history(self, job_id=None, action=None, limit=20):
        """The escalations of job_id with action (None: any), newest
        first, at most limit (negative: all), as EscalationDecisionRecord
        records."""
        return _records(self._rows(lib.ls_get_escalation_history, Row,
                                   text(job_id), text(action), int(limit)))

    def get_similar_escalation(self, confidence, validation_pass_rate,
                               confidence_tolerance=0.15,
                               pass_rate_tolerance=15.0, limit=5):
        """Escalations within confidence_tolerance of confidence and
        pass_rate_tolerance of validation_pass_rate: outcome "success"
        first, then "skipped", then none, then the others, each the
        closest first (confidence difference + pass rate difference /
        100); at most limit, as EscalationDecisionRecord records."""
        return _records(self._rows(
            lib.ls_get_similar_escalation, Row, float(confidence),
            float(validation_pass_rate), float(confidence_tolerance),
            float(pass_rate_tolerance), int(limit)))

    def update_escalation_outcome(self, escalation_id, outcome_after_action):
        """Record what followed an escalation's action; False when there
        is no escalation escalation_id."""
        if escalation_id is None:
            # Python's "id = NULL" matches no escalation.
            return False
        return self._found(lib.ls_update_escalation_outcome,
                           text(escalation_id), text(outcome_after_action))


def _records(rows):
    """The EscalationDecisionRecord records of row_values() dicts."""
    for r in rows:
        r["recorded_at"] = datetime.fromisoformat(r["recorded_at"])
    return [EscalationDecisionRecord(**r) for r in rows]
