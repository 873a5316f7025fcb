"""Times for people: a forgiving date parser, and wall-clock times that stay right across DST.

Everything is stored in UTC; a community's wall clock (its IANA zone) is only
used to read what a manager typed and to compute weekly slots. ``zoneinfo``
does the DST arithmetic: a wall time is combined with the zone first and only
then converted, never shifted by a fixed offset.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError

_WEEKDAYS = {
    name: i
    for i, names in enumerate(
        (
            ("mon", "monday"),
            ("tue", "tues", "tuesday"),
            ("wed", "wednesday"),
            ("thu", "thur", "thurs", "thursday"),
            ("fri", "friday"),
            ("sat", "saturday"),
            ("sun", "sunday"),
        )
    )
    for name in names
}

_TIME = r"(?P<h{n}>\d{{1,2}})(?:[:.h](?P<mi{n}>\d{{2}}))?\s*(?P<ap{n}>am|pm)?"


@dataclass(frozen=True, slots=True)
class Words:
    """The day words a community may type: English always, plus its own language's."""

    weekdays: tuple[tuple[str, int], ...]
    today: tuple[str, ...]
    tomorrow: tuple[str, ...]


ENGLISH = Words(tuple(_WEEKDAYS.items()), ("today", "tonight"), ("tomorrow",))


@lru_cache(maxsize=16)
def words_for(language: str, today: str, tomorrow: str) -> Words:
    """English plus the language's weekday names (CLDR, via Babel) and its words for today and tomorrow.

    ``today`` and ``tomorrow`` come from the catalog, alternatives separated by ``|``.
    """
    names = dict(_WEEKDAYS)
    try:
        locale = Locale.parse(language)
    except (ValueError, UnknownLocaleError):
        return ENGLISH
    for context in ("format", "stand-alone"):
        for width in ("wide", "abbreviated"):
            for index, name in locale.days[context][width].items():
                clean = name.lower().rstrip(".")
                if clean:
                    names.setdefault(clean, index)

    def split(words: str) -> tuple[str, ...]:
        return tuple(w.strip().lower() for w in words.split("|") if w.strip())

    return Words(tuple(names.items()), (*ENGLISH.today, *split(today)), (*ENGLISH.tomorrow, *split(tomorrow)))


