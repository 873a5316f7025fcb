"""Activity counters, written in batches."""

from __future__ import annotations

from datetime import date

from sqlalchemy import distinct, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ActivityDay
from storage.models.recognition import ReactionDay
from storage.repos.upsert import insert_for


class ActivityRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, rows: list[tuple[int, date, str, int, int]]) -> None:
        """Add (community_id, day, user_id, messages, replies) counts in one statement."""
        if not rows:
            return
        table = ActivityDay.__table__
        stmt = insert_for(self.session, table)
        stmt = stmt.on_conflict_do_update(
            index_elements=["community_id", "day", "user_id"],
            set_={"messages": table.c.messages + stmt.excluded.messages, "replies": table.c.replies + stmt.excluded.replies},
        )
        await self.session.execute(
            stmt, [{"community_id": c, "day": d, "user_id": u, "messages": m, "replies": r} for c, d, u, m, r in rows]
        )

    async def add_reactions(self, rows: list[tuple[int, date, str, int]]) -> None:
        """Add (community_id, day, user_id, reactions) counts in one statement."""
        if not rows:
            return
        table = ReactionDay.__table__
        stmt = insert_for(self.session, table)
        stmt = stmt.on_conflict_do_update(
            index_elements=["community_id", "day", "user_id"], set_={"reactions": table.c.reactions + stmt.excluded.reactions}
        )
        await self.session.execute(stmt, [{"community_id": c, "day": d, "user_id": u, "reactions": n} for c, d, u, n in rows])

    async def reacting(self, community_id: int, first: date, end: date) -> tuple[int, int]:
        """Members who reacted on the days [first, end), and how many of them posted nothing on those days."""
        r, a = ReactionDay, ActivityDay
        where = (r.community_id == community_id, r.day >= first, r.day < end)
        posted = select(a.user_id).where(a.community_id == community_id, a.day >= first, a.day < end, a.messages > 0)
        total = await self.session.scalar(select(func.count(distinct(r.user_id))).where(*where))
        only = await self.session.scalar(select(func.count(distinct(r.user_id))).where(*where, r.user_id.not_in(posted)))
        return int(total or 0), int(only or 0)
