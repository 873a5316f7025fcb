"""The weekly prompt's queries: the managers' list, the rotation, the posts and their responses."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.rituals import PromptPost, PromptRotation, WeeklyPrompt


class PromptRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def rows(self, community_id: int) -> list[WeeklyPrompt]:
        q = select(WeeklyPrompt).where(WeeklyPrompt.community_id == community_id).order_by(WeeklyPrompt.id)
        return list(await self.session.scalars(q))

    def add(self, community_id: int, text: str, source: str, hidden: bool, added_by: str | None, now: datetime) -> None:
        self.session.add(
            WeeklyPrompt(community_id=community_id, text=text, source=source, hidden=hidden, added_by=added_by, created_at=now)
        )

    async def cursor(self, community_id: int) -> int:
        row = await self.session.get(PromptRotation, community_id)
        return row.cursor if row else 0

    async def advance(self, community_id: int, by: int = 1) -> None:
        row = await self.session.get(PromptRotation, community_id)
        if row is None:
            self.session.add(PromptRotation(community_id=community_id, cursor=by))
        else:
            row.cursor += by

    def add_post(self, community_id: int, week: str, text: str, message_id: str, place: str | None, now: datetime) -> None:
        self.session.add(PromptPost(community_id=community_id, week=week, text=text, message_id=message_id, place=place, posted_at=now))

    async def latest_post(self, community_id: int) -> PromptPost | None:
        q = select(PromptPost).where(PromptPost.community_id == community_id).order_by(PromptPost.posted_at.desc()).limit(1)
        return await self.session.scalar(q)

    async def recent_message_ids(self, community_id: int, limit: int = 8) -> list[str]:
        q = select(PromptPost.message_id).where(PromptPost.community_id == community_id).order_by(PromptPost.posted_at.desc()).limit(limit)
        return list(await self.session.scalars(q))

    async def count_response(self, community_id: int, message_id: str) -> None:
        await self.session.execute(
            update(PromptPost)
            .where(PromptPost.community_id == community_id, PromptPost.message_id == message_id)
            .values(responses=PromptPost.responses + 1)
        )

    async def responses(self, community_id: int, start: datetime, end: datetime) -> int:
        """Replies to prompts posted in [start, end): what analytics reports as responses."""
        q = select(func.coalesce(func.sum(PromptPost.responses), 0)).where(
            PromptPost.community_id == community_id, PromptPost.posted_at >= start, PromptPost.posted_at < end
        )
        return int(await self.session.scalar(q) or 0)
