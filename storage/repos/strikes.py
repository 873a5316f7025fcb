"""Strikes for moderators' /strikes and /pardon: reads the spam feature's tables, and clears a member's strikes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Member
from storage.models.spam import SpamRecord, SpamStrike


@dataclass(frozen=True, slots=True)
class Strikes:
    user_id: str
    name: str
    count: int  # strikes still counting (not decayed)
    last_at: datetime


class StrikeQueries:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def current(self, community_id: int, now: datetime, decay: timedelta, limit: int = 20) -> list[Strikes]:
        """Members whose strikes still count, most first."""
        s, m = SpamStrike, Member
        q = (
            select(s.user_id, m.display_name, s.count, s.last_at)
            .outerjoin(m, (m.community_id == s.community_id) & (m.user_id == s.user_id))
            .where(s.community_id == community_id, s.count > 0, s.last_at >= now - decay)
            .order_by(s.count.desc(), s.last_at.desc())
            .limit(limit)
        )
        return [Strikes(u, n or u, c, at) for u, n, c, at in await self.session.execute(q)]

    async def of(self, community_id: int, user_id: str, now: datetime, decay: timedelta) -> Strikes | None:
        row = await self.session.get(SpamStrike, (community_id, user_id))
        if row is None:
            return None
        count = row.count if now - row.last_at <= decay else 0  # what the ladder will count next time
        return Strikes(user_id, user_id, count, row.last_at)

    async def records(self, community_id: int, user_id: str, limit: int = 5) -> list[SpamRecord]:
        """The member's latest spam decisions, newest first."""
        q = (
            select(SpamRecord)
            .where(SpamRecord.community_id == community_id, SpamRecord.user_id == user_id)
            .order_by(SpamRecord.id.desc())
            .limit(limit)
        )
        return list(await self.session.scalars(q))

    async def find_members(self, community_id: int, who: str, limit: int = 8) -> list[tuple[str, str]]:
        """(user_id, display name) for an id (exactly one) or a display name (``@`` optional, any case: maybe several)."""
        who = who.strip().removeprefix("@")
        if not who:
            return []
        m = Member
        exact = (
            await self.session.execute(select(m.user_id, m.display_name).where(m.community_id == community_id, m.user_id == who))
        ).first()
        if exact is not None:
            return [(exact[0], exact[1])]
        q = (
            select(m.user_id, m.display_name)
            .where(m.community_id == community_id, func.lower(m.display_name) == who.lower())
            .order_by(m.last_message_at.desc())
            .limit(limit)
        )
        return [(u, n) for u, n in await self.session.execute(q)]

    async def name_of(self, community_id: int, user_id: str) -> str:
        m = Member
        return await self.session.scalar(select(m.display_name).where(m.community_id == community_id, m.user_id == user_id)) or ""

    async def clear(self, community_id: int, user_id: str) -> None:
        s = SpamStrike
        await self.session.execute(update(s).where(s.community_id == community_id, s.user_id == user_id).values(count=0))
