"""The inbox's SQL: take new updates (once across processes), mark them handled, take over orphans, prune."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.inbox import InboxUpdate
from storage.repos.upsert import insert_for


class InboxRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def take_new(self, platform: str, owner: str, rows: Sequence[tuple[int, str]], now: datetime, lease_until: datetime) -> set[int]:
        """Store the updates not stored before; the ids this call stored (the caller handles those, nobody else)."""
        if not rows:
            return set()
        values = [
            {"platform": platform, "update_id": i, "payload": p, "owner": owner, "lease_until": lease_until, "received_at": now}
            for i, p in rows
        ]
        table = InboxUpdate.__table__
        stmt = insert_for(self.session, table).values(values)
        stmt = stmt.on_conflict_do_nothing(index_elements=["platform", "update_id"]).returning(table.c.update_id)
        return set((await self.session.scalars(stmt)).all())

    async def mark_handled(self, platform: str, ids: Sequence[int], now: datetime) -> None:
        q = update(InboxUpdate).where(InboxUpdate.platform == platform, InboxUpdate.update_id.in_(ids))
        await self.session.execute(q.values(handled_at=now, payload=None))

    async def renew(self, platform: str, owner: str, lease_until: datetime) -> None:
        """Keep what this process still holds from being taken over."""
        q = update(InboxUpdate).where(InboxUpdate.platform == platform, InboxUpdate.owner == owner, InboxUpdate.handled_at.is_(None))
        await self.session.execute(q.values(lease_until=lease_until))

    async def take_orphans(
        self, platform: str, owner: str, now: datetime, lease_until: datetime, limit: int
    ) -> list[tuple[int, str | None, int]]:
        """Updates whose owner stopped renewing (it died): now ours. (id, payload, attempts), oldest first."""
        open_ = (InboxUpdate.platform == platform, InboxUpdate.handled_at.is_(None), InboxUpdate.lease_until < now)
        ids = select(InboxUpdate.update_id).where(*open_).order_by(InboxUpdate.update_id).limit(limit)
        q = (
            update(InboxUpdate)
            .where(*open_, InboxUpdate.update_id.in_(ids.scalar_subquery()))
            .values(owner=owner, lease_until=lease_until, attempts=InboxUpdate.attempts + 1)
            .returning(InboxUpdate.update_id, InboxUpdate.payload, InboxUpdate.attempts)
        )
        rows = [(int(i), p, int(a)) for i, p, a in (await self.session.execute(q)).all()]
        return sorted(rows)

    async def prune(self, platform: str, handled_before: datetime) -> int:
        q = delete(InboxUpdate).where(InboxUpdate.platform == platform, InboxUpdate.handled_at < handled_before)
        return int(getattr(await self.session.execute(q), "rowcount", 0) or 0)
