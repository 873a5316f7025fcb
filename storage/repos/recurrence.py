"""Queries of recurring events: series rules, per-occurrence exceptions, per-occurrence RSVPs."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.recurrence import EventException, EventSeries, OccurrenceRsvp
from storage.models.rituals import CalendarEvent, EventRsvp
from storage.models.states import Rsvp


class SeriesRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def active(self, community_id: int, start: datetime, end: datetime) -> list[tuple[CalendarEvent, EventSeries]]:
        """Scheduled series that may have an occurrence in [start, end): begun before ``end``, not over before ``start``."""
        q = (
            select(CalendarEvent, EventSeries)
            .join(EventSeries, EventSeries.event_id == CalendarEvent.id)
            .where(
                CalendarEvent.community_id == community_id,
                CalendarEvent.status == "scheduled",
                CalendarEvent.starts_at < end,
                or_(EventSeries.last_start.is_(None), EventSeries.last_start >= start),
            )
            .order_by(CalendarEvent.id)
        )
        return [(e, s) for e, s in await self.session.execute(q)]

    async def get(self, event_id: int) -> EventSeries | None:
        return await self.session.get(EventSeries, event_id)

    def add(self, series: EventSeries) -> None:
        self.session.add(series)

    async def exceptions(self, event_ids: Iterable[int]) -> dict[int, dict[str, EventException]]:
        """Per series, its cancelled and moved occurrences by original local date: one query for all."""
        ids = list(event_ids)
        out: dict[int, dict[str, EventException]] = defaultdict(dict)
        if ids:
            for row in await self.session.scalars(select(EventException).where(EventException.event_id.in_(ids))):
                out[row.event_id][row.occurrence] = row
        return out

    async def exception(self, event_id: int, occurrence: str) -> EventException | None:
        q = select(EventException).where(EventException.event_id == event_id, EventException.occurrence == occurrence)
        return await self.session.scalar(q)

    async def hand_over(self, from_id: int, to_id: int, before: str) -> None:
        """Move the exceptions and occurrence RSVPs of dates before ``before`` to another series (its past part).
        Later ones stay: a cancelled date stays cancelled if the new schedule still has it."""
        for model in (EventException, OccurrenceRsvp):
            await self.session.execute(update(model).where(model.event_id == from_id, model.occurrence < before).values(event_id=to_id))


class OccurrenceRsvpRepo:
    """Answers for one occurrence: a member's answer to the occurrence overrides their answer to the series."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, event_id: int, occurrence: str, user_id: str) -> OccurrenceRsvp | None:
        q = select(OccurrenceRsvp).where(
            OccurrenceRsvp.event_id == event_id, OccurrenceRsvp.occurrence == occurrence, OccurrenceRsvp.user_id == user_id
        )
        return await self.session.scalar(q)

    async def set(self, event_id: int, occurrence: str, user_id: str, name: str, status: Rsvp, now: datetime) -> None:
        row = await self.get(event_id, occurrence, user_id)
        if row is None:
            self.session.add(
                OccurrenceRsvp(event_id=event_id, occurrence=occurrence, user_id=user_id, display_name=name, status=status, at=now)
            )
        else:
            row.status, row.display_name, row.at = status, name, now
        await self.session.flush()

    async def answers(self, keys: Iterable[tuple[int, str]]) -> dict[tuple[int, str], dict[str, str]]:
        """Per (series, occurrence): user id -> status, the series answers overridden by the occurrence ones.
        Two queries for a whole list."""
        wanted = list(dict.fromkeys(keys))
        out: dict[tuple[int, str], dict[str, str]] = {k: {} for k in wanted}
        ids = sorted({e for e, _ in wanted})
        if not ids:
            return out
        series: dict[int, dict[str, str]] = defaultdict(dict)
        for r in await self.session.scalars(select(EventRsvp).where(EventRsvp.event_id.in_(ids))):
            series[r.event_id][r.user_id] = r.status
        dates = sorted({d for _, d in wanted})
        own = select(OccurrenceRsvp).where(OccurrenceRsvp.event_id.in_(ids), OccurrenceRsvp.occurrence.in_(dates))
        per: dict[tuple[int, str], dict[str, str]] = defaultdict(dict)
        for o in await self.session.scalars(own):
            per[o.event_id, o.occurrence][o.user_id] = o.status
        for key in wanted:
            out[key] = {**series[key[0]], **per[key]}
        return out
