"""Members and people: joins, leaves, first messages, DM reachability."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, bindparam, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Member, Person, UTCDateTime
from storage.models.states import DmState
from storage.repos.upsert import insert_for


@dataclass(slots=True)
class MemberState:
    """What the core keeps in memory about a member between events."""

    community_id: int
    user_id: str
    joined_at: datetime | None
    left_at: datetime | None
    first_message_at: datetime | None
    message_count: int
    is_bot: bool = False
    display_name: str = ""
    level: int = 0  # participation level (#21.3): 1 and above is past the newcomer sandbox
    staff: bool = False  # seen acting as staff: holds no level


def _state(m: Member) -> MemberState:
    return MemberState(
        m.community_id, m.user_id, m.joined_at, m.left_at, m.first_message_at, m.message_count, m.is_bot, m.display_name,
        m.level or 0, bool(m.staff),
    )  # fmt: skip


# Built once (it runs for every alert to the moderators): building a select costs more CPU than running it.
_NAMES = select(Member.user_id, Member.display_name).where(
    Member.community_id == bindparam("community"), Member.user_id.in_(bindparam("users", expanding=True))
)


class MemberRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, community_id: int, user_id: str) -> Member | None:
        return await self.session.scalar(select(Member).where(Member.community_id == community_id, Member.user_id == user_id))

    async def joined_within(self, community_id: int, spans: list[tuple[datetime, datetime]]) -> list[tuple[str, datetime]]:
        """(user id, joined at) of the members present (not bots) who joined within any of ``spans``, in one query."""
        if not spans:
            return []
        m = Member
        within = or_(*(and_(m.joined_at >= start, m.joined_at < end) for start, end in spans))
        q = select(m.user_id, m.joined_at).where(m.community_id == community_id, m.left_at.is_(None), m.is_bot.is_(False), within)
        return [(u, at) for u, at in await self.session.execute(q) if at is not None]

    async def names(self, community_id: int, user_ids: list[str]) -> dict[str, str]:
        """The display names of those of ``user_ids`` the community knows, in one query."""
        rows = await self.session.execute(_NAMES, {"community": community_id, "users": user_ids})
        return {u: name for u, name in rows}

    async def _insert_missing(self, community_id: int, user_id: str, display_name: str, is_bot: bool) -> Member:
        """The member's row, inserted unless someone else did it first. An upsert, not check-then-add: two
        processes meeting the same new member at once both succeed (the later one finds the earlier one's
        row) instead of one failing on the unique key and losing its whole event."""
        stmt = (
            insert_for(self.session, Member.__table__)
            .values(community_id=community_id, user_id=user_id, display_name=display_name, is_bot=is_bot, message_count=0)
            .on_conflict_do_nothing(index_elements=["community_id", "user_id"])
        )
        await self.session.execute(stmt)
        m = await self.get(community_id, user_id)
        assert m is not None  # inserted now, or by whoever was first
        return m

    async def ensure(self, community_id: int, user_id: str, display_name: str, is_bot: bool) -> MemberState:
        """The member's row, created (as present before the bot came) when first seen; a new name is stored."""
        m = await self.get(community_id, user_id)
        if m is None:
            m = await self._insert_missing(community_id, user_id, display_name, is_bot)
        if display_name and m.display_name != display_name[:256]:
            m.display_name = display_name
        return _state(m)

    async def rename(self, community_id: int, user_id: str, display_name: str) -> None:
        """A member's new name (renames are seen on their next message): /strikes and /pardon find them by it."""
        m = Member
        await self.session.execute(
            update(m).where(m.community_id == community_id, m.user_id == user_id).values(display_name=display_name)
        )

    async def joined(self, community_id: int, user_id: str, display_name: str, is_bot: bool, at: datetime) -> tuple[MemberState, bool]:
        """Record a join. Returns the state and whether this member was here before (a rejoin)."""
        m = await self.get(community_id, user_id)
        rejoin = m is not None and m.joined_at is not None
        if m is None:
            m = await self._insert_missing(community_id, user_id, display_name, is_bot)
            rejoin = m.joined_at is not None  # another process recorded this very join first
        m.display_name = display_name
        m.is_bot = is_bot
        if not rejoin:
            m.joined_at = at
        m.left_at = None
        m.left_kind = None
        await self.session.flush()
        return _state(m), rejoin

    async def left(self, community_id: int, user_id: str, kind: str, at: datetime) -> bool:
        """Record a leave; False when this leave was already recorded (Telegram reports one leave twice
        where the bot is admin: ``chat_member`` and the ``left_chat_member`` service message)."""
        m = await self.get(community_id, user_id)
        if m is None:
            m = Member(community_id=community_id, user_id=user_id, message_count=0)
            self.session.add(m)
        elif m.left_at is not None and (m.joined_at is None or m.left_at >= m.joined_at):
            return False
        m.left_at = at
        m.left_kind = kind
        return True

    async def add_messages(self, rows: list[tuple[int, str, int, datetime]]) -> None:
        """Batched: (community_id, user_id, count, last_at) per member, one executemany."""
        if not rows:
            return
        t = Member.__table__.c
        stmt = (
            update(Member.__table__)  # type: ignore[arg-type]
            .where(t.community_id == bindparam("c"), t.user_id == bindparam("u"))
            .values(
                message_count=t.message_count + bindparam("n"),
                last_message_at=bindparam("at", type_=UTCDateTime()),
                first_message_at=func.coalesce(t.first_message_at, bindparam("at", type_=UTCDateTime())),
            )
        )
        await self.session.execute(stmt, [{"c": c, "u": u, "n": n, "at": at} for c, u, n, at in rows])


class PersonRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, platform: str, user_id: str) -> Person | None:
        return await self.session.scalar(select(Person).where(Person.platform == platform, Person.user_id == user_id))

    async def opted_out(self, platform: str, user_ids: list[str]) -> set[str]:
        """Those of ``user_ids`` who asked for no unasked DMs (``/optout``), in one query."""
        if not user_ids:
            return set()
        q = select(Person.user_id).where(Person.platform == platform, Person.user_id.in_(user_ids), Person.dm_opt_out.is_(True))
        return set(await self.session.scalars(q))

    async def touch(
        self,
        platform: str,
        user_id: str,
        now: datetime,
        language: str | None = None,
        dm_state: str | None = None,
        dm_opt_out: bool | None = None,
    ) -> None:
        values: dict[str, object] = {"updated_at": now}
        if language:
            values["language"] = language
        if dm_state:
            values["dm_state"] = dm_state
        if dm_opt_out is not None:
            values["dm_opt_out"] = dm_opt_out
        stmt = insert_for(self.session, Person.__table__).values(
            platform=platform,
            user_id=user_id,
            dm_state=dm_state or DmState.UNKNOWN,
            dm_opt_out=bool(dm_opt_out),
            language=language,
            updated_at=now,
        )
        stmt = stmt.on_conflict_do_update(index_elements=["platform", "user_id"], set_=values)
        await self.session.execute(stmt)
