"""Pattern discovery broadcast between concurrent jobs."""


class DiscoveryMixin:
    """The methods of this group (docs/python.md)."""
