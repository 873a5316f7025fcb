"""The welcome campaign: configurable steps per newcomer, sent as DMs by the rituals tick.

State lives in the database: each step is one ritual occurrence keyed
``camp:<newcomer>:<round>:<step>``, claimed by the runner before it is sent,
so a restart sends nothing twice; a step missed by more than the grace
period is recorded as skipped (by the runner, or here with the campaign's
own ``campaign_grace``). What happened to each step is kept in
``onboarding_campaign_steps``.
"""

from __future__ import annotations

from bot.core.context import Context
from bot.core.ids import UserRef
from bot.core.richtext import Mention, markup
from bot.core.ritual import CLAIM_LEASE, Occurrence
from bot.core.settings.onboarding import CampaignStep
from storage.models.onboarding import Newcomer
from storage.models.states import CampaignState
from storage.repos.housekeeping import RitualRunRepo
from storage.repos.members import PersonRepo
from storage.repos.onboarding import NewcomerRepo

from . import texts


def step_key(row: Newcomer, step: CampaignStep) -> str:
    return f"camp:{row.id}:{row.round}:{step.id}"


class Campaign:
    name = "campaign"

    async def due(self, ctx: Context) -> list[Occurrence]:
        info = ctx.here
        ob = info.settings.onboarding
        steps = ob.campaign
        if not ob.enabled or not steps:
            return []
        repo = NewcomerRepo(ctx.session)
        rows = await repo.campaign_candidates(info.id, ctx.now - steps[0].after)
        wanted: list[tuple[Newcomer, CampaignStep, str]] = []
        for row in rows:
            wanted.extend((row, s, step_key(row, s)) for s in steps if row.joined_at + s.after <= ctx.now)
        # Failed steps and claims of a process that died mid-post are offered again.
        settled = await RitualRunRepo(ctx.session).settled(info.id, [k for _, _, k in wanted], ctx.now - CLAIM_LEASE)
        out = [
            Occurrence(key, row.joined_at + step.after, {"id": row.id, "round": row.round, "step": step.id})
            for row, step, key in wanted
            if key not in settled
        ]
        # Newcomers whose every step was sent or skipped are done: keep the next ticks' query small.
        done = [r.id for r in rows if all(settled.get(step_key(r, s)) in ("sent", "skipped") for s in steps)]
        if done:
            await repo.finish_campaigns(done)
            await ctx.session.commit()
        return out

    async def run(self, ctx: Context, occurrence: Occurrence) -> None:
        info = ctx.here
        ob = info.settings.onboarding
        repo = NewcomerRepo(ctx.session)
        row = await repo.by_id(int(occurrence.data["id"]))
        step = next((s for s in ob.campaign if s.id == occurrence.data["step"]), None)
        if row is None or step is None:
            return
        outcome = await self._deliver(ctx, row, step, occurrence)
        repo.record_step(row.id, int(occurrence.data["round"]), step.id, outcome, ctx.now)

    async def _deliver(self, ctx: Context, row: Newcomer, step: CampaignStep, occurrence: Occurrence) -> str:
        info = ctx.here
        if row.campaign_state != CampaignState.ACTIVE or row.round != occurrence.data["round"] or row.left_at is not None:
            return "inactive"
        if ctx.now - occurrence.due_at > info.settings.onboarding.campaign_grace:
            return "late"
        if step.skip_if == "posted" and row.first_message_at is not None:
            return "skipped_posted"
        if step.skip_if == "posted_intro" and row.first_intro_at is not None:
            return "skipped_intro"
        user = UserRef(info.chat.platform, row.user_id)
        person = await PersonRepo(ctx.session).get(user.platform, user.id)
        if person is not None and person.dm_opt_out:
            return "opted_out"
        t = ctx.t
        if person is not None and person.language and info.settings.follow_member_language:
            t = ctx.rt.catalogs.translator(person.language)
        if step.kind != "message":
            send = ctx.rt.campaign_steps.get(step.kind)
            if send is None:
                return "unsupported"
            return "sent" if (await send(ctx, user, t)).ok else "dm_closed"
        vals = texts.values(t, info, Mention(user, row.display_name or user.id))
        text = markup(step.text, vals) if step.text else t.t("onboarding.step.checkin", vals)
        result = await ctx.direct(user, text, buttons=texts.dm_buttons(t, info)[-1:])
        return "sent" if result.ok else "dm_closed"
