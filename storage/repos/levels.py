"""Participation levels (#21.3): what members did lately, in a few grouped reads, and the level each holds."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import CompoundSelect, and_, bindparam, distinct, func, or_, select, union, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.forget import FORGOTTEN
from storage.models import ActivityDay, Community, Member, Person, UTCDateTime
from storage.models.recognition import Kudos, Question, QuestionAnswer
from storage.models.states import DmState

CHUNK = 500  # user ids per IN list


@dataclass(frozen=True, slots=True)
class Signals:
    """What a member did over the window: days with a post, posts, replies to others, questions answered,
    answers that solved one, thanks received."""

    days_active: int = 0
    posts: int = 0
    replies: int = 0
    answers: int = 0
    solved: int = 0
    kudos: int = 0


@dataclass(frozen=True, slots=True)
class Standing:
    user_id: str
    level: int
    staff: bool
    display_name: str


@dataclass(frozen=True, slots=True)
class HeldLevel:
    """A level as /mydata tells it: in which community, since when."""

    community: str
    level: int
    since: datetime | None


def _chunks(ids: list[str]) -> Iterable[list[str]]:
    for i in range(0, len(ids), CHUNK):
        yield ids[i : i + CHUNK]


class LevelRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def recent(self, community_id: int, since_day: date, since: datetime) -> list[str]:
        """Who may have earned something lately: posted since ``since_day``, or answered, solved or was thanked since ``since``."""
        a, qa, q, k = ActivityDay, QuestionAnswer, Question, Kudos
        rows: CompoundSelect = union(
            select(a.user_id).where(a.community_id == community_id, a.day >= since_day, a.messages > 0),
            select(qa.author_id).where(qa.community_id == community_id, qa.answered_at >= since),
            select(q.answer_by).where(q.community_id == community_id, q.solved_at >= since, q.answer_by.is_not(None)),
            select(k.receiver_id).where(k.community_id == community_id, k.given_at >= since),
        )
        return sorted({str(u) for u in await self.session.scalars(select(rows.subquery().c[0])) if u and u != FORGOTTEN})

    async def standings(self, community_id: int, user_ids: list[str] | None = None, *, leveled: bool = False) -> list[Standing]:
        """Members present who are people: those of ``user_ids``, or (``leveled``) every one holding a level."""
        m = Member
        base = (m.community_id == community_id, m.left_at.is_(None), m.is_bot.is_(False))
        cols = select(m.user_id, m.level, m.staff, m.display_name)
        if leveled:
            batches = [await self.session.execute(cols.where(*base, m.level > 0))]
        else:
            batches = [await self.session.execute(cols.where(*base, m.user_id.in_(ids))) for ids in _chunks(user_ids or [])]
        return [Standing(u, int(lv or 0), bool(st), name or "") for rows in batches for u, lv, st, name in rows]

    async def signals(self, community_id: int, user_ids: list[str], start_day: date, start: datetime) -> dict[str, Signals]:
        """Each member's signals over the window (four grouped reads per chunk of ids; nobody's row is read alone)."""
        out: dict[str, list[int]] = {}
        a, qa, q, k = ActivityDay, QuestionAnswer, Question, Kudos
        for ids in _chunks(user_ids):
            activity = await self.session.execute(
                select(a.user_id, func.count(a.day), func.sum(a.messages), func.sum(a.replies))
                .where(a.community_id == community_id, a.day >= start_day, a.messages > 0, a.user_id.in_(ids))
                .group_by(a.user_id)
            )
            for u, days, posts, replies in activity:
                out.setdefault(u, [0] * 6)[0:3] = [int(days), int(posts or 0), int(replies or 0)]
            for col, stmt in (
                (3, select(qa.author_id, func.count(distinct(qa.question_id)))
                    .where(qa.community_id == community_id, qa.answered_at >= start, qa.author_id.in_(ids))
                    .group_by(qa.author_id)),
                (4, select(q.answer_by, func.count())
                    .where(q.community_id == community_id, q.solved_at >= start, q.answer_by.in_(ids))
                    .group_by(q.answer_by)),
                (5, select(k.receiver_id, func.count())
                    .where(k.community_id == community_id, k.given_at >= start, k.receiver_id.in_(ids))
                    .group_by(k.receiver_id)),
            ):  # fmt: skip
                for who, n in await self.session.execute(stmt):
                    out.setdefault(str(who), [0] * 6)[col] = int(n)
        return {u: Signals(*v) for u, v in out.items()}

    async def set_levels(self, community_id: int, levels: list[tuple[str, int]], at: datetime) -> None:
        """(user id, new level) for many members in one statement."""
        values = {"level": bindparam("lv"), "level_since": bindparam("at", type_=UTCDateTime())}
        await self._per_member(community_id, values, [{"u": u, "lv": lv, "at": at} for u, lv in levels])

    async def unshown(self, community_id: int, limit: int) -> list[tuple[str, int, int | None]]:
        """(user id, level, level shown) of members present whose level the platform does not show yet."""
        m = Member
        q = (
            select(m.user_id, m.level, m.level_shown)
            .where(m.community_id == community_id, m.left_at.is_(None), func.coalesce(m.level_shown, 0) != m.level)
            .order_by(m.id)
            .limit(limit)
        )
        return [(u, int(lv), shown) for u, lv, shown in await self.session.execute(q)]

    async def shown(self, community_id: int, levels: list[tuple[str, int]]) -> None:
        """(user id, level now shown) for many members in one statement."""
        await self._per_member(community_id, {"level_shown": bindparam("lv")}, [{"u": u, "lv": lv} for u, lv in levels])

    async def _per_member(self, community_id: int, values: dict[str, Any], rows: list[dict[str, Any]]) -> None:
        """One UPDATE of many members' rows (executemany; ``u`` in each row names the member)."""
        if not rows:
            return
        t = Member.__table__.c
        stmt = update(Member.__table__).where(t.community_id == community_id, t.user_id == bindparam("u")).values(values)  # type: ignore[arg-type]
        await self.session.execute(stmt, rows)

    async def level_of(self, community_id: int, user_id: str) -> tuple[int, int | None, datetime | None]:
        """(level, level shown, since) of one member; (0, None, None) for one never met."""
        m = Member
        row = (
            await self.session.execute(
                select(m.level, m.level_shown, m.level_since).where(m.community_id == community_id, m.user_id == user_id)
            )
        ).first()
        return (int(row[0] or 0), row[1], row[2]) if row else (0, None, None)

    async def mark_staff(self, community_id: int, user_id: str, staff: bool) -> None:
        m = Member
        await self.session.execute(update(m).where(m.community_id == community_id, m.user_id == user_id).values(staff=staff))

    async def held(self, platform: str, user_id: str) -> list[HeldLevel]:
        """The person's levels in every community of their platform, for /mydata."""
        m, c = Member, Community
        q = (
            select(c.title, m.level, m.level_since)
            .join(c, c.id == m.community_id)
            .where(c.platform == platform, m.user_id == user_id, or_(m.level > 0, and_(m.level_shown.is_not(None), m.level_shown > 0)))
            .order_by(c.id)
        )
        return [HeldLevel(title or "", int(lv), since) for title, lv, since in await self.session.execute(q)]

    async def distribution(self, community_id: int) -> dict[int, int]:
        """Members present at each level above 0."""
        m = Member
        q = select(m.level, func.count()).where(m.community_id == community_id, m.left_at.is_(None), m.level > 0).group_by(m.level)
        return {int(lv): int(n) for lv, n in await self.session.execute(q)}

    async def reachable(self, platform: str, user_ids: list[str]) -> dict[str, str | None]:
        """Of ``user_ids``, those a DM may go to (not opted out, DMs not known closed), with their language."""
        p = Person
        out: dict[str, str | None] = dict.fromkeys(user_ids)
        for ids in _chunks(user_ids):
            q = select(p.user_id, p.language, p.dm_opt_out, p.dm_state).where(p.platform == platform, p.user_id.in_(ids))
            for u, language, opted_out, state in await self.session.execute(q):
                if opted_out or state == DmState.CLOSED:
                    out.pop(u, None)
                else:
                    out[u] = language
        return out
