"""Communities: one row per platform chat the bot serves."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Community


class CommunityRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get_or_create(self, platform: str, chat_id: str, title: str, now: datetime) -> Community:
        row = await self.session.scalar(select(Community).where(Community.platform == platform, Community.chat_id == chat_id))
        if row is None:
            row = Community(platform=platform, chat_id=chat_id, title=title, settings={}, created_at=now)
            self.session.add(row)
            await self.session.flush()
        return row

    async def get(self, community_id: int) -> Community | None:
        return await self.session.get(Community, community_id)

    async def all(self) -> list[Community]:
        return list(await self.session.scalars(select(Community).order_by(Community.id)))

    async def set_overrides(self, community_id: int, overrides: dict[str, Any]) -> None:
        row = await self.session.get(Community, community_id)
        if row is not None:
            row.settings = overrides
