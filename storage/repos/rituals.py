"""Queries the rituals share: which occurrences already ran, who joined this week."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Member, RitualRun


class RitualQueries:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def known_keys(self, community_id: int, keys: list[str]) -> set[str]:
        """Which of these occurrence keys have a run (claimed, sent, skipped or failed): one query."""
        if not keys:
            return set()
        q = select(RitualRun.key, RitualRun.status).where(RitualRun.community_id == community_id, RitualRun.key.in_(keys))
        # A failed run is still due: the runner retries it within the grace period.
        return {key for key, status in await self.session.execute(q) if status != "failed"}

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
