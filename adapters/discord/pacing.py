"""What discord.py leaves to the bot on Discord's limits: the global 50 requests a second, and telling a wait from a hang.

discord.py keeps Discord's per-route buckets from their headers, but not the global limit: a burst
over a hundred channels (each bucket with room) goes out at once and earns global 429s, and after
five of them a post is lost. ``GlobalPace`` lets at most ``rate`` requests start in any second
(interaction answers are outside Discord's global limit and are not paced).

The hooks run inside aiohttp (a ``TraceConfig`` on discord.py's session, ``Client(http_trace=...)``'s
slot), in the task making the request: as each HTTP exchange starts, after discord.py's own bucket
waits and this pacing, and as its answer's headers arrive, so ``Retry`` can time the exchange and
leave the waits Discord asked for (a 429's ``retry_after``, an emptied bucket's reset) alone.
"""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import aiohttp
import discord

from adapters.discord.retry import Retry
from adapters.timing import RealTimer, Timer

PACED_PER_SECOND = 45  # a margin under Discord's 50 a second: Discord counts arrivals, the bot counts starts


class GlobalPace:
    """Request starts at least ``1 / rate`` seconds apart, first come first served.

    Evenly spaced rather than ``rate`` at once each second: Discord counts arrivals, which a busy
    event loop or network bunches up, and a second's worth sent at once could meet the next second's.
    """

    def __init__(self, timer: Timer | None = None, rate: float = PACED_PER_SECOND) -> None:
        self.timer = timer or RealTimer()
        self.gap = 1.0 / rate
        self.waited = 0.0  # seconds spent waiting, all requests together
        self._next = float("-inf")
        self._lock = asyncio.Lock()

    async def wait(self) -> None:
        async with self._lock:
            delay = self._next - self.timer.now()
            if delay > 0:
                self.waited += delay
                await self.timer.sleep(delay)
            self._next = max(self._next, self.timer.now() - self.gap) + self.gap


def interaction_endpoint(path: str, application_id: int | None) -> bool:
    """Interaction responses and follow-ups (``/interactions/...``, ``/webhooks/<application id>/<token>``)."""
    return "/interactions/" in path or (application_id is not None and f"/webhooks/{application_id}/" in path)


def watch(client: discord.Client, retry: Retry, pace: GlobalPace) -> None:
    """Hook pacing and ``Retry``'s timing into every REST request ``client`` makes (call before it logs in)."""
    trace = client.http.http_trace
    if trace is None:
        trace = client.http.http_trace = aiohttp.TraceConfig()

    async def started(_session: aiohttp.ClientSession, _ctx: SimpleNamespace, params: aiohttp.TraceRequestStartParams) -> None:
        if not interaction_endpoint(params.url.path, client.application_id):
            await pace.wait()
        retry.exchange_started()

    async def answered(_session: aiohttp.ClientSession, _ctx: SimpleNamespace, params: aiohttp.TraceRequestEndParams) -> None:
        retry.exchange_answered(params.response.status, params.response.headers)

    trace.on_request_start.append(started)
    trace.on_request_end.append(answered)
