"""Communities: one row per platform chat the bot serves."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Community, Member


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

    async def newer_than(self, community_id: int) -> list[Community]:
        return list(await self.session.scalars(select(Community).where(Community.id > community_id).order_by(Community.id)))

    async def last_activity(self) -> dict[int, datetime]:
        """Each community's latest sign of life: its newest member message, or its creation."""
        q = select(Member.community_id, func.max(Member.last_message_at)).group_by(Member.community_id)
        posted = dict((await self.session.execute(q)).all())
        out = {}
        for cid, created in await self.session.execute(select(Community.id, Community.created_at)):
            last = posted.get(cid)
            out[cid] = max(created, last) if last is not None else created
        return out

    async def set_overrides(self, community_id: int, overrides: dict[str, Any], now: datetime) -> None:
        row = await self.session.get(Community, community_id)
        if row is not None:
            row.settings = overrides
            row.settings_changed_at = now

    async def settings_changed_since(self, since: datetime) -> list[tuple[int, dict[str, Any], datetime]]:
        """(id, overrides, changed at) of the communities whose settings changed at or after ``since``."""
        q = select(Community.id, Community.settings, Community.settings_changed_at).where(Community.settings_changed_at >= since)
        return [(cid, settings or {}, at) for cid, settings, at in await self.session.execute(q)]
