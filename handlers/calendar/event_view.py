"""How events look: the card under its RSVP buttons, the list, and the times in the member's language."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.core import times
from bot.core.actions import Button, Buttons
from bot.core.i18n import Translator
from bot.core.richtext import Rich, join, plain
from rituals.event_kinds import titled
from rituals.instances import Instance
from rituals.recurrence import Repeat
from storage.models.rituals import CalendarEvent

CHOICES = ("going", "maybe", "no")
CARD, LIST = "c", "l"  # which view a button sits under, so a press can redraw it
LIST_BUTTON_ROWS = 5
_UNITS = {"DAILY": "days", "WEEKLY": "weeks", "MONTHLY": "months"}


def when_text(t: Translator, start: datetime, end: datetime | None, tz: ZoneInfo, now: datetime, *, with_relative: bool = True) -> Rich:
    """An event's time as every event text shows it (``bot.core.times.when``): in each reader's own zone where
    the platform can, else on the community's wall clock with the zone named."""
    return times.when(t.locale, start, end, tz, now, with_relative=with_relative)


def in_time(t: Translator, offset: timedelta) -> str:
    """``in 24 hours``, ``in 1 hour``, ``in 2 days``, ``in 30 minutes``: the reminder's distance."""
    minutes = int(offset.total_seconds() // 60)
    if minutes % 1440 == 0 and minutes >= 2880:
        return t.s("calendar.in_days", n=minutes // 1440)
    if minutes % 60 == 0:
        return t.s("calendar.in_hours", n=minutes // 60)
    return t.s("calendar.in_minutes", n=minutes)


def repeat_text(t: Translator, r: Repeat, tz: ZoneInfo) -> str:
    """``every 2 weeks, until Mon, Mar 1, 2027``: a rule in the community's words."""
    if r.nth is not None and r.weekday is not None:
        day = t.locale.days["format"]["wide"][r.weekday]
        rule = t.s(f"calendar.repeat.monthly_{'last' if r.nth < 0 else r.nth}", weekday=day)
    elif r.interval == 1:
        rule = t.s(f"calendar.repeat.{r.freq.lower()}")
    else:
        rule = t.s(f"calendar.repeat.every_{_UNITS[r.freq]}", n=r.interval)
    if r.until is not None:
        return t.s("calendar.repeat.until", rule=rule, date=times.date_only(t.locale, r.until))
    if r.count is not None:
        return t.s("calendar.repeat.times", rule=rule, n=r.count)
    return rule


def card(
    t: Translator,
    e: CalendarEvent,
    counts: Counter[str],
    tz: ZoneInfo,
    now: datetime,
    *,
    repeat: Repeat | None = None,
    next_one: Instance | None = None,
) -> Rich:
    """One event in full; a series shows its rule and its next occurrence, and says its buttons answer for all."""
    start, end = (next_one.starts_at, next_one.ends_at) if next_one is not None else (e.starts_at, e.ends_at)
    lines = [
        t.t("calendar.card.title", title=titled(t, e.kind, e.title), id=e.id),
        t.t("calendar.card.next" if repeat is not None else "calendar.card.when", when=when_text(t, start, end, tz, now)),
    ]
    if repeat is not None:
        lines.append(t.t("calendar.card.repeat", rule=repeat_text(t, repeat, tz)))
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
        if repeat is not None:
            lines.append(t.t("calendar.card.series_rsvp"))
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


def listing(
    t: Translator,
    items: list[Instance],
    counts: dict[tuple[int, str], Counter[str]],
    tz: ZoneInfo,
    now: datetime,
    *,
    days: int | None = None,
) -> Rich:
    """/events: the upcoming list (``days``: the longer view a member asked for, ``/events 90d``)."""
    if not items:
        return t.t("calendar.list.empty")
    out = [t.t("calendar.list.title_days", n=days) if days else t.t("calendar.list.title")]
    for i in items:
        e = i.event
        key = "calendar.list.line" if i.occurrence is None else ("calendar.list.moved" if i.moved else "calendar.list.repeating")
        item = [t.t(key, title=titled(t, e.kind, e.title), id=e.id, when=when_text(t, i.starts_at, i.ends_at, tz, now))]
        if e.place:
            item.append(t.t("calendar.card.place", place=e.place))
        item.append(_counts(t, e, counts[i.key]))
        out.append(join(item, blank_line=False))
    return join(out)


def rsvp_data(i: Instance, choice: str, view: str) -> str:
    """A one-off's ``rsvp:<id>:<choice>:<view>``; one occurrence of a series: ``rsvo:<id>:<yyyymmdd>:<choice>:<view>``."""
    if i.occurrence is None:
        return f"rsvp:{i.event.id}:{choice}:{view}"
    return f"rsvo:{i.event.id}:{i.occurrence.replace('-', '')}:{choice}:{view}"


def list_buttons(t: Translator, items: list[Instance], tz: ZoneInfo) -> Buttons:
    """A row per event or occurrence (the first few): its title (and day, for a series) on "going", then maybe and can't."""
    rows = []
    for i in items[:LIST_BUTTON_ROWS]:
        title = i.event.title
        short = title if len(title) <= 24 else title[:23] + "…"
        if i.occurrence is not None:
            short = f"{short} · {times.short_day(t.locale, i.starts_at, tz)}"
        rows.append(
            (
                Button(t.s("calendar.button.going_title", title=short), data=rsvp_data(i, "going", LIST)),
                Button(t.s("calendar.button.maybe_short"), data=rsvp_data(i, "maybe", LIST)),
                Button(t.s("calendar.button.no_short"), data=rsvp_data(i, "no", LIST)),
            )
        )
    return tuple(rows)
