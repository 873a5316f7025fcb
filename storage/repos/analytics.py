"""All the SQL behind the analytics: daily totals, who was active, newcomers.

Designed for 100,000 members and 10 million activity rows on SQLite (``bench/stats.py``):

- the tracker's flush keeps ``activity_daily``: per community per day the totals
  (active members, messages, replies) and, packed in three blobs, which members
  posted and how much (a columnar copy of that day's ``activity_days`` rows);
- a period's series is then a few dozen rows, and every distinct count (active in
  the period and the one before, WAU, MAU) and the per-member sums behind the top
  contributors and likely leaders come from one read of about two months of
  blobs, counted with numpy: no GROUP BY over hundreds of thousands of rows.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TypeVar

import numpy as np
from sqlalchemy import ColumnElement, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ActivityDay, Member
from storage.models.admin import ActivityDaily
from storage.models.onboarding import Newcomer
from storage.models.rituals import CalendarEvent, EventRsvp
from storage.models.spam import SpamRecord
from storage.models.states import Rsvp
from storage.repos.upsert import insert_for

_CHUNK = 400  # bound parameters per IN (...) lookup, well under SQLite's limit
_IDS, _COUNTS = np.dtype("<i8"), np.dtype("<i4")
K = TypeVar("K")


@dataclass(frozen=True, slots=True)
class DayTotals:
    day: date
    active: int
    messages: int
    replies: int


@dataclass(frozen=True, slots=True)
class MemberSums:
    """One pass over a period: how many posted, who posted most, who replied to others most."""

    active: int
    top: list[tuple[str, int]]  # (user_id, messages)
    leaders: list[tuple[str, int]]  # (user_id, replies to others)


@dataclass(frozen=True, slots=True)
class DayMembers:
    """One day's active members: sorted member row ids and their messages and replies, aligned."""

    ids: np.ndarray
    messages: np.ndarray
    replies: np.ndarray

    @classmethod
    def unpack(cls, ids: bytes | None, messages: bytes | None, replies: bytes | None) -> DayMembers:
        return cls(np.frombuffer(ids or b"", _IDS), np.frombuffer(messages or b"", _COUNTS), np.frombuffer(replies or b"", _COUNTS))

    @classmethod
    def summed(cls, ids: np.ndarray, messages: np.ndarray, replies: np.ndarray) -> DayMembers:
        """Add up the counts of repeated ids (several batches of one day)."""
        keys, inv = np.unique(ids, return_inverse=True)
        n = len(keys)
        return cls(
            keys.astype(_IDS),
            np.bincount(inv, weights=messages, minlength=n).astype(_COUNTS),
            np.bincount(inv, weights=replies, minlength=n).astype(_COUNTS),
        )

    def pack(self) -> dict[str, object]:
        return {
            "active": len(self.ids),
            "messages": int(self.messages.sum()),
            "replies": int(self.replies.sum()),
            "member_ids": self.ids.astype(_IDS).tobytes(),
            "messages_by": self.messages.astype(_COUNTS).tobytes(),
            "replies_by": self.replies.astype(_COUNTS).tobytes(),
        }

    def without(self, member_id: int) -> DayMembers:
        keep = self.ids != member_id
        return DayMembers(self.ids[keep], self.messages[keep], self.replies[keep])


