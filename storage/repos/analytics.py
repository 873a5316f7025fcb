"""All the SQL behind the analytics: daily totals, per-member grouping, newcomers.

Designed for 100,000 members and 10 million activity rows on SQLite:

- daily totals (active members, messages, replies) come from ``activity_daily``,
  a per-community per-day rollup the tracker's flush keeps up to date, so a
  period's series is a few dozen rows whatever the community's size;
- distinct active members are counted on the primary key of
  ``activity_days`` (community_id, day, user_id), which covers the query;
- the period's per-member sums are grouped once (a materialized CTE) and give
  the number of active members, the top contributors and the likely leaders
  in one pass.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import String, func, literal, select, tuple_, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ActivityDay, Member
from storage.models.admin import ActivityDaily
from storage.repos.upsert import insert_for

_CHUNK = 400  # bound parameters per IN (...) lookup, well under SQLite's limit


@dataclass(frozen=True, slots=True)
class DayTotals:
    day: date
    active: int
    messages: int
    replies: int


@dataclass(frozen=True, slots=True)
class MemberSums:
    """One pass over a period: how many posted, who posted most, who replied to others most."""

    active: int
    top: list[tuple[str, int]]  # (user_id, messages)
    leaders: list[tuple[str, int]]  # (user_id, replies to others)


class AnalyticsRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def daily(self, community_id: int, first: date, end: date) -> list[DayTotals]:
        """Totals for the days in [first, end), only days with activity."""
        t = ActivityDaily
        q = (
            select(t.day, t.active, t.messages, t.replies)
            .where(t.community_id == community_id, t.day >= first, t.day < end)
            .order_by(t.day)
        )
        return [DayTotals(*row) for row in await self.session.execute(q)]

    async def distinct_active(self, community_id: int, first: date, end: date) -> int:
        a = ActivityDay
        q = select(func.count(func.distinct(a.user_id))).where(a.community_id == community_id, a.day >= first, a.day < end)
        return int(await self.session.scalar(q) or 0)

    async def member_sums(self, community_id: int, first: date, end: date, top: int, min_replies: int) -> MemberSums:
        a = ActivityDay
        per = (
            select(a.user_id.label("u"), func.sum(a.messages).label("m"), func.sum(a.replies).label("r"))
            .where(a.community_id == community_id, a.day >= first, a.day < end)
            .group_by(a.user_id)
            .cte("per")
            .prefix_with("MATERIALIZED")
        )
        count_q = select(literal("n").label("k"), literal("", String).label("u"), func.count().label("v")).select_from(per)
        top_q = select(literal("t").label("k"), per.c.u, per.c.m.label("v")).order_by(per.c.m.desc(), per.c.u).limit(top).subquery()
        lead_q = (
            select(literal("l").label("k"), per.c.u, per.c.r.label("v"))
            .where(per.c.r >= min_replies)
            .order_by(per.c.r.desc(), per.c.u)
            .limit(top)
            .subquery()
        )
        q = union_all(count_q, select(top_q.c.k, top_q.c.u, top_q.c.v), select(lead_q.c.k, lead_q.c.u, lead_q.c.v))
        active, tops, leaders = 0, [], []
        for k, u, v in await self.session.execute(q):
            if k == "n":
                active = int(v)
            elif k == "t":
                tops.append((u, int(v)))
            else:
                leaders.append((u, int(v)))
        tops.sort(key=lambda x: (-x[1], x[0]))
        leaders.sort(key=lambda x: (-x[1], x[0]))
        return MemberSums(active, tops, leaders)

    async def joined_count(self, community_id: int, start: datetime, end: datetime) -> int:
        """People (not bots) who joined in [start, end)."""
        m = Member
        q = select(func.count()).where(m.community_id == community_id, m.joined_at >= start, m.joined_at < end, m.is_bot.is_(False))
        return int(await self.session.scalar(q) or 0)

    async def joined(self, community_id: int, start: datetime, end: datetime) -> list[tuple[datetime, datetime | None]]:
        """(joined_at, first_message_at) of the people (not bots) who joined in [start, end)."""
        m = Member
        q = select(m.joined_at, m.first_message_at).where(
            m.community_id == community_id, m.joined_at >= start, m.joined_at < end, m.is_bot.is_(False)
        )
        return [(j, f) for j, f in await self.session.execute(q) if j is not None]

    async def names(self, community_id: int, user_ids: list[str]) -> dict[str, str]:
        if not user_ids:
            return {}
        q = select(Member.user_id, Member.display_name).where(Member.community_id == community_id, Member.user_id.in_(user_ids))
        return {u: n for u, n in await self.session.execute(q)}


class DailyRollupRepo:
    """Keeps ``activity_daily`` in step with ``activity_days``; call ``add`` before the rows are written there."""

    def __init__(self, session: AsyncSession, dialect: str) -> None:
        self.session = session
        self.dialect = dialect

    async def add(self, rows: list[tuple[int, date, str, int, int]]) -> None:
        """(community_id, day, user_id, messages, replies) about to be added: a member new on that day adds one active."""
        if not rows:
            return
        keys = [(c, d, u) for c, d, u, _, _ in rows]
        seen: set[tuple[int, date, str]] = set()
        a = ActivityDay
        for i in range(0, len(keys), _CHUNK):
            chunk = keys[i : i + _CHUNK]
            q = select(a.community_id, a.day, a.user_id).where(tuple_(a.community_id, a.day, a.user_id).in_(chunk))
            seen.update((c, d, u) for c, d, u in await self.session.execute(q))
        totals: dict[tuple[int, date], list[int]] = defaultdict(lambda: [0, 0, 0])
        for c, d, u, m, r in rows:
            tot = totals[(c, d)]
            tot[0] += (c, d, u) not in seen
            tot[1] += m
            tot[2] += r
        table = ActivityDaily.__table__
        stmt = insert_for(self.dialect, table)
        stmt = stmt.on_conflict_do_update(
            index_elements=["community_id", "day"],
            set_={
                "active": table.c.active + stmt.excluded.active,
                "messages": table.c.messages + stmt.excluded.messages,
                "replies": table.c.replies + stmt.excluded.replies,
            },
        )
        await self.session.execute(
            stmt, [{"community_id": c, "day": d, "active": t[0], "messages": t[1], "replies": t[2]} for (c, d), t in totals.items()]
        )


__all__ = ["AnalyticsRepo", "DailyRollupRepo", "DayTotals", "MemberSums"]
