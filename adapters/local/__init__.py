"""The local simulator: a whole platform in-process, for the demo and the tests."""

from adapters.local.simulator import LocalPlatform, SimMessage, SimUser

__all__ = ["LocalPlatform", "SimMessage", "SimUser"]
