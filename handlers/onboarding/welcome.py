"""A member joins: their newcomer record, the rules gate, the welcome DM and the group welcome (or a wave's)."""

from __future__ import annotations

from bot.core.actions import DeleteMessage, Done, SendMessage
from bot.core.commands import Where
from bot.core.community import CommunityInfo
from bot.core.context import Context
from bot.core.events import Event, MemberJoined
from bot.core.richtext import Mention, Rich, join
from bot.core.router import Flow
from storage.models.onboarding import Newcomer
from storage.models.states import CampaignState, DmState, GateState
from storage.repos.members import PersonRepo
from storage.repos.onboarding import MILESTONES, NewcomerRepo

from . import gate, join_requests, texts
from .activation import ActivationTracker, Reached
from .cleanup import replace_welcome
from .dm import send_welcome_dm
from .waves import JoinWaves

STOPPED_BY_LEAVING = ("left", "kicked", "banned")


class Welcomer:
    name = "onboarding.join"
    events: tuple[type[Event], ...] = (MemberJoined,)
    where = Where.GROUP

    def __init__(self, waves: JoinWaves, activation: ActivationTracker) -> None:
        self.waves = waves
        self.activation = activation

    async def handle(self, ctx: Context, ev: MemberJoined, /) -> Flow | None:
        info = ctx.here
        if ev.member.is_bot:
            return None
        ob = info.settings.onboarding
        if not ob.enabled:
            return None
        if ob.delete_service_messages and ev.service_message is not None:
            ctx.after_commit(DeleteMessage(ev.service_message))
        user = ev.member.ref
        repo = NewcomerRepo(ctx.session)
        # A first join (the router found no earlier join) can't have a newcomer record: skip the lookup.
        row = await repo.get(info.id, user.id) if ctx.rejoin else None
        back = False
        if row is None:
            row = repo.add(info.id, user.id, ev.member.display_name, ctx.now)
        else:
            back = self._rejoin(ctx, info, row, ev.member.display_name)
            if row.retry_after is not None and row.retry_after > ctx.now and gate.applies(info, ev.member):
                await gate.turn_away(ctx, info, row, user)
                return None
        self.activation.remember(info.id, user.id, Reached({m for m in MILESTONES if getattr(row, m) is not None}))

        gating = gate.applies(info, ev.member)
        if gating and row.gate_state != GateState.PASSED and await join_requests.passed_by_request(ctx, info, user.id):
            row.gate_state = GateState.PASSED  # the rules were accepted in the join request's DM, before entry
        gated = gating and row.gate_state != GateState.PASSED and await gate.start(ctx, info, row, user)
        if ob.welcome_dm and row.dm_sent_at is None:
            person = await PersonRepo(ctx.session).get(user.platform, user.id)
            if person is not None and person.dm_opt_out:
                pass
            elif person is not None and person.dm_state == DmState.CLOSED:
                row.dm_pending = True  # known to fail: don't knock again, the group welcome carries the deep link
            else:
                await send_welcome_dm(ctx, info, ctx.translator_for(ev.member), user, ev.member.display_name, row)

        if self.waves.is_wave(info.id, ctx.now, ob.join_wave_joins, ob.join_wave_window):
            row.welcomed = False  # the wave's combined welcome greets them
            return None
        await self._welcome(ctx, info, row, Mention(user, ev.member.display_name), back, gated)
        return None

    @staticmethod
    def _rejoin(ctx: Context, info: CommunityInfo, row: Newcomer, name: str) -> bool:
        """Update a returning member's record; True when they are back within the keep window."""
        ob = info.settings.onboarding
        back = row.left_at is None or ctx.now - row.left_at <= ob.rejoin_keeps_campaign
        if back:
            if row.campaign_state in STOPPED_BY_LEAVING:
                row.campaign_state = CampaignState.ACTIVE  # carries on where it was; sent steps stay sent
        else:
            row.round += 1
            row.joined_at = ctx.now
            row.campaign_state = CampaignState.ACTIVE
            row.dm_sent_at = None
            row.farewell_asked_at = None
            row.farewell_answer = None
            row.gate_state = GateState.NONE  # a new round: the rules may have changed since
            for m in MILESTONES:
                setattr(row, m, None)
        row.left_at = None
        row.display_name = name
        if row.gate_state == GateState.FAILED:
            row.gate_state = GateState.NONE
        return back

    async def _welcome(self, ctx: Context, info: CommunityInfo, row: Newcomer, member: Mention, back: bool, gated: bool) -> None:
        t = ctx.t
        ob = info.settings.onboarding
        vals = texts.values(t, info, member)
        parts: list[Rich] = [
            t.t("onboarding.welcome_back", vals) if back else texts.template_or_key(t, ob.welcome_text, "onboarding.welcome", vals)
        ]
        if row.dm_pending:
            parts.append(texts.deep_link_line(t, ctx.rt.deep_link(info.chat.platform, texts.start_payload(info))))
        buttons = texts.gate_buttons(t, info) if gated else ()
        if gated:
            parts.append(texts.gate_line(t, info))
        result = await ctx.perform(SendMessage(info.chat, join(parts), place=info.main_place, buttons=buttons))
        if isinstance(result, Done) and result.message:
            await replace_welcome(ctx, result.message)
