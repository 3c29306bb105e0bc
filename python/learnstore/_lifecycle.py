"""Pattern lifecycle and quarantine: promotion, quarantine, validation, retirement."""


class LifecycleMixin:
    """The methods of this group (docs/python.md)."""
