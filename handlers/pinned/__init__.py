"""The pinned feature (being built; see its issue)."""

from __future__ import annotations

from bot.runtime import Runtime


def setup(rt: Runtime) -> None:
    """Register the feature's handlers, commands, buttons and rituals."""
