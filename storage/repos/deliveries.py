"""Deliveries: each recipient's message of a ritual occurrence, claimed before it is sent (``models.core.Delivery``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ColumnElement, Integer, String, and_, delete, exists, literal, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Delivery, RitualRun
from storage.models.states import DeliveryStatus, RunStatus
from storage.repos.upsert import insert_for

COMMUNITY_CHAT = ""  # the recipient of a post into the community's own chat
MAX_TRIES = 2  # the message in flight at a crash goes once more; after a second crash there, not a third time


class LostClaim(RuntimeError):
    """The occurrence was taken over by another run (this one stalled past the lease): stop sending."""


class DeliveryRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    @staticmethod
    def _held(community_id: int, unit: str, token: str) -> ColumnElement[bool]:
        """The run holding ``token`` still holds the occurrence (the fence every claim names)."""
        return exists().where(
            RitualRun.community_id == community_id,
            RitualRun.key == unit,
            RitualRun.claim_token == token,
            RitualRun.status == RunStatus.CLAIMED,
        )

    def _row(self, community_id: int, unit: str, user_id: str) -> ColumnElement[bool]:
        return and_(Delivery.community_id == community_id, Delivery.unit == unit, Delivery.user_id == user_id)

    async def claim(self, community_id: int, unit: str, user_id: str, token: str, now: datetime) -> bool:
        """Claim the recipient's message for the run holding ``token``: True when it is to be sent now.

        False when a run before sent it (or it was refused, or given up). An earlier run's claim (that run
        died before it heard back, so the platform may have it) is taken over ``MAX_TRIES - 1`` times.
        Raises ``LostClaim`` when this run no longer holds the occurrence. One statement when all is well.
        """
        held = self._held(community_id, unit, token)
        row = select(
            literal(community_id, BigInteger()),
            literal(unit, String()),
            literal(user_id, String()),
            literal(DeliveryStatus.CLAIMED.value, String()),
            literal(1, Integer()),
            literal(token, String()),
            literal(now, Delivery.__table__.c.at.type),
        ).where(held)
        ins = (
            insert_for(self.session, Delivery.__table__)
            .from_select(["community_id", "unit", "user_id", "status", "tries", "token", "at"], row)
            .on_conflict_do_nothing()
        )
        if getattr(await self.session.execute(ins), "rowcount", 0):
            return True
        q = select(Delivery.status, Delivery.tries, Delivery.token).where(self._row(community_id, unit, user_id))
        found = (await self.session.execute(q)).one_or_none()
        if found is None:
            raise LostClaim(unit)
        status, tries, holder = found
        if status != DeliveryStatus.CLAIMED or holder == token:
            return False
        mine = and_(self._row(community_id, unit, user_id), Delivery.token == holder, Delivery.status == DeliveryStatus.CLAIMED, held)
        if tries >= MAX_TRIES:
            await self.session.execute(update(Delivery).where(mine).values(status=DeliveryStatus.UNCONFIRMED))
            return False
        res = await self.session.execute(update(Delivery).where(mine).values(token=token, tries=Delivery.tries + 1, at=now))
        if not getattr(res, "rowcount", 0):
            raise LostClaim(unit)
        return True

    async def mark(self, community_id: int, unit: str, user_id: str, token: str, status: DeliveryStatus) -> None:
        """The platform answered: sent, or refused for good."""
        await self.session.execute(
            update(Delivery).where(self._row(community_id, unit, user_id), Delivery.token == token).values(status=status)
        )

    async def release(self, community_id: int, unit: str, user_id: str, token: str) -> None:
        """The platform was busy and sent nothing: the claim goes, the next run sends it as new."""
        await self.session.execute(delete(Delivery).where(self._row(community_id, unit, user_id), Delivery.token == token))

    async def forget_unit(self, community_id: int, unit: str, moot_before: datetime) -> None:
        """The occurrence is settled (sent or skipped): its deliveries are never asked about again; nor are the
        community's claimed before ``moot_before`` (their occurrence is past its grace). One statement."""
        await self.session.execute(
            delete(Delivery).where(Delivery.community_id == community_id, or_(Delivery.unit == unit, Delivery.at < moot_before))
        )
