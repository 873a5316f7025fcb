"""The community's rubric registry, as every feature reads it."""

from __future__ import annotations

from bot.context import Context
from bot.settings.rubrics import Rubric


async def rubrics_for(ctx: Context) -> list[Rubric]:
    """The community's rubrics: those from the config (managers' additions join as they land)."""
    if ctx.community is None:
        return []
    return list(ctx.community.settings.rubrics.rubrics)
