"""The inbox: updates a platform delivered, kept until handled and remembered a while after.

A platform that delivers again what it thinks was not received (Telegram) is told "received"
only once the update is here, so a crash loses none; the key (platform, update_id) makes every
process see what another already took (webhooks spread across processes, redeliveries).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UTCDateTime


class InboxUpdate(Base):
    __tablename__ = "inbox_updates"
    __table_args__ = (Index("ix_inbox_updates_open", "platform", "handled_at", "lease_until"),)

    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    payload: Mapped[str | None] = mapped_column(Text)  # the update as delivered; emptied once handled
    owner: Mapped[str] = mapped_column(String(64))  # the process handling it
    lease_until: Mapped[datetime] = mapped_column(UTCDateTime)  # past this, another process may take it over
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


def _declare() -> None:
    from storage import forget as f

    why = "a delivery's number; its payload (which may name a member) is emptied once handled, seconds later"
    f.not_personal(InboxUpdate, "update_id", why)


_declare()
