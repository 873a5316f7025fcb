"""How events look: the card under its RSVP buttons, the list, and the times in the member's language."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_skeleton

from bot.core.actions import Button, Buttons
from bot.core.i18n import Translator
from bot.core.richtext import Rich, join, plain
from storage.models.rituals import CalendarEvent

CHOICES = ("going", "maybe", "no")
CARD, LIST = "c", "l"  # which view a button sits under, so a press can redraw it
LIST_BUTTON_ROWS = 5


def when_text(t: Translator, start: datetime, end: datetime | None, tz: ZoneInfo, now: datetime) -> str:
    """``Thu, Dec 3, 18:00–20:00`` in the translator's language, on the community's wall clock."""
    local = start.astimezone(tz)
    skeleton = "MMMEd" if local.year == now.astimezone(tz).year else "yMMMEd"
    day = format_skeleton(skeleton, local, locale=t.locale)
    at = format_skeleton("Hm", local, locale=t.locale)
    if end is not None and end.astimezone(tz).date() == local.date():
        return t.s("calendar.when_range", date=day, start=at, end=format_skeleton("Hm", end.astimezone(tz), locale=t.locale))
    return t.s("calendar.when", date=day, time=at)


def in_time(t: Translator, offset: timedelta) -> str:
    """``in 24 hours``, ``in 1 hour``, ``in 2 days``, ``in 30 minutes``: the reminder's distance."""
    minutes = int(offset.total_seconds() // 60)
    if minutes % 1440 == 0 and minutes >= 2880:
        return t.s("calendar.in_days", n=minutes // 1440)
    if minutes % 60 == 0:
        return t.s("calendar.in_hours", n=minutes // 60)
    return t.s("calendar.in_minutes", n=minutes)


def card(t: Translator, e: CalendarEvent, counts: Counter[str], tz: ZoneInfo, now: datetime) -> Rich:
    """One event in full."""
    lines = [
        t.t("calendar.card.title", title=e.title, id=e.id),
        t.t("calendar.card.when", when=when_text(t, e.starts_at, e.ends_at, tz, now)),
    ]
    if e.place:
        lines.append(t.t("calendar.card.place", place=e.place))
    if e.link:
        lines.append(t.t("calendar.card.link", link=e.link))
    if e.host_name:
        lines.append(t.t("calendar.card.host", host=e.host_name))
    if e.status == "cancelled":
        lines.append(t.t("calendar.card.cancelled"))
    else:
        lines.append(_counts(t, e, counts))
    parts = [join(lines, blank_line=False)]
    if e.description:
        parts.append(plain(e.description))
    return join(parts)


def _counts(t: Translator, e: CalendarEvent, counts: Counter[str]) -> Rich:
    line = t.t("calendar.card.counts", going=counts["going"], maybe=counts["maybe"], no=counts["no"])
    if e.capacity:
        line = join(
            [line, t.t("calendar.card.capacity", going=counts["going"], capacity=e.capacity, n=counts["waitlist"])], blank_line=False
        )
    return line


def card_buttons(t: Translator, e: CalendarEvent, counts: Counter[str]) -> Buttons:
    if e.status == "cancelled":
        return ()
    return (
        tuple(
            Button(t.s(f"calendar.button.{c}", n=counts[c] + (counts["waitlist"] if c == "going" else 0)), data=f"rsvp:{e.id}:{c}:{CARD}")
            for c in CHOICES
        ),
    )


def listing(t: Translator, events: list[CalendarEvent], counts: dict[int, Counter[str]], tz: ZoneInfo, now: datetime) -> Rich:
    if not events:
        return t.t("calendar.list.empty")
    items = [t.t("calendar.list.title")]
    for e in events:
        item = [t.t("calendar.list.line", title=e.title, id=e.id, when=when_text(t, e.starts_at, e.ends_at, tz, now))]
        if e.place:
            item.append(t.t("calendar.card.place", place=e.place))
        item.append(_counts(t, e, counts[e.id]))
        items.append(join(item, blank_line=False))
    return join(items)


def list_buttons(t: Translator, events: list[CalendarEvent]) -> Buttons:
    """A row per event (the first few): its title on "going", then maybe and can't."""
    rows = []
    for e in events[:LIST_BUTTON_ROWS]:
        short = e.title if len(e.title) <= 24 else e.title[:23] + "…"
        rows.append(
            (
                Button(t.s("calendar.button.going_title", title=short), data=f"rsvp:{e.id}:going:{LIST}"),
                Button(t.s("calendar.button.maybe_short"), data=f"rsvp:{e.id}:maybe:{LIST}"),
                Button(t.s("calendar.button.no_short"), data=f"rsvp:{e.id}:no:{LIST}"),
            )
        )
    return tuple(rows)