class ActivitySpan:
    """The active members of a run of days, for counting any window inside it in memory."""

    def __init__(self, days: Sequence[tuple[date, DayMembers]]) -> None:
        self._days = [d for d, _ in days]
        self._starts = np.cumsum([0] + [len(m.ids) for _, m in days])
        ids = np.concatenate([m.ids for _, m in days]) if days else np.zeros(0, _IDS)
        self.keys, self._inv = _dense(ids)
        self._messages = np.concatenate([m.messages for _, m in days]) if days else np.zeros(0, _COUNTS)
        self._replies = np.concatenate([m.replies for _, m in days]) if days else np.zeros(0, _COUNTS)

    def _slice(self, first: date, end: date) -> slice:
        lo, hi = bisect_left(self._days, first), bisect_left(self._days, end)
        return slice(int(self._starts[lo]), int(self._starts[hi]))

    def distinct(self, first: date, end: date) -> int:
        """Members active on any day in [first, end)."""
        inv = self._inv[self._slice(first, end)]
        return int(np.count_nonzero(np.bincount(inv, minlength=len(self.keys)))) if len(inv) else 0

    def active(self, first: date, end: date) -> np.ndarray:
        """The ids of the members active in [first, end), sorted."""
        inv = self._inv[self._slice(first, end)]
        return self.keys[np.bincount(inv, minlength=len(self.keys)) > 0] if len(inv) else np.zeros(0, _IDS)

    def sums(self, first: date, end: date) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(member ids, messages, replies) of the members active in [first, end)."""
        sl = self._slice(first, end)
        n = len(self.keys)
        inv = self._inv[sl]
        seen = np.bincount(inv, minlength=n) > 0
        m = np.bincount(inv, weights=self._messages[sl], minlength=n)
        r = np.bincount(inv, weights=self._replies[sl], minlength=n)
        return self.keys[seen], m[seen].astype(np.int64), r[seen].astype(np.int64)


def _dense(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(keys, positions): ``keys[positions] == ids``, positions small enough for bincount.

    Member row ids of one community are mostly a dense run: subtracting the smallest
    is enough and costs no sort; ids spread thin (many communities' members interleaved)
    are sorted instead.
    """
    if not len(ids):
        return np.zeros(0, _IDS), np.zeros(0, np.intp)
    low, high = int(ids.min()), int(ids.max())
    if high - low < 4 * len(ids) + 1_000_000:
        return np.arange(low, high + 1, dtype=_IDS), (ids - low).astype(np.intp)
    return np.unique(ids, return_inverse=True)  # type: ignore[no-any-return]


def _best(ids: np.ndarray, values: np.ndarray, n: int, at_least: int) -> list[tuple[int, int]]:
    """Candidates for the ``n`` highest values (all ties with the n-th kept, to be ordered by user id)."""
    ok = values >= max(at_least, 1)
    ids, values = ids[ok], values[ok]
    if n <= 0 or not len(values):
        return []
    if len(values) > n:
        nth = np.partition(values, len(values) - n)[len(values) - n]
        keep = values >= nth
        ids, values = ids[keep], values[keep]
    return [(int(i), int(v)) for i, v in zip(ids, values, strict=True)]


class AnalyticsRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def daily(self, community_id: int, first: date, end: date) -> list[DayTotals]:
        """Totals for the days in [first, end), only days with activity."""
        t = ActivityDaily
        q = (
            select(t.day, t.active, t.messages, t.replies)
            .where(t.community_id == community_id, t.day >= first, t.day < end)
            .order_by(t.day)
        )
        return [DayTotals(*row) for row in await self.session.execute(q)]

    async def first_day(self, community_id: int) -> date | None:
        """The oldest day with any counted activity."""
        t = ActivityDaily
        return await self.session.scalar(select(func.min(t.day)).where(t.community_id == community_id))

    async def span(self, community_id: int, first: date, end: date) -> ActivitySpan:
        """Who was active on each day in [first, end): one read of the packed rollup."""
        t = ActivityDaily
        q = (
            select(t.day, t.member_ids, t.messages_by, t.replies_by)
            .where(t.community_id == community_id, t.day >= first, t.day < end)
            .order_by(t.day)
        )
        return ActivitySpan([(d, DayMembers.unpack(i, m, r)) for d, i, m, r in await self.session.execute(q)])

    async def member_sums(self, community_id: int, span: ActivitySpan, first: date, end: date, top: int, min_replies: int) -> MemberSums:
        """Active members of [first, end), the ``top`` posters and the ``top`` repliers with at least ``min_replies``."""
        ids, messages, replies = span.sums(first, end)
        tops, leads = _best(ids, messages, top, 1), _best(ids, replies, top, min_replies)
        users = await self._user_ids(community_id, {i for i, _ in tops + leads})

        def ranked(rows: list[tuple[int, int]]) -> list[tuple[str, int]]:
            named = sorted(((users[i], v) for i, v in rows if i in users), key=lambda x: (-x[1], x[0]))
            return named[:top]

        return MemberSums(len(ids), ranked(tops), ranked(leads))

    async def _user_ids(self, community_id: int, member_ids: set[int]) -> dict[int, str]:
        out: dict[int, str] = {}
        ids = sorted(member_ids)
        for i in range(0, len(ids), _CHUNK):
            q = select(Member.id, Member.user_id).where(Member.community_id == community_id, Member.id.in_(ids[i : i + _CHUNK]))
            out.update({k: u for k, u in await self.session.execute(q)})
        return out

    async def joined_count(self, community_id: int, start: datetime, end: datetime) -> int:
        """People (not bots) who joined in [start, end), but for those the moderators removed (a spammer is no new member)."""
        m = Member
        q = select(func.count()).where(
            m.community_id == community_id, m.joined_at >= start, m.joined_at < end, m.is_bot.is_(False), _not_removed(m)
        )
        return int(await self.session.scalar(q) or 0)

    async def joined(self, community_id: int, start: datetime, end: datetime) -> list[tuple[datetime, datetime | None]]:
        """(joined_at, first_message_at) of the people (not bots) who joined in [start, end), but for the removed."""
        m = Member
        q = select(m.joined_at, m.first_message_at).where(
            m.community_id == community_id, m.joined_at >= start, m.joined_at < end, m.is_bot.is_(False), _not_removed(m)
        )
        return [(j, f) for j, f in await self.session.execute(q) if j is not None]

    async def names(self, community_id: int, user_ids: list[str]) -> dict[str, str]:
        if not user_ids:
            return {}
        q = select(Member.user_id, Member.display_name).where(Member.community_id == community_id, Member.user_id.in_(user_ids))
        return {u: n for u, n in await self.session.execute(q)}


