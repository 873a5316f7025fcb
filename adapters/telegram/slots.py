"""How many updates are worked on at once, members' messages first.

After an outage a burst of hundreds of updates opens hundreds of lanes at once, and every one of them
writes to the database at the same moment. SQLite lets one writer in at a time and its busy wait favours
nobody, so a newcomer's scam waited seconds behind the burst's welcomes: for the inbox to store it, then
for its handler's commit before the deletion (``bench/outbound.py``: p99 1.2-2.8 s, all of it database
and CPU, none of it pacing). Slots bound the updates being worked on; an update that waits for Telegram
(its turn in the send limits, a 429 pause, the answer itself: ``flow.Paced``) sets its slot aside, so a
group at its send limit never holds one; and the next free slot goes to a member's message before
joins, leaves, commands and presses (the spam filter reads messages).
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass

RESUMING, MESSAGE, OTHER = -1, 0, 1  # priorities, lower first: work already begun finishes before more begins


@dataclass
class _Holding:
    slots: Slots
    task: asyncio.Task[object] | None
    holds: bool = True


_held: ContextVar[_Holding | None] = ContextVar("telegram_slot", default=None)


class Slots:
    """At most ``size`` holders; waiters served by priority, then in order of arrival."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.busy = 0
        self._waiting: list[tuple[int, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    async def acquire(self, priority: int) -> None:
        if self.busy < self.size and not self._waiting:
            self.busy += 1
            return
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiting, (priority, next(self._order), fut))
        try:
            await fut  # a release hands its slot over: ``busy`` stays as it is
        except asyncio.CancelledError:
            if fut.done() and not fut.cancelled():
                self.release()  # handed over just as the waiter was cancelled: pass it on
            raise

    def release(self) -> None:
        while self._waiting:
            _, _, fut = heapq.heappop(self._waiting)
            if not fut.done():
                fut.set_result(None)
                return
        self.busy -= 1

    @asynccontextmanager
    async def held(self, priority: int) -> AsyncIterator[None]:
        """Work on one update in a slot (``aside`` lends it out while the update waits for Telegram)."""
        await self.acquire(priority)
        holding = _Holding(self, asyncio.current_task())
        token = _held.set(holding)
        try:
            yield
        finally:
            _held.reset(token)
            if holding.holds:
                self.release()


@asynccontextmanager
async def aside() -> AsyncIterator[None]:
    """While the current update waits for Telegram its slot serves another; taken back (at its priority) after.

    A no-op outside a slot, and in a task the update started (it shares the context, not the slot). The
    update must hold no database transaction meanwhile (``Context.perform`` commits first): taking the
    slot back waits for the others, which may be waiting for that transaction's lock.
    """
    holding = _held.get()
    if holding is None or not holding.holds or holding.task is not asyncio.current_task():
        yield
        return
    holding.holds = False
    holding.slots.release()
    try:
        yield
    finally:
        await holding.slots.acquire(RESUMING)
        holding.holds = True
