"""What the weekly rituals share: the occurrence of the latest slot, and a memo so idle ticks cost no query."""

from __future__ import annotations

from datetime import time

from bot.context import Context
from bot.ritual import CLAIM_LEASE, Occurrence
from rituals.dates import last_weekly_slot
from storage.repos.housekeeping import RitualRunRepo


class WeeklySlot:
    """The latest ``weekday at time`` slot on the community's wall clock, unless it already ran.

    A claim older than ``CLAIM_LEASE`` (its process died) is offered again.
    Only the latest slot is ever offered: after a long outage the runner posts it
    if it is within the grace period and records it as skipped otherwise.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self._known: set[tuple[int, str]] = set()  # (community id, key) that the database says ran

    async def due(self, ctx: Context, weekday: int, at: time) -> list[Occurrence]:
        assert ctx.community is not None
        day, slot = last_weekly_slot(ctx.now, ctx.community.tz, weekday, at)
        key = f"{self.name}:{day.isoformat()}"
        if (ctx.community.id, key) in self._known:
            return []
        status = (await RitualRunRepo(ctx.session).settled(ctx.community.id, [key], ctx.now - CLAIM_LEASE)).get(key)
        if status is not None:
            if status != "claimed":  # a claim may yet be left by a dying process: ask again next tick
                self._known.add((ctx.community.id, key))
            return []
        return [Occurrence(key, slot, {"week": day.isoformat()})]
