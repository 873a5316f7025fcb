"""Counts messages and replies per member per day (never the text), last in the chain; and reactions.

Members who only react are engaged, not gone: /stats shows those who reacted, and those who reacted
without posting, beside the active (posting) members. Reactions are counted in memory and written with
the activity batch, never per reaction.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core import priorities
from bot.core.commands import Where
from bot.core.context import Context
from bot.core.events import Event, MessagePosted, ReactionAdded, Role
from bot.core.router import Flow
from bot.core.runtime import MetricFn, Runtime
from storage.repos.activity import ActivityRepo


class ActivityCounter:
    name = "activity"
    events: tuple[type[Event], ...] = (MessagePosted, ReactionAdded)
    where = Where.GROUP

    async def handle(self, ctx: Context, ev: MessagePosted | ReactionAdded, /) -> Flow | None:
        if isinstance(ev, ReactionAdded):
            if not ev.user.is_bot and ev.role is not Role.SELF:
                ctx.rt.tracker.count_reaction(ctx.here.id, ev.at.astimezone(ctx.here.tz).date(), ev.user.ref.id)
            return None
        if ctx.member is None:
            return None
        day = ev.at.astimezone(ctx.here.tz).date()
        is_reply = ev.reply_to_author is not None and ev.reply_to_author != ev.author.ref
        ctx.rt.tracker.count_message(ctx.member, ev.at, day, is_reply)
        return None


def _reacting(rt: Runtime, only: bool) -> MetricFn:
    """Members who reacted in the window (``only``: without posting), over the community's local days."""

    async def metric(session: AsyncSession, community_id: int, start: datetime, end: datetime) -> int:
        info = rt.directory.by_id(community_id)
        tz = info.tz if info is not None else start.tzinfo
        first, last = start.astimezone(tz).date(), (end - timedelta(microseconds=1)).astimezone(tz).date()
        total, without_posts = await ActivityRepo(session).reacting(community_id, first, last + timedelta(days=1))
        return without_posts if only else total

    return metric


def setup(rt: Runtime) -> None:
    rt.add_handler(ActivityCounter(), priorities.ACTIVITY)
    rt.add_metric("members_reacting", _reacting(rt, only=False))
    rt.add_metric("members_reacting_only", _reacting(rt, only=True))
    rt.add_locales(Path(__file__).parent / "locales")
