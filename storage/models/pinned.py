"""Tables of the pinned feature: each document's published messages, and its version history."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UTCDateTime
from storage.models.core import BigId


class PinnedDoc(Base):
    """One pinned document of a community (slot 1..5) and the messages that show it now.

    ``message_ids`` lists every part of a split document, in order; empty means
    not published. ``revision`` grows with every change of state and makes the
    ritual's occurrence keys unique, so a restart never repeats a publication.
    """

    __tablename__ = "pinned_docs"
    __table_args__ = (UniqueConstraint("community_id", "slot"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    slot: Mapped[int] = mapped_column(Integer)
    message_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    place: Mapped[str | None] = mapped_column(String(64))
    override: Mapped[str | None] = mapped_column(Text)  # a manager's text set with /doc set
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    version: Mapped[int] = mapped_column(Integer, default=0)
    revision: Mapped[int] = mapped_column(Integer, default=0)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    retry_after: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PinnedVersion(Base):
    """Every change of a pinned document: who, when, what happened, and the text it showed."""

    __tablename__ = "pinned_versions"
    __table_args__ = (Index("ix_pinned_versions_community_slot", "community_id", "slot", "version"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    slot: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer)
    actor_id: Mapped[str] = mapped_column(String(64))  # a user id, or "system"
    what: Mapped[str] = mapped_column(String(32))  # published | edited | restored | reposted | republished | set | retired
    body: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime)


def _declare() -> None:
    from storage import forget as f

    f.declare(
        f.Rule(
            PinnedVersion, "actor_id", "anonymise", ("actor_id",), "forget.table.pinned_versions",
            values={"actor_id": f.FORGOTTEN}, why="forget.why.record",
        )
    )  # fmt: skip


_declare()