class FeatureFigures:
    """Figures of the other features' tables that their own repositories do not answer (read only)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def rsvps_going(self, community_id: int, start: datetime, end: datetime) -> int:
        """Members going to the (not cancelled) events that start in [start, end)."""
        e, r = CalendarEvent, EventRsvp
        q = (
            select(func.count())
            .select_from(r)
            .join(e, e.id == r.event_id)
            .where(e.community_id == community_id, e.starts_at >= start, e.starts_at < end, e.status != "cancelled", r.status == Rsvp.GOING)
        )
        return int(await self.session.scalar(q) or 0)

    async def spam_caught(self, community_id: int, start: datetime, end: datetime) -> int:
        """Spam decisions that acted in [start, end) (shadow mode's "would have" ones are not counted)."""
        s = SpamRecord
        q = select(func.count()).where(s.community_id == community_id, s.created_at >= start, s.created_at < end, s.shadow.is_(False))
        return int(await self.session.scalar(q) or 0)

    async def spam_undone(self, community_id: int, start: datetime, end: datetime) -> int:
        """Of those, how many a moderator undid: "not spam", or an appeal approved."""
        s = SpamRecord
        q = select(func.count()).where(
            s.community_id == community_id, s.created_at >= start, s.created_at < end, s.shadow.is_(False), s.status.in_(UNDONE)
        )
        return int(await self.session.scalar(q) or 0)

    async def newcomer_milestones(self, community_id: int, milestone: str, start: datetime, end: datetime) -> list[timedelta]:
        """For newcomers who reached ``milestone`` (an onboarding timestamp) in [start, end): how long after joining."""
        n = Newcomer
        col = getattr(n, milestone)
        q = select(n.joined_at, col).where(n.community_id == community_id, col >= start, col < end)
        return [at - joined for joined, at in await self.session.execute(q)]


UNDONE = ("restored", "approved")  # spam records' statuses after "not spam" or an approved appeal


class DailyRollupRepo:
    """Keeps ``activity_daily`` in step with ``activity_days``; the tracker calls ``add`` with each batch it writes."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, rows: list[tuple[int, date, str, int, int]]) -> None:
        """Merge (community_id, day, user_id, messages, replies) counts into each day's row."""
        if not rows:
            return
        member_ids = await self._member_ids({(c, u) for c, _, u, _, _ in rows})
        new: dict[tuple[int, date], list[tuple[int, int, int]]] = defaultdict(list)
        for c, d, u, m, r in rows:
            mid = member_ids.get((c, u))
            if mid is not None:  # a member forgotten while their counts waited in the buffer
                new[(c, d)].append((mid, m, r))
        if not new:
            return
        t = ActivityDaily
        # Make sure the rows exist, then lock them: concurrent flushes (PostgreSQL) merge one after the other.
        await self.session.execute(
            insert_for(self.session, t.__table__).on_conflict_do_nothing(index_elements=["community_id", "day"]),
            [{"community_id": c, "day": d, "active": 0, "messages": 0, "replies": 0} for c, d in new],
        )
        for community_id, days in _by_community(new).items():
            q = (
                select(t.day, t.member_ids, t.messages_by, t.replies_by)
                .where(t.community_id == community_id, t.day.in_(days))
                .with_for_update()
            )
            for d, ids, ms, rs in (await self.session.execute(q)).all():
                old = DayMembers.unpack(ids, ms, rs)
                add = np.array(new[(community_id, d)], dtype=np.int64).reshape(-1, 3)
                merged = DayMembers.summed(
                    np.concatenate([old.ids, add[:, 0]]),
                    np.concatenate([old.messages, add[:, 1]]),
                    np.concatenate([old.replies, add[:, 2]]),
                )
                await self._write(community_id, d, merged)

    async def forget(self, community_id: int, user_id: str) -> int:
        """Take a member out of the days they were active on (before their rows go); returns how many days."""
        member_id = await self.session.scalar(select(Member.id).where(Member.community_id == community_id, Member.user_id == user_id))
        if member_id is None:
            return 0
        a, t = ActivityDay, ActivityDaily
        days = list(await self.session.scalars(select(a.day).where(a.community_id == community_id, a.user_id == user_id)))
        for i in range(0, len(days), _CHUNK):
            q = select(t.day, t.member_ids, t.messages_by, t.replies_by).where(
                t.community_id == community_id, t.day.in_(days[i : i + _CHUNK])
            )
            for d, ids, ms, rs in (await self.session.execute(q)).all():
                await self._write(community_id, d, DayMembers.unpack(ids, ms, rs).without(member_id))
        return len(days)

    async def _write(self, community_id: int, day: date, members: DayMembers) -> None:
        t = ActivityDaily
        await self.session.execute(update(t).where(t.community_id == community_id, t.day == day).values(**members.pack()))

    async def _member_ids(self, keys: set[tuple[int, str]]) -> dict[tuple[int, str], int]:
        out: dict[tuple[int, str], int] = {}
        for community_id, users in _by_community(keys).items():
            for i in range(0, len(users), _CHUNK):
                q = select(Member.user_id, Member.id).where(Member.community_id == community_id, Member.user_id.in_(users[i : i + _CHUNK]))
                out.update({(community_id, u): k for u, k in await self.session.execute(q)})
        return out


def _by_community(keys: Iterable[tuple[int, K]]) -> dict[int, list[K]]:
    out: dict[int, list[K]] = defaultdict(list)
    for c, k in keys:
        out[c].append(k)
    return out


__all__ = ["UNDONE", "ActivitySpan", "AnalyticsRepo", "DailyRollupRepo", "DayMembers", "DayTotals", "FeatureFigures", "MemberSums"]


def _not_removed(m: type[Member]) -> ColumnElement[bool]:
    """Not banned or kicked out (a member who simply left still counted as having joined)."""
    return or_(m.left_kind.is_(None), m.left_kind.not_in(("banned", "kicked")))
