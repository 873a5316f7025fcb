"""The weekly_prompt ritual (being built; see its issue)."""

from __future__ import annotations

from bot.runtime import Runtime


def setup(rt: Runtime) -> None:
    """Register the ritual, its commands and buttons."""
