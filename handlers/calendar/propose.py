"""``/event propose <when> <title> | <place> | <description>``: any member suggests an event.

The proposal waits on a card in the moderators' log with Approve and Decline; only managers may press them.
Approved, it goes on the calendar the way ``/event add`` puts it there (its card with RSVP buttons where it
was proposed, ``CALENDAR_CHANGED``); either way the member hears back by DM. A member has a few open at most.
"""

from __future__ import annotations

from bot.core import callbacks
from bot.core.actions import AnswerButton, Button, Buttons, EditMessage
from bot.core.community import CommunityInfo
from bot.core.context import Context
from bot.core.events import ButtonPressed, CommandInvoked, Role
from bot.core.ids import ChatRef, MessageRef, UserRef
from bot.core.richtext import Mention, Rich, join, plain
from handlers.calendar.create import Draft, draft, new_event, schedule
from handlers.calendar.event_view import when_text
from storage.models.rituals import EventProposal
from storage.models.states import ProposalStatus
from storage.repos.calendar import ProposalRepo

PREFIX = "evp"
OPEN_LIMIT = 3  # open proposals a member may have at once: enough to suggest, too few to flood the log


async def propose(ctx: Context, ev: CommandInvoked, args: str) -> None:
    """Read the event as ``/event add`` does, store it as proposed, and put its card in the log."""
    info, t = ctx.here, ctx.t
    if not args:
        await ctx.reply(t.t("calendar.propose.usage"))
        return
    got = draft(ctx, args, ev.user)
    if not isinstance(got, Draft):
        await ctx.reply(got)
        return
    if got.repeat is not None:
        await ctx.reply(t.t("calendar.propose.no_repeat"))
        return
    if info.log_chat is None:
        await ctx.reply(t.t("calendar.propose.no_log"))
        return
    repo = ProposalRepo(ctx.session)
    mine = ctx.translator_for(ev.user)
    if await repo.open_count(info.id, ev.user.ref.id) >= OPEN_LIMIT:
        await ctx.privately(ev, mine.t("calendar.propose.limit", limit=OPEN_LIMIT))
        return
    e = got.event
    row = await repo.add(
        EventProposal(
            community_id=info.id, proposer_id=ev.user.ref.id, proposer_name=ev.user.display_name, title=e.title,
            starts_at=e.starts_at, ends_at=e.ends_at, place=e.place, link=e.link, description=e.description,
            post_place=ev.message.place if ev.message is not None else None, status=ProposalStatus.PROPOSED, created_at=ctx.now,
        )
    )  # fmt: skip
    await _card(ctx, info, row)
    when = when_text(mine, row.starts_at, row.ends_at, info.tz, ctx.now)
    await ctx.privately(ev, mine.t("calendar.propose.sent", title=row.title, when=when, community=info.name))


def _card_text(ctx: Context, row: EventProposal) -> Rich:
    t, info = ctx.t, ctx.here
    member = Mention(UserRef(info.chat.platform, row.proposer_id), row.proposer_name or row.proposer_id)
    lines = [
        t.t("calendar.propose.card", member=member, title=row.title),
        t.t("calendar.card.when", when=when_text(t, row.starts_at, row.ends_at, info.tz, ctx.now)),
    ]
    if row.place:
        lines.append(t.t("calendar.card.place", place=row.place))
    if row.link:
        lines.append(t.t("calendar.card.link", link=row.link))
    parts = [join(lines, blank_line=False)]
    if row.description:
        parts.append(plain(row.description))
    return join(parts)


async def _card(ctx: Context, info: CommunityInfo, row: EventProposal) -> None:
    t = ctx.t
    approve = Button(t.s("calendar.propose.approve"), f"{PREFIX}:yes:{row.id}")
    decline = Button(t.s("calendar.propose.decline"), f"{PREFIX}:no:{row.id}")
    buttons: Buttons = ((approve, decline),)
    send = info.to_log(_card_text(ctx, row), buttons, silent=False)
    if send is None:
        return
    message = getattr(await ctx.perform(send), "message", None)
    if isinstance(message, MessageRef):
        row.card_chat, row.card_message, row.card_place = message.chat.id, message.id, message.place


async def on_press(ctx: Context, ev: ButtonPressed, rest: str) -> None:
    """``evp:yes|no:<proposal id>``: a manager decides, once."""
    parsed = callbacks.parse(rest, callbacks.one_of("yes", "no"), callbacks.ID)
    row = await ProposalRepo(ctx.session).get(parsed[1]) if parsed is not None else None
    t = ctx.t
    if parsed is None or row is None or ctx.community is None or ctx.community.id != row.community_id:
        ctx.after_commit(AnswerButton(ev.callback_id, t.s("calendar.propose.gone"), alert=True))
        return
    if ctx.role.rank < Role.MANAGER.rank:
        ctx.after_commit(AnswerButton(ev.callback_id, t.s("calendar.propose.not_allowed"), alert=True))
        return
    if row.status != ProposalStatus.PROPOSED:
        ctx.after_commit(AnswerButton(ev.callback_id, t.s("calendar.propose.decided")))
        return
    approve = parsed[0] == "yes"
    if approve and row.starts_at <= ctx.now:
        ctx.after_commit(AnswerButton(ev.callback_id, t.s("calendar.propose.past"), alert=True))
        return
    await _decide(ctx, ev, row, approve)


async def _decide(ctx: Context, ev: ButtonPressed, row: EventProposal, approve: bool) -> None:
    info, t = ctx.here, ctx.t
    row.status, row.decided_at = (ProposalStatus.APPROVED if approve else ProposalStatus.DECLINED), ctx.now
    ctx.after_commit(AnswerButton(ev.callback_id))
    when = when_text(t, row.starts_at, row.ends_at, info.tz, ctx.now)
    manager = Mention(ev.user.ref, ev.user.display_name)
    if approve:
        event = new_event(
            ctx, row.title, row.starts_at, row.ends_at, row.place, row.link, row.description, row.proposer_id, row.proposer_name
        )  # hosted by the member who proposed it
        await schedule(ctx, event, to=(info.chat, row.post_place))
        row.event_id = event.id
        outcome = t.t("calendar.propose.outcome_approved", manager=manager, id=event.id)
        told = t.t("calendar.propose.approved_dm", title=row.title, when=when, community=info.name)
    else:
        ctx.audit("event propose decline", None, f"proposal {row.id} {row.title}")
        outcome = t.t("calendar.propose.outcome_declined", manager=manager)
        told = t.t("calendar.propose.declined_dm", title=row.title, when=when, community=info.name)
    await ctx.direct(UserRef(info.chat.platform, row.proposer_id), told)
    if row.card_chat and row.card_message:
        ref = MessageRef(ChatRef(info.chat.platform, row.card_chat), row.card_message, row.card_place)
        ctx.after_commit(EditMessage(ref, join([_card_text(ctx, row), outcome]), ()))
