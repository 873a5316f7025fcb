"""What the weekly rituals share: the occurrence of the latest slot."""

from __future__ import annotations

from datetime import time

from bot.core.context import Context
from bot.core.ritual import Occurrence
from rituals.dates import last_weekly_slot


class WeeklySlot:
    """The latest ``weekday at time`` slot on the community's wall clock.

    Only the latest slot is ever offered: after a long outage the runner posts it
    if it is within the grace period and records it as skipped otherwise. The
    runner drops it once it ran, and remembers that, so idle ticks cost no query.
    """

    def __init__(self, name: str) -> None:
        self.name = name

    async def due(self, ctx: Context, weekday: int, at: time) -> list[Occurrence]:
        day, slot = last_weekly_slot(ctx.now, ctx.here.tz, weekday, at)
        return [Occurrence(f"{self.name}:{day.isoformat()}", slot, {"week": day.isoformat()})]
