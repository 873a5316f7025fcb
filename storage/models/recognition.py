"""Tables of questions and recognition: #question posts and their answers, the opt-in helpers, reactions per day."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, Clipped, UTCDateTime
from storage.models.core import BigId


class Question(Base):
    """A ``#question`` post and where it stands: first reply, solved, and the follow-ups already given.

    ``offered_at``, ``logged_at`` and ``nudged_at`` say a follow-up was given (each at most once);
    ``answer_by`` is whose answer solved it (the first replier when the asker did not say).
    """

    __tablename__ = "questions"
    __table_args__ = (
        UniqueConstraint("community_id", "message_id"),
        Index("ix_questions_time", "community_id", "asked_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    message_id: Mapped[str] = mapped_column(String(64))
    place: Mapped[str | None] = mapped_column(String(64))
    author_id: Mapped[str] = mapped_column(String(64))
    # "question", or "intro": a newcomer's #intro, followed only until someone says hello (no answers counted,
    # no solved mark, left out of the question figures)
    kind: Mapped[str] = mapped_column(String(16), default="question", server_default="question")
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime)
    first_reply_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_replier_id: Mapped[str | None] = mapped_column(String(64))
    solved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answer_by: Mapped[str | None] = mapped_column(String(64))
    offered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    logged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    nudged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class QuestionAnswer(Base):
    """A reply to a question by someone other than the asker (so ``/solved`` on it credits its author)."""

    __tablename__ = "question_answers"
    __table_args__ = (
        UniqueConstraint("community_id", "message_id"),
        Index("ix_question_answers_author", "community_id", "author_id", "answered_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    message_id: Mapped[str] = mapped_column(String(64))
    author_id: Mapped[str] = mapped_column(String(64))
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Helper(Base):
    """A member who is happy to be asked about unanswered questions (``/helper on`` or a manager's ``/helper add``)."""

    __tablename__ = "helpers"

    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    display_name: Mapped[str] = mapped_column(Clipped(256), default="")  # for mentions, where they never posted
    added_by: Mapped[str] = mapped_column(String(64))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ReactionDay(Base):
    """Reactions a member gave per day (counts only, never on what): members who react are engaged, not gone.

    Written in batches with the activity counters (``bot/core/tracking.py``), never per reaction.
    """

    __tablename__ = "reaction_days"

    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    reactions: Mapped[int] = mapped_column(Integer, default=0)


class Kudos(Base):
    """A thank-you: ``giver_id`` thanked ``receiver_id`` (by a reply or a reaction); one per pair and day."""

    __tablename__ = "kudos"
    __table_args__ = (
        UniqueConstraint("community_id", "giver_id", "receiver_id", "day"),
        Index("ix_kudos_receiver", "community_id", "receiver_id", "given_at"),
        Index("ix_kudos_time", "community_id", "given_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    giver_id: Mapped[str] = mapped_column(String(64))
    receiver_id: Mapped[str] = mapped_column(String(64))
    message_id: Mapped[str] = mapped_column(String(64))
    day: Mapped[date] = mapped_column(Date)
    given_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SpotlightOptOut(Base):
    """A member who asked not to be named in public recognition (``/spotlight off``)."""

    __tablename__ = "spotlight_opt_outs"

    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    since: Mapped[datetime] = mapped_column(UTCDateTime)


def _declare() -> None:
    from storage import forget as f

    # The asker's questions go (their answers with them, by the foreign key); the answerers' credit stays
    # anonymous so the community's answered-question figures hold.
    f.declare(f.Rule(QuestionAnswer, "author_id", "delete", ("author_id",), "forget.table.question_answers", order=40))
    f.declare(f.Rule(Question, "author_id", "delete", ("author_id",), "forget.table.questions"))
    for col in ("first_replier_id", "answer_by"):
        f.declare(
            f.Rule(
                Question, col, "anonymise", (col,), "forget.table.questions_answered",
                values={col: f.FORGOTTEN}, why="forget.why.questions",
            )
        )  # fmt: skip
    f.not_personal(QuestionAnswer, "question_id", "the row id of the question answered")
    f.declare(f.Rule(Kudos, "giver_id", "delete", ("giver_id",), "forget.table.kudos_given"))
    f.declare(f.Rule(Kudos, "receiver_id", "delete", ("receiver_id",), "forget.table.kudos_received"))
    f.declare(f.Rule(SpotlightOptOut, "user_id", "delete", ("user_id",), "forget.table.spotlight_opt_outs"))
    f.declare(f.Rule(ReactionDay, "user_id", "delete", ("user_id",), "forget.table.reaction_days"))
    f.declare(f.Rule(Helper, "user_id", "delete", ("user_id", "display_name"), "forget.table.helpers"))
    f.declare(
        f.Rule(
            Helper, "added_by", "anonymise", ("added_by",), "forget.table.helpers_added",
            values={"added_by": f.FORGOTTEN}, why="forget.why.record",
        )
    )  # fmt: skip


_declare()
