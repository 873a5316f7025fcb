"""Counts messages and replies per member per day (never the text), last in the chain."""

from __future__ import annotations

from bot.core import priorities
from bot.core.context import Context
from bot.core.events import Event, MessagePosted
from bot.core.router import Flow
from bot.core.runtime import Runtime


class ActivityCounter:
    name = "activity"
    events: tuple[type[Event], ...] = (MessagePosted,)

    async def handle(self, ctx: Context) -> Flow | None:
        ev = ctx.event
        if ctx.member is None or ctx.community is None or not isinstance(ev, MessagePosted):
            return None
        day = ev.at.astimezone(ctx.community.tz).date()
        is_reply = ev.reply_to_author is not None and ev.reply_to_author != ev.author.ref
        ctx.rt.tracker.count_message(ctx.member, ev.at, day, is_reply)
        return None


def setup(rt: Runtime) -> None:
    rt.add_handler(ActivityCounter(), priorities.ACTIVITY)
