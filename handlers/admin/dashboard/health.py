"""Health: the figures that matter over time, new members' weekly retention, and the onboarding funnel."""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import pairwise

import numpy as np
from babel.dates import format_skeleton
from markupsafe import Markup
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.admin import metrics
from handlers.admin.analytics import number, share
from handlers.admin.dashboard import charts
from handlers.admin.dashboard.site import Page, Rendered
from handlers.admin.periods import parse_period
from storage.repos.analytics import AnalyticsRepo
from storage.repos.dashboard import DashboardFigures

COHORT_WEEKS = 8  # newcomers' cohorts shown, one a week (the last one still in its first week)
RETENTION_WEEKS = 4  # weeks after joining followed for each cohort


async def health(page: Page) -> Rendered:
    rt, info, t = page.rt, page.here, page.t
    now = rt.now()
    period = parse_period("30d", now, info.tz)
    assert period is not None
    async with rt.db.sessions() as session:
        f = await metrics.compute(session, rt, info, period, now)
        figures = DashboardFigures(session)
        funnel = await figures.funnel(info.id, now - timedelta(days=30), now)
        members = await figures.member_count(info.id)
        cohorts = await _retention(session, figures, info.id, now)
    days = [format_skeleton("MMMd", r.day, locale=t.locale) for r in f.series]
    rows = [
        (t.s("dash.health.members"), number(t, members)),
        (t.s("dash.health.new"), number(t, f.new_members)),
        *[(t.s("dash.health.activation", days=a.days), f"{share(t, a.share)} ({a.posted}/{a.cohort})") for a in f.activation],
        (t.s("dash.health.active"), number(t, f.active)),
        (t.s("dash.health.wau"), number(t, f.wau)),
        (t.s("dash.health.mau"), number(t, f.mau)),
        (t.s("dash.health.replies_per_active"), number(t, f.replies_per_active)),
        *[(t.s(f"metric.{name}"), number(t, cur)) for name, (cur, _) in f.extra.items()],
    ]
    active_chart = charts.bars("active", [r.active for r in f.series], days, t.s("dash.health.chart_active"))
    messages_chart = charts.bars("messages", [r.messages for r in f.series], days, t.s("dash.health.chart_messages"), "#3a8d5c")
    steps = [
        ("joined", funnel.joined),
        ("welcomed", funnel.welcomed),
        ("dm", funnel.dm),
        ("first_message", funnel.first_message),
        ("intro", funnel.intro),
        ("first_reply", funnel.first_reply),
    ]
    funnel_rows = [(t.s(f"dash.funnel.{k}"), n, share(t, n / funnel.joined if funnel.joined else None)) for k, n in steps]
    return Rendered(
        "health.html",
        {
            "rows": rows,
            "active_chart": Markup(active_chart),
            "messages_chart": Markup(messages_chart),
            "series": [(d, r.active, r.messages) for d, r in zip(days, f.series, strict=True)],
            "funnel": funnel_rows,
            "cohorts": [(label, n, [share(t, s) for s in shares]) for label, n, shares in cohorts],
            "weeks": list(range(1, RETENTION_WEEKS + 1)),
        },
    )


async def _retention(
    session: AsyncSession, figures: DashboardFigures, community_id: int, now: datetime
) -> list[tuple[str, int, list[float | None]]]:
    """Of each week's newcomers, the share who posted in their first, second, ... week (None: not over yet).

    The weeks are one grid ending now (cohort ``w`` weeks back, its ``k``-th week is grid week ``w - k``), so
    each grid week's active members are found once, and each cohort is looked up in them by binary search."""
    weeks = [now - timedelta(weeks=j) for j in range(COHORT_WEEKS, -1, -1)]  # the grid's edges, oldest first
    joined = await figures.joined_ids(community_id, weeks[0], now)
    span = await AnalyticsRepo(session).span(community_id, weeks[0].date(), now.date() + timedelta(days=1))
    active = [span.active(a.date(), b.date()) for a, b in pairwise(weeks)]
    ids = np.array([i for i, _ in joined], dtype=np.int64)
    at = np.array([a.timestamp() for _, a in joined], dtype=np.float64)
    out = []
    for w in range(COHORT_WEEKS):
        cohort = ids[(at >= weeks[w].timestamp()) & (at < weeks[w + 1].timestamp())]
        shares: list[float | None] = []
        for k in range(RETENTION_WEEKS):
            if w + k >= COHORT_WEEKS or not len(cohort):
                shares.append(None)  # that week is not over yet (or nobody joined)
                continue
            seen = active[w + k]
            pos = np.minimum(np.searchsorted(seen, cohort), max(len(seen) - 1, 0))
            shares.append(float(np.count_nonzero(seen[pos] == cohort)) / len(cohort) if len(seen) else 0.0)
        out.append((weeks[w].date().isoformat(), len(cohort), shares))
    return out
