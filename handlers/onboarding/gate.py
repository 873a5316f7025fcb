"""The rules gate: a newcomer is read-only until they press "I have read the rules" or answer right.

Failing (a wrong choice) or running out of time removes them (or keeps them
muted, as configured) with a message that says why and when they may try
again; a rejoin before then is turned away with the same explanation.
"""

from __future__ import annotations

import logging

from bot.core import callbacks, roles
from bot.core.actions import AnswerButton, KickMember, RestrictMember, SendMessage, UnrestrictMember
from bot.core.community import CommunityInfo
from bot.core.context import Context
from bot.core.events import ButtonPressed, Person, Role
from bot.core.ids import UserRef
from bot.core.richtext import Mention
from bot.core.ritual import Occurrence
from storage.models.onboarding import Newcomer
from storage.models.states import CampaignState, GateState
from storage.repos.onboarding import NewcomerRepo

from .deadlines import expired

log = logging.getLogger("handlers.onboarding.gate")


def applies(info: CommunityInfo, person: Person) -> bool:
    """Whether a newcomer passes the rules gate: everyone but the config's staff (``bot.core.roles``)."""
    return info.settings.onboarding.rules_gate and roles.named(info, person) is Role.MEMBER


async def start(ctx: Context, info: CommunityInfo, row: Newcomer, user: UserRef) -> bool:
    """Mute the newcomer until they pass. False when the platform would not (no rights): then there is no gate."""
    result = await ctx.perform(RestrictMember(info.chat, user, gate=True, role=info.settings.onboarding.gate_role or None))
    if not result.ok:
        log.warning("rules gate off for a join in %s: could not hold the newcomer (%s)", info.chat, result)
        row.gate_state = GateState.NONE
        return False
    row.gate_state = GateState.PENDING
    row.gate_deadline = ctx.now + info.settings.onboarding.gate.timeout
    return True


async def passed(ctx: Context, info: CommunityInfo, row: Newcomer, user: UserRef) -> None:
    await ctx.perform(UnrestrictMember(info.chat, user, role=info.settings.onboarding.gate_role or None))
    row.gate_state = GateState.PASSED
    row.gate_deadline = None


async def failed(ctx: Context, info: CommunityInfo, row: Newcomer, user: UserRef) -> None:
    """Remove (or keep muted) and say so in the community, in words the member understands."""
    gate = info.settings.onboarding.gate
    t = ctx.rt.catalogs.translator(info.settings.language)
    member = Mention(user, row.display_name or user.id)
    row.gate_state = GateState.FAILED
    row.gate_deadline = None
    if gate.on_fail == "kick":
        row.retry_after = ctx.now + gate.retry_after
        _removed(ctx, row)
        text = t.t("onboarding.gate.removed", member=member, when=t.datetime(row.retry_after, info.tz, "short"))
        await ctx.perform(KickMember(info.chat, user))
    else:
        text = t.t("onboarding.gate.muted", member=member)
    await ctx.perform(SendMessage(info.chat, text, place=info.main_place))


async def turn_away(ctx: Context, info: CommunityInfo, row: Newcomer, user: UserRef) -> None:
    """A rejoin before the cool-down ended."""
    assert row.retry_after is not None
    _removed(ctx, row)
    t = ctx.t
    await ctx.perform(KickMember(info.chat, user))
    member = Mention(user, row.display_name or user.id)
    text = t.t("onboarding.gate.cooldown", member=member, when=t.datetime(row.retry_after, info.tz, "short"))
    await ctx.perform(SendMessage(info.chat, text, place=info.main_place))


def _removed(ctx: Context, row: Newcomer) -> None:
    """We removed them: the platform may not tell us, so record it here (no campaign steps while away)."""
    row.left_at = ctx.now
    if row.campaign_state == CampaignState.ACTIVE:
        row.campaign_state = CampaignState.KICKED


async def on_button(ctx: Context, ev: ButtonPressed, rest: str) -> None:
    """``onb:gate`` (I have read the rules) and ``onb:pick:<i>`` (a choice): whoever presses, for themselves."""
    info = ctx.community
    if info is None:
        ctx.after_commit(AnswerButton(ev.callback_id))
        return
    t = ctx.translator_for(ev.user)
    row = await NewcomerRepo(ctx.session).get(info.id, ev.user.ref.id)
    if row is None or row.gate_state != GateState.PENDING:
        ctx.after_commit(AnswerButton(ev.callback_id, t.s("onboarding.gate.not_for_you")))
        return
    gate = info.settings.onboarding.gate
    pick = callbacks.parse(rest, callbacks.one_of("pick"), callbacks.number(99))
    if rest == "gate" and gate.mode == "button":
        ok = True
    elif pick is not None and gate.mode == "choice":
        ok = pick[1] == gate.right_choice
    else:
        ctx.after_commit(AnswerButton(ev.callback_id))
        return
    if ok:
        await passed(ctx, info, row, ev.user.ref)
        ctx.after_commit(AnswerButton(ev.callback_id, t.s("onboarding.gate.passed")))
    else:
        ctx.after_commit(AnswerButton(ev.callback_id, t.s("onboarding.gate.wrong_choice"), alert=True))
        await failed(ctx, info, row, ev.user.ref)


async def on_answer(ctx: Context, person: Person, text: str) -> bool:
    """A private text from someone with an 'answer' gate pending; True when it was meant as an answer."""
    rt = ctx.rt
    mine = [r for r in await NewcomerRepo(ctx.session).gate_pending_for(person.ref.id) if _same_platform(ctx, r, person.ref)]
    answered = False
    for row in mine:
        info = rt.directory.by_id(row.community_id)
        if info is None or info.settings.onboarding.gate.mode != "answer":
            continue
        answered = True
        t = ctx.translator_for(person)
        if right_answer(info, text):
            await passed(ctx, info, row, person.ref)
            await ctx.direct(person, t.t("onboarding.gate.passed_dm", community=info.name))
        else:
            await ctx.direct(person, t.t("onboarding.gate.wrong"))
    return answered


def _same_platform(ctx: Context, row: Newcomer, user: UserRef) -> bool:
    info = ctx.rt.directory.by_id(row.community_id)
    return info is not None and info.chat.platform == user.platform


def right_answer(info: CommunityInfo, text: str) -> bool:
    """The 'answer' gate's check: one of the accepted answers, whatever the case and spacing."""
    return _normalise(text) in {_normalise(a) for a in info.settings.onboarding.gate.answers}


def _normalise(text: str) -> str:
    return " ".join(text.split()).casefold()


class GateTimeout:
    """The ritual that removes newcomers who let the gate's time run out."""

    name = "rules_gate"

    async def due(self, ctx: Context) -> list[Occurrence]:
        rows = await NewcomerRepo(ctx.session).gate_deadlines(ctx.here.id)  # the earliest first
        return expired(ctx, rows, "gate", lambda r: r.gate_deadline)

    async def run(self, ctx: Context, occurrence: Occurrence) -> None:
        info = ctx.here
        row = await NewcomerRepo(ctx.session).by_id(int(occurrence.data["id"]))
        if row is None or row.gate_state != GateState.PENDING or row.gate_deadline is None or row.gate_deadline > ctx.now:
            return
        await failed(ctx, info, row, UserRef(info.chat.platform, row.user_id))


