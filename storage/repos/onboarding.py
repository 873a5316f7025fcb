"""Newcomers: welcome state, DM reachability per community, the rules gate, campaign progress and activation."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.onboarding import CampaignStepRun, Newcomer
from storage.models.states import CampaignState, GateState

MILESTONES = ("first_message_at", "first_rubric_at", "first_intro_at", "first_reply_at")


@dataclass(frozen=True, slots=True)
class Wave:
    """The newcomers a combined welcome greets: a few names and how many in all."""

    first: list[Newcomer]
    total: int
    dm_pending: bool


@dataclass(frozen=True, slots=True)
class Activation:
    """Time from joining to each milestone (None: not reached yet). The analytics issue reads these."""

    user_id: str
    joined_at: datetime
    first_message: timedelta | None
    first_rubric: timedelta | None
    first_intro: timedelta | None
    first_reply: timedelta | None


class NewcomerRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, community_id: int, user_id: str) -> Newcomer | None:
        return await self.session.scalar(select(Newcomer).where(Newcomer.community_id == community_id, Newcomer.user_id == user_id))

    async def others_joined_since(self, community_id: int, since: datetime, user_id: str) -> int:
        """Newcomers other than ``user_id`` who joined at or after ``since`` (a later welcome may name them)."""
        n = Newcomer
        q = select(func.count()).where(n.community_id == community_id, n.joined_at >= since, n.user_id != user_id)
        return int(await self.session.scalar(q) or 0)

    async def introduced(self, community_id: int, user_ids: list[str]) -> set[str]:
        """Those of ``user_ids`` who have posted their introduction, in one query."""
        if not user_ids:
            return set()
        n = Newcomer
        q = select(n.user_id).where(n.community_id == community_id, n.user_id.in_(user_ids), n.first_intro_at.is_not(None))
        return set(await self.session.scalars(q))

    async def by_id(self, newcomer_id: int) -> Newcomer | None:
        return await self.session.get(Newcomer, newcomer_id)

    def add(self, community_id: int, user_id: str, display_name: str, now: datetime) -> Newcomer:
        row = Newcomer(
            community_id=community_id,
            user_id=user_id,
            display_name=display_name,
            joined_at=now,
            round=1,
            welcomed=True,
            dm_pending=False,
            campaign_state=CampaignState.ACTIVE,
            gate_state=GateState.NONE,
        )
        self.session.add(row)
        return row

    # ---- join waves ----
    async def wave_pending(self, community_id: int) -> tuple[datetime | None, int]:
        """The earliest join still waiting for a combined welcome, and how many wait."""
        q = select(func.min(Newcomer.joined_at), func.count()).where(Newcomer.community_id == community_id, Newcomer.welcomed.is_(False))
        row = (await self.session.execute(q)).one()
        return row[0], int(row[1])

    async def take_wave(self, community_id: int, names: int = 3) -> Wave:
        """Everyone waiting for a combined welcome, marked welcomed; returns the first few and the total."""
        waiting = (Newcomer.community_id == community_id, Newcomer.welcomed.is_(False))
        first = list(await self.session.scalars(select(Newcomer).where(*waiting).order_by(Newcomer.joined_at, Newcomer.id).limit(names)))
        total = int(await self.session.scalar(select(func.count()).select_from(Newcomer).where(*waiting)) or 0)
        dm = (await self.session.scalar(select(Newcomer.id).where(*waiting, Newcomer.dm_pending.is_(True)).limit(1))) is not None
        await self.session.execute(update(Newcomer).where(*waiting).values(welcomed=True))
        return Wave(first, total, dm)

    # ---- welcome DMs ----
    async def pending_dms(self, user_id: str, community_ids: Iterable[int] | None = None) -> list[Newcomer]:
        q = select(Newcomer).where(Newcomer.user_id == user_id, Newcomer.dm_pending.is_(True), Newcomer.left_at.is_(None))
        if community_ids is not None:
            q = q.where(Newcomer.community_id.in_(list(community_ids)))
        return list(await self.session.scalars(q.order_by(Newcomer.id)))

    # ---- campaign ----
    async def campaign_candidates(self, community_id: int, joined_before: datetime, limit: int = 2000) -> list[Newcomer]:
        q = (
            select(Newcomer)
            .where(
                Newcomer.community_id == community_id,
                Newcomer.campaign_state == CampaignState.ACTIVE,
                Newcomer.joined_at <= joined_before,
            )
            .order_by(Newcomer.joined_at, Newcomer.id)
            .limit(limit)
        )
        return list(await self.session.scalars(q))

    async def finish_campaigns(self, ids: list[int]) -> None:
        if ids:
            await self.session.execute(
                update(Newcomer)
                .where(Newcomer.id.in_(ids), Newcomer.campaign_state == CampaignState.ACTIVE)
                .values(campaign_state=CampaignState.DONE)
            )

    def record_step(self, newcomer_id: int, round_: int, step: str, outcome: str, at: datetime) -> None:
        self.session.add(CampaignStepRun(newcomer_id=newcomer_id, round=round_, step=step, outcome=outcome, at=at))

    async def step_outcomes(self, newcomer_id: int) -> dict[str, str]:
        q = select(CampaignStepRun.step, CampaignStepRun.outcome).where(CampaignStepRun.newcomer_id == newcomer_id)
        return {s: o for s, o in (await self.session.execute(q)).all()}

    # ---- rules gate ----
    async def gate_deadlines(self, community_id: int) -> list[Newcomer]:
        """Newcomers the rules gate waits for, the earliest deadline first."""
        q = select(Newcomer).where(
            Newcomer.community_id == community_id, Newcomer.gate_state == GateState.PENDING, Newcomer.gate_deadline.is_not(None)
        )
        return list(await self.session.scalars(q.order_by(Newcomer.gate_deadline, Newcomer.id)))

    async def gate_pending_for(self, user_id: str) -> list[Newcomer]:
        q = select(Newcomer).where(Newcomer.user_id == user_id, Newcomer.gate_state == GateState.PENDING)
        return list(await self.session.scalars(q))

    # ---- activation ----
    async def set_milestones(self, community_id: int, user_id: str, at: datetime, names: Iterable[str]) -> None:
        """Set milestones that are not set yet (never moves one that is)."""
        for name in names:
            if name not in MILESTONES:
                raise ValueError(name)
            col = getattr(Newcomer, name)
            mine = (Newcomer.community_id == community_id, Newcomer.user_id == user_id, col.is_(None))
            await self.session.execute(update(Newcomer).where(*mine).values({name: at}))

    async def activation(self, community_id: int) -> list[Activation]:
        rows = await self.session.scalars(select(Newcomer).where(Newcomer.community_id == community_id).order_by(Newcomer.joined_at))

        def since(r: Newcomer, at: datetime | None) -> timedelta | None:
            return at - r.joined_at if at is not None else None

        return [
            Activation(
                r.user_id,
                r.joined_at,
                since(r, r.first_message_at),
                since(r, r.first_rubric_at),
                since(r, r.first_intro_at),
                since(r, r.first_reply_at),
            )
            for r in rows
        ]

    # ---- farewell ----
    async def farewell_waiting(self, user_id: str, community_ids: Iterable[int]) -> Newcomer | None:
        q = (
            select(Newcomer)
            .where(
                Newcomer.user_id == user_id,
                Newcomer.community_id.in_(list(community_ids)),
                Newcomer.farewell_asked_at.is_not(None),
                Newcomer.farewell_answer.is_(None),
            )
            .order_by(Newcomer.farewell_asked_at.desc())
            .limit(1)
        )
        return await self.session.scalar(q)
