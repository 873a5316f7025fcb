"""Survey periods on the community's wall clock: a week, a month or a quarter, each with a stable key."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def period_start(day: date, rhythm: str) -> date:
    if rhythm == "weekly":
        return day - timedelta(days=day.weekday())
    if rhythm == "quarterly":
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return day.replace(day=1)


def period_key(first: date, rhythm: str) -> str:
    """``2026-W49``, ``2026-12`` or ``2026-Q4``: what the unique key of an invitation names."""
    if rhythm == "weekly":
        year, week, _ = first.isocalendar()
        return f"{year}-W{week:02d}"
    if rhythm == "quarterly":
        return f"{first.year}-Q{(first.month - 1) // 3 + 1}"
    return f"{first.year}-{first.month:02d}"


def next_start(first: date, rhythm: str) -> date:
    if rhythm == "weekly":
        return first + timedelta(days=7)
    months = 3 if rhythm == "quarterly" else 1
    m = first.month - 1 + months
    return date(first.year + m // 12, m % 12 + 1, 1)


def current(now: datetime, tz: ZoneInfo, rhythm: str, at: time) -> tuple[str, datetime, datetime]:
    """(key, when its DMs start, when the next period's start) for the period ``now`` is in."""
    first = period_start(now.astimezone(tz).date(), rhythm)
    begins = datetime.combine(first, at, tz)
    ends = datetime.combine(next_start(first, rhythm), at, tz)
    return period_key(first, rhythm), begins, ends
