"""Quiet members and their invitations back (#21.7)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Member, Person
from storage.models.states import DmState


class ComebackRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def quiet(
        self, community_id: int, platform: str, silent_since: datetime, invited_before: datetime, limit: int
    ) -> list[tuple[Member, str | None]]:
        """(member, their language) of the members present (not bots) who have posted nothing since
        ``silent_since`` (or never, having been here that long), were not invited since ``invited_before``,
        and did not opt out of DMs or close them."""
        m = Member
        q = (
            select(m, Person.language)
            .outerjoin(Person, and_(Person.platform == platform, Person.user_id == m.user_id))
            .where(
                m.community_id == community_id,
                m.left_at.is_(None),
                m.is_bot.is_(False),
                or_(
                    m.last_message_at < silent_since,
                    and_(m.last_message_at.is_(None), or_(m.joined_at.is_(None), m.joined_at < silent_since)),
                ),
                or_(m.invited_back_at.is_(None), m.invited_back_at < invited_before),
                or_(Person.id.is_(None), and_(Person.dm_opt_out.is_(False), Person.dm_state != DmState.CLOSED)),
            )
            .order_by(m.last_message_at.desc().nulls_last(), m.id)
            .limit(limit)
        )
        return [(member, language) for member, language in await self.session.execute(q)]

    async def mark(self, member_id: int, now: datetime, invited_before: datetime) -> bool:
        """Record the invitation, once the platform took it (False: one since ``invited_before`` is recorded already)."""
        q = (
            update(Member)
            .where(Member.id == member_id, or_(Member.invited_back_at.is_(None), Member.invited_back_at < invited_before))
            .values(invited_back_at=now)
        )
        return (await self.session.execute(q)).rowcount == 1  # type: ignore[attr-defined]

    async def counts(self, community_id: int, start: datetime, end: datetime) -> tuple[int, int]:
        """(invited in the window, of whom posted after the invitation)."""
        m = Member
        base = (m.community_id == community_id, m.invited_back_at >= start, m.invited_back_at < end)
        invited = await self.session.scalar(select(func.count()).select_from(m).where(*base))
        back = await self.session.scalar(select(func.count()).select_from(m).where(*base, m.last_message_at > m.invited_back_at))
        return int(invited or 0), int(back or 0)
