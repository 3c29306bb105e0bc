"""The records the learning store's methods return: dataclasses with the
names and fields of the Python store's models, so code written against
those reads these unchanged.  Only the records of the ported methods are
here so far (docs/python.md)."""

from dataclasses import dataclass, field, is_dataclass
from datetime import datetime, timezone
from enum import Enum
from typing import Any, ClassVar


class QuarantineStatus(str, Enum):
    """Where a pattern stands in its life: pending until validated by its
    applications or quarantined for review; retired when out of use."""

    PENDING = "pending"
    QUARANTINED = "quarantined"
    VALIDATED = "validated"
    RETIRED = "retired"


@dataclass
class SuccessFactors:
    """Why a pattern succeeded: the conditions present when it did."""

    validation_types: list[str] = field(default_factory=list)
    error_categories: list[str] = field(default_factory=list)
    prior_sheet_status: str | None = None
    time_of_day_bucket: str | None = None
    retry_iteration: int = 0
    escalation_was_pending: bool = False
    grounding_confidence: float | None = None
    occurrence_count: int = 1
    success_rate: float = 1.0

    def __post_init__(self) -> None:
        self.success_rate = max(0.0, min(1.0, self.success_rate))
        self.occurrence_count = max(1, self.occurrence_count)

    def to_dict(self) -> dict[str, Any]:
        """The fields as the JSON object the store keeps."""
        return {
            "validation_types": self.validation_types,
            "error_categories": self.error_categories,
            "prior_sheet_status": self.prior_sheet_status,
            "time_of_day_bucket": self.time_of_day_bucket,
            "retry_iteration": self.retry_iteration,
            "escalation_was_pending": self.escalation_was_pending,
            "grounding_confidence": self.grounding_confidence,
            "occurrence_count": self.occurrence_count,
            "success_rate": self.success_rate,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "SuccessFactors":
        """The factors of a to_dict() object; missing keys take the
        defaults."""
        return cls(
            validation_types=data.get("validation_types", []),
            error_categories=data.get("error_categories", []),
            prior_sheet_status=data.get("prior_sheet_status"),
            time_of_day_bucket=data.get("time_of_day_bucket"),
            retry_iteration=data.get("retry_iteration", 0),
            escalation_was_pending=data.get("escalation_was_pending", False),
            grounding_confidence=data.get("grounding_confidence"),
            occurrence_count=data.get("occurrence_count", 1),
            success_rate=data.get("success_rate", 1.0),
        )

    @staticmethod
    def get_time_bucket(hour: int) -> str:
        """The bucket of an hour (0-23): morning from 5, afternoon from
        12, evening from 17, night from 21."""
        if 5 <= hour < 12:
            return "morning"
        if 12 <= hour < 17:
            return "afternoon"
        if 17 <= hour < 21:
            return "evening"
        return "night"


@dataclass
class ExecutionRecord:
    """One sheet's execution: where and when it ran and how it went."""

    id: str
    workspace_hash: str
    job_hash: str
    sheet_num: int
    started_at: datetime | None
    completed_at: datetime | None
    duration_seconds: float
    status: str
    retry_count: int
    success_without_retry: bool
    validation_pass_rate: float
    confidence_score: float
    model: str | None
    error_codes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        # No negative duration or retries; rates within [0, 1].
        self.duration_seconds = max(0.0, self.duration_seconds)
        self.retry_count = max(0, self.retry_count)
        self.validation_pass_rate = max(
            0.0, min(1.0, self.validation_pass_rate))
        self.confidence_score = max(0.0, min(1.0, self.confidence_score))


@dataclass
class PatternRecord:
    """A learned pattern: how often it was seen, how it worked out, where
    it stands in its life and how far it is trusted."""

    id: str
    pattern_type: str
    pattern_name: str
    description: str | None
    occurrence_count: int
    first_seen: datetime
    last_seen: datetime
    last_confirmed: datetime
    led_to_success_count: int
    led_to_failure_count: int
    effectiveness_score: float
    variance: float
    suggested_action: str | None
    context_tags: list[str]
    priority_score: float
    quarantine_status: QuarantineStatus = QuarantineStatus.PENDING
    provenance_job_hash: str | None = None
    provenance_sheet_num: int | None = None
    quarantined_at: datetime | None = None
    validated_at: datetime | None = None
    quarantine_reason: str | None = None
    trust_score: float = 0.5
    trust_calculation_date: datetime | None = None
    success_factors: SuccessFactors | None = None
    success_factors_updated_at: datetime | None = None
    active: bool = True
    content_hash: str | None = None
    instrument_name: str | None = None

    def __post_init__(self) -> None:
        self.trust_score = max(0.0, min(1.0, self.trust_score))
        self.effectiveness_score = max(0.0, min(1.0,
                                                self.effectiveness_score))
        self.variance = max(0.0, self.variance)
        self.priority_score = max(0.0, self.priority_score)


@dataclass
class ErrorRecoveryRecord:
    """How waiting out one error went: the wait suggested, the wait taken
    and whether it worked."""

    id: str
    error_code: str
    suggested_wait: float
    actual_wait: float
    recovery_success: bool
    recorded_at: datetime
    model: str | None
    time_of_day: int

    def __post_init__(self) -> None:
        self.time_of_day = max(0, min(23, self.time_of_day))


@dataclass
class RateLimitEvent:
    """A rate limit one job hit, shared with every job using the store
    until it expires."""

    id: str
    error_code: str
    model: str | None
    recorded_at: datetime
    expires_at: datetime
    source_job_hash: str
    duration_seconds: float

    def __post_init__(self) -> None:
        # An expiry before the recording reads as the recording time.
        if self.expires_at < self.recorded_at:
            self.expires_at = self.recorded_at


@dataclass
class EscalationDecisionRecord:
    """The action a human or automatic handler took on an escalated sheet,
    and (once known) what followed."""

    id: str
    job_hash: str
    sheet_num: int
    confidence: float
    action: str
    guidance: str | None
    validation_pass_rate: float
    retry_count: int
    outcome_after_action: str | None = None
    recorded_at: datetime = field(
        default_factory=lambda: datetime.now(tz=timezone.utc))
    model: str | None = None

    # The actions a record may hold; any other reads as "abort".
    _VALID_ACTIONS: ClassVar[frozenset[str]] = frozenset(
        {"retry", "skip", "abort", "modify_prompt"})

    def __post_init__(self) -> None:
        self.confidence = max(0.0, min(1.0, self.confidence))
        if self.action not in self._VALID_ACTIONS:
            self.action = "abort"


@dataclass
class ExplorationBudgetRecord:
    """One state of the exploration budget (the share of pattern choices
    spent exploring) and why it changed."""

    id: str
    job_hash: str
    recorded_at: datetime
    budget_value: float
    entropy_at_time: float | None
    adjustment_type: str
    adjustment_reason: str | None = None


# ---- patterns: recording, applications, scores, queries, provenance ----

@dataclass(frozen=True)
class PatternProvenance:
    """Where a pattern was first seen: the job's hash and the sheet, which
    record_pattern takes together."""

    job_hash: str | None = None
    sheet_num: int | None = None


# ---- discovery broadcast and drift --------------------------------------

@dataclass
class PatternDiscoveryEvent:
    """A pattern one job discovered, broadcast to the jobs running beside
    it until it expires."""

    id: str
    pattern_id: str
    pattern_name: str
    pattern_type: str
    source_job_hash: str
    recorded_at: datetime
    expires_at: datetime
    effectiveness_score: float
    context_tags: list[str] = field(default_factory=list)


@dataclass
class DriftMetrics:
    """How a pattern's success rate moved between its older and its recent
    window of applications."""

    pattern_id: str
    pattern_name: str
    window_size: int
    effectiveness_before: float
    effectiveness_after: float
    grounding_confidence_avg: float
    drift_magnitude: float
    drift_direction: str
    applications_analyzed: int
    threshold_exceeded: bool = False


@dataclass
class EpistemicDriftMetrics:
    """How the grounding confidence in a pattern moved between its older
    and its recent window of applications, and how unsteady it is."""

    pattern_id: str
    pattern_name: str
    window_size: int
    confidence_before: float
    confidence_after: float
    belief_change: float
    belief_entropy: float
    applications_analyzed: int
    threshold_exceeded: bool = False
    drift_direction: str = "stable"


# ---- evolution trajectory and entropy ------------------------------------

@dataclass
class EvolutionEntryInput:
    """What record_evolution_entry() records of one evolution cycle, in
    one object (its individual arguments, bundled)."""

    cycle: int
    evolutions_completed: int
    evolutions_deferred: int
    issue_classes: list[str]
    cv_avg: float
    implementation_loc: int
    test_loc: int
    loc_accuracy: float
    research_candidates_resolved: int = 0
    research_candidates_created: int = 0
    notes: str = ""


@dataclass
class EvolutionTrajectoryEntry:
    """One evolution cycle of the trajectory: what it completed and
    deferred, the issue classes it addressed and what it cost."""

    id: str
    cycle: int
    recorded_at: datetime
    evolutions_completed: int
    evolutions_deferred: int
    issue_classes: list[str]
    cv_avg: float
    implementation_loc: int
    test_loc: int
    loc_accuracy: float
    research_candidates_resolved: int = 0
    research_candidates_created: int = 0
    notes: str = ""


@dataclass
class PatternEntropyMetrics:
    """How evenly applications are spread over the patterns: Shannon
    entropy in bits, its maximum, their ratio (the diversity index) and
    the share of the most applied pattern."""

    calculated_at: datetime
    shannon_entropy: float
    max_possible_entropy: float
    diversity_index: float
    unique_pattern_count: int
    effective_pattern_count: int
    total_applications: int
    dominant_pattern_share: float
    # Set by the caller (the store computes no threshold).
    threshold_exceeded: bool = False


@dataclass
class EntropyResponseRecord:
    """One response to low entropy: what triggered it and what it did
    (a budget boost, quarantined patterns sent back to pending)."""

    id: str
    job_hash: str
    recorded_at: datetime
    entropy_at_trigger: float
    threshold_used: float
    actions_taken: list[str]
    budget_boosted: bool = False
    quarantine_revisits: int = 0
    patterns_revisited: list[str] = field(default_factory=list)


# Every record class and enum above.
__all__ = sorted(n for n, v in list(globals().items())
                 if isinstance(v, type) and v.__module__ == __name__
                 and (is_dataclass(v) or issubclass(v, Enum)))
