"""The figures of a period, computed from the core tables and the features' registered metrics."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.community import CommunityInfo
from bot.core.runtime import MetricFn, Runtime
from handlers.admin.periods import Period, Window
from storage.repos.analytics import AnalyticsRepo, DayTotals
from storage.repos.communities import CommunityRepo
from storage.repos.rubrics import RubricRepo

log = logging.getLogger("handlers.admin.metrics")

WEEK, MONTH = 7, 30


@dataclass(frozen=True, slots=True)
class Activation:
    """Of ``cohort`` newcomers (each had the full ``days`` since joining), ``posted`` posted within them."""

    days: int
    cohort: int
    posted: int

    @property
    def share(self) -> float | None:
        return self.posted / self.cohort if self.cohort else None


@dataclass(slots=True)
class Figures:
    period: Period
    new_members: int
    new_members_prev: int
    activation: list[Activation]
    active: int  # distinct members who posted in the period
    active_prev: int
    dau: float  # average daily active members over the period
    dau_prev: float
    wau: int  # distinct over the 7 days ending with the period
    mau: int  # distinct over the 30 days ending with the period
    dau_month: float  # average daily active over those 30 days
    messages: int
    messages_prev: int
    replies: int
    replies_prev: int
    top: list[tuple[str, int]]  # (display name, messages)
    leaders: list[tuple[str, int]]  # (display name, replies to others)
    series: list[DayTotals]  # every day of the period, zeros included
    extra: dict[str, tuple[int | float | None, int | float | None]] = field(default_factory=dict)  # registered metrics
    rubrics: list[tuple[str, int]] = field(default_factory=list)  # posts per rubric in the period, most used first

    @property
    def stickiness(self) -> float | None:
        """DAU/MAU: the average day's share of the month's active members."""
        return self.dau_month / self.mau if self.mau else None

    @property
    def wau_mau(self) -> float | None:
        return self.wau / self.mau if self.mau else None

    @property
    def posts_per_active(self) -> float | None:
        return self.messages / self.active if self.active else None

    @property
    def replies_per_active(self) -> float | None:
        return self.replies / self.active if self.active else None


def _fill(rows: list[DayTotals], w: Window) -> list[DayTotals]:
    by_day = {r.day: r for r in rows}
    days = (w.first + timedelta(days=i) for i in range(w.days))
    return [by_day.get(d, DayTotals(d, 0, 0, 0)) for d in days]


async def _days_counted(session: AsyncSession, info: CommunityInfo, end: date) -> int:
    """The days of the month window the community has been counted for: a week-old community's average day
    is over its week, not over 30 days of which 23 came before it. Since the bot first saw the chat, or its
    oldest counted day if that is earlier (imported history)."""
    row = await CommunityRepo(session).get(info.id)
    since = row.created_at.astimezone(info.tz).date() if row is not None else end - timedelta(days=MONTH)
    first_counted = await AnalyticsRepo(session).first_day(info.id)
    if first_counted is not None:
        since = min(since, first_counted)
    return max(1, min(MONTH, (end - since).days))


def _sums(series: list[DayTotals]) -> tuple[float, int, int]:
    n = len(series) or 1
    return sum(r.active for r in series) / n, sum(r.messages for r in series), sum(r.replies for r in series)


async def compute(session: AsyncSession, rt: Runtime, info: CommunityInfo, period: Period, now: datetime) -> Figures:
    repo = AnalyticsRepo(session)
    cur, prev = period.current, period.previous
    settings = info.settings.admin
    month_first = cur.end - timedelta(days=MONTH)
    daily = await repo.daily(info.id, min(prev.first, month_first), cur.end)
    series = _fill([r for r in daily if r.day >= cur.first], cur)
    dau, messages, replies = _sums(series)
    dau_prev, messages_prev, replies_prev = _sums(_fill([r for r in daily if prev.first <= r.day < prev.end], prev))
    month = [r for r in daily if r.day >= month_first]
    dau_month = sum(r.active for r in month) / await _days_counted(session, info, cur.end)

    # Every distinct count and per-member sum below comes from one read of the packed daily rollup.
    who = await repo.span(info.id, min(prev.first, month_first), cur.end)
    sums = await repo.member_sums(info.id, who, cur.first, cur.end, settings.top_count, settings.leader_min_replies)
    active_prev = who.distinct(prev.first, prev.end)
    wau = who.distinct(cur.end - timedelta(days=WEEK), cur.end)
    mau = who.distinct(month_first, cur.end)
    names = await repo.names(info.id, [u for u, _ in sums.top + sums.leaders])

    # Newcomers: those of the period and the one before, and the cohorts whose 7 or 14 days are over by now.
    cut = min(cur.stop, now)
    joined = await repo.joined(info.id, cur.start - timedelta(days=14), cut - timedelta(days=7))  # both cohorts, one read
    activation = []
    for days in (7, 14):
        span = timedelta(days=days)
        cohort = [(j, f) for j, f in joined if cur.start - span <= j < cut - span]
        posted = sum(1 for j, f in cohort if f is not None and f - j <= span)
        activation.append(Activation(days, len(cohort), posted))

    extra: dict[str, tuple[int | float | None, int | float | None]] = {}
    for name, fn in rt.metrics.items():
        extra[name] = (await _metric(fn, session, info.id, cur, name), await _metric(fn, session, info.id, prev, name))

    if "rubric_posts" in rt.metrics:
        counts = await RubricRepo(session).counts(info.id, cur.start, cur.stop)
        rubrics = sorted(counts.items(), key=lambda x: (-x[1], x[0]))
    else:
        rubrics = []

    return Figures(
        period=period,
        new_members=await repo.joined_count(info.id, cur.start, cur.stop),
        new_members_prev=await repo.joined_count(info.id, prev.start, prev.stop),
        activation=activation,
        active=sums.active,
        active_prev=active_prev,
        dau=dau,
        dau_prev=dau_prev,
        wau=wau,
        mau=mau,
        dau_month=dau_month,
        messages=messages,
        messages_prev=messages_prev,
        replies=replies,
        replies_prev=replies_prev,
        top=[(names.get(u) or u, n) for u, n in sums.top],
        leaders=[(names.get(u) or u, n) for u, n in sums.leaders],
        series=series,
        extra=extra,
        rubrics=rubrics,
    )


async def _metric(fn: MetricFn, session: AsyncSession, community_id: int, w: Window, name: str) -> int | float | None:
    """A feature's figure; a broken one shows as unknown instead of breaking the report."""
    try:
        async with session.begin_nested():
            return await fn(session, community_id, w.start, w.stop)
    except Exception:
        log.exception("metric %s failed", name)
        return None
