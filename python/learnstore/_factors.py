"""Success factors of patterns: why they worked."""


class FactorsMixin:
    """The methods of this group (docs/python.md)."""
