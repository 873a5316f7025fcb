"""The readable text of Telegram's rich messages (Bot API 10: articles of blocks), for the spam filter and rubrics.

A rich message has no ``text``: its words sit in nested blocks (paragraphs, lists, tables, captions), each a
``RichText`` (a string, a list of them, or a styled span with its own ``text``). Links are ``url`` fields.
"""

from __future__ import annotations

from typing import Any

_TEXT_KEYS = frozenset({"text", "caption", "credit", "blocks", "items", "cells", "title", "label"})
MAX_PIECES = 2000  # a hostile article of a million spans costs no more than this


def flatten(rich: Any) -> tuple[str, tuple[str, ...]]:
    """``(text, links)`` of a rich message (an aiogram model or its dict)."""
    data = rich.model_dump(exclude_none=True) if hasattr(rich, "model_dump") else rich
    pieces: list[str] = []
    links: list[str] = []
    stack: list[tuple[Any, bool]] = [(data, False)]
    while stack and len(pieces) < MAX_PIECES:
        value, texty = stack.pop()
        if isinstance(value, str):
            if texty:
                pieces.append(value)
        elif isinstance(value, list):
            stack.extend((v, texty) for v in reversed(value))
        elif isinstance(value, dict):
            url = value.get("url")
            if isinstance(url, str):
                links.append(url)
            stack.extend((value[k], True) for k in reversed(list(value)) if k in _TEXT_KEYS)
    return " ".join(p.strip() for p in pieces if p.strip()), tuple(links)
