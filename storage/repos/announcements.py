"""Scheduled announcements."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.admin import Announcement
from storage.models.states import AnnouncementStatus


class AnnouncementRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, community_id: int, author_id: str, text: str, due_at: datetime, now: datetime) -> Announcement:
        row = Announcement(
            community_id=community_id, author_id=author_id, text=text, due_at=due_at, status=AnnouncementStatus.PENDING, created_at=now
        )
        self.session.add(row)
        await self.session.flush()
        return row

    async def get(self, community_id: int, announcement_id: int) -> Announcement | None:
        return await self.session.scalar(
            select(Announcement).where(Announcement.community_id == community_id, Announcement.id == announcement_id)
        )

    async def pending(self, community_id: int, due_by: datetime | None = None, limit: int = 50) -> list[Announcement]:
        q = select(Announcement).where(Announcement.community_id == community_id, Announcement.status == "pending")
        if due_by is not None:
            q = q.where(Announcement.due_at <= due_by)
        return list(await self.session.scalars(q.order_by(Announcement.due_at, Announcement.id).limit(limit)))
