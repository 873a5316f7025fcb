"""What members said they are into (#21.6): one row per member and interest, the interest as the community's
settings word it (a renamed or removed choice simply matches nobody any more)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, Clipped, UTCDateTime


class MemberInterest(Base):
    __tablename__ = "member_interests"

    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    interest: Mapped[str] = mapped_column(Clipped(40), primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)


def _declare() -> None:
    from storage import forget as f

    f.declare(f.Rule(MemberInterest, "user_id", "delete", ("user_id",), "forget.table.member_interests"))


_declare()
