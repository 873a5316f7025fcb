"""The surveys' figures for /stats, the weekly report and the CSV export (``rt.add_metric``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.runtime import MetricFn
from storage.repos.listening import SurveyRepo


async def response_rate(session: AsyncSession, community_id: int, start: datetime, end: datetime) -> float | None:
    """Percent of the recommend questions delivered in the window that were answered."""
    delivered, answered = await SurveyRepo(session).delivery(community_id, start, end)
    return 100 * answered / delivered if delivered else None


async def nps(session: AsyncSession, community_id: int, start: datetime, end: datetime) -> float | None:
    """Net promoter score of the answers given in the window: % 9-10 less % 0-6."""
    return (await SurveyRepo(session).scores(community_id, start, end)).nps


async def answers(session: AsyncSession, community_id: int, start: datetime, end: datetime) -> int:
    return (await SurveyRepo(session).scores(community_id, start, end)).answers


METRICS: dict[str, MetricFn] = {
    "survey_answers": answers,
    "survey_response_rate": response_rate,
    "survey_nps": nps,
}
