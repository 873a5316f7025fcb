"""Calendar feeds members subscribe to: one link per community and one per member, behind unguessable tokens."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UTCDateTime
from storage.models.core import BigId

COMMUNITY_FEED = ""  # the user_id of a community's own feed (not NULL: the unique key must hold for it too)


class CalendarFeed(Base):
    """A feed's current token; resetting it makes the old link stop working."""

    __tablename__ = "calendar_feeds"
    __table_args__ = (
        UniqueConstraint("community_id", "user_id", name="uq_calendar_feeds_owner"),
        Index("ix_calendar_feeds_token", "token", unique=True),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(64))  # COMMUNITY_FEED for the community's own
    token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


def _declare() -> None:
    from storage import forget as f

    f.declare(f.Rule(CalendarFeed, "user_id", "delete", ("user_id",), "forget.table.calendar_feeds"))


_declare()
