"""The contract of scheduled work (rituals)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from bot.core.context import Context, Quiet

# A claim not marked sent within this time belongs to a process that died mid-post: it is due again.
# (A crash after posting but before marking can then repeat one post; losing it would be worse.)
# Rituals that filter out what already ran must treat such a claim as not run (``RitualRunRepo.settled``).
CLAIM_LEASE = timedelta(minutes=5)

def quiet_until(ctx: Context, when: datetime | None) -> None:
    """From ``due``, when nothing is due: nothing of this ritual can become due in this community before ``when``
    (None: not by time alone) unless something is stored about the community first.

    The runner then skips the ritual's ``due`` on the ticks before ``when``. Any event whose unit of work
    touched the database, and any ritual post, in that community ends the quiet; so does a few minutes'
    time (changes another process stored are not seen otherwise). Only a ritual whose due-ness follows
    from its own rows and the clock may say it (not, e.g., one that reads batched activity counters).
    """
    ctx.quiet = Quiet(when)


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One due run of a ritual. ``key`` is unique per community and makes it idempotent."""

    key: str
    due_at: datetime
    data: dict[str, Any] = field(default_factory=dict)


class Ritual(Protocol):
    name: str

    async def due(self, ctx: Context) -> list[Occurrence]:
        """Occurrences due at or before ``ctx.now`` (the runner skips those already run).

        It only reads (the runner shares one session among a community's checks; a check that must
        store something commits it itself). A ritual whose check costs a query may call
        ``quiet_until`` when nothing is due.
        """
        ...

    async def run(self, ctx: Context, occurrence: Occurrence) -> None:
        """Post it. Raise to have it retried at the next tick (within the grace period)."""
        ...
