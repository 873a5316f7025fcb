"""RSVP buttons: going / maybe / can't, with a capacity and a waitlist that moves up on its own.

A series' card answers for every occurrence (``rsvp:``); a line of /events answers for one occurrence
(``rsvo:``), overriding the answer to the series for that date. Series have no capacity.
"""

from __future__ import annotations

from bot.core import callbacks
from bot.core.actions import AnswerButton, Buttons, Done, EditMessage, SendMessage
from bot.core.context import Context
from bot.core.events import ButtonPressed
from bot.core.ids import ChatRef, MessageRef, UserRef
from bot.core.richtext import Rich, join
from handlers.calendar.event_view import CARD, CHOICES, card, card_buttons, list_buttons, listing, when_text
from handlers.calendar.upcoming import counts_of, upcoming
from rituals import instances
from rituals.recurrence import Repeat
from storage.models.rituals import CalendarEvent
from storage.models.states import EventStatus, Rsvp
from storage.repos.calendar import CalendarRepo, RsvpRepo
from storage.repos.housekeeping import BotMessageRepo
from storage.repos.recurrence import OccurrenceRsvpRepo, SeriesRepo


def _day(field: str) -> str | None:
    """``20261210`` (button data) as ``2026-12-10``, or None."""
    if len(field) != 8 or not field.isascii() or not field.isdigit():
        return None
    return f"{field[:4]}-{field[4:6]}-{field[6:]}"


async def on_press(ctx: Context, ev: ButtonPressed, rest: str) -> None:
    """``rsvp:<event id>:<going|maybe|no>:<view>``: record the answer, redraw the message, say what happened."""
    parsed = callbacks.parse(rest, callbacks.ID, callbacks.one_of(*CHOICES), callbacks.text(8))
    if ctx.community is None or parsed is None:
        ctx.after_commit(AnswerButton(ev.callback_id))
        return
    event_id, choice, view = parsed
    t = ctx.t
    event = await CalendarRepo(ctx.session).of_community(ctx.community.id, event_id)
    rule = await SeriesRepo(ctx.session).get(event_id) if event is not None else None
    over = event is not None and (
        event.starts_at <= ctx.now if rule is None else (rule.last_start is not None and rule.last_start <= ctx.now)
    )
    if event is None or event.status != EventStatus.SCHEDULED or over:
        ctx.after_commit(AnswerButton(ev.callback_id, t.s("calendar.rsvp.gone"), alert=True))
        return
    status = await answer(ctx, event, ev.user.ref.id, ev.user.display_name, choice)
    if status == Rsvp.WAITLIST:
        position = [r.user_id for r in await RsvpRepo(ctx.session).with_status(event.id, Rsvp.WAITLIST)].index(ev.user.ref.id) + 1
        text = t.s("calendar.rsvp.waitlist", n=position)
    else:
        text = t.s(f"calendar.rsvp.{status}")
    ctx.after_commit(AnswerButton(ev.callback_id, text))
    if ev.message is not None:
        await _redraw(ctx, ev, event, view)


async def on_occurrence_press(ctx: Context, ev: ButtonPressed, rest: str) -> None:
    """``rsvo:<event id>:<yyyymmdd>:<going|maybe|no>:<view>``: one occurrence of a series."""
    parsed = callbacks.parse(rest, callbacks.ID, _day, callbacks.one_of(*CHOICES), callbacks.text(8))
    if ctx.community is None or parsed is None:
        ctx.after_commit(AnswerButton(ev.callback_id))
        return
    event_id, day, choice, view = parsed
    event = await CalendarRepo(ctx.session).of_community(ctx.community.id, event_id)
    found = await instances.find(ctx.session, event, day, ctx.community.tz) if event is not None else None
    if event is None or found is None or event.status != EventStatus.SCHEDULED or found.starts_at <= ctx.now:
        ctx.after_commit(AnswerButton(ev.callback_id, ctx.t.s("calendar.rsvp.gone"), alert=True))
        return
    await OccurrenceRsvpRepo(ctx.session).set(event.id, day, ev.user.ref.id, ev.user.display_name, choice, ctx.now)
    ctx.after_commit(AnswerButton(ev.callback_id, ctx.t.s(f"calendar.rsvp.{choice}")))
    if ev.message is not None:
        await _redraw(ctx, ev, event, view)


