"""The other features' figures for /stats, the weekly report and the CSV export.

Registered here through ``rt.add_metric`` (the same seam a new feature would use)
so the features' packages stay as they are; every query lives in storage/.
Each function answers for one window [start, end); the label of ``name`` is the
catalog key ``metric.<name>``.
"""

from __future__ import annotations

import statistics
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.runtime import MetricFn, Runtime
from storage.repos.analytics import FeatureFigures
from storage.repos.prompts import PromptRepo
from storage.repos.rubrics import RubricRepo


async def rubric_posts(session: AsyncSession, community_id: int, start: datetime, end: datetime) -> int:
    """Posts carrying a rubric (a post with two rubrics counts twice); the per-rubric split is its own line."""
    return sum((await RubricRepo(session).counts(community_id, start, end)).values())


async def prompt_responses(session: AsyncSession, community_id: int, start: datetime, end: datetime) -> int:
    return await PromptRepo(session).responses(community_id, start, end)


async def event_rsvps(session: AsyncSession, community_id: int, start: datetime, end: datetime) -> int:
    return await FeatureFigures(session).rsvps_going(community_id, start, end)


async def spam_caught(session: AsyncSession, community_id: int, start: datetime, end: datetime) -> int:
    return await FeatureFigures(session).spam_caught(community_id, start, end)


async def spam_undone(session: AsyncSession, community_id: int, start: datetime, end: datetime) -> int:
    return await FeatureFigures(session).spam_undone(community_id, start, end)


def _milestone_count(milestone: str) -> MetricFn:
    async def count(session: AsyncSession, community_id: int, start: datetime, end: datetime) -> int:
        return len(await FeatureFigures(session).newcomer_milestones(community_id, milestone, start, end))

    return count


async def newcomer_hours_to_first_message(session: AsyncSession, community_id: int, start: datetime, end: datetime) -> float | None:
    """Median time from joining to the first message, for the newcomers whose first message fell in the window."""
    waits = await FeatureFigures(session).newcomer_milestones(community_id, "first_message_at", start, end)
    return statistics.median(w / timedelta(hours=1) for w in waits) if waits else None


METRICS: dict[str, MetricFn] = {
    "rubric_posts": rubric_posts,
    "prompt_responses": prompt_responses,
    "event_rsvps": event_rsvps,
    "spam_caught": spam_caught,
    "spam_undone": spam_undone,
    "newcomer_first_messages": _milestone_count("first_message_at"),
    "newcomer_intros": _milestone_count("first_intro_at"),
    "newcomer_first_replies": _milestone_count("first_reply_at"),
    "newcomer_hours_to_first_message": newcomer_hours_to_first_message,
}


def register(rt: Runtime) -> None:
    for name, fn in METRICS.items():
        rt.add_metric(name, fn)
