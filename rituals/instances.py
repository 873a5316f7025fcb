"""What is on a community's calendar in a window: one-off events and the occurrences of series, soonest first.

The calendar, the pinned events document and the welcome DM all list events
through here, so a series shows the same occurrences everywhere: cancelled ones
left out, moved ones at their new time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.ext.asyncio import AsyncSession

from rituals.recurrence import Series
from storage.models.recurrence import EventException, EventSeries
from storage.models.rituals import CalendarEvent
from storage.repos.calendar import CalendarRepo
from storage.repos.recurrence import SeriesRepo

# A moved occurrence may land this far from its original date (and still be found in a window).
MOVE_REACH = timedelta(days=31)


@dataclass(frozen=True, slots=True)
class Instance:
    """One time an event happens: a one-off event, or one occurrence of a series."""

    event: CalendarEvent
    starts_at: datetime  # UTC, where it is now (a moved occurrence: its new time)
    ends_at: datetime | None
    occurrence: str | None = None  # a series' occurrence: its original local date, ISO; None for a one-off
    original: datetime | None = None  # a series' occurrence: its start by the rule (RFC 5545 RECURRENCE-ID)
    moved: bool = False
    timed_at: datetime | None = None  # when this start was last set (reminders due before it are not sent)

    @property
    def key(self) -> tuple[int, str]:
        """Who answers for it: (event id, occurrence date or "")."""
        return self.event.id, self.occurrence or ""


def zone(name: str, fallback: ZoneInfo) -> ZoneInfo:
    try:
        return ZoneInfo(name) if name else fallback
    except (ZoneInfoNotFoundError, ValueError):
        return fallback


def series_of(event: CalendarEvent, rule: EventSeries, tz: ZoneInfo) -> Series:
    return Series(rule.rrule, event.starts_at, zone(event.timezone, tz))


def expand(
    event: CalendarEvent, rule: EventSeries, exceptions: dict[str, EventException], tz: ZoneInfo, start: datetime, end: datetime
) -> list[Instance]:
    """The series' occurrences starting in [start, end): cancelled ones left out, moved ones where they went."""
    series = series_of(event, rule, tz)
    length = (event.ends_at - event.starts_at) if event.ends_at is not None else None
    out = []
    for original in series.between(start - MOVE_REACH, end + MOVE_REACH):
        day = original.astimezone(series.tz).date().isoformat()
        exc = exceptions.get(day)
        inst = instance(event, original, day, length, exc)
        if inst is not None and start <= inst.starts_at < end:
            out.append(inst)
    return out


def instance(event: CalendarEvent, original: datetime, day: str, length: timedelta | None, exc: EventException | None) -> Instance | None:
    """One occurrence with its exception applied (None: it is cancelled)."""
    if exc is not None and exc.status == "cancelled":
        return None
    if exc is not None and exc.status == "moved" and exc.starts_at is not None:
        timed = max(t for t in (event.timed_at, exc.updated_at) if t is not None)
        return Instance(event, exc.starts_at, exc.ends_at, day, original, True, timed)
    return Instance(event, original, original + length if length else None, day, original, False, event.timed_at)


async def between(session: AsyncSession, community_id: int, tz: ZoneInfo, start: datetime, end: datetime) -> list[Instance]:
    """Everything scheduled to start in [start, end), soonest first: three queries, however many series."""
    one_offs = await CalendarRepo(session).between(community_id, start, end)
    repo = SeriesRepo(session)
    active = await repo.active(community_id, start - MOVE_REACH, end + MOVE_REACH)
    out = [Instance(e, e.starts_at, e.ends_at, timed_at=e.timed_at) for e in one_offs]
    exceptions = await repo.exceptions(e.id for e, _ in active) if active else {}
    for event, rule in active:
        out.extend(expand(event, rule, exceptions.get(event.id, {}), tz, start, end))
    out.sort(key=lambda i: (i.starts_at, i.event.id))
    return out


async def next_start(session: AsyncSession, community_id: int, tz: ZoneInfo, after: datetime) -> datetime | None:
    """When the first thing starting at or after ``after`` starts, or a little earlier (a cancelled occurrence
    still counts): a safe hint for how long nothing can be due."""
    candidates = []
    first = await CalendarRepo(session).next_start(community_id, after)
    if first is not None:
        candidates.append(first)
    repo = SeriesRepo(session)
    active = await repo.active(community_id, after - MOVE_REACH, after + timedelta(days=3660))
    for event, rule in active:
        nxt = series_of(event, rule, tz).after(after)
        if nxt is not None:
            candidates.append(nxt)
    if active:
        for exceptions in (await repo.exceptions(e.id for e, _ in active)).values():
            candidates += [x.starts_at for x in exceptions.values() if x.status == "moved" and x.starts_at and x.starts_at >= after]
    return min(candidates) if candidates else None


async def next_of(session: AsyncSession, event: CalendarEvent, rule: EventSeries, tz: ZoneInfo, now: datetime) -> Instance | None:
    """A series' next occurrence still to come (None: it is over)."""
    exceptions = (await SeriesRepo(session).exceptions([event.id])).get(event.id, {})
    window = timedelta(days=62)
    start = now
    for _ in range(24):  # two years of windows: a rule with every date cancelled must not loop forever
        found = expand(event, rule, exceptions, tz, start, start + window)
        if found:
            return found[0]
        if rule.last_start is not None and rule.last_start < start:
            return None
        start += window
    return None


async def find(session: AsyncSession, event: CalendarEvent, day: str, tz: ZoneInfo) -> Instance | None:
    """A series' occurrence by its original local date, with its exception applied (None: no such or cancelled)."""
    rule = await SeriesRepo(session).get(event.id)
    if rule is None:
        return None
    series = series_of(event, rule, tz)
    try:
        original = series.on(datetime.fromisoformat(day).date())
    except ValueError:
        return None
    if original is None:
        return None
    exc = await SeriesRepo(session).exception(event.id, day)
    return instance(event, original, day, (event.ends_at - event.starts_at) if event.ends_at else None, exc)
