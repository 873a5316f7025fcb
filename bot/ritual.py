"""The contract of scheduled work (rituals)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from bot.context import Context


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
