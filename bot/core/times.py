"""How times read: one format per language, wherever the bot writes a time.

Each language has one clock, the one its CLDR short time pattern uses (English 12-hour, ``6:00 PM``; Russian,
Ukrainian, Polish, Hungarian, Italian and Chinese 24-hour, ``18:00``), one way of writing a day and one glue
between the two. Callers never pick a pattern of their own.

Event times also travel as ``Moment`` spans (``bot.core.richtext``): Discord (``<t:unix:F>``) and Telegram
(the ``date_time`` entity) show them in each reader's own zone and language. The span's text is the fallback,
written on the community's wall clock with its zone named, for the simulator and for clients that can't.
"""

from __future__ import annotations

import re
from datetime import date, datetime, tzinfo
from functools import lru_cache

from babel import Locale
from babel.dates import format_skeleton, format_timedelta, get_timezone_name

from bot.core.richtext import Line, Moment, Rich, Span

_QUOTED = re.compile(r"'[^']*'")


@lru_cache(maxsize=32)
def twelve_hour(locale: Locale) -> bool:
    """Whether the language's own short time pattern uses a 12-hour clock (``h``/``K``, not ``H``/``k``)."""
    pattern = _QUOTED.sub("", str(locale.time_formats["short"].pattern))
    return "h" in pattern or "K" in pattern


def clock(locale: Locale, when: datetime, tz: tzinfo) -> str:
    """The time of day: ``6:00 PM`` in English, ``18:00`` in Russian."""
    return format_skeleton("hm" if twelve_hour(locale) else "Hm", when.astimezone(tz), locale=locale)


def day(locale: Locale, when: datetime, tz: tzinfo, now: datetime | None = None) -> str:
    """``Thu, Dec 3``; with the year when it is not this year's (or when ``now`` is not known)."""
    local = when.astimezone(tz)
    same_year = now is not None and local.year == now.astimezone(tz).year
    return format_skeleton("MMMEd" if same_year else "yMMMEd", local, locale=locale)


def date_only(locale: Locale, d: date) -> str:
    """``Mon, Mar 1, 2027``: a calendar date with no time (a series' last day)."""
    return format_skeleton("yMMMEd", d, locale=locale)


def short_day(locale: Locale, when: datetime, tz: tzinfo) -> str:
    """``Dec 3``: for a button's label."""
    return format_skeleton("MMMd", when.astimezone(tz), locale=locale)


def month(locale: Locale, when: datetime, tz: tzinfo) -> str:
    """``December 2026``."""
    return format_skeleton("yMMMM", when.astimezone(tz), locale=locale)


def day_and_clock(locale: Locale, when: datetime, tz: tzinfo, now: datetime | None = None) -> str:
    """``Thu, Dec 3, 6:00 PM``: the day and the clock joined the way the language joins them."""
    glue = str(locale.datetime_formats["medium"])
    return glue.replace("{1}", day(locale, when, tz, now)).replace("{0}", clock(locale, when, tz))


def zone_name(locale: Locale, when: datetime, tz: tzinfo) -> str:
    """The zone in the reader's language as it is on that day (``Central European Standard Time``)."""
    return str(get_timezone_name(when.astimezone(tz), "long", locale=locale))


def relative(locale: Locale, when: datetime, now: datetime) -> str:
    """``in 3 days``, ``2 hours ago``."""
    return str(format_timedelta(when - now, add_direction=True, locale=locale))


def moment(text: str, when: datetime, style: str = "full") -> Rich:
    """``text`` as a span the platforms may show as ``when`` in the reader's own zone."""
    return Rich((Line((Span(text, time=Moment(int(when.timestamp()), style)),)),))


def when(
    locale: Locale,
    start: datetime,
    end: datetime | None,
    tz: tzinfo,
    now: datetime,
    *,
    with_relative: bool = True,
) -> Rich:
    """An event's time: ``Thu, Dec 3, 6:00 PM–8:00 PM, Central European Standard Time (in 3 days)`` on the community's clock;
    on Discord ``<t:…:F>–<t:…:t> (<t:…:R>)``, on Telegram the same as ``date_time`` entities.
    An end on another day than the start is left out (the card says the start)."""
    first = day_and_clock(locale, start, tz, now)
    zone = zone_name(locale, start, tz)
    spans = [Span(first, time=Moment(int(start.timestamp()), "full"))]
    if end is not None and end.astimezone(tz).date() == start.astimezone(tz).date():
        spans += [Span("–"), Span(f"{clock(locale, end, tz)}, {zone}", time=Moment(int(end.timestamp()), "time"))]
    else:
        spans[0] = Span(f"{first}, {zone}", time=spans[0].time)
    if with_relative:
        spans += [Span(" ("), Span(relative(locale, start, now), time=Moment(int(start.timestamp()), "relative")), Span(")")]
    return Rich((Line(tuple(spans)),))


def in_advance(text: str, start: datetime) -> Rich:
    """How long before ``start`` (a reminder's ``in 1 hour``), live where the platform can count it down."""
    return moment(text, start, "relative")

