"""Join requests (Telegram): the rules before entry, or the moderators' decision.

Telegram lets a bot write to a person who asked to join for a few minutes, before anyone answers the
request: the best moment for the rules. Per community (``onboarding.join_requests``):

* ``gate``: the rules and the gate's button, choice or question by DM; a right answer approves the request
  (and the join that follows is not gated again), a wrong choice or the gate's timeout declines it (the person
  may ask again). When the DM cannot be sent, the moderators get the card instead.
* ``moderators``: a card in the moderators' log with Approve and Decline.
* ``approve``: everyone is let in (the rules gate, when on, still applies on entry).
* ``off``: the chat's admins decide in Telegram.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.core import callbacks
from bot.core.actions import AnswerButton, Button, Buttons, DecideJoinRequest, EditMessage, SendDirect
from bot.core.commands import Where
from bot.core.community import CommunityInfo
from bot.core.context import Context
from bot.core.events import ButtonPressed, Event, JoinRequested, Person, Role
from bot.core.i18n import Translator
from bot.core.ids import ChatRef, MessageRef, UserRef
from bot.core.richtext import Mention, Rich, join, plain
from bot.core.ritual import Occurrence
from bot.core.router import Flow
from storage.models.onboarding import JoinRequest
from storage.models.states import JoinRequestState
from storage.repos.join_requests import JoinRequestRepo

from . import texts
from .deadlines import expired
from .gate import right_answer

log = logging.getLogger("handlers.onboarding.join_requests")

PREFIX = "jr"
BIO_LIMIT = 300  # characters of the person's bio quoted on the moderators' card
FRESH = timedelta(days=1)  # a join this soon after passing the gate by DM is not gated again


class JoinRequests:
    """Answers each join request the way the community chose."""

    name = "onboarding.join_requests"
    events: tuple[type[Event], ...] = (JoinRequested,)
    where = Where.GROUP

    async def handle(self, ctx: Context, ev: JoinRequested, /) -> Flow | None:
        info = ctx.here
        if ev.user.is_bot:
            return None
        mode = info.settings.onboarding.join_requests
        if mode == "off":
            return None
        repo = JoinRequestRepo(ctx.session)
        user = ev.user.ref
        if mode == "approve":
            row = await repo.open(info.id, user.id, ev.user.display_name, JoinRequestState.APPROVED, ctx.now)
            row.decided_at = ctx.now
            await ctx.perform(DecideJoinRequest(info.chat, user, True))
            return None
        if mode == "gate":
            row = await repo.open(info.id, user.id, ev.user.display_name, JoinRequestState.DM, ctx.now)
            row.deadline = ctx.now + info.settings.onboarding.gate.timeout
            t = ctx.translator_for(ev.user)
            sent = await ctx.perform(SendDirect(user, gate_text(t, info), gate_buttons(t, info, row.id)))
            if sent.ok:
                return None
            log.info("join request in %s: the rules could not be sent by DM (%s); the moderators decide", info.chat, sent)
            row.state, row.deadline = JoinRequestState.CARD, None
        else:
            row = await repo.open(info.id, user.id, ev.user.display_name, JoinRequestState.CARD, ctx.now)
        await _card(ctx, info, row, ev.user, ev.bio, dm_failed=mode == "gate")
        return None


def gate_text(t: Translator, info: CommunityInfo) -> Rich:
    """The DM: who is asking, the rules, and what to do."""
    gate = info.settings.onboarding.gate
    vals = texts.values(t, info)
    lines = [t.t("onboarding.join.dm", vals)]
    if gate.mode == "button":
        lines.append(t.t("onboarding.join.press", vals))
    elif gate.mode == "choice":
        lines.append(t.t("onboarding.join.choice", question=gate.question))
    else:
        lines.append(t.t("onboarding.join.answer", question=gate.question))
    return join(lines)


def gate_buttons(t: Translator, info: CommunityInfo, request_id: int) -> Buttons:
    gate = info.settings.onboarding.gate
    if gate.mode == "button":
        return ((Button(t.s("onboarding.gate.button"), data=f"{PREFIX}:ok:{request_id}"),),)
    if gate.mode == "choice":
        return tuple((Button(label[:64], data=f"{PREFIX}:pick:{request_id}:{i}"),) for i, label in enumerate(gate.choices))
    return ()


async def _card(ctx: Context, info: CommunityInfo, row: JoinRequest, person: Person, bio: str, dm_failed: bool) -> None:
    t = ctx.t
    lines = [t.t("onboarding.join.card", member=Mention(person.ref, person.display_name))]
    if bio.strip():
        lines.append(t.t("onboarding.join.card_bio", bio=plain(bio.strip()[:BIO_LIMIT])))
    if dm_failed:
        lines.append(t.t("onboarding.join.card_no_dm"))
    approve = Button(t.s("onboarding.join.approve"), f"{PREFIX}:yes:{row.id}")
    decline = Button(t.s("onboarding.join.decline"), f"{PREFIX}:no:{row.id}")
    buttons = ((approve, decline),)
    send = info.to_log(join(lines), buttons, silent=False)
    if send is None:
        log.warning("join request in %s: no moderators' log (log_place) for its card; the chat's admins decide in Telegram", info.chat)
        return
    result = await ctx.perform(send)
    message = getattr(result, "message", None)
    if isinstance(message, MessageRef):
        row.card_chat, row.card_message, row.card_place = message.chat.id, message.id, message.place


async def on_button(ctx: Context, ev: ButtonPressed, rest: str) -> None:
    """``jr:ok:<id>`` and ``jr:pick:<id>:<i>`` (the requester, by DM); ``jr:yes|no:<id>`` (a moderator, on the card)."""
    pick = callbacks.parse(rest, callbacks.one_of("pick"), callbacks.ID, callbacks.number(99))
    plain_op = callbacks.parse(rest, callbacks.one_of("ok", "yes", "no"), callbacks.ID)
    parsed = (pick[0], pick[1], pick[2]) if pick is not None else (plain_op[0], plain_op[1], None) if plain_op else None
    row = await JoinRequestRepo(ctx.session).by_id(parsed[1]) if parsed is not None else None
    info = ctx.rt.directory.by_id(row.community_id) if row is not None else None
    t = ctx.translator_for(ev.user)
    if parsed is None or row is None or info is None:
        ctx.after_commit(AnswerButton(ev.callback_id, t.s("onboarding.join.gone")))
        return
    op, _, choice = parsed
    if op in ("yes", "no"):
        await _moderator_decides(ctx, ev, info, row, approve=op == "yes")
        return
    if row.user_id != ev.user.ref.id or row.state != JoinRequestState.DM:
        ctx.after_commit(AnswerButton(ev.callback_id, t.s("onboarding.join.gone")))
        return
    gate = info.settings.onboarding.gate
    if (op == "ok") != (gate.mode == "button") or (op == "pick" and gate.mode != "choice"):
        ctx.after_commit(AnswerButton(ev.callback_id))
        return
    right = op == "ok" or choice == gate.right_choice
    ctx.after_commit(AnswerButton(ev.callback_id))
    await _gate_decides(ctx, info, row, ev.user.ref, t, approve=right)


async def _gate_decides(ctx: Context, info: CommunityInfo, row: JoinRequest, user: UserRef, t: Translator, approve: bool) -> None:
    """Tell the person first: Telegram lets the bot write to them only until their request is answered."""
    row.state, row.decided_at, row.deadline = (JoinRequestState.PASSED if approve else JoinRequestState.DECLINED), ctx.now, None
    key = "onboarding.join.welcome" if approve else "onboarding.join.wrong"
    await ctx.perform(SendDirect(user, t.t(key, community=info.name)))
    if not (await ctx.perform(DecideJoinRequest(info.chat, user, approve))).ok:
        row.state = JoinRequestState.GONE  # answered already (an admin in Telegram, or the person withdrew)
        log.info("join request in %s was answered elsewhere before the gate decided", info.chat)


async def _moderator_decides(ctx: Context, ev: ButtonPressed, info: CommunityInfo, row: JoinRequest, approve: bool) -> None:
    t = ctx.t
    if ctx.community is None or ctx.community.id != info.id or ctx.role.rank < Role.MODERATOR.rank:
        ctx.after_commit(AnswerButton(ev.callback_id, t.s("onboarding.join.not_allowed"), alert=True))
        return
    if row.state not in (JoinRequestState.CARD, JoinRequestState.DM):
        ctx.after_commit(AnswerButton(ev.callback_id, t.s("onboarding.join.decided")))
        return
    user = UserRef(info.chat.platform, row.user_id)
    result = await ctx.perform(DecideJoinRequest(info.chat, user, approve))
    row.state = (JoinRequestState.APPROVED if approve else JoinRequestState.DECLINED) if result.ok else JoinRequestState.GONE
    row.decided_at, row.decided_by, row.deadline = ctx.now, ev.user.ref.id, None
    ctx.audit("join request " + ("approve" if approve else "decline"), None, row.user_id)
    ctx.after_commit(AnswerButton(ev.callback_id))
    member = Mention(user, row.display_name or row.user_id)
    moderator = Mention(ev.user.ref, ev.user.display_name)
    if not result.ok:
        outcome = t.t("onboarding.join.outcome_gone", member=member)
    else:
        key = "onboarding.join.outcome_approved" if approve else "onboarding.join.outcome_declined"
        outcome = t.t(key, member=member, moderator=moderator)
    if row.card_chat and row.card_message:
        ref = MessageRef(ChatRef(info.chat.platform, row.card_chat), row.card_message, row.card_place)
        await ctx.perform(EditMessage(ref, outcome))


async def on_answer(ctx: Context, person: Person, text: str) -> bool:
    """A private text from someone whose join request waits on the 'answer' gate; True when it was an answer."""
    answered = False
    for row in await JoinRequestRepo(ctx.session).waiting_for(person.ref.id):
        info = ctx.rt.directory.by_id(row.community_id)
        if info is None or info.chat.platform != person.ref.platform or info.settings.onboarding.gate.mode != "answer":
            continue
        answered = True
        t = ctx.translator_for(person)
        if right_answer(info, text):
            await _gate_decides(ctx, info, row, person.ref, t, approve=True)
        else:
            await ctx.perform(SendDirect(person.ref, t.t("onboarding.gate.wrong")))  # as the gate: try again until the time runs out
    return answered


async def passed_by_request(ctx: Context, info: CommunityInfo, user_id: str) -> bool:
    """The newcomer accepted the rules in the request's DM just before joining: no gate again."""
    if info.settings.onboarding.join_requests != "gate":
        return False
    return await JoinRequestRepo(ctx.session).passed_since(info.id, user_id, ctx.now - FRESH)


class JoinRequestTimeout:
    """Declines the requests whose DM gate ran out of time (the person may ask again)."""

    name = "join_request_timeout"

    async def due(self, ctx: Context) -> list[Occurrence]:
        rows = await JoinRequestRepo(ctx.session).waiting_by_dm(ctx.here.id)  # the earliest first
        return expired(ctx, rows, "jr", lambda r: r.deadline)

    async def run(self, ctx: Context, occurrence: Occurrence) -> None:
        info = ctx.here
        row = await JoinRequestRepo(ctx.session).by_id(int(occurrence.data["id"]))
        if row is None or row.state != JoinRequestState.DM or row.deadline is None or row.deadline > ctx.now:
            return
        user = UserRef(info.chat.platform, row.user_id)
        row.state, row.decided_at, row.deadline = JoinRequestState.DECLINED, ctx.now, None
        # The DM first, while the request is open (Telegram's window to write may have closed already: then it just fails).
        await ctx.perform(SendDirect(user, ctx.t.t("onboarding.join.timeout", community=info.name)))
        if not (await ctx.perform(DecideJoinRequest(info.chat, user, False))).ok:
            row.state = JoinRequestState.GONE
