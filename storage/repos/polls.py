"""The polls' queries: polls, votes of non-anonymous polls, counts of anonymous ones."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.polls import Poll, PollTally, PollVote, PollVoter
from storage.models.states import PollStatus
from storage.repos.upsert import insert_for


def _aware(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


class PollRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, poll: Poll) -> Poll:
        """Store a new poll; an anonymous one gets its zero counts at once (votes only ever add to them)."""
        self.session.add(poll)
        await self.session.flush()
        if poll.anonymous:
            self.session.add_all(PollTally(poll_id=poll.id, option=i, votes=0) for i in range(len(poll.options)))
            await self.session.flush()
        return poll

    async def of_community(self, community_id: int, poll_id: int) -> Poll | None:
        poll = await self.session.get(Poll, poll_id)
        return poll if poll is not None and poll.community_id == community_id else None

    async def by_ref(self, platform: str, poll_ref: str) -> Poll | None:
        """The poll the platform names (its poll id), from any community of that platform."""
        q = select(Poll).where(Poll.platform == platform, Poll.poll_ref == poll_ref).order_by(Poll.id.desc()).limit(1)
        return await self.session.scalar(q)

    async def message_ids_since(self, community_id: int, since: datetime) -> list[str]:
        """The message ids of the polls asked since ``since`` (their replies are comments)."""
        q = select(Poll.message_id).where(Poll.community_id == community_id, Poll.created_at >= since, Poll.message_id.is_not(None))
        return [m for m in await self.session.scalars(q) if m]

    async def due(self, community_id: int, now: datetime) -> list[Poll]:
        """Polls whose closing time has come and whose results are not posted yet, oldest first."""
        q = (
            select(Poll)
            .where(Poll.community_id == community_id, Poll.status.in_((PollStatus.OPEN, PollStatus.CLOSING)), Poll.closes_at <= now)
            .order_by(Poll.closes_at, Poll.id)
        )
        return list(await self.session.scalars(q))

    async def next_close(self, community_id: int) -> datetime | None:
        q = select(func.min(Poll.closes_at)).where(
            Poll.community_id == community_id, Poll.status.in_((PollStatus.OPEN, PollStatus.CLOSING))
        )
        return _aware(await self.session.scalar(q))

    async def recent_closed(self, community_id: int, since: datetime, limit: int = 3) -> list[Poll]:
        q = (
            select(Poll)
            .where(Poll.community_id == community_id, Poll.status == "closed", Poll.closed_at >= since)
            .order_by(Poll.closed_at.desc(), Poll.id.desc())
            .limit(limit)
        )
        return list(await self.session.scalars(q))

    # ---- votes of non-anonymous polls ----
    async def set_choices(self, poll_id: int, user_id: str, options: Sequence[int], at: datetime) -> None:
        """The member's choices are now exactly ``options`` (empty: the vote withdrawn)."""
        await self.session.execute(delete(PollVote).where(PollVote.poll_id == poll_id, PollVote.user_id == user_id))
        self.session.add_all(PollVote(poll_id=poll_id, user_id=user_id, option=o, at=at) for o in sorted(set(options)))
        await self.session.flush()

    async def add_choice(self, poll_id: int, user_id: str, option: int, at: datetime) -> None:
        """One more option chosen; one statement, so votes handled at the same moment (Discord's remove-then-add
        when a member changes an answer) cannot overwrite each other."""
        stmt = insert_for(self.session, PollVote.__table__).values(poll_id=poll_id, user_id=user_id, option=option, at=at)
        await self.session.execute(stmt.on_conflict_do_nothing(index_elements=["poll_id", "user_id", "option"]))

    async def remove_choice(self, poll_id: int, user_id: str, option: int) -> None:
        await self.session.execute(
            delete(PollVote).where(PollVote.poll_id == poll_id, PollVote.user_id == user_id, PollVote.option == option)
        )

    async def choices(self, poll_id: int, user_id: str) -> list[int]:
        q = select(PollVote.option).where(PollVote.poll_id == poll_id, PollVote.user_id == user_id).order_by(PollVote.option)
        return list(await self.session.scalars(q))

    async def vote_counts(self, poll_id: int, n_options: int) -> tuple[list[int], int]:
        """Votes per option and how many members voted, from the stored votes."""
        q = select(PollVote.option, func.count()).where(PollVote.poll_id == poll_id).group_by(PollVote.option)
        rows = await self.session.execute(q)
        counts = [0] * n_options
        for option, n in rows:
            if 0 <= option < n_options:
                counts[option] = int(n)
        voters = await self.session.scalar(select(func.count(func.distinct(PollVote.user_id))).where(PollVote.poll_id == poll_id))
        return counts, int(voters or 0)

    async def votes_of(self, platform: str, user_id: str, limit: int = 20) -> list[tuple[Poll, list[int]]]:
        """A person's choices in non-anonymous polls on one platform, latest polls first (for /mydata)."""
        q = (
            select(Poll, PollVote.option)
            .join(PollVote, PollVote.poll_id == Poll.id)
            .where(Poll.platform == platform, PollVote.user_id == user_id)
            .order_by(Poll.id.desc(), PollVote.option)
        )
        out: dict[int, tuple[Poll, list[int]]] = {}
        for poll, option in await self.session.execute(q):
            if poll.id not in out and len(out) >= limit:
                break
            out.setdefault(poll.id, (poll, []))[1].append(option)
        return list(out.values())

    # ---- counts of anonymous polls ----
    async def tally(self, poll_id: int, n_options: int) -> list[int]:
        rows = await self.session.execute(select(PollTally.option, PollTally.votes).where(PollTally.poll_id == poll_id))
        counts = [0] * n_options
        for option, votes in rows:
            if 0 <= option < n_options:
                counts[option] = int(votes)
        return counts

    async def add_to_tally(self, poll_id: int, option: int, delta: int) -> None:
        """One vote more (or less) for an option, in one statement (no read, no lost update); never below zero."""
        await self.session.execute(
            update(PollTally)
            .where(PollTally.poll_id == poll_id, PollTally.option == option, PollTally.votes + delta >= 0)
            .values(votes=PollTally.votes + delta)
        )

    async def set_tally(self, poll_id: int, counts: Sequence[int]) -> None:
        """The platform's own counts replace ours (Telegram tells anonymous counts, never who)."""
        for option, votes in enumerate(counts):
            await self.session.execute(
                update(PollTally).where(PollTally.poll_id == poll_id, PollTally.option == option).values(votes=max(0, int(votes)))
            )

    async def took_part(self, poll_id: int, user_id: str) -> bool:
        """Record that the member voted in an anonymous button poll; False when they already had."""
        if await self.session.get(PollVoter, (poll_id, user_id)) is not None:
            return False
        self.session.add(PollVoter(poll_id=poll_id, user_id=user_id))
        await self.session.flush()
        return True

    async def forget_voters(self, poll_id: int) -> None:
        """At closing: who took part in an anonymous poll is no longer needed."""
        await self.session.execute(delete(PollVoter).where(PollVoter.poll_id == poll_id))
