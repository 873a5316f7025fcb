"""The platform's own events list speaking back (Discord): "Interested" counts as going, and an event a
manager adds there comes into the calendar.

A member's "Interested" on a mirrored event (or occurrence) answers it as going (the waitlist applies);
taking it back makes a "going" a "maybe". The other way is closed: a bot cannot mark a member interested,
so an answer given with the bot's buttons shows in the bot's card and ``/events`` only.
"""

from __future__ import annotations

from bot.core import runtime
from bot.core.commands import Where
from bot.core.context import Context
from bot.core.events import Event, NativeEventCreated, NativeEventInterest
from bot.core.router import Flow
from handlers.calendar.mirror import fingerprint
from handlers.calendar.rsvp import answer, redraw_card, show_card
from rituals.instances import Instance
from storage.models.recurrence import EventMirror
from storage.models.rituals import CalendarEvent
from storage.models.states import EventStatus, Rsvp
from storage.repos.calendar import CalendarRepo, RsvpRepo
from storage.repos.mirrors import MirrorRepo
from storage.repos.recurrence import OccurrenceRsvpRepo


class NativeEvents:
    name = "calendar_native"
    events: tuple[type[Event], ...] = (NativeEventInterest, NativeEventCreated)
    where = Where.GROUP

    async def handle(self, ctx: Context, ev: NativeEventInterest | NativeEventCreated, /) -> Flow | None:
        if isinstance(ev, NativeEventInterest):
            await interest(ctx, ev)
        else:
            await created(ctx, ev)
        return None


async def interest(ctx: Context, ev: NativeEventInterest) -> None:
    c = ctx.here
    mirror = await MirrorRepo(ctx.session).by_native(c.chat.platform, ev.native)
    event = await CalendarRepo(ctx.session).of_community(c.id, mirror.event_id) if mirror is not None else None
    if mirror is None or event is None or event.status != EventStatus.SCHEDULED or mirror.starts_at <= ctx.now:
        return
    uid, name = ev.user.ref.id, ev.user.display_name
    if mirror.occurrence:
        repo = OccurrenceRsvpRepo(ctx.session)
        current = await repo.get(event.id, mirror.occurrence, uid)
        if ev.interested or (current is not None and current.status == Rsvp.GOING):
            await repo.set(event.id, mirror.occurrence, uid, name, Rsvp.GOING if ev.interested else Rsvp.MAYBE, ctx.now)
    else:
        now = await RsvpRepo(ctx.session).get(event.id, uid)
        if ev.interested:
            await answer(ctx, event, uid, name, Rsvp.GOING)
        elif now is not None and now.status in (Rsvp.GOING, Rsvp.WAITLIST):
            await answer(ctx, event, uid, name, Rsvp.MAYBE)
    await redraw_card(ctx, event)


async def created(ctx: Context, ev: NativeEventCreated) -> None:
    """Into the calendar, with the mirror row already pointing at it (so it is not sent back as a twin)."""
    c = ctx.here
    repo = MirrorRepo(ctx.session)
    if await repo.by_native(c.chat.platform, ev.native) is not None:
        return  # the bot's own, or one already taken in
    ends_at = ev.ends_at or ev.starts_at + c.settings.rituals.events.default_duration
    is_link = ev.location.startswith(("http://", "https://"))
    event = CalendarEvent(
        community_id=c.id,
        title=ev.title[:256] or "?",
        starts_at=ev.starts_at,
        ends_at=ends_at,
        timezone=c.settings.timezone,
        place="" if is_link else ev.location[:512],
        link=ev.location[:512] if is_link else "",
        description=ev.description[:4000],
        host_id=ev.creator.ref.id if ev.creator else None,
        host_name=ev.creator.display_name if ev.creator else "",
        status=EventStatus.SCHEDULED,
        created_at=ctx.now,
        updated_at=ctx.now,
        timed_at=ctx.now,
    )
    cal = CalendarRepo(ctx.session)
    cal.add(event)
    await cal.flush()
    fp = fingerprint(Instance(event, event.starts_at, ends_at), ends_at)
    platform = c.chat.platform
    row = EventMirror(event_id=event.id, platform=platform, native=ev.native, occurrence="", fingerprint=fp)
    row.starts_at, row.ends_at = ev.starts_at, ends_at
    repo.add(row)
    await cal.flush()
    ctx.audit("event import", None, f"#{event.id} {event.title} (scheduled event {ev.native})")
    await ctx.rt.signal(runtime.CALENDAR_CHANGED, ctx, None)
    await show_card(ctx, event, "calendar.imported")
