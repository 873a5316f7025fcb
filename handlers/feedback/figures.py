"""The inbox's figures for /stats, the weekly report and the CSV export (``rt.add_metric``)."""

from __future__ import annotations

import statistics
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.runtime import MetricFn
from storage.repos.listening import FeedbackRepo


async def received(session: AsyncSession, community_id: int, start: datetime, end: datetime) -> int:
    return (await FeedbackRepo(session).received(community_id, start, end))[0]


async def closed_pct(session: AsyncSession, community_id: int, start: datetime, end: datetime) -> float | None:
    """Percent of the window's items that are done or declined by now."""
    total, closed = await FeedbackRepo(session).received(community_id, start, end)
    return 100 * closed / total if total else None


async def hours_to_answer(session: AsyncSession, community_id: int, start: datetime, end: datetime) -> float | None:
    """Median time from an item to the managers' first answer (plan, done or decline), for those answered in the window."""
    waits = await FeedbackRepo(session).waits(community_id, start, end)
    return statistics.median(w / timedelta(hours=1) for w in waits) if waits else None


METRICS: dict[str, MetricFn] = {
    "feedback_received": received,
    "feedback_closed_pct": closed_pct,
    "feedback_hours_to_answer": hours_to_answer,
}
