"""The feedback inbox: ideas and complaints from /feedback, the feedback rubric, farewell answers and survey
comments in one place; the managers' triage; the author told by DM; "You said, we did" every month."""

from __future__ import annotations

from pathlib import Path

from bot.core import priorities
from bot.core.commands import Command
from bot.core.context import Context
from bot.core.events import CommandInvoked
from bot.core.runtime import FAREWELL_ANSWERED, Runtime

from .figures import METRICS
from .intake import RubricFeedback, farewell, give
from .monthly import SaidWeDid
from .triage import is_triage, triage


async def feedback_command(ctx: Context, ev: CommandInvoked) -> None:
    if is_triage(ctx, ev):
        await triage(ctx, ev)
    else:
        await give(ctx, ev, ev.args)


def setup(rt: Runtime) -> None:
    rt.commands.add(Command("feedback", feedback_command, "feedback.cmd.feedback", usage_key="feedback.usage"))
    rt.add_handler(RubricFeedback(), priorities.RUBRICS)
    rt.on(FAREWELL_ANSWERED, farewell)
    rt.add_ritual(SaidWeDid())
    for name, fn in METRICS.items():
        rt.add_metric(name, fn)
    rt.add_locales(Path(__file__).parent / "locales")
