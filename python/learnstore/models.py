"""The records the learning store's methods return: dataclasses with the
names and fields of the Python store's models, so code written against
those reads these unchanged.  Only the records of the ported methods are
here so far (docs/python.md)."""

from dataclasses import dataclass
from datetime import datetime


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


__all__ = ["RateLimitEvent"]
