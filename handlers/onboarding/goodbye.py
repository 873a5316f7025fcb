"""A member leaves: pending campaign steps are cancelled; an optional goodbye and farewell question."""

from __future__ import annotations

from bot.core.actions import DeleteMessage, SendMessage
from bot.core.commands import Where
from bot.core.context import Context
from bot.core.events import Event, LeaveKind, MemberLeft
from bot.core.richtext import Mention, Value
from bot.core.router import Flow
from bot.core.runtime import RemovedMember
from storage.models.onboarding import Newcomer
from storage.models.states import CampaignState, GateState
from storage.repos.onboarding import NewcomerRepo

from . import texts
from .activation import ActivationTracker
from .cleanup import withdraw_welcome


def stop_campaign(row: Newcomer, kind: str, ctx: Context) -> None:
    """They are gone (left | kicked | banned): no more campaign steps, no pending gate or DM."""
    row.left_at = ctx.now
    if row.campaign_state == CampaignState.ACTIVE:
        row.campaign_state = CampaignState(kind)
    if row.gate_state == GateState.PENDING:
        row.gate_state = GateState.NONE
        row.gate_deadline = None
    row.dm_pending = False


class Goodbye:
    name = "onboarding.leave"
    events: tuple[type[Event], ...] = (MemberLeft,)
    where = Where.GROUP

    def __init__(self, activation: ActivationTracker) -> None:
        self.activation = activation

    async def member_removed(self, ctx: Context, gone: RemovedMember) -> None:
        """The bot removed someone (e.g. the spam filter's ban); the platform may never send us a leave."""
        self.activation.forget(gone.community_id, gone.user_id)
        row = await NewcomerRepo(ctx.session).get(gone.community_id, gone.user_id)
        if row is not None:
            stop_campaign(row, gone.kind, ctx)
            if ctx.community is not None and ctx.community.id == gone.community_id:
                await withdraw_welcome(ctx, gone.user_id, row.joined_at)

    async def handle(self, ctx: Context, ev: MemberLeft, /) -> Flow | None:
        info = ctx.here
        if ev.member.is_bot:
            return None
        ob = info.settings.onboarding
        if ob.delete_service_messages and ev.service_message is not None:
            ctx.after_commit(DeleteMessage(ev.service_message))
        if ctx.repeat_leave:
            return None  # the same leave reported again: said goodbye to already
        user = ev.member.ref
        self.activation.forget(info.id, user.id)
        row = await NewcomerRepo(ctx.session).get(info.id, user.id)
        if row is not None:
            stop_campaign(row, ev.kind.value, ctx)
            if ev.kind is not LeaveKind.LEFT:
                await withdraw_welcome(ctx, user.id, row.joined_at)
        if not ob.enabled or ev.kind is not LeaveKind.LEFT:
            return None
        member = Mention(user, ev.member.display_name)
        if ob.goodbye:
            vals: dict[str, Value] = {"member": member, "community": info.name}
            text = texts.template_or_key(ctx.t, ob.goodbye_text, "onboarding.goodbye", vals)
            await ctx.perform(SendMessage(info.chat, text, place=info.main_place))
        if ob.farewell_question and row is not None:
            t = ctx.translator_for(ev.member)
            result = await ctx.direct(ev.member, t.t("onboarding.farewell", community=info.name))
            if result.ok:
                row.farewell_asked_at = ctx.now
        return None