async def answer(ctx: Context, event: CalendarEvent, user_id: str, name: str, choice: str) -> str:
    """Set someone's answer; returns the status they got (``waitlist`` when the event is full)."""
    rsvps = RsvpRepo(ctx.session)
    current = await rsvps.get(event.id, user_id)
    before = current.status if current else None
    if choice == Rsvp.GOING:
        if before in (Rsvp.GOING, Rsvp.WAITLIST):
            return before
        full = event.capacity is not None and await rsvps.count(event.id, Rsvp.GOING) >= event.capacity
        status = Rsvp.WAITLIST if full else Rsvp.GOING
    else:
        status = Rsvp(choice)
    await rsvps.set(event.id, user_id, name, status, ctx.now)
    if before == "going":
        await fill_from_waitlist(ctx, event)
    return status


async def fill_from_waitlist(ctx: Context, event: CalendarEvent) -> None:
    """Move the longest-waiting up while there is room, and tell them by DM."""
    rsvps = RsvpRepo(ctx.session)
    room = (event.capacity - await rsvps.count(event.id, "going")) if event.capacity is not None else None
    waiting = await rsvps.with_status(event.id, Rsvp.WAITLIST)
    tz = ctx.here.tz
    for row in waiting if room is None else waiting[: max(room, 0)]:
        row.status = Rsvp.GOING
        await ctx.session.flush()
        await ctx.direct(
            UserRef(ctx.here.chat.platform, row.user_id),
            ctx.t.t("calendar.promoted", title=event.title, when=when_text(ctx.t, event.starts_at, event.ends_at, tz, ctx.now)),
        )


async def _redraw(ctx: Context, ev: ButtonPressed, event: CalendarEvent, view: str) -> None:
    assert ev.message is not None
    t, tz = ctx.t, ctx.here.tz
    if view == CARD:
        ctx.after_commit(await card_message(ctx, event, ev.message))
    else:
        items = await upcoming(ctx)
        counts_all = await counts_of(ctx, items)
        ctx.after_commit(EditMessage(ev.message, listing(t, items, counts_all, tz, ctx.now), list_buttons(t, items, tz)))


def card_purpose(event: CalendarEvent) -> str:
    return f"event_card:{event.id}"


async def show_card(ctx: Context, event: CalendarEvent, header_key: str, *, to: tuple[ChatRef, str | None] | None = None) -> None:
    """Post the event's card with its RSVP buttons (here, or ``to`` a chat and place), and remember it so later
    changes can redraw it."""
    body, buttons = await card_parts(ctx, event)
    text = join([ctx.t.t(header_key, id=event.id), body], blank_line=False)
    if to is None:
        result = await ctx.reply(text, buttons=buttons, quote=False)
    else:
        result = await ctx.perform(SendMessage(to[0], text, place=to[1], buttons=buttons))
    if isinstance(result, Done) and result.message is not None:
        ctx.remember_message(result.message, card_purpose(event))


async def redraw_card(ctx: Context, event: CalendarEvent) -> None:
    """Bring the event's last posted card up to date (a cancelled one loses its buttons)."""
    c = ctx.here
    posted = await BotMessageRepo(ctx.session).latest(c.id, card_purpose(event))
    if posted is None:
        return
    ctx.after_commit(await card_message(ctx, event, MessageRef(c.chat, posted.message_id, posted.place)))


async def card_message(ctx: Context, event: CalendarEvent, ref: MessageRef) -> EditMessage:
    """The event's card as it should read now: a series with its rule and its next occurrence."""
    text, buttons = await card_parts(ctx, event)
    return EditMessage(ref, text, buttons)


async def card_parts(ctx: Context, event: CalendarEvent) -> tuple[Rich, Buttons]:
    t, tz = ctx.t, ctx.here.tz
    counts = (await RsvpRepo(ctx.session).counts([event.id]))[event.id]
    rule = await SeriesRepo(ctx.session).get(event.id)
    if rule is None:
        return card(t, event, counts, tz, ctx.now), card_buttons(t, event, counts)
    nxt = await instances.next_of(ctx.session, event, rule, tz, ctx.now)
    repeat = Repeat.from_rrule(rule.rrule, instances.zone(event.timezone, tz))
    return card(t, event, counts, tz, ctx.now, repeat=repeat, next_one=nxt), card_buttons(t, event, counts) if nxt else ()
