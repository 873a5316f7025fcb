"""Members' interests: chosen with buttons, and who shares one with the week's newcomers."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Member
from storage.models.interests import MemberInterest
from storage.models.recognition import SpotlightOptOut
from storage.repos.upsert import insert_for


class InterestRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def of(self, community_id: int, user_id: str) -> set[str]:
        q = select(MemberInterest.interest).where(MemberInterest.community_id == community_id, MemberInterest.user_id == user_id)
        return set(await self.session.scalars(q))

    async def toggle(self, community_id: int, user_id: str, interest: str, now: datetime) -> bool:
        """Add the interest, or take it away if it was there; whether the member has it now."""
        m = MemberInterest
        gone = await self.session.execute(
            delete(m).where(m.community_id == community_id, m.user_id == user_id, m.interest == interest)
        )
        if getattr(gone, "rowcount", 0):
            return False
        row = {"community_id": community_id, "user_id": user_id, "interest": interest, "at": now}
        await self.session.execute(insert_for(self.session, MemberInterest.__table__).values(**row).on_conflict_do_nothing())
        return True

    async def sharing(self, community_id: int, interests: set[str], others_than: set[str], limit: int) -> dict[str, list[str]]:
        """Per interest, up to ``limit`` members present who share it (not ``others_than``, not those who asked
        not to be named in public), longest-standing first."""
        if not interests:
            return {}
        i, mem = MemberInterest, Member
        hidden = select(SpotlightOptOut.user_id).where(SpotlightOptOut.community_id == community_id)
        q = (
            select(i.interest, i.user_id)
            .join(mem, (mem.community_id == i.community_id) & (mem.user_id == i.user_id))
            .where(
                i.community_id == community_id, i.interest.in_(interests), mem.left_at.is_(None), mem.is_bot.is_(False),
                i.user_id.not_in(others_than), i.user_id.not_in(hidden),
            )
            .order_by(mem.joined_at, mem.id)
        )  # fmt: skip
        out: dict[str, list[str]] = defaultdict(list)
        for interest, user in await self.session.execute(q):
            if len(out[interest]) < limit:
                out[interest].append(user)
        return dict(out)

    async def of_many(self, community_id: int, user_ids: list[str]) -> dict[str, set[str]]:
        if not user_ids:
            return {}
        q = select(MemberInterest.user_id, MemberInterest.interest).where(
            MemberInterest.community_id == community_id, MemberInterest.user_id.in_(user_ids)
        )
        out: dict[str, set[str]] = defaultdict(set)
        for user, interest in await self.session.execute(q):
            out[user].add(interest)
        return dict(out)
