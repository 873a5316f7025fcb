"""Reactions on rubric posts (#21.5), counted so the weekly digest can rank by them (``rubrics.digest.rank``).
Only posts the index knows from the last days are counted (an in-memory set: other messages cost a lookup)."""

from __future__ import annotations

from bot.core.commands import Where
from bot.core.context import Context
from bot.core.events import Event, ReactionAdded, ReactionRemoved, ReactionsCounted
from bot.core.router import Flow
from handlers.rubrics.registry import recent_posts
from storage.repos.rubrics import RubricRepo


class RubricReactions:
    name = "rubrics.reactions"
    events: tuple[type[Event], ...] = (ReactionAdded, ReactionRemoved, ReactionsCounted)
    where = Where.GROUP

    async def handle(self, ctx: Context, ev: ReactionAdded | ReactionRemoved | ReactionsCounted, /) -> Flow | None:
        if ev.message.id not in await recent_posts(ctx, ctx.now):
            return None
        repo = RubricRepo(ctx.session)
        if isinstance(ev, ReactionsCounted):
            await repo.set_reactions(ctx.here.id, ev.message.id, sum(n for _, n in ev.counts))
        else:
            await repo.add_reactions(ctx.here.id, ev.message.id, len(ev.emoji) if isinstance(ev, ReactionAdded) else -len(ev.emoji))
        return None
