"""Tables of the manager's toolkit: the daily activity rollup, scheduled announcements, moderators' saved replies."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, TextEnum, UTCDateTime
from storage.models.core import BigId
from storage.models.states import AnnouncementStatus


class ActivityDaily(Base):
    """Per community per day: totals, and the day's active members as packed arrays, kept by the tracker's flush.

    ``member_ids`` (sorted members.id, int64), ``messages`` and ``replies_by`` (int32, aligned) are a columnar
    copy of that day's ``activity_days`` rows: /stats reads a month of them in a few blobs and counts distinct
    members and per-member sums in memory instead of grouping hundreds of thousands of rows. They name
    members (by row id), so /forgetme takes the member out of them; the totals are anonymous and stay.
    """

    __tablename__ = "activity_daily"

    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    active: Mapped[int] = mapped_column(Integer, default=0)  # members who posted that day
    messages: Mapped[int] = mapped_column(Integer, default=0)
    replies: Mapped[int] = mapped_column(Integer, default=0)
    member_ids: Mapped[bytes] = mapped_column(LargeBinary, default=b"")
    messages_by: Mapped[bytes] = mapped_column(LargeBinary, default=b"")
    replies_by: Mapped[bytes] = mapped_column(LargeBinary, default=b"")


class Announcement(Base):
    """A manager's announcement for later; the tick posts it once (claimed in ``ritual_runs``)."""

    __tablename__ = "announcements"
    __table_args__ = (Index("ix_announcements_due", "community_id", "status", "due_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    author_id: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[AnnouncementStatus] = mapped_column(TextEnum(AnnouncementStatus), default=AnnouncementStatus.PENDING)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SavedReply(Base):
    """A moderators' saved reply (``/reply save <name> <text>``), posted with ``/reply <name>`` as a reply."""

    __tablename__ = "saved_replies"

    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"), primary_key=True)
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[str] = mapped_column(String(64))
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime)


def _declare() -> None:
    from storage import forget as f

    f.declare(
        f.Rule(
            ActivityDaily, "", "custom", ("member_ids", "messages_by", "replies_by"), "forget.table.activity_daily",
            fn=_forget_in_rollup, order=10,  # reads members.id, before the member rows go
        )
    )  # fmt: skip
    f.declare(
        f.Rule(
            Announcement, "author_id", "anonymise", ("author_id",), "forget.table.announcements",
            values={"author_id": f.FORGOTTEN}, why="forget.why.record",
        )
    )  # fmt: skip
    f.declare(
        f.Rule(
            SavedReply, "author_id", "anonymise", ("author_id",), "forget.table.saved_replies",
            values={"author_id": f.FORGOTTEN}, why="forget.why.record",
        )
    )  # fmt: skip


async def _forget_in_rollup(session: Any, s: Any) -> int:
    from sqlalchemy import select

    from storage.models.core import Member
    from storage.repos.analytics import DailyRollupRepo

    repo = DailyRollupRepo(session)
    # The rollup names members by their row's id: only communities with a member row have anything to take out.
    q = select(Member.community_id).where(Member.user_id == s.user_id, Member.community_id.in_(s.communities()))
    return sum([await repo.forget(cid, s.user_id) for cid in await session.scalars(q)])


_declare()
