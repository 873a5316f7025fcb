"""The event calendar's queries."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.rituals import CalendarEvent


class CalendarRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def between(self, community_id: int, start: datetime, end: datetime) -> list[CalendarEvent]:
        """Scheduled (not cancelled) events starting in [start, end), soonest first."""
        q = (
            select(CalendarEvent)
            .where(
                CalendarEvent.community_id == community_id,
                CalendarEvent.status == "scheduled",
                CalendarEvent.starts_at >= start,
                CalendarEvent.starts_at < end,
            )
            .order_by(CalendarEvent.starts_at, CalendarEvent.id)
        )
        return list(await self.session.scalars(q))

    async def get(self, event_id: int) -> CalendarEvent | None:
        return await self.session.get(CalendarEvent, event_id)

    def add(self, event: CalendarEvent) -> None:
        self.session.add(event)
