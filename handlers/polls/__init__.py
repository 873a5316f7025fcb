"""Polls: ``/poll`` asks the community a question, votes are kept, results are posted when it closes.

Each platform's own poll is used where it can do what was asked (Telegram ``sendPoll``, Discord poll
messages); elsewhere (an adapter answers ``Unsupported``) a message with one button per option stands in.
Anonymous polls are stored as counts only. Closed polls show in /stats (turnout and winner).
"""

from __future__ import annotations

from pathlib import Path

from bot.core import priorities
from bot.core.commands import Command, Where
from bot.core.runtime import Runtime
from handlers.polls.closing import PollClosing
from handlers.polls.create import PREFIX, poll_command
from handlers.polls.mydata import my_votes
from handlers.polls.stats import recent_polls
from handlers.polls.votes import NativeVotes, on_press


def setup(rt: Runtime) -> None:
    """Register /poll, the votes, the closing ritual and the /stats lines."""
    rt.add_locales(Path(__file__).parent / "locales")
    rt.commands.add(Command("poll", poll_command, "polls.cmd", where=Where.GROUP, usage_key="polls.usage"))
    rt.buttons.add(PREFIX, on_press)
    rt.add_handler(NativeVotes(), priorities.RITUALS)
    rt.add_ritual(PollClosing())
    rt.add_stats_section(recent_polls)
    rt.add_mydata_section(my_votes)
