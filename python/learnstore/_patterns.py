"""Patterns: recording sightings and applications, scoring, listing,
one pattern and its provenance."""

import ctypes
import json
import uuid
from datetime import datetime

from . import _lib
from ._lib import b_t, d_t, db_t, i64_t, i_t, lib, out_t, s_t, text, untext
from .models import PatternRecord, QuarantineStatus, SuccessFactors

Row = _lib.row_struct("patterns")

_texts = ctypes.POINTER(ctypes.c_char_p)


class PatternInput(ctypes.Structure):
    """struct ls_pattern_input."""
    _fields_ = [
        ("pattern_type", ctypes.c_char_p),
        ("pattern_name", ctypes.c_char_p),
        ("description", ctypes.c_char_p),
        ("context_tags", _texts),
        ("ncontext_tags", ctypes.c_size_t),
        ("suggested_action", ctypes.c_char_p),
        ("provenance_job_hash", ctypes.c_char_p),
        ("provenance_sheet_num", ctypes.POINTER(ctypes.c_int64)),
        ("instrument_name", ctypes.c_char_p),
    ]


class PatternFilter(ctypes.Structure):
    """struct ls_pattern_filter."""
    _fields_ = [
        ("pattern_type", ctypes.c_char_p),
        ("min_priority", ctypes.c_double),
        ("limit", ctypes.c_int64),
        ("context_tags", _texts),
        ("ncontext_tags", ctypes.c_size_t),
        ("quarantine_status", ctypes.c_char_p),
        ("exclude_quarantined", ctypes.c_bool),
        ("has_min_trust", ctypes.c_bool),
        ("has_max_trust", ctypes.c_bool),
        ("min_trust", ctypes.c_double),
        ("max_trust", ctypes.c_double),
        ("include_inactive", ctypes.c_bool),
        ("instrument_name", ctypes.c_char_p),
        ("include_universal", ctypes.c_bool),
    ]


class Provenance(ctypes.Structure):
    """struct ls_provenance (its strings the library mallocs)."""
    _fields_ = [
        ("pattern_id", ctypes.c_char_p),
        ("pattern_name", ctypes.c_char_p),
        ("quarantine_status", ctypes.c_char_p),
        ("first_seen", ctypes.c_char_p),
        ("last_seen", ctypes.c_char_p),
        ("last_confirmed", ctypes.c_char_p),
        ("provenance_job_hash", ctypes.c_char_p),
        ("provenance_sheet_num", ctypes.c_int64),
        ("has_provenance_sheet_num", ctypes.c_bool),
        ("quarantined_at", ctypes.c_char_p),
        ("validated_at", ctypes.c_char_p),
        ("quarantine_reason", ctypes.c_char_p),
        ("trust_score", ctypes.c_double),
        ("trust_calculation_date", ctypes.c_char_p),
    ]


_lib.declare({
    "ls_record_pattern": (i_t, [db_t, ctypes.POINTER(PatternInput), out_t]),
    "ls_record_pattern_application": (i_t, [
        db_t, s_t, s_t, b_t, i64_t, i64_t, ctypes.POINTER(d_t),
        ctypes.POINTER(b_t), out_t]),
    "ls_update_pattern_effectiveness": (i_t, [db_t, s_t,
                                              ctypes.POINTER(d_t)]),
    "ls_recalculate_all_pattern_priorities": (i_t, [
        db_t, ctypes.POINTER(i64_t)]),
    "ls_soft_delete_pattern": (i_t, [db_t, s_t]),
    "ls_get_patterns": (i_t, [db_t, ctypes.POINTER(PatternFilter), Row.each,
                              ctypes.c_void_p]),
    "ls_get_pattern_by_id": (i_t, [db_t, s_t, ctypes.POINTER(Row)]),
    "ls_get_pattern_provenance": (i_t, [db_t, s_t,
                                        ctypes.POINTER(Provenance)]),
    "ls_provenance_free": (None, [ctypes.POINTER(Provenance)]),
})


def _time(value):
    """A time of a provenance as text; unset or empty as None, as the
    record reads it."""
    return untext(value) or None


# What an unset column of a pattern reads as: the schema's defaults, as
# the Python store's record holds them.
_UNSET = {"occurrence_count": 1, "led_to_success_count": 0,
          "led_to_failure_count": 0, "effectiveness_score": 0.5,
          "variance": 0.0, "priority_score": 0.5, "trust_score": 0.5,
          "active": 1}

