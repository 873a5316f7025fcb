"""Queries of the pinned feature."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.pinned import PinnedDoc, PinnedVersion


class PinnedRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def docs(self, community_id: int) -> dict[int, PinnedDoc]:
        q = select(PinnedDoc).where(PinnedDoc.community_id == community_id)
        return {d.slot: d for d in await self.session.scalars(q)}

    async def get(self, community_id: int, slot: int) -> PinnedDoc | None:
        return await self.session.scalar(select(PinnedDoc).where(PinnedDoc.community_id == community_id, PinnedDoc.slot == slot))

    async def get_or_create(self, community_id: int, slot: int, now: datetime) -> PinnedDoc:
        doc = await self.get(community_id, slot)
        if doc is None:
            doc = PinnedDoc(
                community_id=community_id, slot=slot, message_ids=[], content_hash="", version=0, revision=0, failures=0, updated_at=now
            )
            self.session.add(doc)
            await self.session.flush()
        return doc

    def add_version(self, doc: PinnedDoc, actor_id: str, what: str, body: str, now: datetime) -> None:
        self.session.add(
            PinnedVersion(
                community_id=doc.community_id, slot=doc.slot, version=doc.version, actor_id=actor_id, what=what, body=body, at=now
            )
        )

    async def history(self, community_id: int, slot: int, limit: int = 5) -> list[PinnedVersion]:
        q = (
            select(PinnedVersion)
            .where(PinnedVersion.community_id == community_id, PinnedVersion.slot == slot)
            .order_by(PinnedVersion.id.desc())
            .limit(limit)
        )
        return list(await self.session.scalars(q))
