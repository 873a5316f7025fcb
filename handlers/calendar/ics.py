"""The iCalendar (.ics) export of a community's events, made with ``icalendar``."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from icalendar import Calendar, Event

from storage.models.rituals import CalendarEvent


def export(events: Iterable[CalendarEvent], *, name: str, uid_domain: str, now: datetime, default_duration: timedelta) -> bytes:
    """A VCALENDAR with one VEVENT per event; times in UTC, which every calendar app converts."""
    cal = Calendar()
    cal.add("prodid", "-//community-bot//calendar//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    for e in events:
        ev = Event()
        ev.add("uid", f"event-{e.id}@{uid_domain}")
        ev.add("dtstamp", now)
        ev.add("dtstart", e.starts_at)
        ev.add("dtend", e.ends_at or e.starts_at + default_duration)
        ev.add("summary", e.title)
        if e.place:
            ev.add("location", e.place)
        if e.link:
            ev.add("url", e.link)
        if e.description:
            ev.add("description", e.description)
        ev.add("status", "CANCELLED" if e.status == "cancelled" else "CONFIRMED")
        ev.add("last-modified", e.updated_at)
        cal.add_component(ev)
    return cal.to_ical()
