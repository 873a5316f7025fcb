"""Reading an event from what was typed, and putting it on the calendar: ``/event add`` and an approved
``/event propose`` share both, so a proposal reads dates exactly as ``add`` does and lands the same way."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.core import runtime
from bot.core.context import Context
from bot.core.events import Person
from bot.core.ids import ChatRef
from bot.core.richtext import Rich
from handlers.calendar import series
from handlers.calendar.rsvp import show_card
from handlers.calendar.topics import open_topic
from rituals.dates import EXAMPLE, DateError, Words, parse_when, words_for
from rituals.event_kinds import split_kind
from rituals.recurrence import Repeat, RepeatError, parse_repeat
from storage.models.recurrence import EventSeries
from storage.models.rituals import CalendarEvent
from storage.models.states import EventStatus
from storage.repos.calendar import CalendarRepo
from storage.repos.recurrence import SeriesRepo


@dataclass(frozen=True, slots=True)
class Draft:
    """An event read from ``<when> <title> [| place or link [| description]]``, not stored yet."""

    event: CalendarEvent
    repeat: Repeat | None


def words(ctx: Context) -> Words:
    """What day words this community may type: English, and its own language's."""
    return words_for(ctx.t.language, ctx.t.s("calendar.words.today"), ctx.t.s("calendar.words.tomorrow"))


def date_error(ctx: Context, err: DateError, text: str) -> Rich:
    """What was wrong, quoting what was typed, with an example that works."""
    return ctx.t.t(f"calendar.date.{err.reason}", text=text.split("|")[0].strip()[:60], example=EXAMPLE)


def draft(ctx: Context, args: str, host: Person) -> Draft | Rich:
    """The event ``args`` describe, hosted by ``host``; or what to answer when it cannot be read."""
    try:
        when = parse_when(args, ctx.now, ctx.here.tz, words(ctx))
    except DateError as err:
        return date_error(ctx, err, args)
    try:
        repeat, rest = parse_repeat(when.rest, words(ctx))
    except RepeatError as err:
        return series.repeat_error(ctx, err)
    fields = [f.strip() for f in rest.split("|")]
    title = fields[0][:256]
    if not title:
        return ctx.t.t("calendar.no_title", example=EXAMPLE)
    where = fields[1] if len(fields) > 1 else ""
    is_link = where.startswith(("http://", "https://"))
    end = when.end or when.start + ctx.here.settings.rituals.events.default_duration
    place, link = ("", where) if is_link else (where, "")
    event = new_event(ctx, title, when.start, end, place, link, "|".join(fields[2:])[:4000], host.ref.id, host.display_name)
    return Draft(event, repeat)


def new_event(
    ctx: Context, title: str, starts_at: datetime, ends_at: datetime | None, place: str, link: str, description: str,
    host_id: str, host_name: str,
) -> CalendarEvent:  # fmt: skip
    """A scheduled event of this community, on its time zone, created now; a ``[workshop]`` before the title
    says what kind of event it is."""
    kind, title = split_kind(ctx.t, title)
    return CalendarEvent(
        community_id=ctx.here.id, title=title, kind=kind, starts_at=starts_at, ends_at=ends_at, timezone=ctx.here.settings.timezone,
        place=place, link=link, description=description, host_id=host_id, host_name=host_name,
        status=EventStatus.SCHEDULED, created_at=ctx.now, updated_at=ctx.now, timed_at=ctx.now,
    )  # fmt: skip


async def schedule(
    ctx: Context, event: CalendarEvent, rule: EventSeries | None = None, *, to: tuple[ChatRef, str | None] | None = None
) -> None:
    """Store the event (and its series), tell the calendar it changed, and post its card with the RSVP buttons
    (where the command was given, or ``to``)."""
    repo = CalendarRepo(ctx.session)
    repo.add(event)
    await repo.flush()
    if rule is not None:
        rule.event_id = event.id
        SeriesRepo(ctx.session).add(rule)
        await repo.flush()
    ctx.audit("event add", None, f"#{event.id} {event.title}" + (f" RRULE:{rule.rrule}" if rule else ""))
    await ctx.rt.signal(runtime.CALENDAR_CHANGED, ctx, None)
    await show_card(ctx, event, "calendar.added", to=to)
    if rule is None:  # a series would need a topic per occurrence, or one that never closes: not yet
        await open_topic(ctx, event)
