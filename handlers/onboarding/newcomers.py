"""Newcomers of the week: a weekly post that welcomes the week's joiners and invites their introductions."""

from __future__ import annotations

from datetime import timedelta

from bot.core.context import Context
from bot.core.ids import UserRef
from bot.core.richtext import Mention, Rich, join, markup
from bot.core.ritual import Occurrence
from rituals.posting import post
from rituals.weekly import WeeklySlot
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
        values = {f"m{i}": Mention(UserRef(c.chat.platform, m.user_id), m.display_name or m.user_id) for i, m in enumerate(named)}
        names: Rich = markup(", ".join("{" + k + "}" for k in values), values)
        tag = c.settings.rituals.newcomers.intro_tag
        rubric = next((r for r in await ctx.rt.rubrics_of(ctx) if r.tag == tag or tag in r.aliases), None)
        t = ctx.t
        parts = [t.t("newcomers.post", names=names, tag=f"#{rubric.tag if rubric else tag}", n=len(joined))]
        if len(joined) > len(named):
            parts.append(t.t("newcomers.more", n=len(joined) - len(named)))
        if rubric is not None and rubric.example:
            parts.append(t.t("newcomers.example", example=rubric.example))
        await post(ctx, join(parts))
