"""Members' reports of messages: who reported what, with what weight, and what came of it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.spam import SpamRecord, SpamReport


class ReportRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def for_message(self, community_id: int, message_id: str) -> list[SpamReport]:
        q = select(SpamReport).where(SpamReport.community_id == community_id, SpamReport.message_id == message_id)
        return list(await self.session.scalars(q.order_by(SpamReport.id)))

    async def made_since(self, community_id: int, reporter_id: str, since: datetime) -> int:
        q = select(func.count()).where(
            SpamReport.community_id == community_id, SpamReport.reporter_id == reporter_id, SpamReport.created_at >= since
        )
        return int(await self.session.scalar(q) or 0)

    async def false_reports(self, community_id: int, reporter_id: str) -> int:
        """Reports whose case the moderators closed by keeping the message."""
        q = (
            select(func.count())
            .select_from(SpamReport)
            .join(SpamRecord, SpamRecord.id == SpamReport.record_id)
            .where(SpamReport.community_id == community_id, SpamReport.reporter_id == reporter_id, SpamRecord.status == "restored")
        )
        return int(await self.session.scalar(q) or 0)

    def add(self, report: SpamReport) -> None:
        self.session.add(report)
