"""The event calendar: /event add|edit|cancel|move|list, /event propose (members), /events (and its .ics export), RSVPs, reminders.

An event repeats when ``/event add`` has a ``repeat ...`` clause after its time (see ``rituals/recurrence``);
one occurrence is cancelled with ``/event cancel N date`` or moved with ``/event move N date newtime``.

Every change to the calendar raises ``CALENDAR_CHANGED`` so the pinned month
calendar (document #3) follows.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from bot.core import priorities, runtime
from bot.core.actions import Done, SendFile, Unsupported
from bot.core.commands import Command, Where
from bot.core.context import Context
from bot.core.events import CommandInvoked, FormSubmitted, Role
from bot.core.ids import UserRef
from bot.core.richtext import join, plain
from bot.core.runtime import Runtime
from handlers.calendar import feed, followup, form, propose, series
from handlers.calendar.create import Draft, date_error, draft, schedule, words
from handlers.calendar.date_poll import ask_dates
from handlers.calendar.event_view import list_buttons, listing, when_text
from handlers.calendar.mirror import EventMirrors, Mirror
from handlers.calendar.native import NativeEvents
from handlers.calendar.reminders import EventReminders
from handlers.calendar.rsvp import fill_from_waitlist, on_occurrence_press, on_press, redraw_card, show_card
from handlers.calendar.upcoming import counts_of, upcoming
from rituals.dates import EXAMPLE, DateError, parse_when
from rituals.event_kinds import KINDS, label, read_kind
from rituals.recurrence import RepeatError
from storage.models.rituals import CalendarEvent
from storage.models.states import EventStatus, Rsvp
from storage.repos.calendar import CalendarRepo, RsvpRepo
from storage.repos.recurrence import SeriesRepo

EDITABLE = ("title", "type", "when", "end", "place", "link", "description", "capacity")
MAX_VIEW_DAYS = 366  # /events 90d: the longest view
MAX_LONG_VIEW = 40  # occurrences a long view lists (a weekly series alone fills 13 in 90 days)
MAX_ID_DIGITS = 12  # longer "ids" are typos; they must not reach the database as out-of-range integers


def setup(rt: Runtime) -> None:
    """Register the commands, the RSVP buttons and the reminders ritual."""
    rt.add_locales(Path(__file__).parent / "locales")
    rt.commands.add(
        Command("event", event_command, "calendar.cmd.event", where=Where.GROUP, usage_key="calendar.usage")
    )
    rt.commands.add(Command("events", events_command, "calendar.cmd.events", where=Where.GROUP))
    rt.buttons.add("rsvp", on_press)
    rt.buttons.add("rsvo", on_occurrence_press)
    rt.buttons.add(propose.PREFIX, propose.on_press)

    async def filled_in(ctx: Context, ev: FormSubmitted, rest: str) -> None:
        if ctx.role.rank < Role.MANAGER.rank:
            await ctx.reply(ctx.t.t("core.not_allowed", command="event"))
            return
        await _add(ctx, ev, form.typed(ev))

    rt.forms.add(form.PREFIX, filled_in)
    reminders = EventReminders()
    rt.add_ritual(reminders)
    followups = followup.EventFollowups()
    rt.add_ritual(followups)
    rt.buttons.add(followup.PREFIX, followup.on_press)
    rt.add_metric("event_attended", followup.attended)
    rt.add_metric("event_missed", followup.missed)
    mirror = Mirror()
    rt.add_ritual(EventMirrors(mirror))
    rt.add_handler(NativeEvents(), priorities.COMMANDS + 2)

    async def calendar_changed(ctx: Context, _: None) -> None:
        if ctx.community is not None:
            reminders.invalidate(ctx.community.id)
            followups.invalidate(ctx.community.id)
            await mirror.sync(ctx)

    rt.on(runtime.CALENDAR_CHANGED, calendar_changed)
    feed.setup(rt)


async def event_command(ctx: Context, ev: CommandInvoked) -> None:
    sub, _, rest = ev.args.strip().partition(" ")
    if sub.lower() == "propose":  # the one verb members may use
        await propose.propose(ctx, ev, rest.strip())
        return
    handler = {"add": _add, "edit": _edit, "cancel": _cancel, "move": _move, "list": _list, "when": ask_dates}.get(sub.lower())
    if ctx.role.rank < Role.MANAGER.rank:
        await ctx.reply(ctx.t.t("core.not_allowed", command="event"))
        return
    if handler is None:
        await ctx.reply(ctx.t.t("calendar.usage"))
        return
    await handler(ctx, ev, rest.strip())


async def events_command(ctx: Context, ev: CommandInvoked) -> None:
    """``/events``, ``/events 90d`` (a longer view, up to a year), ``/events ics``."""
    arg = ev.args.strip().lower()
    if arg in ("ics", "ical", "export"):
        await _export(ctx)
    elif (days := _days(arg)) is not None:
        await _list(ctx, ev, "", days=days)
    else:
        await _list(ctx, ev, "")


def _days(arg: str) -> int | None:
    """``90d`` (or ``90``) as a number of days, within 1 to 366; None when it is not one."""
    digits = arg.removesuffix("d")
    if not digits.isdigit() or len(digits) > 3:
        return None
    return min(max(int(digits), 1), MAX_VIEW_DAYS)


async def _add(ctx: Context, ev: CommandInvoked | FormSubmitted, args: str) -> None:
    """``<when> <title> [| place or link [| description]]``; a bare ``/event add`` slash command on Discord
    opens the form instead (``form.py``)."""
    if not args and isinstance(ev, CommandInvoked) and ev.interaction_id is not None:
        ctx.after_commit(form.ask(ctx, ev.interaction_id))
        return
    got = draft(ctx, args, ev.user)
    if not isinstance(got, Draft):
        await ctx.reply(got)
        return
    rule = series.start_series(ctx, got.event, got.repeat) if got.repeat is not None else None
    if isinstance(rule, RepeatError):
        await ctx.reply(series.repeat_error(ctx, rule))
        return
    await schedule(ctx, got.event, rule)


async def _find(ctx: Context, args: str) -> tuple[CalendarEvent | None, str]:
    """The event named by the first word (``3`` or ``#3``), and what follows."""
    ident, _, rest = args.partition(" ")
    ident = ident.lstrip("#")
    valid = ident.isdigit() and len(ident) <= MAX_ID_DIGITS
    event = await CalendarRepo(ctx.session).of_community(ctx.here.id, int(ident)) if valid else None
    if event is None:
        await ctx.reply(ctx.t.t("calendar.not_found", id=ident[:MAX_ID_DIGITS] or "?"))
    return event, rest.strip()


async def _edit(ctx: Context, ev: CommandInvoked, args: str) -> None:
    """``<id> <field> <value>``: one field at a time, so a typo never changes two things."""
    event, rest = await _find(ctx, args)
    if event is None:
        return
    field, _, value = rest.partition(" ")
    field, value = field.lower(), value.strip()
    t, tz = ctx.t, ctx.here.tz
    if field not in EDITABLE:
        await ctx.reply(t.t("calendar.edit.unknown_field", field=field or "?", fields=", ".join(EDITABLE)))
        return
    before = f"{field}={_field_text(event, field)}"
    rule = await SeriesRepo(ctx.session).get(event.id)
    if field == "capacity" and rule is not None:
        await ctx.reply(t.t("calendar.edit.capacity_series", id=event.id))
        return
    if field == "when":
        try:
            when = parse_when(value, ctx.now, tz, words(ctx))
        except DateError as err:
            await ctx.reply(date_error(ctx, err, value))
            return
        length = (event.ends_at - event.starts_at) if event.ends_at else ctx.here.settings.rituals.events.default_duration
        if rule is not None:
            await series.retime(ctx, event, rule, when.start, when.end or when.start + length)
        else:
            event.starts_at, event.ends_at, event.timed_at = when.start, when.end or when.start + length, ctx.now
    elif field == "end":
        try:
            when = parse_when(f"{event.starts_at.astimezone(tz).date().isoformat()} {value}", ctx.now, tz)
        except DateError as err:
            await ctx.reply(date_error(ctx, err, value))
            return
        if when.start <= event.starts_at:
            await ctx.reply(t.t("calendar.edit.end_before_start", when=when_text(t, event.starts_at, None, tz, ctx.now)))
            return
        event.ends_at = when.start
    elif field == "capacity":
        if not value.isdigit():
            await ctx.reply(t.t("calendar.edit.bad_capacity"))
            return
        event.capacity = int(value) or None
    elif field == "type":
        kind = read_kind(t, value)
        if kind is None and value.lower() not in ("none", "-", ""):
            await ctx.reply(t.t("calendar.edit.bad_kind", kinds=", ".join(label(t, k) for k in KINDS)))
            return
        event.kind = kind or ""
    elif field == "title":
        if not value:
            await ctx.reply(t.t("calendar.no_title", example=EXAMPLE))
            return
        event.title = value
    else:
        setattr(event, field, value[: 4000 if field == "description" else 512])
    event.updated_at = ctx.now
    await ctx.session.flush()
    if field == "capacity":
        await fill_from_waitlist(ctx, event)
    ctx.audit("event edit", before, f"{field}={_field_text(event, field)}")
    await ctx.rt.signal(runtime.CALENDAR_CHANGED, ctx, None)
    await redraw_card(ctx, event)
    await show_card(ctx, event, "calendar.edited")


def _field_text(event: CalendarEvent, field: str) -> str:
    """A field's value for the audit log."""
    value = {"when": event.starts_at, "end": event.ends_at, "type": event.kind}.get(field, getattr(event, field, None))
    return value.isoformat() if isinstance(value, datetime) else str(value)[:200]


async def _cancel(ctx: Context, ev: CommandInvoked, args: str) -> None:
    """Cancel: its reminders are withdrawn (the reminder ritual only sees scheduled events) and those going are told.
    ``/event cancel N date`` cancels one occurrence of a series."""
    event, rest = await _find(ctx, args)
    if event is None:
        return
    t, tz = ctx.t, ctx.here.tz
    if rest:
        rule = await SeriesRepo(ctx.session).get(event.id)
        if rule is None:
            await ctx.reply(t.t("calendar.occurrence.not_series", id=event.id))
            return
        if event.status != EventStatus.CANCELLED:
            await series.cancel_one(ctx, event, rule, rest)
            await ctx.rt.signal(runtime.CALENDAR_CHANGED, ctx, None)
            await redraw_card(ctx, event)
            return
    if event.status == "cancelled":
        await ctx.reply(t.t("calendar.already_cancelled", id=event.id))
        return
    event.status, event.updated_at = EventStatus.CANCELLED, ctx.now
    await ctx.session.flush()
    ctx.audit("event cancel", f"#{event.id} {event.title}", "cancelled")
    await ctx.rt.signal(runtime.CALENDAR_CHANGED, ctx, None)
    await redraw_card(ctx, event)
    when = when_text(t, event.starts_at, event.ends_at, tz, ctx.now)
    await ctx.reply(t.t("calendar.cancelled", title=event.title, when=when), quote=False)
    if event.starts_at > ctx.now:
        rsvps = RsvpRepo(ctx.session)
        for row in await rsvps.with_status(event.id, Rsvp.GOING) + await rsvps.with_status(event.id, Rsvp.WAITLIST):
            await ctx.direct(UserRef(ctx.here.chat.platform, row.user_id), t.t("calendar.cancelled_dm", title=event.title, when=when))


async def _move(ctx: Context, ev: CommandInvoked, args: str) -> None:
    """``/event move N date newtime``: one occurrence of a series elsewhere; its reminders follow."""
    event, rest = await _find(ctx, args)
    if event is None:
        return
    rule = await SeriesRepo(ctx.session).get(event.id)
    if rule is None or event.status == "cancelled":
        key = "calendar.occurrence.not_series" if rule is None else "calendar.already_cancelled"
        await ctx.reply(ctx.t.t(key, id=event.id))
        return
    error = await series.move_one(ctx, event, rule, rest, words(ctx))
    if error is not None:
        await ctx.reply(error)
        return
    await ctx.rt.signal(runtime.CALENDAR_CHANGED, ctx, None)
    await redraw_card(ctx, event)


async def _list(ctx: Context, ev: CommandInvoked, args: str, *, days: int | None = None) -> None:
    tz = ctx.here.tz
    items = await upcoming(ctx, days, limit=MAX_LONG_VIEW if days else None)
    counts = await counts_of(ctx, items)
    text = listing(ctx.t, items, counts, tz, ctx.now, days=days)
    await ctx.reply(text, buttons=list_buttons(ctx.t, items, tz), quote=False)


async def _export(ctx: Context) -> None:
    """The calendar as an .ics file; as text where the platform cannot take files."""
    c = ctx.here
    data, n = await feed.calendar_file(ctx.session, c, ctx.now)
    filename = "calendar.ics"
    caption = ctx.t.t("calendar.ics.caption", community=c.name, n=n)
    message = getattr(ctx.event, "message", None)
    result = await ctx.perform(SendFile(c.chat, filename, data, caption, mime="text/calendar", place=message.place if message else None))
    if isinstance(result, Unsupported):
        await ctx.reply(join([ctx.t.t("calendar.ics.fallback", filename=filename), plain(data.decode())]))
    elif not isinstance(result, Done):
        await ctx.reply(ctx.t.t("calendar.ics.failed"))
