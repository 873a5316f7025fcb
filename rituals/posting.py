"""Posting from a ritual: into the community's main place, retrying only what may work later; and sending an
occurrence's many messages one recipient at a time (``deliver``)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import NoReturn, TypeVar

from bot.core.actions import Buttons, Done, Failed, FailReason, Result, SendMessage
from bot.core.context import Context
from bot.core.ids import MessageRef
from bot.core.richtext import Rich
from bot.core.uow import settle
from storage.models.states import DeliveryStatus
from storage.repos.deliveries import DeliveryRepo, LostClaim

T = TypeVar("T")

TRANSIENT = frozenset({FailReason.RATE_LIMITED, FailReason.UNAVAILABLE})


class RetryLater(RuntimeError):
    """The platform is busy or down: the runner marks the occurrence failed and retries it next tick."""


async def retry_later(ctx: Context, why: str) -> NoReturn:
    """Have the occurrence retried at the next tick, keeping what this run recorded since its last platform
    call (the runner rolls a failed run's open work back; the last delivery's mark must stay)."""
    await settle(ctx.session)
    raise RetryLater(why)


async def post(ctx: Context, text: Rich, buttons: Buttons = ()) -> MessageRef | None:
    """Post to the community; ``None`` when the platform refused for good (logged by the runner's counters)."""
    result = await ctx.perform(SendMessage(ctx.here.chat, text, place=ctx.here.main_place, buttons=buttons))
    if isinstance(result, Failed) and result.reason in TRANSIENT:
        raise RetryLater(result.reason.value)
    return result.message if isinstance(result, Done) else None


async def deliver(ctx: Context, user_id: str, send: Callable[[], Awaitable[T]]) -> T | None:
    """One recipient's message of the running occurrence (``user_id``; ``""`` for the community chat): sent unless
    a run before sent it, in which case nothing happens and the answer is None.

    Its claim is committed before it goes (``ctx.perform`` commits), its mark with the next message's claim
    (or the runner's finishing commit), so a run cut short and done again skips what went and sends the one
    in flight at the crash at most once more. A busy platform's refusal (``RetryLater``, a transient
    ``Failed``) releases the claim at once: the rerun sends it as new. Outside a runner's claim (nothing
    to fence with), it is simply sent. A run whose occurrence was taken over (it stalled past the lease)
    stops at its next message with ``LostClaim``.
    """
    claim = ctx.claim
    if claim is None:
        return await send()
    repo, cid = DeliveryRepo(ctx.session), ctx.here.id
    claim.ledger = True
    try:
        if not await repo.claim(cid, claim.key, user_id, claim.token, ctx.now):
            return None
    except LostClaim:
        await settle(ctx.session)  # the marks so far stay (the runner rolls a failed run back): nothing goes twice
        raise
    try:
        result = await send()
    except RetryLater:
        await repo.release(cid, claim.key, user_id, claim.token)
        await settle(ctx.session)  # the runner rolls back what a failed run left open
        raise
    if isinstance(result, Failed) and result.reason in TRANSIENT:
        await repo.release(cid, claim.key, user_id, claim.token)
    else:
        ok = not isinstance(result, Result) or result.ok
        await repo.mark(cid, claim.key, user_id, claim.token, DeliveryStatus.SENT if ok else DeliveryStatus.REFUSED)
    return result