_TIMES = ("first_seen", "last_seen", "last_confirmed", "quarantined_at",
          "validated_at", "trust_calculation_date",
          "success_factors_updated_at")


def pattern_record(r):
    """The PatternRecord of a row_values() dict of a pattern, read as the
    Python store reads a row: times parsed (unset or empty: None), tags
    and success factors from their JSON, an unset status pending."""
    for k, v in _UNSET.items():
        if r[k] is None:
            r[k] = v
    for k in _TIMES:
        r[k] = datetime.fromisoformat(r[k]) if r[k] else None
    r["context_tags"] = json.loads(r["context_tags"] or "[]")
    r["quarantine_status"] = QuarantineStatus(r["quarantine_status"]) \
        if r["quarantine_status"] else QuarantineStatus.PENDING
    r["success_factors"] = \
        SuccessFactors.from_dict(json.loads(r["success_factors"])) \
        if r["success_factors"] else None
    r["active"] = bool(r["active"])
    return PatternRecord(**r)


class PatternMixin:
    """The methods of this group (docs/python.md)."""

    def record_pattern(self, pattern_type, pattern_name, description=None,
                       context_tags=None, suggested_action=None,
                       provenance=None, provenance_job_hash=None,
                       provenance_sheet_num=None, instrument_name=None):
        """Record a sighting of a pattern.  Its id is 16 hex digits of
        SHA-256 of "type:normalised name" (lowercased, white space
        collapsed); a stored pattern of that id counts one more
        occurrence (last seen now, tags replaced, description and action
        kept unless given, active again); else one with the same content
        hash (type, normalised name, description) takes the sighting;
        else a new pending pattern starts (effectiveness, priority and
        trust 0.5).  provenance (its job_hash and sheet_num) takes the
        place of provenance_job_hash and provenance_sheet_num.  Returns
        the id of the pattern that counted the sighting."""
        if provenance is not None:
            job_hash = provenance.job_hash
            sheet_num = provenance.sheet_num
        else:
            job_hash, sheet_num = provenance_job_hash, provenance_sheet_num
        tags, ntags = _lib.text_array(context_tags, stored=True)
        p = PatternInput(
            pattern_type=text(pattern_type), pattern_name=text(pattern_name),
            description=text(description), context_tags=tags,
            ncontext_tags=ntags, suggested_action=text(suggested_action),
            provenance_job_hash=text(job_hash),
            provenance_sheet_num=None if sheet_num is None else
            ctypes.pointer(ctypes.c_int64(int(sheet_num))),
            instrument_name=text(instrument_name))
        out = _lib.HashText()
        self._call(lib.ls_record_pattern, ctypes.byref(p), out)
        return untext(out.value)

    def record_pattern_application(self, pattern_id, execution_id,
                                   pattern_led_to_success,
                                   retry_count_before=0, retry_count_after=0,
                                   application_mode="exploitation",
                                   validation_passed=None,
                                   grounding_confidence=None):
        """Record that pattern_id was applied in execution_id (now, local
        time), count its success or failure (a success confirms it now)
        and rescore it (update_pattern_effectiveness's scores), in one
        transaction.  Returns the application's id (a UUID4), also when
        no such pattern exists and nothing is written.  application_mode
        and validation_passed are not stored, as in the Python store."""
        if pattern_id is None:
            # Python's "id = NULL" finds no pattern: nothing is written.
            return str(uuid.uuid4())
        grounding = None if grounding_confidence is None else \
            ctypes.byref(ctypes.c_double(float(grounding_confidence)))
        out = _lib.UuidText()
        self._call(lib.ls_record_pattern_application, text(pattern_id),
                   text(execution_id), bool(pattern_led_to_success),
                   int(retry_count_before), int(retry_count_after),
                   grounding, None, out)
        return untext(out.value)

    def update_pattern_effectiveness(self, pattern_id):
        """Rescore pattern_id now and store both scores: effectiveness
        0.55 below 3 applications, else (0.7 * the success rate of its
        last 5 applications + 0.3 * (successes + 0.5) / (applications +
        1)) * 0.9 ** (days since confirmed / 30) * (0.7 + 0.3 * their
        mean grounding); priority effectiveness * max(0.6, min(1,
        log10(occurrences + 1) / 2)) * (1 - variance), clamped.  Returns
        the new effectiveness, None when there is no such pattern."""
        if pattern_id is None:
            return None
        eff = ctypes.c_double()
        if not self._found(lib.ls_update_pattern_effectiveness,
                           text(pattern_id), ctypes.byref(eff)):
            return None
        return eff.value

    def recalculate_all_pattern_priorities(self):
        """Rescore every pattern as update_pattern_effectiveness does, in
        one transaction.  Returns how many were rescored."""
        n = ctypes.c_int64()
        self._call(lib.ls_recalculate_all_pattern_priorities,
                   ctypes.byref(n))
        return n.value

    def soft_delete_pattern(self, pattern_id):
        """Make pattern_id inactive (its row stays; recording it again
        makes it active).  Returns True when an active pattern was made
        inactive, False when there is none or it was inactive already."""
        if pattern_id is None:
            return False
        return self._found(lib.ls_soft_delete_pattern, text(pattern_id))

    def get_patterns(self, pattern_type=None, min_priority=0.01, limit=20,
                     context_tags=None, quarantine_status=None,
                     exclude_quarantined=False, min_trust=None,
                     max_trust=None, include_inactive=False,
                     instrument_name=None, include_universal=True):
        """The patterns with priority >= min_priority, active unless
        include_inactive, of pattern_type (unless None or ""), of
        instrument_name (unless None; with include_universal also those
        of no instrument), of quarantine_status (a QuarantineStatus; else
        not quarantined when exclude_quarantined), with trust within
        min_trust and max_trust (None: no bound) and one of context_tags
        (None or empty: any), the highest priority first, at most limit
        (negative: all), as PatternRecord records."""
        tags, ntags = _lib.text_array(context_tags)
        status = None if quarantine_status is None else \
            getattr(quarantine_status, "value", quarantine_status)
        f = PatternFilter(
            pattern_type=text(pattern_type), min_priority=float(min_priority),
            limit=_lib.c_int(limit), context_tags=tags, ncontext_tags=ntags,
            quarantine_status=text(status),
            exclude_quarantined=bool(exclude_quarantined),
            has_min_trust=min_trust is not None,
            has_max_trust=max_trust is not None,
            min_trust=0.0 if min_trust is None else float(min_trust),
            max_trust=0.0 if max_trust is None else float(max_trust),
            include_inactive=bool(include_inactive),
            instrument_name=text(instrument_name),
            include_universal=bool(include_universal))
        return self._pattern_records(lib.ls_get_patterns, ctypes.byref(f))

    def get_pattern_by_id(self, pattern_id):
        """The pattern pattern_id as a PatternRecord; None when there is
        none."""
        if pattern_id is None:
            return None
        r = self._fill(lib.ls_get_pattern_by_id, Row, text(pattern_id))
        return None if r is None else pattern_record(r)

    def get_pattern_provenance(self, pattern_id):
        """Where pattern_id came from and where it stands: a dict of
        pattern_id, pattern_name, quarantine_status (its value),
        first_seen, last_seen, last_confirmed (ISO-8601 text),
        provenance_job_hash, provenance_sheet_num, quarantined_at,
        validated_at (text or None), quarantine_reason, trust_score and
        trust_calculation_date (text or None).  None when there is no
        such pattern."""
        if pattern_id is None:
            return None
        p = Provenance()
        try:
            if not self._found(lib.ls_get_pattern_provenance,
                               text(pattern_id), ctypes.byref(p)):
                return None
            return {
                "pattern_id": untext(p.pattern_id),
                "pattern_name": untext(p.pattern_name),
                "quarantine_status": untext(p.quarantine_status),
                "first_seen": _time(p.first_seen),
                "last_seen": _time(p.last_seen),
                "last_confirmed": _time(p.last_confirmed),
                "provenance_job_hash": untext(p.provenance_job_hash),
                "provenance_sheet_num": p.provenance_sheet_num
                if p.has_provenance_sheet_num else None,
                "quarantined_at": _time(p.quarantined_at),
                "validated_at": _time(p.validated_at),
                "quarantine_reason": untext(p.quarantine_reason),
                "trust_score": p.trust_score,
                "trust_calculation_date": _time(p.trust_calculation_date),
            }
        finally:
            lib.ls_provenance_free(ctypes.byref(p))

    def _pattern_records(self, fn, *args):
        """The PatternRecord records of a listing fn(db, *args, each,
        NULL) of patterns."""
        return [pattern_record(r) for r in self._rows(fn, Row, *args)]
