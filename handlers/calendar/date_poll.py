"""``/event when <title> | <date> | <date> ...``: before fixing a date, ask the members which ones suit them.

The poll itself belongs to the polls feature (native where the platform has polls, buttons elsewhere; it
closes, posts its results and shows in /stats); the calendar only words the question and asks for it with
the ``POLL_REQUESTED`` signal, so neither feature imports the other.
"""

from __future__ import annotations

from bot.core import runtime
from bot.core.context import Context
from bot.core.events import CommandInvoked
from bot.core.runtime import PollRequest

MIN_DATES, MAX_DATES = 2, 10  # what a poll can offer
CLOSES = "2d"


async def ask_dates(ctx: Context, ev: CommandInvoked, args: str) -> None:
    title, *dates = (part.strip() for part in args.split("|"))
    dates = [d.replace("--", "–") for d in dates if d]  # a date is no poll flag
    if not title or not MIN_DATES <= len(dates) <= MAX_DATES:
        await ctx.reply(ctx.t.t("calendar.when.usage", low=MIN_DATES, high=MAX_DATES))
        return
    question = ctx.t.s("calendar.when.question", title=title.replace("--", "–"))
    request = PollRequest(f"{question} | {' | '.join(dates)} --multi --close {CLOSES}", ctx.here.main_place)
    await ctx.rt.signal(runtime.POLL_REQUESTED, ctx, request)
    if request.posted is None:
        await ctx.reply(ctx.t.t("calendar.when.usage", low=MIN_DATES, high=MAX_DATES))
