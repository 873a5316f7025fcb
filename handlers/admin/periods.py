"""Periods for the analytics: rolling ``7d``/``30d`` (today included) or the last full ``week``/``month``.

Days are the community's local days (activity is counted per local day);
instants are those days' local midnights, in UTC.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

_DAYS = re.compile(r"^(\d{1,3})\s*d$")
MAX_DAYS = 366


@dataclass(frozen=True, slots=True)
class Window:
    first: date  # first day
    end: date  # the day after the last
    start: datetime  # local midnight of ``first``, in UTC
    stop: datetime  # local midnight of ``end``, in UTC

    @property
    def days(self) -> int:
        return (self.end - self.first).days

    @property
    def last(self) -> date:
        return self.end - timedelta(days=1)


def window(first: date, end: date, tz: ZoneInfo) -> Window:
    def midnight(d: date) -> datetime:
        return datetime.combine(d, time(0), tz).astimezone(ZoneInfo("UTC"))

    return Window(first, end, midnight(first), midnight(end))


@dataclass(frozen=True, slots=True)
class Period:
    current: Window
    previous: Window  # the same length just before, for "change from last"


def parse_period(arg: str, now: datetime, tz: ZoneInfo) -> Period | None:
    """``""``/``7d``/``30d``/``Nd``, ``week`` or ``month``; None for anything else."""
    raw = arg.strip().lower() or "7d"
    today = now.astimezone(tz).date()
    if m := _DAYS.match(raw):
        n = int(m.group(1))
        if not 1 <= n <= MAX_DAYS:
            return None
        end = today + timedelta(days=1)
        return Period(window(end - timedelta(days=n), end, tz), window(end - timedelta(days=2 * n), end - timedelta(days=n), tz))
    if raw == "week":
        monday = today - timedelta(days=today.weekday())
        return last_full_week(monday, tz)
    if raw == "month":
        first = today.replace(day=1)
        prev_first = (first - timedelta(days=1)).replace(day=1)
        before_first = (prev_first - timedelta(days=1)).replace(day=1)
        return Period(window(prev_first, first, tz), window(before_first, prev_first, tz))
    return None


def last_full_week(monday: date, tz: ZoneInfo) -> Period:
    """The week ending the day before ``monday``, and the week before it."""
    return Period(window(monday - timedelta(days=7), monday, tz), window(monday - timedelta(days=14), monday - timedelta(days=7), tz))
