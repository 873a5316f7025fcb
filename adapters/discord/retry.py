"""One Discord request through transient failures: a time limit per attempt, retries with backoff.

discord.py paces itself by Discord's rate-limit headers, waits out a 429's ``retry_after``
and retries 500/502/504 itself. It does not retry a 503, a dropped connection (aiohttp's
``ServerDisconnectedError``; its reset check knows only the BSD/Windows errno, not Linux's)
or a request that never answers, and it sets no time limit of its own (aiohttp's five
minutes). Without this layer one such hiccup loses a welcome, and a hung request stalls
the event that made it. ``Retry`` runs each request with a time limit and tries again.

A retry cannot tell "never reached Discord" from "done, but the answer was lost", and
Discord has no idempotency key: a retried post can appear twice (at-least-once), which
is preferred to losing it.

The time limit is per HTTP exchange, not per call: discord.py sleeps inside the call for
what Discord asked (a 429's ``retry_after``, an emptied bucket's reset, before returning
a post that was made). A limit around the whole call cut those sleeps off and sent the
request again: early into a limited bucket, or a second time after it was posted. Once
``adapters/discord/pacing.watch`` reports exchanges, the limit starts when one starts and
is moved past each wait its answer announces; until then it covers the whole call.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

import aiohttp
import discord

from adapters.timing import RealTimer, Timer

log = logging.getLogger("adapters.discord.retry")

T = TypeVar("T")
TRANSIENT = (discord.DiscordServerError, aiohttp.ClientConnectionError, asyncio.TimeoutError)


DISCORDPY_5XX_WAIT = 9.0  # discord.py sleeps 1 + 2 * tries (at most 9 s) before retrying a 500/502/504/524


@dataclass
class _Attempt:
    """One attempt's time limit, owned by the task that runs it."""

    scope: asyncio.Timeout
    task: asyncio.Task[object] | None
    limit: float

    def arm(self, wait: float = 0.0) -> None:
        """``limit`` seconds from now, after ``wait`` seconds Discord asked for."""
        if asyncio.current_task() is self.task and not self.scope.expired():
            self.scope.reschedule(asyncio.get_running_loop().time() + wait + self.limit)


_ATTEMPT: contextvars.ContextVar[_Attempt | None] = contextvars.ContextVar("discord_attempt", default=None)


def announced_wait(status: int, headers: Mapping[str, str]) -> float:
    """The seconds discord.py will sleep after this answer before it returns or tries again."""
    if status == 429:
        return max(_seconds(headers.get("Retry-After")), _seconds(headers.get("X-RateLimit-Reset-After")))
    if status in (500, 502, 504, 524):
        return DISCORDPY_5XX_WAIT
    if headers.get("X-RateLimit-Remaining") == "0":
        return _seconds(headers.get("X-RateLimit-Reset-After"))
    return 0.0


def _seconds(value: str | None) -> float:
    try:
        return max(0.0, float(value)) if value else 0.0
    except ValueError:
        return 0.0


class Retry:
    def __init__(self, timer: Timer | None = None, *, attempts: int = 4, backoff: float = 0.5, timeout: float = 30.0) -> None:
        self.timer = timer or RealTimer()
        self.attempts = attempts
        self.backoff = backoff
        self.timeout = timeout  # seconds per HTTP exchange (per call until exchanges are reported)
        self.retries = 0
        self.watched = False  # exchanges are reported (pacing.watch): the limit leaves discord.py's waits alone

    def exchange_started(self) -> None:
        """An HTTP request of the current attempt is going out: it has ``timeout`` seconds from now."""
        self.watched = True
        attempt = _ATTEMPT.get()
        if attempt is not None:
            attempt.arm()

    def exchange_answered(self, status: int, headers: Mapping[str, str]) -> None:
        """Its answer's headers arrived: reading it, and the wait it announces, are not a hang."""
        attempt = _ATTEMPT.get()
        if attempt is not None:
            attempt.arm(announced_wait(status, headers))

    async def __call__(self, request: Callable[[], Awaitable[T]]) -> T:
        """``await request()`` until it succeeds, fails for good (4xx), or the attempts run out."""
        failures = 0
        while True:
            try:
                # not wait_for: on 3.11 it can lose a cancel. Watched: no limit until an exchange starts (before
                # that, discord.py only waits for its buckets, which Discord's headers sized).
                async with asyncio.timeout(None if self.watched else self.timeout) as scope:
                    token = _ATTEMPT.set(_Attempt(scope, asyncio.current_task(), self.timeout))
                    try:
                        return await request()
                    finally:
                        _ATTEMPT.reset(token)
            except TRANSIENT as exc:
                failures += 1
                if failures >= self.attempts:
                    raise
                self.retries += 1
                delay = self.backoff * 2 ** (failures - 1)
                log.warning("%s from Discord: retry %d in %.1fs", type(exc).__name__, failures, delay)
                await self.timer.sleep(delay)
