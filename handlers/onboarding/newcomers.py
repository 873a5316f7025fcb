"""Newcomers of the week: a weekly post that welcomes the week's joiners and invites the introductions of those
who have not introduced themselves yet (those who have are named apart: say hello to them)."""

from __future__ import annotations

from datetime import timedelta

from bot.core.context import Context
from bot.core.ids import UserRef
from bot.core.richtext import Mention, Rich, join, markup
from bot.core.ritual import Occurrence
from rituals.posting import post
from rituals.weekly import WeeklySlot
from storage.models import Member
from storage.repos.onboarding import NewcomerRepo
from storage.repos.rituals import RitualQueries

MAX_NAMED = 30  # a busy week gets "and N more" instead of a wall of mentions


class NewcomersOfTheWeek:
    name = "newcomers"

    def __init__(self) -> None:
        self.slot = WeeklySlot(self.name)

    async def due(self, ctx: Context) -> list[Occurrence]:
        s = ctx.here.settings.rituals.newcomers
        return await self.slot.due(ctx, s.weekday, s.time) if s.enabled else []

    async def run(self, ctx: Context, occurrence: Occurrence) -> None:
        c = ctx.here
        joined = await RitualQueries(ctx.session).joined_between(c.id, occurrence.due_at - timedelta(days=7), occurrence.due_at)
        if not joined:
            return  # a quiet week: nothing to celebrate, nothing posted
        named = joined[:MAX_NAMED]
        told = await NewcomerRepo(ctx.session).introduced(c.id, [m.user_id for m in named])
        asked = [m for m in named if m.user_id not in told]  # only those who have not introduced themselves are asked
        tag = c.settings.rituals.newcomers.intro_tag
        rubric = next((r for r in await ctx.rt.rubrics_of(ctx) if r.tag == tag or tag in r.aliases), None)
        t = ctx.t
        introduced = [m for m in named if m.user_id in told]
        if asked:
            parts = [t.t("newcomers.post", names=_names(ctx, asked), tag=f"#{rubric.tag if rubric else tag}", n=len(asked))]
            if introduced:
                parts.append(t.t("newcomers.also_introduced", names=_names(ctx, introduced), n=len(introduced)))
        else:
            parts = [t.t("newcomers.post_introduced", names=_names(ctx, introduced), n=len(introduced))]
        if len(joined) > len(named):
            parts.append(t.t("newcomers.more", n=len(joined) - len(named)))
        if asked and rubric is not None and rubric.example:
            parts.append(t.t("newcomers.example", example=rubric.example))
        await post(ctx, join(parts))


def _names(ctx: Context, members: list[Member]) -> Rich:
    platform = ctx.here.chat.platform
    values = {f"m{i}": Mention(UserRef(platform, m.user_id), m.display_name or m.user_id) for i, m in enumerate(members)}
    return markup(", ".join("{" + k + "}" for k in values), values)
