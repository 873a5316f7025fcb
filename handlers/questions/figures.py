"""The questions' figures for /stats, the weekly report and the CSV export (over questions asked in the window).

Names ending in ``_share`` are shares (0..1), shown as percentages.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.runtime import MetricFn
from storage.repos.questions import QuestionRepo

Asked = list[tuple[datetime, datetime | None]]


async def _asked(session: AsyncSession, community_id: int, start: datetime, end: datetime) -> Asked:
    return await QuestionRepo(session).asked_between(community_id, start, end)


def _figure(fn: Callable[[Asked], int | float | None]) -> MetricFn:
    async def metric(session: AsyncSession, community_id: int, start: datetime, end: datetime) -> int | float | None:
        return fn(await _asked(session, community_id, start, end))

    return metric


def hours_to_first_reply(rows: Asked) -> float | None:
    """The median wait for a first reply, in hours, over the questions that got one."""
    waits = [(f - a) / timedelta(hours=1) for a, f in rows if f is not None]
    return statistics.median(waits) if waits else None


def answered_within(span: timedelta) -> Callable[[Asked], float | None]:
    def share(rows: Asked) -> float | None:
        return sum(1 for a, f in rows if f is not None and f - a <= span) / len(rows) if rows else None

    return share


METRICS: dict[str, MetricFn] = {
    "questions_asked": _figure(len),
    "questions_hours_to_first_reply": _figure(hours_to_first_reply),
    "questions_answered_2h_share": _figure(answered_within(timedelta(hours=2))),
    "questions_answered_24h_share": _figure(answered_within(timedelta(hours=24))),
    "questions_unanswered": _figure(lambda rows: sum(1 for _, f in rows if f is None)),
}
