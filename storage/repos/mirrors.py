"""Calendar events mirrored into a platform's own events list: our event <-> the platform's id."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.recurrence import EventMirror
from storage.models.rituals import CalendarEvent


class MirrorRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def of_community(self, community_id: int, platform: str) -> dict[int, EventMirror]:
        q = (
            select(EventMirror)
            .join(CalendarEvent, CalendarEvent.id == EventMirror.event_id)
            .where(CalendarEvent.community_id == community_id, EventMirror.platform == platform)
        )
        return {m.event_id: m for m in await self.session.scalars(q)}

    async def by_native(self, platform: str, native: str) -> EventMirror | None:
        q = select(EventMirror).where(EventMirror.platform == platform, EventMirror.native == native)
        return await self.session.scalar(q)

    async def next_end(self, community_id: int, platform: str) -> datetime | None:
        """The soonest end of a mirrored series occurrence: after it, the series rolls to its next one."""
        rows = await self.of_community(community_id, platform)
        ends = [m.ends_at for m in rows.values() if m.occurrence]
        return min(ends) if ends else None

    def add(self, mirror: EventMirror) -> None:
        self.session.add(mirror)

    async def remove(self, event_id: int, platform: str) -> None:
        await self.session.execute(delete(EventMirror).where(EventMirror.event_id == event_id, EventMirror.platform == platform))
