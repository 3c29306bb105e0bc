"""Trust scores of patterns."""


class TrustMixin:
    """The methods of this group (docs/python.md)."""
