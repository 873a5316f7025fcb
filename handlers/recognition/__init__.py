"""Recognition (#21.2, #21.4): members are thanked, in public, for helping.

- ``lexicon``: is a reply a thank-you, in the community's languages;
- ``kudos``: crediting the person thanked (not self, not bots, one per pair and day);
- ``spotlight``: the monthly contributor spotlight, the managers' leaders nudge, and ``/spotlight on|off``.
"""

from __future__ import annotations

from pathlib import Path

from bot.core import priorities
from bot.core.commands import Command, Where
from bot.core.runtime import Runtime
from handlers.recognition.anniversaries import Anniversaries
from handlers.recognition.kudos import ThanksReaction, ThanksReply
from handlers.recognition.spotlight import LeadersNudge, MonthlySpotlight, spotlight_command


def setup(rt: Runtime) -> None:
    """Register the feature's handlers, command, rituals and texts."""
    rt.add_handler(ThanksReply(), priorities.QUESTIONS)
    rt.add_handler(ThanksReaction(), priorities.QUESTIONS)
    rt.commands.add(Command("spotlight", spotlight_command, "spotlight.cmd", where=Where.GROUP, usage_key="spotlight.usage"))
    rt.add_ritual(MonthlySpotlight())
    rt.add_ritual(LeadersNudge())
    rt.add_ritual(Anniversaries())
    rt.add_locales(Path(__file__).parent / "locales")
