"""RSVP buttons: going / maybe / can't, with a capacity and a waitlist that moves up on its own."""

from __future__ import annotations

from bot.core import callbacks
from bot.core.actions import AnswerButton, EditMessage
from bot.core.context import Context
from bot.core.events import ButtonPressed
from bot.core.ids import UserRef
from handlers.calendar.event_view import CARD, CHOICES, card, card_buttons, list_buttons, listing, when_text
from handlers.calendar.upcoming import upcoming
from storage.models.rituals import CalendarEvent
from storage.repos.calendar import CalendarRepo, RsvpRepo


async def on_press(ctx: Context, ev: ButtonPressed, rest: str) -> None:
    """``rsvp:<event id>:<going|maybe|no>:<view>``: record the answer, redraw the message, say what happened."""
    parsed = callbacks.parse(rest, callbacks.ID, callbacks.one_of(*CHOICES), callbacks.text(8))
    if ctx.community is None or parsed is None:
        ctx.after_commit(AnswerButton(ev.callback_id))
        return
    event_id, choice, view = parsed
    t = ctx.t
    event = await CalendarRepo(ctx.session).of_community(ctx.community.id, event_id)
    if event is None or event.status != "scheduled" or event.starts_at <= ctx.now:
        ctx.after_commit(AnswerButton(ev.callback_id, t.s("calendar.rsvp.gone"), alert=True))
        return
    status = await answer(ctx, event, ev.user.ref.id, ev.user.display_name, choice)
    if status == "waitlist":
        position = [r.user_id for r in await RsvpRepo(ctx.session).with_status(event.id, "waitlist")].index(ev.user.ref.id) + 1
        text = t.s("calendar.rsvp.waitlist", n=position)
    else:
        text = t.s(f"calendar.rsvp.{status}")
    ctx.after_commit(AnswerButton(ev.callback_id, text))
    if ev.message is not None:
        await _redraw(ctx, ev, event, view)


async def answer(ctx: Context, event: CalendarEvent, user_id: str, name: str, choice: str) -> str:
    """Set someone's answer; returns the status they got (``waitlist`` when the event is full)."""
    rsvps = RsvpRepo(ctx.session)
    current = await rsvps.get(event.id, user_id)
    before = current.status if current else None
    if choice == "going":
        if before in ("going", "waitlist"):
            return before
        full = event.capacity is not None and await rsvps.count(event.id, "going") >= event.capacity
        status = "waitlist" if full else "going"
    else:
        status = choice
    await rsvps.set(event.id, user_id, name, status, ctx.now)
    if before == "going":
        await fill_from_waitlist(ctx, event)
    return status


async def fill_from_waitlist(ctx: Context, event: CalendarEvent) -> None:
    """Move the longest-waiting up while there is room, and tell them by DM."""
    rsvps = RsvpRepo(ctx.session)
    room = (event.capacity - await rsvps.count(event.id, "going")) if event.capacity is not None else None
    waiting = await rsvps.with_status(event.id, "waitlist")
    assert ctx.community is not None
    tz = ctx.community.tz
    for row in waiting if room is None else waiting[: max(room, 0)]:
        row.status = "going"
        await ctx.session.flush()
        await ctx.direct(
            UserRef(ctx.community.chat.platform, row.user_id),
            ctx.t.t("calendar.promoted", title=event.title, when=when_text(ctx.t, event.starts_at, event.ends_at, tz, ctx.now)),
        )


async def _redraw(ctx: Context, ev: ButtonPressed, event: CalendarEvent, view: str) -> None:
    assert ctx.community is not None and ev.message is not None
    t, tz = ctx.t, ctx.community.tz
    if view == CARD:
        counts = (await RsvpRepo(ctx.session).counts([event.id]))[event.id]
        ctx.after_commit(EditMessage(ev.message, card(t, event, counts, tz, ctx.now), card_buttons(t, event, counts)))
    else:
        events = await upcoming(ctx)
        counts_all = await RsvpRepo(ctx.session).counts([e.id for e in events])
        ctx.after_commit(EditMessage(ev.message, listing(t, events, counts_all, tz, ctx.now), list_buttons(t, events)))
