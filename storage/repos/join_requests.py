"""Join requests the bot answers: who asked, how it is being decided, and the outcome."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.onboarding import JoinRequest
from storage.models.states import JoinRequestState


class JoinRequestRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, community_id: int, user_id: str) -> JoinRequest | None:
        q = select(JoinRequest).where(JoinRequest.community_id == community_id, JoinRequest.user_id == user_id)
        return (await self.session.scalars(q)).first()

    async def by_id(self, request_id: int) -> JoinRequest | None:
        return await self.session.get(JoinRequest, request_id)

    async def open(self, community_id: int, user_id: str, name: str, state: JoinRequestState, now: datetime) -> JoinRequest:
        """The person's request, new or asked again (a declined person may ask again): its round starts over."""
        row = await self.get(community_id, user_id)
        if row is None:
            row = JoinRequest(community_id=community_id, user_id=user_id, display_name=name, state=state, asked_at=now)
            self.session.add(row)
        else:
            row.display_name, row.state, row.asked_at = name, state, now
            row.deadline = row.decided_at = row.decided_by = None
            row.card_chat = row.card_message = row.card_place = None
        await self.session.flush()
        return row

    async def waiting_by_dm(self, community_id: int) -> list[JoinRequest]:
        """Requests whose DM gate has a deadline, the earliest first."""
        q = select(JoinRequest).where(
            JoinRequest.community_id == community_id, JoinRequest.state == JoinRequestState.DM, JoinRequest.deadline.is_not(None)
        )
        return list(await self.session.scalars(q.order_by(JoinRequest.deadline, JoinRequest.id)))

    async def waiting_for(self, user_id: str) -> list[JoinRequest]:
        """The person's requests still waiting on their answer by DM (any community)."""
        q = select(JoinRequest).where(JoinRequest.user_id == user_id, JoinRequest.state == JoinRequestState.DM)
        return list(await self.session.scalars(q))

    async def passed_since(self, community_id: int, user_id: str, since: datetime) -> bool:
        """Let in lately by passing the gate in the request's DM (not by a moderator): the rules were accepted before entry."""
        row = await self.get(community_id, user_id)
        return row is not None and row.state == JoinRequestState.PASSED and row.decided_at is not None and row.decided_at >= since
