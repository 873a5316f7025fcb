"""Rituals that enforce a deadline per row (the rules gate, a join request's DM gate)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from bot.core.context import Context
from bot.core.ritual import Occurrence, quiet_until


def expired(ctx: Context, rows: Sequence[Any], prefix: str, deadline: Callable[[Any], datetime | None]) -> list[Occurrence]:
    """One occurrence per row whose deadline passed (``rows`` earliest first); else sleep until the earliest.

    Due now, not at the deadline: enforcing a timeout late is still right, so the runner's grace never drops it.
    """
    passed = [r for r in rows if (d := deadline(r)) is not None and d <= ctx.now]
    if not passed:
        quiet_until(ctx, deadline(rows[0]) if rows else None)
    return [Occurrence(f"{prefix}:{r.id}:{_iso(deadline(r))}", ctx.now, {"id": r.id}) for r in passed]


def _iso(at: datetime | None) -> str:
    return at.isoformat() if at is not None else ""
