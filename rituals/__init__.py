"""Scheduled work: what is due is read from the database, so restarts neither lose nor repeat a post."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.runtime import Runtime

LOCALES = Path(__file__).parent / "locales"


def add_locales(rt: Runtime) -> None:
    """The rituals' catalogs (one folder for the prompt, the calendar and the newcomers), added once."""
    if LOCALES not in rt.locale_folders:
        rt.add_locales(LOCALES)
