"""Deliveries kept in the database until handled: a crash loses none, two processes never both take one.

A platform that redelivers what it thinks was not received (Telegram's getUpdates and webhook)
is told "received" only once the update is stored here. Then it is handled in memory as before;
its id is marked handled in batches (every ``FLUSH_EVERY``) and its payload emptied. On start,
and now and then, a process takes over what a dead process stored and never finished (its lease
ran out). What a crash can repeat: the updates handled in the last flush interval.

Every write is grouped: updates that arrive together (one getUpdates answer, concurrent webhook
calls) are stored in one statement and one commit, and the marks of many handled ones in one more.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta

from bot.core.clock import Clock
from storage.db import Database
from storage.repos.inbox import InboxRepo

log = logging.getLogger("bot.core.inbox")

LEASE = timedelta(seconds=30)  # an update its owner has not renewed for this long is taken over
RENEW_EVERY = 10.0  # seconds
FLUSH_EVERY = 0.5  # seconds between writes of "handled"
KEEP = timedelta(hours=1)  # handled ids remembered this long, to drop late redeliveries
MAX_ATTEMPTS = 3  # an update that was taken over this often (it kills whoever handles it) is given up
ORPHAN_BATCH = 500


class Inbox:
    def __init__(
        self,
        db: Database,
        platform: str,
        clock: Clock,
    ) -> None:
        self.db = db
        self.platform = platform
        self.clock = clock
        self.owner = secrets.token_hex(8)
        self._closing = asyncio.Event()
        self._pending: list[tuple[Sequence[tuple[int, str]], asyncio.Future[set[int]]]] = []
        self._writer: asyncio.Task[None] | None = None
        self._handled: list[int] = []
        self.stored = 0
        self.repeated = 0  # deliveries of updates already stored (by us or another process)
        self.given_up = 0

    async def take(self, rows: Sequence[tuple[int, str]]) -> set[int]:
        """Store (update id, payload) pairs; the ids that are new, which this process now owns.

        Raises when the database cannot store them: the caller must not confirm them to the platform.
        """
        if not rows:
            return set()
        fut: asyncio.Future[set[int]] = asyncio.get_running_loop().create_future()
        self._pending.append((rows, fut))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_pending())
        fresh = await fut
        self.stored += len(fresh)
        self.repeated += len(rows) - len(fresh)
        return fresh

    async def _write_pending(self) -> None:
        await asyncio.sleep(0)  # let the calls of this moment join the batch
        while self._pending:
            batch, self._pending = self._pending, []
            rows = list({i: (i, p) for rs, _ in batch for i, p in rs}.values())
            try:
                now = self.clock.now()
                async with self.db.sessions() as session:
                    fresh = await InboxRepo(session).take_new(self.platform, self.owner, rows, now, now + LEASE)
                    await session.commit()
            except Exception as exc:
                for _, fut in batch:
                    if not fut.done():
                        fut.set_exception(exc)
                continue
            for rs, fut in batch:
                if not fut.done():
                    mine = {i for i, _ in rs} & fresh
                    fresh -= mine  # the same id twice in one batch: the first caller has it
                    fut.set_result(mine)

    def handled(self, update_id: int) -> None:
        """Mark an update handled (written at the next flush)."""
        self._handled.append(update_id)

    async def flush(self) -> None:
        """Write the marks of handled updates; on failure they are kept for the next flush."""
        if not self._handled:
            return
        ids, self._handled = self._handled, []
        try:
            async with self.db.sessions() as session:
                await InboxRepo(session).mark_handled(self.platform, ids, self.clock.now())
                await session.commit()
        except Exception:
            self._handled[:0] = ids
            log.warning("could not mark %d updates handled; will try again", len(ids), exc_info=True)

    async def orphans(self) -> list[tuple[int, str]]:
        """Take over updates whose owner died before handling them: (id, payload), oldest first."""
        now = self.clock.now()
        async with self.db.sessions() as session:
            repo = InboxRepo(session)
            rows = await repo.take_orphans(self.platform, self.owner, now, now + LEASE, ORPHAN_BATCH)
            given_up = {i for i, p, attempts in rows if attempts > MAX_ATTEMPTS or p is None}
            if given_up:
                await repo.mark_handled(self.platform, sorted(given_up), now)
            await session.commit()
        if given_up:
            self.given_up += len(given_up)
            log.warning("gave up %d updates that were taken over %d times (each time their handler died)", len(given_up), MAX_ATTEMPTS)
        return [(i, p) for i, p, _ in rows if i not in given_up and p is not None]

    async def _maintain(self) -> None:
        """One round of upkeep: renew our leases, forget what was handled long ago."""
        now = self.clock.now()
        async with self.db.sessions() as session:
            repo = InboxRepo(session)
            await repo.renew(self.platform, self.owner, now + LEASE)
            await repo.prune(self.platform, now - KEEP)
            await session.commit()

    def close(self) -> None:
        """Ask ``run`` to write what is left and return."""
        self._closing.set()

    async def run(self, on_orphans: Callable[[list[tuple[int, str]]], Awaitable[None]]) -> None:
        """Until ``close``: flush marks often; renew leases and look for orphans every ``RENEW_EVERY``.

        Wall-clock time, whatever the runtime's clock: this is the process's own upkeep.
        """
        since_upkeep = RENEW_EVERY
        try:
            while not self._closing.is_set():
                try:
                    async with asyncio.timeout(FLUSH_EVERY):
                        await self._closing.wait()
                except TimeoutError:
                    pass
                await self.flush()
                if self._closing.is_set():
                    break
                since_upkeep += FLUSH_EVERY
                if since_upkeep < RENEW_EVERY:
                    continue
                since_upkeep = 0.0
                try:
                    await self._maintain()
                    found = await self.orphans()
                except Exception:
                    log.warning("inbox upkeep failed; will try again", exc_info=True)
                    continue
                if found:
                    await on_orphans(found)
        finally:
            await self.flush()  # also when cancelled: the marks written are repeats saved after a restart
