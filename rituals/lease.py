"""Keeping a ritual's claim alive while its post is in progress (the heartbeat).

A claim not renewed within ``CLAIM_LEASE`` is taken over by another process: that is how a post
whose process died is not lost. A live process whose post waits on the platform (rate limits can
hold a send for minutes) must therefore say it is still at work: every ``RENEW_EVERY`` of its own
clock it moves the claim's time on, naming its token. When the renewal finds the token gone, the
claim was taken over (this process was stalled past the lease): that is logged, and the finishing
write, fenced by the same token, changes nothing.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.core.ritual import CLAIM_LEASE
from bot.core.runtime import Runtime
from storage.repos.housekeeping import RitualRunRepo

log = logging.getLogger("rituals.lease")

RENEW_EVERY = CLAIM_LEASE / 5  # four renewals may fail (a database hiccup) before the lease runs out


class Heartbeats:
    """The renewals one runner made, observable (a counter, and an event set at each renewal)."""

    def __init__(self) -> None:
        self.renewals = 0
        self.lost = 0  # claims found taken over while still at work
        self.renewed = asyncio.Event()

    @asynccontextmanager
    async def keep(self, rt: Runtime, community_id: int, key: str, token: str) -> AsyncIterator[None]:
        """Renew the claim ``(community_id, key)`` held with ``token`` until the block ends."""
        task = asyncio.create_task(self._beat(rt, community_id, key, token), name=f"lease {community_id} {key}")
        try:
            yield
        finally:
            task.cancel()
            try:
                await task
            except asyncio.CancelledError:
                pass

    async def _beat(self, rt: Runtime, community_id: int, key: str, token: str) -> None:
        while True:
            await rt.clock.sleep(RENEW_EVERY)
            try:
                async with rt.db.sessions() as session:
                    still_ours = await RitualRunRepo(session).renew(community_id, key, token, rt.now())
                    await session.commit()
            except Exception:  # the database is away: the next beat tries again, the lease has room for it
                log.warning("could not renew the claim on %s (community %s); trying again", key, community_id, exc_info=True)
                continue
            if not still_ours:
                self.lost += 1
                log.warning("the claim on %s (community %s) was taken over while this process still posted it", key, community_id)
                return
            self.renewals += 1
            self.renewed.set()
