"""Polls: ``/poll`` asks the community a question, votes are kept, results are posted when it closes.

Each platform's own poll is used where it can do what was asked (Telegram ``sendPoll``, Discord poll
messages); elsewhere (an adapter answers ``Unsupported``) a message with one button per option stands in.
Anonymous polls are stored as counts only. Closed polls show in /stats (turnout and winner).
"""

from __future__ import annotations

import logging
from pathlib import Path

from bot.core import priorities, runtime
from bot.core.commands import Command, Where
from bot.core.context import Context
from bot.core.ids import MessageRef
from bot.core.runtime import PollRequest, Runtime
from handlers.polls.closing import PollClosing
from handlers.polls.comments import PollComments
from handlers.polls.create import PREFIX, open_poll, poll_command
from handlers.polls.mydata import my_votes
from handlers.polls.parse import PollError, parse
from handlers.polls.stats import recent_polls
from handlers.polls.votes import NativeVotes, on_press

log = logging.getLogger("handlers.polls")


def setup(rt: Runtime) -> None:
    """Register /poll, the votes, the closing ritual and the /stats lines."""
    rt.add_locales(Path(__file__).parent / "locales")
    rt.commands.add(Command("poll", poll_command, "polls.cmd", where=Where.GROUP, usage_key="polls.usage"))
    rt.buttons.add(PREFIX, on_press)
    rt.add_handler(NativeVotes(), priorities.RITUALS)
    rt.add_handler(PollComments(), priorities.RITUALS)
    rt.add_ritual(PollClosing())
    rt.add_stats_section(recent_polls)
    rt.add_mydata_section(my_votes)
    rt.on(runtime.POLL_REQUESTED, prompt_poll)


async def prompt_poll(ctx: Context, request: PollRequest) -> None:
    """A poll another feature asks for (the weekly prompt's ``as_poll``, ``/event when``); it closes and reports
    like any other. ``request.posted`` stays None when the text is no poll, so the caller can fall back."""
    c = ctx.community
    if c is None:
        return
    try:
        spec = parse(request.text, ctx.now, c.tz, c.settings.polls.default_duration)
    except PollError as err:
        log.warning("a poll asked by another feature could not be read (%s): %r", err.reason, request.text[:60])
        return
    poll = await open_poll(ctx, spec, request.place, None)
    if poll is not None and poll.message_id is not None:
        request.posted = MessageRef(c.chat, poll.message_id, poll.place)