def _alternatives(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@lru_cache(maxsize=16)
def _patterns(words: Words) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The start-of-text pattern (date, time, optional end) and the date-alone one, for these words."""
    day = (
        r"(?P<iso>(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2}))"
        r"|(?P<eu>(?P<d2>\d{1,2})\.(?P<m2>\d{1,2})\.(?P<y2>\d{4})?)"
        rf"|(?P<today>{_alternatives(words.today)})|(?P<tomorrow>{_alternatives(words.tomorrow)})"
        rf"|(?P<wd>{_alternatives(name for name, _ in words.weekdays)})\.?"
    )
    # Between day and time: spaces, "T", a comma; or nothing after a non-Latin word ("明天18:00").
    gap = r"(?:[ T]+|,\s*|(?<=[^\x00-\x7f]))"
    when = re.compile(
        r"^\s*(?:" + day + r")" + gap + r"(?:at\s+)?" + _TIME.format(n=1) + r"(?:\s*[-–]\s*" + _TIME.format(n=2) + r")?(?=\s|$)",
        re.IGNORECASE,
    )
    return when, re.compile(r"^\s*(?:" + day + r")\s*$", re.IGNORECASE)


EXAMPLE = "2026-12-03 18:00"


class DateError(ValueError):
    """What was wrong with a date, as a catalog key suffix: ``bad``, ``past`` or ``no_time``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class When:
    start: datetime  # UTC
    end: datetime | None  # UTC
    rest: str  # what followed the date: the title and so on


def wall_to_utc(day: date, at: time, tz: ZoneInfo) -> datetime:
    """A wall-clock time in a zone as UTC. A time skipped by DST (02:30 in spring) lands an hour later."""
    # PEP 495: fold=0 reads a skipped time with the offset before the change (so 02:30 -> 03:30 summer
    # time) and a repeated one (02:30 in autumn) as its first occurrence.
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


def last_daily_slot(now: datetime, tz: ZoneInfo, at: time) -> tuple[date, datetime]:
    """The latest ``at`` (community wall clock) at or before ``now``: its local date and UTC instant."""
    day = now.astimezone(tz).date()
    slot = wall_to_utc(day, at, tz)
    if slot > now:
        day -= timedelta(days=1)
        slot = wall_to_utc(day, at, tz)
    return day, slot


def last_weekly_slot(now: datetime, tz: ZoneInfo, weekday: int, at: time) -> tuple[date, datetime]:
    """The latest ``weekday at`` (community wall clock) at or before ``now``: its local date and UTC instant."""
    today = now.astimezone(tz).date()
    day = today - timedelta(days=(today.weekday() - weekday) % 7)
    slot = wall_to_utc(day, at, tz)
    if slot > now:
        day -= timedelta(days=7)
        slot = wall_to_utc(day, at, tz)
    return day, slot


def last_monthly_slot(now: datetime, tz: ZoneInfo, at: time) -> tuple[date, datetime]:
    """The latest 1st of a month ``at`` (community wall clock) at or before ``now``: its local date and UTC instant."""
    day = now.astimezone(tz).date().replace(day=1)
    slot = wall_to_utc(day, at, tz)
    if slot > now:
        day = previous_month(day)
        slot = wall_to_utc(day, at, tz)
    return day, slot


def previous_month(first: date) -> date:
    """The 1st of the month before the one that starts on ``first``."""
    return (first - timedelta(days=1)).replace(day=1)


def _clock(h: str | None, mi: str | None, ap: str | None) -> time:
    if h is None:
        raise DateError("no_time")
    hour, minute = int(h), int(mi or 0)
    if ap:
        if not 1 <= hour <= 12:
            raise DateError("bad")
        hour = hour % 12 + (12 if ap.lower() == "pm" else 0)
    if hour > 23 or minute > 59:
        raise DateError("bad")
    return time(hour, minute)


def parse_when(text: str, now: datetime, tz: ZoneInfo, words: Words = ENGLISH) -> When:
    """Read a start (and optional end) at the beginning of ``text``.

    Accepts ``2026-12-03 18:00``, ``3.12.2026 18:00``, ``tomorrow 18:00``,
    ``fri 19:30``, ``friday 7:30pm``, with an optional end ``18:00-20:00``.
    A weekday means its next occurrence (today, if the time is still ahead).
    Anything else raises ``DateError`` (and only that).
    """
    when_re, date_only_re = _patterns(words)
    m = when_re.match(text)
    if m is None:
        first_word = text.split("|")[0].split(" ")[0] if text.strip() else ""
        raise DateError("no_time" if date_only_re.match(first_word) else "bad")  # a date alone gets its own hint
    try:
        return _resolve(m, text, now, tz, dict(words.weekdays))
    except DateError:
        raise
    except (ValueError, OverflowError):  # 30 February, year 1, ...
        raise DateError("bad") from None


def _resolve(m: re.Match[str], text: str, now: datetime, tz: ZoneInfo, weekdays: dict[str, int]) -> When:
    start_t = _clock(m.group("h1"), m.group("mi1"), m.group("ap1"))
    local_now = now.astimezone(tz)
    if m.group("iso"):
        day = date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    elif m.group("eu"):
        year = int(m.group("y2")) if m.group("y2") else local_now.year
        day = date(year, int(m.group("m2")), int(m.group("d2")))
        if not m.group("y2") and wall_to_utc(day, start_t, tz) <= now:
            day = day.replace(year=year + 1)  # "3.1." in December means next January
    elif m.group("today") or m.group("tomorrow"):
        day = local_now.date() + timedelta(days=1 if m.group("tomorrow") else 0)
    else:
        wd = weekdays[m.group("wd").lower()]
        day = local_now.date() + timedelta(days=(wd - local_now.weekday()) % 7)
        if wall_to_utc(day, start_t, tz) <= now:
            day += timedelta(days=7)
    start = wall_to_utc(day, start_t, tz)
    if start <= now:
        raise DateError("past")
    end = None
    if m.group("h2"):
        end_t = _clock(m.group("h2"), m.group("mi2"), m.group("ap2") or m.group("ap1"))
        end = wall_to_utc(day + timedelta(days=1 if end_t <= start_t else 0), end_t, tz)  # 22:00-01:00 ends the next day
    return When(start, end, text[m.end() :].strip())
