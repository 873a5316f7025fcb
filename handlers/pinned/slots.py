"""The five document slots, in the order healthy chats pin them."""

from __future__ import annotations

FOUNDATION, ROUTINE, EVENTS, EXTRA_1, EXTRA_2 = 1, 2, 3, 4, 5
SLOTS: tuple[int, ...] = (FOUNDATION, ROUTINE, EVENTS, EXTRA_1, EXTRA_2)

# Names a manager may type after /doc (the number always works).
_ALIASES: dict[str, int] = {
    "foundation": FOUNDATION,
    "rules": FOUNDATION,
    "routine": ROUTINE,
    "guide": ROUTINE,
    "events": EVENTS,
    "calendar": EVENTS,
}


def parse_slot(word: str) -> int | None:
    """``"1"``, ``"#2"``, ``"rules"`` -> the slot number; None when it names no document."""
    w = word.strip().lstrip("#").casefold()
    if w.isdigit() and int(w) in SLOTS:
        return int(w)
    return _ALIASES.get(w)


def name_key(slot: int) -> str:
    """Catalog key of the slot's human name."""
    return f"pinned.name.{slot}"
