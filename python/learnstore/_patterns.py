"""Patterns: recording sightings and applications, scoring, listing."""

import json
from datetime import datetime

from . import _lib
from .models import PatternRecord, QuarantineStatus, SuccessFactors

Row = _lib.row_struct("patterns")

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

    def _pattern_records(self, fn, *args):
        """The PatternRecord records of a listing fn(db, *args, each,
        NULL) of patterns."""
        return [pattern_record(r) for r in self._rows(fn, Row, *args)]
