"""One strict parser for button data: every press is ``prefix:field:field...``, each field checked.

Button data comes back from the platform exactly as the bot wrote it, unless
someone forges it (any client can send any callback data). So nothing in it is
trusted: ids are bounded decimal numbers (no ``OverflowError`` in the database
driver for ``sp:ns:99999…``), choices come from a fixed set, free text is short.
A handler gets typed values or None, and answers a refused press like any other.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

MAX_DATA = 100  # Discord's custom_id limit; Telegram allows 64 bytes
MAX_ID_DIGITS = 18  # below 2**63: fits every database's BIGINT
_USER = re.compile(r"[A-Za-z0-9_\-]{1,64}")
_PRINTABLE = re.compile(r"[\x21-\x7e\u00a0-\uffff ]*")  # no control characters, no lone surrogates checked below

Part = Callable[[str], Any]  # returns the field's value, or None when it is not acceptable


def well_formed(data: str) -> bool:
    """Short, printable, and encodable: what any button the bot made looks like."""
    if not data or len(data) > MAX_DATA or not _PRINTABLE.fullmatch(data):
        return False
    try:
        data.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def ID(field: str) -> int | None:
    """A row id: 1 to 18 ASCII digits, no sign, no spaces, no leading zeros."""
    if not field.isascii() or not field.isdigit() or len(field) > MAX_ID_DIGITS or (field.startswith("0") and field != "0"):
        return None
    return int(field)


def number(limit: int) -> Part:
    """A small non-negative number (a page offset, a choice's index), at most ``limit``."""

    def part(field: str) -> int | None:
        n = ID(field)
        return n if n is not None and n <= limit else None

    return part


def one_of(*choices: str) -> Part:
    allowed = frozenset(choices)
    return lambda field: field if field in allowed else None


def USER(field: str) -> str | None:
    """A platform user id as the adapters write it (digits on both platforms; letters in the simulator)."""
    return field if _USER.fullmatch(field) else None


def text(limit: int = MAX_DATA) -> Part:
    """Free text (a search query, a view name): only its length is bounded; the handler treats it as data."""
    return lambda field: field if len(field) <= limit else None


def parse(rest: str, *parts: Part) -> tuple[Any, ...] | None:
    """Split ``rest`` into exactly ``len(parts)`` fields (the last one may hold colons) and check each."""
    fields = rest.split(":", len(parts) - 1) if parts else [rest]
    if len(fields) != len(parts):
        return None
    out = []
    for f, part in zip(fields, parts, strict=True):
        value = part(f)
        if value is None:
            return None
        out.append(value)
    return tuple(out)
