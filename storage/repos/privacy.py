"""What the core stores about one person (``/mydata``); forgetting is ``storage/forget.py``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ActivityDay, Community, Member, Person


@dataclass(frozen=True, slots=True)
class MemberRecord:
    community_id: int
    community: str
    display_name: str
    joined_at: datetime | None
    left_at: datetime | None
    first_message_at: datetime | None
    last_message_at: datetime | None
    message_count: int
    active_days: int
    replies: int
    first_day: date | None
    last_day: date | None


class PrivacyRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def person(self, platform: str, user_id: str) -> Person | None:
        return await self.session.scalar(select(Person).where(Person.platform == platform, Person.user_id == user_id))

    async def records(self, platform: str, user_id: str) -> list[MemberRecord]:
        """The person's member rows in every community on the platform, with their activity summed up (counts only)."""
        a = ActivityDay
        act = (
            select(
                a.community_id,
                func.count().label("days"),
                func.coalesce(func.sum(a.replies), 0).label("replies"),
                func.min(a.day).label("first"),
                func.max(a.day).label("last"),
            )
            .where(a.user_id == user_id)
            .group_by(a.community_id)
            .subquery()
        )
        q = (
            select(Member, Community.title, act.c.days, act.c.replies, act.c.first, act.c.last)
            .join(Community, Community.id == Member.community_id)
            .outerjoin(act, act.c.community_id == Member.community_id)
            .where(Community.platform == platform, Member.user_id == user_id)
            .order_by(Community.id)
        )
        out = []
        for m, title, days, replies, first, last in await self.session.execute(q):
            out.append(
                MemberRecord(
                    m.community_id, title, m.display_name, m.joined_at, m.left_at, m.first_message_at, m.last_message_at,
                    m.message_count, days or 0, replies or 0, first, last,
                )
            )  # fmt: skip
        return out
