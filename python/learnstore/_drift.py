"""Effectiveness and epistemic drift of patterns, and retiring drifting ones."""


class DriftMixin:
    """The methods of this group (docs/python.md)."""
