"""Pattern entropy and the responses to low entropy."""


class EntropyMixin:
    """The methods of this group (docs/python.md)."""
