"""Queries of the questions feature: #question posts, their answers, the helpers, and the figures."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy import Table, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.recognition import Helper, Question, QuestionAnswer
from storage.repos.upsert import insert_for

_QUESTIONS, _ANSWERS, _HELPERS = (cast(Table, m.__table__) for m in (Question, QuestionAnswer, Helper))
FOLLOW_UPS = ("offered_at", "logged_at", "nudged_at")


QUESTION, INTRO = "question", "intro"  # what a followed post is

class QuestionRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # ---- questions and answers ----
    async def ask(self, community_id: int, message_id: str, place: str | None, author_id: str, at: datetime, kind: str = QUESTION) -> int:
        """Record a question (or an intro: ``kind``; again: nothing changes); returns its id."""
        stmt = insert_for(self.session, _QUESTIONS).values(
            community_id=community_id, message_id=message_id, place=place, author_id=author_id, asked_at=at, kind=kind
        )
        await self.session.execute(stmt.on_conflict_do_nothing())
        q = select(Question.id).where(Question.community_id == community_id, Question.message_id == message_id)
        return int(await self.session.scalar(q) or 0)

    async def unsolved_since(self, community_id: int, since: datetime) -> list[Question]:
        q = (
            select(Question)
            .where(Question.community_id == community_id, Question.asked_at >= since, Question.solved_at.is_(None))
            .order_by(Question.asked_at)
        )
        return list(await self.session.scalars(q))

    async def answer(
        self, community_id: int, question_id: int, message_id: str, author_id: str, at: datetime, *, counted: bool = True
    ) -> None:
        """A reply by someone other than the asker; the first one is the question's first reply. ``counted``:
        it is an answer (a reply to an intro only says hello: it makes the first reply, no answer)."""
        if counted:
            stmt = insert_for(self.session, _ANSWERS).values(
                community_id=community_id, question_id=question_id, message_id=message_id, author_id=author_id, answered_at=at
            )
            await self.session.execute(stmt.on_conflict_do_nothing())
        await self.session.execute(
            update(Question)
            .where(Question.id == question_id, Question.first_reply_at.is_(None))
            .values(first_reply_at=at, first_replier_id=author_id)
        )

    async def by_message(self, community_id: int, message_id: str) -> Question | None:
        return await self.session.scalar(select(Question).where(Question.community_id == community_id, Question.message_id == message_id))

    async def answer_by_message(self, community_id: int, message_id: str) -> QuestionAnswer | None:
        return await self.session.scalar(
            select(QuestionAnswer).where(QuestionAnswer.community_id == community_id, QuestionAnswer.message_id == message_id)
        )

    async def get(self, community_id: int, question_id: int) -> Question | None:
        return await self.session.scalar(select(Question).where(Question.community_id == community_id, Question.id == question_id))

    async def solve(self, question_id: int, at: datetime, answer_by: str | None) -> bool:
        """Mark solved; False when it already was."""
        res = await self.session.execute(
            update(Question).where(Question.id == question_id, Question.solved_at.is_(None)).values(solved_at=at, answer_by=answer_by)
        )
        return bool(getattr(res, "rowcount", 0))

    async def solved_by_count(self, community_id: int, user_id: str) -> int:
        """How many questions an answer of this member solved."""
        q = select(func.count()).select_from(Question).where(Question.community_id == community_id, Question.answer_by == user_id)
        return int(await self.session.scalar(q) or 0)

    async def followed_up(self, question_id: int, column: str, at: datetime) -> None:
        """One of ``FOLLOW_UPS`` was given."""
        if column not in FOLLOW_UPS:
            raise ValueError(column)
        await self.session.execute(update(Question).where(Question.id == question_id).values({column: at}))

    async def asked_between(self, community_id: int, start: datetime, end: datetime) -> list[tuple[datetime, datetime | None]]:
        """(asked, first reply) of the questions asked in [start, end): what the figures are made of."""
        q = select(Question.asked_at, Question.first_reply_at).where(
            Question.community_id == community_id, Question.asked_at >= start, Question.asked_at < end, Question.kind == QUESTION
        )
        return [(a, f) for a, f in (await self.session.execute(q)).all()]

    # ---- helpers ----
    async def helpers(self, community_id: int) -> dict[str, str]:
        """The helpers (user id -> the name they had when they became one), longest-serving first."""
        q = select(Helper.user_id, Helper.display_name).where(Helper.community_id == community_id).order_by(Helper.added_at, Helper.user_id)
        return {u: n for u, n in (await self.session.execute(q)).all()}

    async def add_helper(self, community_id: int, user_id: str, name: str, by: str, at: datetime) -> bool:
        """False when they already were one."""
        stmt = insert_for(self.session, _HELPERS).values(
            community_id=community_id, user_id=user_id, display_name=name[:256], added_by=by, added_at=at
        )
        res = await self.session.execute(stmt.on_conflict_do_nothing())
        return bool(getattr(res, "rowcount", 0))

    async def remove_helper(self, community_id: int, user_id: str) -> bool:
        res = await self.session.execute(delete(Helper).where(Helper.community_id == community_id, Helper.user_id == user_id))
        return bool(getattr(res, "rowcount", 0))
