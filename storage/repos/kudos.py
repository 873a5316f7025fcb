"""Queries of recognition: kudos, the spotlight opt-outs, and who helped most in a period."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from typing import cast

from sqlalchemy import Table, delete, distinct, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.forget import FORGOTTEN
from storage.models.core import Member
from storage.models.recognition import Kudos, Question, QuestionAnswer, SpotlightOptOut
from storage.repos.upsert import insert_for

_KUDOS, _OPT_OUTS = (cast(Table, m.__table__) for m in (Kudos, SpotlightOptOut))


@dataclass(frozen=True, slots=True)
class Contribution:
    """What one member did for others in a period: questions answered, answers that solved one, thanks received."""

    user_id: str
    answers: int
    solved: int
    kudos: int

    @property
    def score(self) -> int:
        return self.answers + 2 * self.solved + self.kudos


class KudosRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def give(self, community_id: int, giver: str, receiver: str, message_id: str, day: date, at: datetime) -> bool:
        """Record a thank-you; False when this pair already had one today."""
        stmt = insert_for(self.session, _KUDOS).values(
            community_id=community_id, giver_id=giver, receiver_id=receiver, message_id=message_id, day=day, given_at=at
        )
        res = await self.session.execute(stmt.on_conflict_do_nothing())
        return bool(getattr(res, "rowcount", 0))

    async def is_person(self, community_id: int, user_id: str) -> bool:
        """A member the bot has met who is not a bot: only people are thanked."""
        q = select(Member.is_bot).where(Member.community_id == community_id, Member.user_id == user_id)
        return (await self.session.scalar(q)) is False

    async def still_here(self, community_id: int, user_ids: list[str]) -> set[str]:
        """Those of ``user_ids`` who are people still in the community (never a bot, never one who left)."""
        if not user_ids:
            return set()
        q = select(Member.user_id).where(
            Member.community_id == community_id, Member.user_id.in_(user_ids), Member.left_at.is_(None), Member.is_bot.is_(False)
        )
        return set(await self.session.scalars(q))

    async def received(self, community_id: int, user_id: str, start: datetime) -> int:
        """Thanks this member received since ``start``."""
        q = select(func.count()).where(Kudos.community_id == community_id, Kudos.receiver_id == user_id, Kudos.given_at >= start)
        return int(await self.session.scalar(q) or 0)

    # ---- being named ----
    async def set_named(self, community_id: int, user_id: str, named: bool, at: datetime) -> None:
        if named:
            await self.session.execute(
                delete(SpotlightOptOut).where(SpotlightOptOut.community_id == community_id, SpotlightOptOut.user_id == user_id)
            )
            return
        stmt = insert_for(self.session, _OPT_OUTS).values(community_id=community_id, user_id=user_id, since=at)
        await self.session.execute(stmt.on_conflict_do_nothing())

    async def is_named(self, community_id: int, user_id: str) -> bool:
        q = select(SpotlightOptOut.user_id).where(SpotlightOptOut.community_id == community_id, SpotlightOptOut.user_id == user_id)
        return (await self.session.scalar(q)) is None

    async def opted_out(self, community_id: int) -> set[str]:
        q = select(SpotlightOptOut.user_id).where(SpotlightOptOut.community_id == community_id)
        return set(await self.session.scalars(q))

    # ---- who helped ----
    async def contributions(self, community_id: int, start: datetime, end: datetime) -> list[Contribution]:
        """Everyone who answered, solved or was thanked in [start, end), most helpful first (three grouped reads)."""
        a, q, k = QuestionAnswer, Question, Kudos
        answers = Counter(
            dict(
                (await self.session.execute(
                    select(a.author_id, func.count(distinct(a.question_id)))
                    .where(a.community_id == community_id, a.answered_at >= start, a.answered_at < end)
                    .group_by(a.author_id)
                )).all()
            )
        )  # fmt: skip
        solved = Counter(
            dict(
                (await self.session.execute(
                    select(q.answer_by, func.count())
                    .where(q.community_id == community_id, q.solved_at >= start, q.solved_at < end, q.answer_by.is_not(None))
                    .group_by(q.answer_by)
                )).all()
            )
        )  # fmt: skip
        kudos = Counter(
            dict(
                (await self.session.execute(
                    select(k.receiver_id, func.count())
                    .where(k.community_id == community_id, k.given_at >= start, k.given_at < end)
                    .group_by(k.receiver_id)
                )).all()
            )
        )  # fmt: skip
        people = {str(u) for u in (*answers, *solved, *kudos) if u and u != FORGOTTEN}
        out = [Contribution(u, answers[u], solved[u], kudos[u]) for u in people]
        return sorted(out, key=lambda c: (-c.score, -c.kudos, c.user_id))
