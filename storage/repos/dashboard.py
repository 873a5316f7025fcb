"""Sign-in links and sessions of the managers' dashboard. Secrets are stored as their sha256 only."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.core import ActivityDay, Member
from storage.models.dashboard import DashboardLink, DashboardSession
from storage.models.onboarding import Newcomer
from storage.models.spam import SpamRecord
from storage.models.states import SpamStatus


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class SignedIn:
    """Who a session is: what the pages need, read once per request."""

    id: int
    platform: str
    user_id: str
    display_name: str
    communities: frozenset[int]
    csrf: str
    language: str | None


class DashboardRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def links_since(self, platform: str, user_id: str, since: datetime) -> int:
        q = select(func.count()).where(
            DashboardLink.platform == platform, DashboardLink.user_id == user_id, DashboardLink.created_at >= since
        )
        return int(await self.session.scalar(q) or 0)

    def add_link(
        self, token: str, platform: str, user_id: str, name: str, communities: list[int], now: datetime, lasts: timedelta
    ) -> None:
        self.session.add(
            DashboardLink(
                token_hash=digest(token), platform=platform, user_id=user_id, display_name=name, communities=communities,
                created_at=now, expires_at=now + lasts,
            )
        )  # fmt: skip

    async def link(self, token: str, now: datetime) -> DashboardLink | None:
        """The link if it is still good (not used, not expired)."""
        row = await self.session.scalar(select(DashboardLink).where(DashboardLink.token_hash == digest(token)))
        if row is None or row.used_at is not None or row.expires_at <= now:
            return None
        return row

    async def redeem(self, token: str, now: datetime) -> DashboardLink | None:
        """Use the link up: only one of two browsers racing with the same link wins (the UPDATE's condition)."""
        row = await self.link(token, now)
        if row is None:
            return None
        done = await self.session.execute(
            update(DashboardLink).where(DashboardLink.id == row.id, DashboardLink.used_at.is_(None)).values(used_at=now)
        )
        return row if done.rowcount == 1 else None  # type: ignore[attr-defined]

    def open(self, token: str, csrf: str, link: DashboardLink, language: str | None, now: datetime, lasts: timedelta) -> None:
        self.session.add(
            DashboardSession(
                token_hash=digest(token), csrf=csrf, platform=link.platform, user_id=link.user_id, display_name=link.display_name,
                communities=list(link.communities), language=language, created_at=now, expires_at=now + lasts,
            )
        )  # fmt: skip

    async def signed_in(self, token: str, now: datetime) -> SignedIn | None:
        row = await self.session.scalar(select(DashboardSession).where(DashboardSession.token_hash == digest(token)))
        if row is None or row.ended_at is not None or row.expires_at <= now:
            return None
        return SignedIn(row.id, row.platform, row.user_id, row.display_name, frozenset(row.communities), row.csrf, row.language)

    async def end(self, session_id: int, now: datetime) -> None:
        await self.session.execute(update(DashboardSession).where(DashboardSession.id == session_id).values(ended_at=now))

    async def prune(self, before: datetime) -> None:
        """Links and sessions long expired go (kept a while so a late click is told the link expired)."""
        await self.session.execute(delete(DashboardLink).where(DashboardLink.expires_at < before))
        await self.session.execute(delete(DashboardSession).where(DashboardSession.expires_at < before))


@dataclass(frozen=True, slots=True)
class Funnel:
    """Newcomers who joined in a window, and how many reached each step of the first days."""

    joined: int
    welcomed: int
    dm: int
    first_message: int
    intro: int
    first_reply: int


class DashboardFigures:
    """The reads only the dashboard makes; each is one indexed query, bounded by a limit or a window."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def funnel(self, community_id: int, start: datetime, end: datetime) -> Funnel:
        n = Newcomer
        q = select(
            func.count(),
            func.count().filter(n.welcomed.is_(True)),
            func.count(n.dm_sent_at),
            func.count(n.first_message_at),
            func.count(n.first_intro_at),
            func.count(n.first_reply_at),
        ).where(n.community_id == community_id, n.joined_at >= start, n.joined_at < end)
        row = (await self.session.execute(q)).one()
        return Funnel(*(int(v or 0) for v in row))

    async def joined_ids(self, community_id: int, start: datetime, end: datetime) -> list[tuple[int, datetime]]:
        """Members who joined in [start, end): their row ids (what the daily rollup names) and when."""
        q = select(Member.id, Member.joined_at).where(
            Member.community_id == community_id, Member.joined_at >= start, Member.joined_at < end, Member.is_bot.is_(False)
        )
        return [(i, at) for i, at in await self.session.execute(q) if at is not None]

    async def cases(self, community_id: int, statuses: tuple[SpamStatus, ...] | None, limit: int) -> list[SpamRecord]:
        q = select(SpamRecord).where(SpamRecord.community_id == community_id)
        if statuses:
            q = q.where(SpamRecord.status.in_(statuses))
        return list(await self.session.scalars(q.order_by(SpamRecord.id.desc()).limit(limit)))

    async def case_counts(self, community_id: int, since: datetime) -> dict[str, int]:
        q = (
            select(SpamRecord.status, SpamRecord.shadow, func.count())
            .where(SpamRecord.community_id == community_id, SpamRecord.created_at >= since)
            .group_by(SpamRecord.status, SpamRecord.shadow)
        )
        out: dict[str, int] = {}
        for status, shadow, n in await self.session.execute(q):
            key = f"shadow_{status}" if shadow else str(status)
            out[key] = out.get(key, 0) + int(n)
        return out

    async def members(self, community_id: int, query: str, limit: int) -> list[Member]:
        """Members whose name or id holds ``query`` (all, most recently active first, when it is empty)."""
        m = Member
        q = select(m).where(m.community_id == community_id, m.is_bot.is_(False))
        if query:
            like = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            q = q.where(m.display_name.ilike(like, escape="\\") | (m.user_id == query))
        q = q.order_by(m.last_message_at.desc().nulls_last(), m.id.desc()).limit(limit)
        return list(await self.session.scalars(q))

    async def member(self, community_id: int, user_id: str) -> Member | None:
        return await self.session.scalar(select(Member).where(Member.community_id == community_id, Member.user_id == user_id))

    async def activity(self, community_id: int, user_id: str) -> tuple[int, int]:
        """Days the member posted on and their replies to others (counts only: no text is kept)."""
        a = ActivityDay
        q = select(func.count(), func.coalesce(func.sum(a.replies), 0)).where(a.user_id == user_id, a.community_id == community_id)
        days, replies = (await self.session.execute(q)).one()
        return int(days or 0), int(replies or 0)

    async def member_count(self, community_id: int) -> int:
        q = select(func.count()).where(Member.community_id == community_id, Member.left_at.is_(None), Member.is_bot.is_(False))
        return int(await self.session.scalar(q) or 0)
