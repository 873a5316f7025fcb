"""Activity counters, written in batches."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ActivityDay
from storage.repos.upsert import insert_for


class ActivityRepo:
    def __init__(self, session: AsyncSession, dialect: str) -> None:
        self.session = session
        self.dialect = dialect

    async def add(self, rows: list[tuple[int, date, str, int, int]]) -> None:
        """Add (community_id, day, user_id, messages, replies) counts in one statement."""
        if not rows:
            return
        table = ActivityDay.__table__
        stmt = insert_for(self.dialect, table)
        stmt = stmt.on_conflict_do_update(
            index_elements=["community_id", "day", "user_id"],
            set_={"messages": table.c.messages + stmt.excluded.messages, "replies": table.c.replies + stmt.excluded.replies},
        )
        await self.session.execute(
            stmt, [{"community_id": c, "day": d, "user_id": u, "messages": m, "replies": r} for c, d, u, m, r in rows]
        )
