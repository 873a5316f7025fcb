"""Reading ``/poll``: ``Question? | A | B | C --multi --anonymous --close 2d``.

Chosen so a phone keyboard types it as easily as a desktop one, on both platforms: options after ``|``
(or one per line); flags start with ``--`` or a dash the phone made of it (``—``, ``–``); ``--close``
takes a span (``90m``, ``12h``, ``2d``, ``1d12h``) or a time (``fri 18:00``, ``2026-12-24 18:00``).
Flags may come anywhere; ``-m``/``--multiple`` and ``--anon`` are accepted spellings. Every refusal
names what was wrong (``PollError.reason`` is a catalog key suffix, ``detail`` quotes the culprit).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.core.settings.polls import MAX_OPEN
from bot.core.settings.types import parse_duration
from rituals.dates import DateError, parse_when

MIN_OPTIONS, MAX_OPTIONS = 2, 10  # Discord's poll takes at most 10 answers; fewer than 2 is no choice
QUESTION_LIMIT = 300  # Telegram's and Discord's question limit
OPTION_LIMIT = 100  # Telegram's option limit (Discord's 55 makes its adapter fall back to buttons)
MIN_OPEN = timedelta(minutes=5)

_FLAG = re.compile(r"(?:^|\s)(?:--|—|–|-(?=m\b))(?=[A-Za-z])")
_MULTI = ("multi", "multiple", "m")
_ANON = ("anonymous", "anon")
_CLOSE = ("close", "closes", "until")


class PollError(ValueError):
    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.detail = detail[:60]


@dataclass(frozen=True, slots=True)
class PollSpec:
    question: str
    options: tuple[str, ...]
    multiple: bool
    anonymous: bool
    closes_at: datetime


def _close_value(text: str, now: datetime, tz: ZoneInfo) -> tuple[datetime, str]:
    """The closing time at the start of ``text`` and what follows it."""
    word, _, after = text.strip().partition(" ")
    try:
        return now + parse_duration(word), after
    except ValueError:
        pass
    try:
        when = parse_when(text.strip(), now, tz)
    except DateError as err:
        raise PollError("close_past" if err.reason == "past" else "close_bad", word) from None
    return when.start, when.rest


def parse(args: str, now: datetime, tz: ZoneInfo, default_open: timedelta) -> PollSpec:
    pieces = _FLAG.split(args)
    body, multiple, anonymous, closes_at = pieces[0], False, False, now + default_open
    for piece in pieces[1:]:
        name, _, rest = piece.partition(" ")
        name = name.lower()
        if name in _MULTI:
            multiple = True
        elif name in _ANON:
            anonymous = True
        elif name in _CLOSE:
            closes_at, rest = _close_value(rest, now, tz)
        else:
            raise PollError("unknown_flag", "--" + name)
        body += " " + rest
    parts = [p.strip() for p in (body.split("|") if "|" in body else body.splitlines())]
    if not parts or not parts[0]:
        raise PollError("no_question")
    question, options = parts[0], [p for p in parts[1:] if p]
    if len(question) > QUESTION_LIMIT:
        raise PollError("question_long", question)
    if len(options) < MIN_OPTIONS:
        raise PollError("few_options", str(len(options)))
    if len(options) > MAX_OPTIONS:
        raise PollError("many_options", str(len(options)))
    for option in options:
        if len(option) > OPTION_LIMIT:
            raise PollError("option_long", option)
    seen: set[str] = set()
    for option in options:
        if option.casefold() in seen:
            raise PollError("duplicate", option)
        seen.add(option.casefold())
    if closes_at <= now:
        raise PollError("close_past")
    if closes_at - now < MIN_OPEN:
        raise PollError("close_soon")
    if closes_at - now > MAX_OPEN:
        raise PollError("close_far")
    return PollSpec(question, tuple(options), multiple, anonymous, closes_at)
