"""Tables of the manager's toolkit: the daily activity rollup and scheduled announcements."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UTCDateTime
from storage.models.core import BigId


class ActivityDaily(Base):
    """Per community per day totals, kept by the tracker's flush so /stats never scans members' rows for them.

    Anonymous counts only: /forgetme leaves them (they hold nothing about a person).
    """

    __tablename__ = "activity_daily"

    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    active: Mapped[int] = mapped_column(Integer, default=0)  # members who posted that day
    messages: Mapped[int] = mapped_column(Integer, default=0)
    replies: Mapped[int] = mapped_column(Integer, default=0)


class Announcement(Base):
    """A manager's announcement for later; the tick posts it once (claimed in ``ritual_runs``)."""

    __tablename__ = "announcements"
    __table_args__ = (Index("ix_announcements_due", "community_id", "status", "due_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    author_id: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending | sent | cancelled
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
