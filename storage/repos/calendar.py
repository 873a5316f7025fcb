"""The event calendar's queries: events and their RSVPs."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.recurrence import EventSeries
from storage.models.rituals import CalendarEvent, EventAttendance, EventProposal, EventRsvp
from storage.models.states import ProposalStatus, Rsvp
from storage.repos.upsert import add_unless_taken

# Series are expanded by ``rituals.instances``; these queries see one-off events only.
_ONE_OFF = ~select(EventSeries.event_id).where(EventSeries.event_id == CalendarEvent.id).exists()


class CalendarRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def between(self, community_id: int, start: datetime, end: datetime) -> list[CalendarEvent]:
        """Scheduled (not cancelled) one-off events starting in [start, end), soonest first."""
        q = (
            select(CalendarEvent)
            .where(
                CalendarEvent.community_id == community_id,
                CalendarEvent.status == "scheduled",
                CalendarEvent.starts_at >= start,
                CalendarEvent.starts_at < end,
                _ONE_OFF,
            )
            .order_by(CalendarEvent.starts_at, CalendarEvent.id)
        )
        return list(await self.session.scalars(q))

    async def next_start(self, community_id: int, after: datetime) -> datetime | None:
        """When the first scheduled one-off event starting at or after ``after`` starts."""
        q = select(func.min(CalendarEvent.starts_at)).where(
            CalendarEvent.community_id == community_id, CalendarEvent.status == "scheduled", CalendarEvent.starts_at >= after, _ONE_OFF
        )
        value = await self.session.scalar(q)
        return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value

    async def get(self, event_id: int) -> CalendarEvent | None:
        return await self.session.get(CalendarEvent, event_id)

    async def of_community(self, community_id: int, event_id: int) -> CalendarEvent | None:
        """The event, only if it belongs to this community (ids are typed by members)."""
        event = await self.session.get(CalendarEvent, event_id)
        return event if event is not None and event.community_id == community_id else None

    def add(self, event: CalendarEvent) -> None:
        self.session.add(event)

    async def flush(self) -> None:
        await self.session.flush()


class RsvpRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, event_id: int, user_id: str) -> EventRsvp | None:
        return await self.session.scalar(select(EventRsvp).where(EventRsvp.event_id == event_id, EventRsvp.user_id == user_id))

    async def set(self, event_id: int, user_id: str, name: str, status: Rsvp, now: datetime) -> EventRsvp:
        row = await self.get(event_id, user_id)
        if row is None:
            row = EventRsvp(event_id=event_id, user_id=user_id, display_name=name, status=status, at=now)
            self.session.add(row)
        else:
            row.status, row.display_name, row.at = status, name, now
        await self.session.flush()
        return row

    async def count(self, event_id: int, status: str) -> int:
        q = select(func.count()).select_from(EventRsvp).where(EventRsvp.event_id == event_id, EventRsvp.status == status)
        return int(await self.session.scalar(q) or 0)

    async def counts(self, event_ids: list[int]) -> dict[int, Counter[str]]:
        """Per event, how many said going / maybe / no / are waitlisted: one query for a whole list."""
        out: dict[int, Counter[str]] = {i: Counter() for i in event_ids}
        if not event_ids:
            return out
        q = (
            select(EventRsvp.event_id, EventRsvp.status, func.count())
            .where(EventRsvp.event_id.in_(event_ids))
            .group_by(EventRsvp.event_id, EventRsvp.status)
        )
        for event_id, status, n in await self.session.execute(q):
            out[event_id][status] = int(n)
        return out

    async def with_status(self, event_id: int, status: str) -> list[EventRsvp]:
        """In the order they answered (the waitlist's order)."""
        q = select(EventRsvp).where(EventRsvp.event_id == event_id, EventRsvp.status == status).order_by(EventRsvp.at, EventRsvp.id)
        return list(await self.session.scalars(q))


class ProposalRepo:
    """Events members proposed (``/event propose``)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, proposal: EventProposal) -> EventProposal:
        self.session.add(proposal)
        await self.session.flush()
        return proposal

    async def get(self, proposal_id: int) -> EventProposal | None:
        return await self.session.get(EventProposal, proposal_id)

    async def open_count(self, community_id: int, proposer_id: str) -> int:
        """How many of this member's proposals still wait for a manager."""
        q = select(func.count()).where(
            EventProposal.community_id == community_id,
            EventProposal.proposer_id == proposer_id,
            EventProposal.status == ProposalStatus.PROPOSED,
        )
        return int(await self.session.scalar(q) or 0)


class AttendanceRepo:
    """The question after an event: one row per member asked, their answer when it comes."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def ask(self, event_id: int, occurrence: str, user_id: str, now: datetime) -> EventAttendance | None:
        """The row of one question (its id goes into the buttons); None when this member was asked already."""
        row = EventAttendance(event_id=event_id, occurrence=occurrence, user_id=user_id, asked_at=now)
        return row if await add_unless_taken(self.session, row) else None

    async def get(self, row_id: int) -> EventAttendance | None:
        return await self.session.get(EventAttendance, row_id)

    async def counts(self, community_id: int, start: datetime, end: datetime) -> tuple[int, int]:
        """(were there, could not come) among the answers given in the window."""
        a = EventAttendance
        q = (
            select(func.sum(case((a.attended.is_(True), 1), else_=0)), func.sum(case((a.attended.is_(False), 1), else_=0)))
            .join(CalendarEvent, CalendarEvent.id == a.event_id)
            .where(CalendarEvent.community_id == community_id, a.answered_at >= start, a.answered_at < end)
        )
        there, missed = (await self.session.execute(q)).one()
        return int(there or 0), int(missed or 0)
