"""Member state and activity counters, kept in memory and written in batches.

Every message touches its author's state; writing that row per message would
cost a round trip to the database each time. Instead the core keeps members
it has met in memory and adds their message counts and daily activity to a
buffer that ``flush`` writes in a few statements (when it grows, on every
ritual tick and at shutdown). Counts are additive, so several processes can
flush into one database.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from storage.repos.activity import ActivityRepo
from storage.repos.analytics import DailyRollupRepo
from storage.repos.members import MemberRepo, MemberState


@dataclass(slots=True)
class _Pending:
    count: int
    last_at: datetime


class MemberTracker:
    def __init__(self, capacity: int = 100_000, flush_at: int = 2_000) -> None:
        self.capacity = capacity
        self.flush_at = flush_at
        self._states: OrderedDict[tuple[int, str], MemberState] = OrderedDict()
        self._messages: dict[tuple[int, str], _Pending] = {}
        self._activity: dict[tuple[int, date, str], list[int]] = {}
        self._reactions: dict[tuple[int, date, str], int] = {}

    def __len__(self) -> int:
        return len(self._messages) + len(self._activity) + len(self._reactions)

    @property
    def should_flush(self) -> bool:
        return len(self._activity) + len(self._reactions) >= self.flush_at

    async def state(
        self, session: AsyncSession, community_id: int, user_id: str, display_name: str, is_bot: bool
    ) -> tuple[MemberState, bool]:
        """The member's state and whether it came from the database (``remember`` it once committed)."""
        st = self._states.get((community_id, user_id))
        if st is not None:
            if display_name and st.display_name != display_name[:256]:  # renamed: store it, so lookups by name follow
                await MemberRepo(session).rename(community_id, user_id, display_name)
                self._states[(community_id, user_id)] = st = replace(st, display_name=display_name[:256])
            return st, False
        return await MemberRepo(session).ensure(community_id, user_id, display_name, is_bot), True

    def remember(self, st: MemberState) -> None:
        self._remember((st.community_id, st.user_id), st)

    def _remember(self, key: tuple[int, str], st: MemberState) -> None:
        self._states[key] = st
        if len(self._states) > self.capacity:
            self._states.popitem(last=False)

    def set_level(self, community_id: int, user_id: str, level: int) -> None:
        """A member's new participation level, in the state kept in memory (the database has it already)."""
        st = self._states.get((community_id, user_id))
        if st is not None:
            st.level = level

    def forget(self, community_id: int, user_id: str) -> None:
        self._states.pop((community_id, user_id), None)

    def drop(self, community_id: int, user_id: str) -> None:
        """Forget a member entirely, buffered counts included (``/forgetme``): nothing of them is written later."""
        self.forget(community_id, user_id)
        self._messages.pop((community_id, user_id), None)
        for key in [k for k in self._activity if k[0] == community_id and k[2] == user_id]:
            del self._activity[key]
        for key in [k for k in self._reactions if k[0] == community_id and k[2] == user_id]:
            del self._reactions[key]

    def count_reaction(self, community_id: int, day: date, user_id: str) -> None:
        """Count one reaction a member gave (no query: written with the next batch)."""
        key = (community_id, day, user_id)
        self._reactions[key] = self._reactions.get(key, 0) + 1

    def count_message(self, st: MemberState, at: datetime, day: date, is_reply: bool) -> bool:
        """Count one message; returns True when it was the member's first ever."""
        first = st.first_message_at is None
        if first:
            st.first_message_at = at
        st.message_count += 1
        key = (st.community_id, st.user_id)
        p = self._messages.get(key)
        if p is None:
            self._messages[key] = _Pending(1, at)
        else:
            p.count += 1
            p.last_at = at
        akey = (st.community_id, day, st.user_id)
        a = self._activity.get(akey)
        if a is None:
            self._activity[akey] = [1, 1 if is_reply else 0]
        else:
            a[0] += 1
            if is_reply:
                a[1] += 1
        return first

    def take(self) -> Batch:
        """Hand over the pending counts; give them back with ``restore`` if writing fails."""
        batch = Batch(self._messages, self._activity, self._reactions)
        self._messages, self._activity, self._reactions = {}, {}, {}
        return batch

    def restore(self, batch: Batch) -> None:
        for k, p in batch.messages.items():
            cur = self._messages.setdefault(k, _Pending(0, p.last_at))
            cur.count += p.count
            cur.last_at = max(cur.last_at, p.last_at)
        for k2, a in batch.activity.items():
            cur2 = self._activity.setdefault(k2, [0, 0])
            cur2[0] += a[0]
            cur2[1] += a[1]
        for k2, n in batch.reactions.items():
            self._reactions[k2] = self._reactions.get(k2, 0) + n

    async def write(self, session: AsyncSession, batch: Batch) -> int:
        """Write a batch in a few statements (members, the daily rollup, activity); the caller commits."""
        await MemberRepo(session).add_messages([(c, u, p.count, p.last_at) for (c, u), p in batch.messages.items()])
        rows = [(c, d, u, a[0], a[1]) for (c, d, u), a in batch.activity.items()]
        await ActivityRepo(session).add(rows)
        await DailyRollupRepo(session).add(rows)
        await ActivityRepo(session).add_reactions([(c, d, u, n) for (c, d, u), n in batch.reactions.items()])
        return len(batch.messages) + len(batch.activity) + len(batch.reactions)


@dataclass(slots=True)
class Batch:
    messages: dict[tuple[int, str], _Pending]
    activity: dict[tuple[int, date, str], list[int]]
    reactions: dict[tuple[int, date, str], int] = field(default_factory=dict)
