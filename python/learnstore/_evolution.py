"""The evolution trajectory: cycles recorded and read back."""


class EvolutionMixin:
    """The methods of this group (docs/python.md)."""
