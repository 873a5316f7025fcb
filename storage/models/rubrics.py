"""Tables of the rubrics feature: managers' rubric definitions, the post index, hint throttling."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UTCDateTime
from storage.models.core import BigId


class RubricDef(Base):
    """A rubric added or edited by a manager (``/rubric``); ``removed`` hides one from the config."""

    __tablename__ = "rubric_defs"
    __table_args__ = (UniqueConstraint("community_id", "tag"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    tag: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # the Rubric's fields, validated on read
    removed: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_by: Mapped[str] = mapped_column(String(64), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class RubricPost(Base):
    """One post carrying one rubric: a post with two rubric tags has two rows.

    The link is not stored: ``message_id`` and ``place`` are enough for each
    platform's link builder (``bot/core/links.py``). ``excerpt`` is None when the
    community turned excerpts off; ``folded`` is its casefolded form for word search.
    """

    __tablename__ = "rubric_posts"
    __table_args__ = (
        UniqueConstraint("community_id", "message_id", "tag"),
        # /find walks this newest first; ``folded`` in the index lets a word search skip the table rows.
        Index("ix_rubric_posts_tag_search", "community_id", "tag", "posted_at", "folded"),
        Index("ix_rubric_posts_author_time", "community_id", "author_id", "posted_at"),
        Index("ix_rubric_posts_time", "community_id", "posted_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    tag: Mapped[str] = mapped_column(String(64))
    author_id: Mapped[str] = mapped_column(String(64))
    author_name: Mapped[str] = mapped_column(String(128), default="")
    message_id: Mapped[str] = mapped_column(String(64))
    place: Mapped[str | None] = mapped_column(String(64))
    posted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    excerpt: Mapped[str | None] = mapped_column(Text)
    folded: Mapped[str | None] = mapped_column(Text)
    replies: Mapped[int] = mapped_column(Integer, default=0)
    reactions: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # for the digest's ranking


class RubricHint(Base):
    """A hint or nudge given: at most one per member, key (tag) and day."""

    __tablename__ = "rubric_hints"

    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)


def _declare() -> None:
    from storage import forget as f

    # The author's posts leave the index: /find no longer lists them (the messages themselves are the platform's).
    f.declare(f.Rule(RubricPost, "author_id", "delete", ("author_id", "author_name"), "forget.table.rubric_posts"))
    f.declare(f.Rule(RubricHint, "user_id", "delete", ("user_id",), "forget.table.rubric_hints"))
    f.declare(
        f.Rule(
            RubricDef, "updated_by", "anonymise", ("updated_by",), "forget.table.rubric_defs",
            values={"updated_by": f.FORGOTTEN}, why="forget.why.record",
        )
    )  # fmt: skip


_declare()
