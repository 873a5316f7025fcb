"""Which of the community's rules a moderator's reason names: a number, or words from one rule."""

from __future__ import annotations

import re

_WORD = re.compile(r"\w{3,}")


def numbered(rules: list[str]) -> list[str]:
    """The rules as the pinned foundation numbers them (blank ones skipped)."""
    return [r.strip() for r in rules if r.strip()]


def find(rules: list[str], reason: str) -> tuple[int, str] | None:
    """(number, rule) the reason points to: ``3``, ``#3``, ``rule 3 …``, or words all found in one rule."""
    listed = numbered(rules)
    head = reason.strip().lstrip("#").split(maxsplit=1)
    if head and head[0].rstrip(".):").isdigit():
        i = int(head[0].rstrip(".):"))
        return (i, listed[i - 1]) if 1 <= i <= len(listed) else None
    words = {w.casefold() for w in _WORD.findall(reason)}
    if not words:
        return None
    for i, rule in enumerate(listed, 1):
        if words <= {w.casefold() for w in _WORD.findall(rule)}:
            return i, rule
    return None
