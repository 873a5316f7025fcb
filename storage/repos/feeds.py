"""Calendar feed tokens: one per community and one per member, made on first use, replaced on reset."""

from __future__ import annotations

import re
import secrets
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.feeds import CalendarFeed
from storage.repos.upsert import insert_for

TOKEN_BYTES = 24  # 192 bits: 32 URL-safe characters
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


class FeedRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    @staticmethod
    def looks_like(token: str) -> bool:
        """A token's shape, checked before the database is asked."""
        return _TOKEN.fullmatch(token) is not None

    async def find(self, token: str) -> CalendarFeed | None:
        return await self.session.scalar(select(CalendarFeed).where(CalendarFeed.token == token))

    async def token(self, community_id: int, user_id: str, now: datetime) -> str:
        """The feed's token, made now if it has none (two processes at once agree on one)."""
        row = {"community_id": community_id, "user_id": user_id, "token": new_token(), "created_at": now}
        await self.session.execute(insert_for(self.session, CalendarFeed.__table__).values(**row).on_conflict_do_nothing())
        q = select(CalendarFeed.token).where(CalendarFeed.community_id == community_id, CalendarFeed.user_id == user_id)
        return str(await self.session.scalar(q))

    async def reset(self, community_id: int, user_id: str, now: datetime) -> str:
        """A new token: the old link stops working."""
        await self.token(community_id, user_id, now)
        token = new_token()
        q = update(CalendarFeed).where(CalendarFeed.community_id == community_id, CalendarFeed.user_id == user_id)
        await self.session.execute(q.values(token=token, created_at=now))
        return token
