"""Hashtags in a message: cheap to find, Unicode-aware, case-insensitive.

Most messages carry no ``#`` at all, so the parser answers those with one
substring test. Tags are letters, digits and ``_`` in any script (``#вопрос``,
``#kérdés``, ``#问题``), also after a full-width ``＃`` as Chinese keyboards type
it; a ``#`` inside a word or a URL (``C#``, ``page#top``) is not a tag, nor are
bare numbers (``#1``). Tags are NFC-normalised and casefolded.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# Letters and digits of any script, _, and the combining marks some scripts need inside words.
_TAG = re.compile(r"(?<![\w/&#＃])[#＃]((?:\w|[\u0300-\u036f\u0900-\u0903\u093a-\u094f\u0e31-\u0e3a\u0e47-\u0e4e])+)")

MIN_SUGGEST = 4  # shorter tags get no "did you mean"


def normalise(tag: str) -> str:
    return unicodedata.normalize("NFC", tag.strip().lstrip("#＃")).casefold()


def hashtags(text: str, entities: Iterable[str] = ()) -> tuple[str, ...]:
    """The message's tags, normalised, in order, without repeats.

    ``entities`` are the platform's own hashtag entities (Telegram gives them):
    when present they are the truth; otherwise the text is parsed.
    """
    found = [normalise(e) for e in entities]
    if not found:
        if "#" not in text and "＃" not in text:
            return ()
        found = [normalise(m) for m in _TAG.findall(text)]
    return tuple(dict.fromkeys(t for t in found if t and not t.isdigit()))


def distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein (adjacent swaps count once), giving up above ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def closest(tag: str, names: Iterable[str]) -> str | None:
    """The registered name a typo most likely meant: one edit for short tags, two for long ones.

    Very short tags and names (``#x``, the alias ``#q``) are too easy to hit by chance: never suggested.
    """
    if len(tag) < MIN_SUGGEST:
        return None
    limit = 1 if len(tag) <= 6 else 2
    best: tuple[int, str] | None = None
    for name in names:
        if len(name) < MIN_SUGGEST:
            continue
        d = distance(tag, name, limit)
        if d <= limit and (best is None or d < best[0]):
            best = (d, name)
    return best[1] if best else None
