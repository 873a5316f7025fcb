"""The contract of scheduled work (rituals)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from bot.context import Context

# A claim not marked sent within this time belongs to a process that died mid-post: it is due again.
# (A crash after posting but before marking can then repeat one post; losing it would be worse.)
# Rituals that filter out what already ran must treat such a claim as not run (``RitualRunRepo.settled``).
CLAIM_LEASE = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One due run of a ritual. ``key`` is unique per community and makes it idempotent."""

    key: str
    due_at: datetime
    data: dict[str, Any] = field(default_factory=dict)


class Ritual(Protocol):
    name: str

    async def due(self, ctx: Context) -> list[Occurrence]:
        """Occurrences due at or before ``ctx.now`` (the runner skips those already run)."""
        ...

    async def run(self, ctx: Context, occurrence: Occurrence) -> None:
        """Post it. Raise to have it retried at the next tick (within the grace period)."""
        ...
