"""Which level a member's signals earn, and what the next one still asks (pure: no database, no platform)."""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.settings.levels import SIGNALS, LevelRule
from storage.repos.levels import Signals

TOP = 3


def meets(signals: Signals, rule: LevelRule) -> bool:
    return all(getattr(signals, s) >= getattr(rule, s) for s in SIGNALS)


def earned(signals: Signals, rules: Sequence[LevelRule]) -> int:
    """The highest level whose every threshold is met (levels are cumulative: a higher one asks at least as much)."""
    level = 0
    for i, rule in enumerate(rules, start=1):
        if not meets(signals, rule):
            break
        level = i
    return level


def missing(signals: Signals, rule: LevelRule) -> list[tuple[str, int, int]]:
    """(signal, have, need) of each threshold not met yet."""
    return [(s, getattr(signals, s), getattr(rule, s)) for s in SIGNALS if getattr(signals, s) < getattr(rule, s)]


def reviewed(level: int, earned_now: int) -> int:
    """The monthly review: down one level at most, never up (promotions happen as soon as earned)."""
    return level - 1 if earned_now < level else level
