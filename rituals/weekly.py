"""What the weekly rituals share: the occurrence of the latest slot, and a memo so idle ticks cost no query."""

from __future__ import annotations

from datetime import time

from bot.context import Context
from bot.ritual import Occurrence
from rituals.dates import last_weekly_slot
from storage.repos.rituals import RitualQueries


class WeeklySlot:
    """The latest ``weekday at time`` slot on the community's wall clock, unless it already ran.

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
        if await RitualQueries(ctx.session).known_keys(ctx.community.id, [key]):
            self._known.add((ctx.community.id, key))
            return []
        return [Occurrence(key, slot, {"week": day.isoformat()})]
