"""Recurring events: a new series from ``/event add ... repeat ...``, one occurrence cancelled or moved, and a
series whose time is changed mid-way (its past stays as it was).

Changing a series' time splits it: the occurrences already past move to a new
row that keeps the old rule up to the last of them (with their answers and
exceptions), and the series keeps its number, its card and its answers for
what is to come.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime, timedelta

from bot.core.context import Context
from bot.core.ids import UserRef
from bot.core.richtext import Rich
from handlers.calendar.event_view import when_text
from rituals import instances
from rituals.dates import DateError, Words, parse_when
from rituals.recurrence import Repeat, RepeatError, Series, first_on_or_after
from storage.models.recurrence import EventException, EventSeries
from storage.models.rituals import CalendarEvent, EventRsvp
from storage.models.states import EventStatus, OccurrenceChange, Rsvp
from storage.repos.calendar import RsvpRepo
from storage.repos.recurrence import OccurrenceRsvpRepo, SeriesRepo

_DAY = re.compile(r"^(?:(\d{4})-(\d{1,2})-(\d{1,2})|(\d{1,2})\.(\d{1,2})\.(\d{4}))$")
NEXT_SHOWN = 4  # an unknown date gets this many real ones as a hint


def repeat_error(ctx: Context, err: RepeatError) -> Rich:
    return ctx.t.t(f"calendar.repeat.error.{err.reason}", word=err.word[:40] or "…")


def read_day(text: str) -> date | None:
    """``2026-12-10`` or ``10.12.2026``."""
    m = _DAY.match(text.strip())
    if m is None:
        return None
    y, mo, d = (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(6), m.group(5), m.group(4))
    try:
        return date(int(y), int(mo), int(d))
    except ValueError:
        return None


def start_series(ctx: Context, event: CalendarEvent, repeat: Repeat) -> EventSeries | RepeatError:
    """Anchor the rule at its first real date (moving ``event.starts_at`` there) and make the series row."""
    tz = ctx.here.tz
    first = first_on_or_after(repeat, event.starts_at, tz)
    if first is None:
        return RepeatError("none")
    if repeat.until is not None and repeat.until < first.astimezone(tz).date():
        return RepeatError("until_before", repeat.until.isoformat())
    length = (event.ends_at - event.starts_at) if event.ends_at else None
    event.starts_at, event.ends_at = first, first + length if length else None
    text = repeat.rrule_text(tz)
    return EventSeries(rrule=text, last_start=Series(text, first, tz).last())


async def occurrence_of(ctx: Context, event: CalendarEvent, rule: EventSeries, text: str) -> tuple[str, datetime] | Rich:
    """The original local date and start of the occurrence a manager named, or what to tell them."""
    tz = ctx.here.tz
    series = instances.series_of(event, rule, tz)
    day = read_day(text.split(" ")[0]) if text else None
    original = series.on(day) if day is not None else None
    if day is None or original is None:
        upcoming = series.between(ctx.now, ctx.now + timedelta(days=400))[:NEXT_SHOWN]
        dates = ", ".join(d.astimezone(tz).date().isoformat() for d in upcoming) or "—"
        return ctx.t.t("calendar.occurrence.no_date", text=text.split(" ")[0][:20] or "…", id=event.id, dates=dates)
    return day.isoformat(), original


async def cancel_one(ctx: Context, event: CalendarEvent, rule: EventSeries, args: str) -> None:
    """``/event cancel N 2026-12-10``: that date only; those going that day are told."""
    found = await occurrence_of(ctx, event, rule, args)
    if not isinstance(found, tuple):
        await ctx.reply(found)
        return
    day, _ = found
    current = await instances.find(ctx.session, event, day, ctx.here.tz)
    if current is None:
        await ctx.reply(ctx.t.t("calendar.occurrence.already_cancelled", id=event.id, date=day))
        return
    await _set_exception(ctx, event, day, OccurrenceChange.CANCELLED, None, None)
    when = when_text(ctx.t, current.starts_at, current.ends_at, ctx.here.tz, ctx.now)
    ctx.audit("event cancel one", f"#{event.id} {day}", "cancelled")
    await ctx.reply(ctx.t.t("calendar.occurrence.cancelled", title=event.title, when=when), quote=False)
    if current.starts_at > ctx.now:
        await _tell_going(ctx, current, ctx.t.t("calendar.cancelled_dm", title=event.title, when=when))


async def move_one(ctx: Context, event: CalendarEvent, rule: EventSeries, args: str, words: Words) -> Rich | None:
    """``/event move N 2026-12-10 19:00`` (same day) or ``... 2026-12-11 19:00-21:00``; returns an error to show."""
    tz, t = ctx.here.tz, ctx.t
    found = await occurrence_of(ctx, event, rule, args)
    if not isinstance(found, tuple):
        return found
    day, original = found
    new_time = args.partition(" ")[2].strip()
    if not new_time:
        return t.t("calendar.move.no_time", id=event.id, date=day)
    try:
        when = parse_when(new_time, ctx.now, tz, words)
    except DateError:
        try:
            when = parse_when(f"{day} {new_time}", ctx.now, tz, words)
        except DateError as err:
            return t.t(f"calendar.date.{err.reason}", text=new_time[:60], example="19:00")
    before = await instances.find(ctx.session, event, day, tz)
    length = (event.ends_at - event.starts_at) if event.ends_at else None
    end = when.end or (when.start + length if length else None)
    await _set_exception(ctx, event, day, OccurrenceChange.MOVED, when.start, end)
    new = when_text(t, when.start, end, tz, ctx.now)
    old = when_text(t, before.starts_at if before else original, before.ends_at if before else None, tz, ctx.now)
    ctx.audit("event move one", f"#{event.id} {day}", when.start.isoformat())
    await ctx.reply(t.t("calendar.occurrence.moved", title=event.title, old=old, new=new), quote=False)
    if before is not None:
        await _tell_going(ctx, before, t.t("calendar.occurrence.moved_dm", title=event.title, old=old, new=new))
    return None


async def _set_exception(
    ctx: Context, event: CalendarEvent, day: str, status: OccurrenceChange, start: datetime | None, end: datetime | None
) -> None:
    repo = SeriesRepo(ctx.session)
    row = await repo.exception(event.id, day)
    if row is None:
        ctx.session.add(
            EventException(event_id=event.id, occurrence=day, status=status, starts_at=start, ends_at=end, sequence=1, updated_at=ctx.now)
        )
    else:
        row.status, row.starts_at, row.ends_at, row.sequence, row.updated_at = status, start, end, row.sequence + 1, ctx.now
    event.updated_at = ctx.now
    await ctx.session.flush()


async def _tell_going(ctx: Context, item: instances.Instance, text: Rich) -> None:
    answers = (await OccurrenceRsvpRepo(ctx.session).answers([item.key]))[item.key]
    for user_id, status in answers.items():
        if status == Rsvp.GOING:
            await ctx.direct(UserRef(ctx.here.chat.platform, user_id), text)


async def retime(ctx: Context, event: CalendarEvent, rule: EventSeries, start: datetime, end: datetime | None) -> None:
    """A series' time changed mid-way: what is past keeps the old time (as a new, finished row); the rest moves."""
    tz = ctx.here.tz
    repeat = Repeat.from_rrule(rule.rrule, tz)
    past = instances.series_of(event, rule, tz).before(ctx.now)
    if past:
        history = CalendarEvent(
            **{c: getattr(event, c) for c in _COPIED},
            status=EventStatus.SCHEDULED,
            created_at=ctx.now,
            updated_at=ctx.now,
        )
        ctx.session.add(history)
        await ctx.session.flush()
        last_day = past[-1].astimezone(tz).date()
        ended = replace(repeat, until=last_day, count=None)
        ctx.session.add(EventSeries(event_id=history.id, rrule=ended.rrule_text(tz), last_start=past[-1]))
        await SeriesRepo(ctx.session).hand_over(event.id, history.id, (last_day + timedelta(days=1)).isoformat())
        for r in await _series_answers(ctx, event.id):
            ctx.session.add(EventRsvp(event_id=history.id, user_id=r.user_id, display_name=r.display_name, status=r.status, at=r.at))
        if repeat.count is not None:
            repeat = replace(repeat, count=max(repeat.count - len(past), 1))
    event.starts_at, event.ends_at = start, end
    first = first_on_or_after(repeat, start, tz) or start
    length = (end - start) if end else None
    event.starts_at, event.ends_at, event.timed_at = first, first + length if length else None, ctx.now
    rule.rrule = repeat.rrule_text(tz)
    rule.last_start = Series(rule.rrule, first, tz).last()
    await ctx.session.flush()


_COPIED = ("community_id", "title", "starts_at", "ends_at", "timezone", "place", "link", "description", "host_id", "host_name", "timed_at")


async def _series_answers(ctx: Context, event_id: int) -> list[EventRsvp]:
    rsvps = RsvpRepo(ctx.session)
    return [r for status in (Rsvp.GOING, Rsvp.MAYBE, Rsvp.NO) for r in await rsvps.with_status(event_id, status)]
