"""The iCalendar (.ics) export of a community's events, made with ``icalendar``.

One-off events are in UTC, which every calendar app converts. A series is one
VEVENT on the community's wall clock (``DTSTART;TZID=...`` with its VTIMEZONE,
so that 18:00 stays 18:00 across DST), with its ``RRULE``, an ``EXDATE`` per
cancelled occurrence, and a VEVENT per moved occurrence (same UID,
``RECURRENCE-ID`` of the original start, its ``SEQUENCE``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vRecur

from rituals.instances import Instance, series_of, zone
from storage.models.recurrence import EventException, EventSeries
from storage.models.rituals import CalendarEvent
from storage.models.states import OccurrenceChange

SeriesRows = tuple[CalendarEvent, EventSeries, Mapping[str, EventException]]


def export(
    events: Iterable[CalendarEvent],
    series: Iterable[SeriesRows] = (),
    *,
    instances: Iterable[Instance] = (),
    tz: ZoneInfo,
    name: str,
    uid_domain: str,
    now: datetime,
    default_duration: timedelta,
) -> bytes:
    """A VCALENDAR with one VEVENT per event, per series its rule, exceptions and moved occurrences, and per
    instance (a personal calendar: some occurrences of a series, not all) a VEVENT of its own."""
    cal = Calendar()
    cal.add("prodid", "-//community-bot//calendar//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    for e in events:
        cal.add_component(_event(e, e.starts_at, e.ends_at or e.starts_at + default_duration, uid_domain, now))
    for e, rule, exceptions in series:
        cal.add_component(_series(e, rule, exceptions, tz, uid_domain, now, default_duration))
        local = series_of(e, rule, tz).tz
        for day, exc in sorted(exceptions.items()):
            if exc.status != OccurrenceChange.MOVED or exc.starts_at is None:
                continue
            original = series_of(e, rule, tz).on(datetime.fromisoformat(day).date())
            if original is None:
                continue
            moved = _event(
                e, exc.starts_at.astimezone(local), (exc.ends_at or exc.starts_at + default_duration).astimezone(local), uid_domain, now
            )
            moved.add("recurrence-id", original.astimezone(local))
            moved.add("sequence", exc.sequence)
            cal.add_component(moved)
    for i in instances:
        ev = _event(i.event, i.starts_at, i.ends_at or i.starts_at + default_duration, uid_domain, now)
        if i.occurrence is not None:  # its own UID: the member's calendar has this occurrence, not the series
            ev["uid"] = f"event-{i.event.id}-{i.occurrence}@{uid_domain}"
        cal.add_component(ev)
    cal.add_missing_timezones()  # a VTIMEZONE for every TZID used (icalendar 6+)
    return cal.to_ical()


def _event(e: CalendarEvent, start: datetime, end: datetime, uid_domain: str, now: datetime) -> Event:
    ev = Event()
    ev.add("uid", f"event-{e.id}@{uid_domain}")
    ev.add("dtstamp", now)
    ev.add("dtstart", start)
    ev.add("dtend", end)
    ev.add("summary", e.title)
    if e.place:
        ev.add("location", e.place)
    if e.link:
        ev.add("url", e.link)
    if e.description:
        ev.add("description", e.description)
    ev.add("status", "CANCELLED" if e.status == "cancelled" else "CONFIRMED")
    ev.add("last-modified", e.updated_at)
    return ev


def _series(
    e: CalendarEvent,
    rule: EventSeries,
    exceptions: Mapping[str, EventException],
    tz: ZoneInfo,
    uid_domain: str,
    now: datetime,
    default: timedelta,
) -> Event:
    local = zone(e.timezone, tz)
    start = e.starts_at.astimezone(local)
    ev = _event(e, start, (e.ends_at or e.starts_at + default).astimezone(local), uid_domain, now)
    ev.add("rrule", vRecur.from_ical(rule.rrule))
    series = series_of(e, rule, tz)
    cancelled = []
    for day, exc in sorted(exceptions.items()):
        original = series.on(datetime.fromisoformat(day).date()) if exc.status == "cancelled" else None
        if original is not None:
            cancelled.append(original.astimezone(local))
    if cancelled:
        ev.add("exdate", cancelled)
    return ev
