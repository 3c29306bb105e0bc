"""The records the learning store's methods return: dataclasses with the
names and fields of the Python store's models, so code written against
those reads these unchanged.  Only the records of the ported methods are
here so far (docs/python.md)."""

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import ClassVar


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


__all__ = ["EscalationDecisionRecord", "ExecutionRecord",
           "ExplorationBudgetRecord", "RateLimitEvent"]
