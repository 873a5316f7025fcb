"""Tables of the polls: the polls, the votes of non-anonymous polls, the counts of anonymous ones.

An anonymous poll's votes are never stored with a person: only ``poll_tallies`` (counts per option).
A poll that falls back to buttons must still refuse a second vote from the same member, so it keeps
who took part (``poll_voters``, never what they chose) until it closes; then those rows go.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, TextEnum, UTCDateTime
from storage.models.core import BigId
from storage.models.states import PollStatus


class Poll(Base):
    """A poll as asked. ``native``: the platform's own poll (``poll_ref`` is its id), else a message with buttons."""

    __tablename__ = "polls"
    __table_args__ = (
        Index("ix_polls_platform_ref", "platform", "poll_ref"),
        Index("ix_polls_community_status", "community_id", "status", "closes_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    platform: Mapped[str] = mapped_column(String(16))
    question: Mapped[str] = mapped_column(String(300))
    options: Mapped[list[str]] = mapped_column(JSON, default=list)
    multiple: Mapped[bool] = mapped_column(Boolean, default=False)
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    native: Mapped[bool] = mapped_column(Boolean, default=True)
    poll_ref: Mapped[str | None] = mapped_column(String(64))
    message_id: Mapped[str | None] = mapped_column(String(64))
    place: Mapped[str | None] = mapped_column(String(64))
    created_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[PollStatus] = mapped_column(TextEnum(PollStatus), default=PollStatus.OPEN)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    counts: Mapped[list[int] | None] = mapped_column(JSON)  # the final votes per option, once closed
    voters: Mapped[int | None] = mapped_column(Integer)  # how many took part, once closed (None: not known)
    results_message_id: Mapped[str | None] = mapped_column(String(64))


class PollVote(Base):
    """One option one member chose in a non-anonymous poll."""

    __tablename__ = "poll_votes"
    __table_args__ = (UniqueConstraint("poll_id", "user_id", "option"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(64))
    option: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class PollTally(Base):
    """Votes per option of an anonymous poll: counts, nobody's name."""

    __tablename__ = "poll_tallies"

    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"), primary_key=True)
    option: Mapped[int] = mapped_column(Integer, primary_key=True)
    votes: Mapped[int] = mapped_column(Integer, default=0)


class PollVoter(Base):
    """Who already voted in an open anonymous button poll (not what): one vote each. Deleted when it closes."""

    __tablename__ = "poll_voters"

    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)


def _declare() -> None:
    from storage import forget as f

    f.declare(f.Rule(PollVote, "user_id", "delete", ("user_id",), "forget.table.poll_votes", via=("poll_id", Poll)))
    f.declare(f.Rule(PollVoter, "user_id", "delete", ("user_id",), "forget.table.poll_voters", via=("poll_id", Poll)))
    f.declare(
        f.Rule(
            Poll, "created_by", "anonymise", ("created_by",), "forget.table.polls",
            values={"created_by": None}, why="forget.why.record",
        )
    )  # fmt: skip
    for model in (PollVote, PollTally, PollVoter):
        f.not_personal(model, "poll_id", "the poll, not a person")
    f.not_personal(Poll, "message_id", "the bot's own post")
    f.not_personal(Poll, "results_message_id", "the bot's own post")


_declare()
