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
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

import aiohttp
import discord

from adapters.timing import RealTimer, Timer

log = logging.getLogger("adapters.discord.retry")

T = TypeVar("T")
TRANSIENT = (discord.DiscordServerError, aiohttp.ClientConnectionError, asyncio.TimeoutError)


class Retry:
    def __init__(self, timer: Timer | None = None, *, attempts: int = 4, backoff: float = 0.5, timeout: float = 30.0) -> None:
        self.timer = timer or RealTimer()
        self.attempts = attempts
        self.backoff = backoff
        self.timeout = timeout  # seconds per attempt (discord.py's own waits for rate limits included)
        self.retries = 0

    async def __call__(self, request: Callable[[], Awaitable[T]]) -> T:
        """``await request()`` until it succeeds, fails for good (4xx), or the attempts run out."""
        failures = 0
        while True:
            try:
                async with asyncio.timeout(self.timeout):  # not wait_for: on 3.11 it can lose a cancel
                    return await request()
            except TRANSIENT as exc:
                failures += 1
                if failures >= self.attempts:
                    raise
                self.retries += 1
                delay = self.backoff * 2 ** (failures - 1)
                log.warning("%s from Discord: retry %d in %.1fs", type(exc).__name__, failures, delay)
                await self.timer.sleep(delay)
