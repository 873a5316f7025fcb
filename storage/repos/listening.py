"""Pulse survey answers and the feedback inbox: who may be asked, what they answered, the managers' triage."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Table, and_, bindparam, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Community, Member, Person
from storage.models.listening import FeedbackItem, SurveyAnswer
from storage.models.states import DmState, FeedbackStatus, SurveyState
from storage.repos.upsert import add_unless_taken

OPEN = (FeedbackStatus.NEW, FeedbackStatus.PLANNED)
CLOSED = (FeedbackStatus.DONE, FeedbackStatus.DECLINED)


@dataclass(frozen=True, slots=True)
class Scores:
    """NPS answers of a window: promoters 9-10, passives 7-8, detractors 0-6."""

    promoters: int = 0
    passives: int = 0
    detractors: int = 0

    @property
    def answers(self) -> int:
        return self.promoters + self.passives + self.detractors

    @property
    def nps(self) -> float | None:
        """-100 to 100; None without answers."""
        n = self.answers
        return None if not n else 100 * (self.promoters - self.detractors) / n


_ANSWERS: Table = SurveyAnswer.__table__  # type: ignore[assignment]
# Built once: an ORM ``update(SurveyAnswer)`` built per press cost 1.1 ms of CPU, this 0.5 ms (bench/survey.py).
_SCORE = (
    update(_ANSWERS)
    .where(
        _ANSWERS.c.id == bindparam("answer"),
        _ANSWERS.c.user_id == bindparam("user"),
        _ANSWERS.c.score.is_(None),
        _ANSWERS.c.kind.in_(bindparam("kinds", expanding=True)),
    )
    .values(score=bindparam("score"), state=SurveyState.ANSWERED, answered_at=bindparam("now"))
    .returning(_ANSWERS.c.community_id, _ANSWERS.c.kind)
)


class SurveyRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def eligible(self, community_id: int, platform: str) -> list[tuple[str, str | None]]:
        """(user id, language) of the members present (not bots) who did not opt out of DMs and whose DMs are
        not known to be closed."""
        q = (
            select(Member.user_id, Person.language)
            .outerjoin(Person, and_(Person.platform == platform, Person.user_id == Member.user_id))
            .where(
                Member.community_id == community_id,
                Member.left_at.is_(None),
                Member.is_bot.is_(False),
                or_(Person.id.is_(None), and_(Person.dm_opt_out.is_(False), Person.dm_state != DmState.CLOSED)),
            )
        )
        return [(u, lang) for u, lang in await self.session.execute(q)]

    async def asked(self, community_id: int, kind: str, period: str) -> set[str]:
        q = select(SurveyAnswer.user_id).where(
            SurveyAnswer.community_id == community_id, SurveyAnswer.kind == kind, SurveyAnswer.period == period
        )
        return set(await self.session.scalars(q))

    async def invite(self, community_id: int, kind: str, period: str, user_id: str, now: datetime) -> SurveyAnswer | None:
        """The row of one invitation (its id goes into the buttons); None when this member was asked already."""
        row = SurveyAnswer(community_id=community_id, kind=kind, period=period, user_id=user_id, state=SurveyState.SENT, sent_at=now)
        return row if await add_unless_taken(self.session, row) else None

    async def get(self, answer_id: int) -> SurveyAnswer | None:
        return await self.session.get(SurveyAnswer, answer_id)

    async def score(self, answer_id: int, user_id: str, score: int, kinds: tuple[str, ...], now: datetime) -> tuple[int, str] | None:
        """Record ``score`` on this member's own unanswered question of one of ``kinds``; (community id, kind), or
        None when nothing matched. One prepared statement: a survey to thousands is answered in bursts."""
        params = {"answer": answer_id, "user": user_id, "score": score, "kinds": list(kinds), "now": now}
        found = (await self.session.execute(_SCORE, params)).first()
        return None if found is None else (found[0], found[1])

    async def awaiting_comment(self, platform: str, user_id: str, now: datetime) -> SurveyAnswer | None:
        """This member's latest answer whose "why?" was neither given nor skipped: their next DM may be it, if
        it is still within the community's ``comment_window`` (the caller knows the community's settings)."""
        s = SurveyAnswer
        q = (
            select(s)
            .join(Community, Community.id == s.community_id)
            .where(
                s.user_id == user_id,
                s.answered_at.is_not(None),
                s.feedback_id.is_(None),
                or_(s.comment_until.is_(None), s.comment_until > now),
                Community.platform == platform,
            )
            .order_by(s.answered_at.desc())
            .limit(1)
        )
        return await self.session.scalar(q)

    async def scores(self, community_id: int, start: datetime, end: datetime) -> Scores:
        s = SurveyAnswer
        q = (
            select(s.score, func.count())
            .where(s.community_id == community_id, s.kind == "nps", s.score.is_not(None), s.answered_at >= start, s.answered_at < end)
            .group_by(s.score)
        )
        counts: dict[int, int] = {score: n for score, n in await self.session.execute(q) if score is not None}
        return Scores(
            sum(n for sc, n in counts.items() if sc >= 9),
            sum(n for sc, n in counts.items() if 7 <= sc <= 8),
            sum(n for sc, n in counts.items() if sc <= 6),
        )

    async def delivery(self, community_id: int, start: datetime, end: datetime) -> tuple[int, int]:
        """(delivered, answered) of the recommend question sent in the window."""
        s = SurveyAnswer
        q = (
            select(s.state, func.count())
            .where(s.community_id == community_id, s.kind == "nps", s.state != SurveyState.DM_CLOSED, s.sent_at >= start, s.sent_at < end)
            .group_by(s.state)
        )
        counts: dict[str, int] = {state: n for state, n in await self.session.execute(q)}
        return sum(counts.values()), counts.get("answered", 0)

    async def rows(self, community_id: int, since: datetime) -> list[SurveyAnswer]:
        q = select(SurveyAnswer).where(SurveyAnswer.community_id == community_id, SurveyAnswer.sent_at >= since).order_by(SurveyAnswer.id)
        return list(await self.session.scalars(q))


class FeedbackRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(
        self, community_id: int, source: str, author_id: str, author_name: str, text: str, now: datetime, *,
        anonymous: bool = False, urgent: bool = False,
    ) -> FeedbackItem:  # fmt: skip
        """A new inbox item, numbered after the community's last one (a clash with another process retries)."""
        for _ in range(5):
            last = await self.session.scalar(select(func.max(FeedbackItem.number)).where(FeedbackItem.community_id == community_id))
            item = FeedbackItem(
                community_id=community_id, number=(last or 0) + 1, source=source, author_id=author_id[:64],
                author_name=author_name, anonymous=anonymous, urgent=urgent, text=text, status=FeedbackStatus.NEW,
                created_at=now, reply="",
            )  # fmt: skip
            if await add_unless_taken(self.session, item):
                return item
        raise RuntimeError("could not number a feedback item")

    async def by_number(self, community_id: int, number: int) -> FeedbackItem | None:
        q = select(FeedbackItem).where(FeedbackItem.community_id == community_id, FeedbackItem.number == number)
        return await self.session.scalar(q)

    async def open_items(self, community_id: int, limit: int = 20) -> list[FeedbackItem]:
        q = (
            select(FeedbackItem)
            .where(FeedbackItem.community_id == community_id, FeedbackItem.status.in_(OPEN))
            .order_by(FeedbackItem.urgent.desc(), FeedbackItem.number)
            .limit(limit)
        )
        return list(await self.session.scalars(q))

    async def done_between(self, community_id: int, start: datetime, end: datetime) -> list[FeedbackItem]:
        q = (
            select(FeedbackItem)
            .where(
                FeedbackItem.community_id == community_id,
                FeedbackItem.status == "done",
                FeedbackItem.closed_at >= start,
                FeedbackItem.closed_at < end,
            )
            .order_by(FeedbackItem.number)
        )
        return list(await self.session.scalars(q))

    async def received(self, community_id: int, start: datetime, end: datetime) -> tuple[int, int]:
        """(items created in the window, how many of them are closed now)."""
        f = FeedbackItem
        q = select(func.count(), func.count().filter(f.status.in_(CLOSED))).where(
            f.community_id == community_id, f.created_at >= start, f.created_at < end
        )
        total, closed = (await self.session.execute(q)).one()
        return int(total or 0), int(closed or 0)

    async def waits(self, community_id: int, start: datetime, end: datetime) -> list[timedelta]:
        """Time from each item to its first answer, for the items first answered in the window."""
        f = FeedbackItem
        q = select(f.created_at, f.answered_at).where(f.community_id == community_id, f.answered_at >= start, f.answered_at < end)
        return [answered - created for created, answered in await self.session.execute(q) if answered is not None]

    async def all_since(self, community_id: int, since: datetime) -> list[FeedbackItem]:
        q = select(FeedbackItem).where(FeedbackItem.community_id == community_id, FeedbackItem.created_at >= since)
        return list(await self.session.scalars(q.order_by(FeedbackItem.number)))

    async def link_comment(self, answer_id: int, feedback_id: int) -> None:
        q = update(SurveyAnswer).where(SurveyAnswer.id == answer_id).values(feedback_id=feedback_id)
        await self.session.execute(q)


async def home_of(session: AsyncSession, platform: str, user_id: str) -> int | None:
    """The community a member wrote in most recently on this platform (where a DM's feedback belongs)."""
    q = (
        select(Member.community_id)
        .join(Community, Community.id == Member.community_id)
        .where(Community.platform == platform, Member.user_id == user_id, Member.left_at.is_(None))
        .order_by(Member.last_message_at.desc().nulls_last(), Member.id.desc())
        .limit(1)
    )
    return await session.scalar(q)
