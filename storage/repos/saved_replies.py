"""Moderators' saved replies: one text per name and community."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy import Table, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.admin import SavedReply
from storage.repos.upsert import insert_for

_TABLE = cast(Table, SavedReply.__table__)


class SavedReplyRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def save(self, community_id: int, name: str, text: str, author_id: str, at: datetime) -> None:
        """Save or replace the reply called ``name``."""
        values = {"text": text, "author_id": author_id, "saved_at": at}
        stmt = insert_for(self.session, _TABLE).values(community_id=community_id, name=name, **values)
        await self.session.execute(stmt.on_conflict_do_update(index_elements=["community_id", "name"], set_=values))

    async def get(self, community_id: int, name: str) -> str | None:
        q = select(SavedReply.text).where(SavedReply.community_id == community_id, SavedReply.name == name)
        return await self.session.scalar(q)

    async def names(self, community_id: int) -> list[str]:
        q = select(SavedReply.name).where(SavedReply.community_id == community_id).order_by(SavedReply.name)
        return list(await self.session.scalars(q))

    async def remove(self, community_id: int, name: str) -> bool:
        q = delete(SavedReply).where(SavedReply.community_id == community_id, SavedReply.name == name)
        res = await self.session.execute(q)
        return bool(getattr(res, "rowcount", 0))
