"""Posting from a ritual: into the community's main place, retrying only what may work later."""

from __future__ import annotations

from bot.core.actions import Buttons, Done, Failed, FailReason, SendMessage
from bot.core.context import Context
from bot.core.ids import MessageRef
from bot.core.richtext import Rich

TRANSIENT = frozenset({FailReason.RATE_LIMITED, FailReason.UNAVAILABLE})


class RetryLater(RuntimeError):
    """The platform is busy or down: the runner marks the occurrence failed and retries it next tick."""


async def post(ctx: Context, text: Rich, buttons: Buttons = ()) -> MessageRef | None:
    """Post to the community; ``None`` when the platform refused for good (logged by the runner's counters)."""
    result = await ctx.perform(SendMessage(ctx.here.chat, text, place=ctx.here.main_place, buttons=buttons))
    if isinstance(result, Failed) and result.reason in TRANSIENT:
        raise RetryLater(result.reason.value)
    return result.message if isinstance(result, Done) else None
