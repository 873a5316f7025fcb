"""What the bot forgets with age (``bot.keep_*``): settled ritual runs and the per-day activity counters.

One community at a time, each in its own short transaction, so a daily clean-up of millions of rows never
holds SQLite's write lock for long; each DELETE follows an index's leading columns (community, then day or key).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ActivityDay, Community, RitualRun
from storage.models.recognition import ReactionDay
from storage.models.states import RunStatus


async def community_ids(session: AsyncSession) -> list[int]:
    return list(await session.scalars(select(Community.id).order_by(Community.id)))


async def prune(session: AsyncSession, community_id: int, runs_before: datetime, days_before: date) -> int:
    """Delete one community's settled runs due before ``runs_before`` and its day counters before
    ``days_before``; how many rows went. Failed runs and claims stay: the runner may still retry them."""
    gone = 0
    for stmt in (
        delete(RitualRun).where(
            RitualRun.community_id == community_id,
            RitualRun.due_at < runs_before,
            RitualRun.status.in_((RunStatus.SENT, RunStatus.SKIPPED)),
        ),
        delete(ActivityDay).where(ActivityDay.community_id == community_id, ActivityDay.day < days_before),
        delete(ReactionDay).where(ReactionDay.community_id == community_id, ReactionDay.day < days_before),
    ):
        result = await session.execute(stmt)
        gone += int(getattr(result, "rowcount", 0) or 0)
    return gone
