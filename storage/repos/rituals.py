"""Queries the rituals share: who joined this week (what already ran: ``RitualRunRepo.settled``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Member


class RitualQueries:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def joined_between(self, community_id: int, start: datetime, end: datetime) -> list[Member]:
        """Members (not bots) who joined in [start, end) and are still here, in the order they came."""
        q = (
            select(Member)
            .where(
                Member.community_id == community_id,
                Member.joined_at >= start,
                Member.joined_at < end,
                Member.left_at.is_(None),
                Member.is_bot.is_(False),
            )
            .order_by(Member.joined_at, Member.id)
        )
        return list(await self.session.scalars(q))
