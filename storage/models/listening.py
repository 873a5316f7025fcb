"""Tables of listening to members: pulse survey answers and the feedback inbox."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, Clipped, TextEnum, UTCDateTime
from storage.models.core import BigId
from storage.models.states import FeedbackStatus, SurveyState


class SurveyAnswer(Base):
    """One member asked one survey in one period: the row is made when the DM goes out (the unique key is
    what keeps a member from being asked twice in a period), and holds the answer once it comes."""

    __tablename__ = "survey_answers"
    __table_args__ = (
        UniqueConstraint("community_id", "kind", "period", "user_id"),
        Index("ix_survey_answers_community_sent", "community_id", "sent_at"),
        Index("ix_survey_answers_user", "user_id", "comment_until"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))  # nps | start (the onboarding survey)
    period: Mapped[str] = mapped_column(String(16))  # 2026-12, 2026-W49, 2026-Q4; "start" for the onboarding survey
    user_id: Mapped[str] = mapped_column(String(64))
    state: Mapped[SurveyState] = mapped_column(TextEnum(SurveyState))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime)
    score: Mapped[int | None] = mapped_column(Integer)  # nps: 0-10; start: 0 hard, 1 okay, 2 great
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The "why?" window's end when it ended early (Skip); None: comment_window after answered_at (the answer is
    # one statement, before the community and its settings are known). Rows answered before 0.2 hold their end.
    comment_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    feedback_id: Mapped[int | None] = mapped_column(ForeignKey("feedback_items.id", ondelete="SET NULL"))  # the comment


class FeedbackItem(Base):
    """An idea or complaint in the managers' inbox, from /feedback, the #feedback rubric, a farewell answer
    or a survey comment. ``number`` counts per community (what managers type: /feedback done 12)."""

    __tablename__ = "feedback_items"
    __table_args__ = (
        UniqueConstraint("community_id", "number"),
        Index("ix_feedback_items_community_status", "community_id", "status"),
        Index("ix_feedback_items_author", "author_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(16))  # command | rubric | farewell | survey
    author_id: Mapped[str] = mapped_column(String(64))  # kept to answer by DM, even when anonymous
    author_name: Mapped[str] = mapped_column(Clipped(256), default="")
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)  # never named to managers or in the monthly post
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[FeedbackStatus] = mapped_column(TextEnum(FeedbackStatus), default=FeedbackStatus.NEW)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the managers' first triage
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reply: Mapped[str] = mapped_column(Text, default="")  # the public reply (done) or the reason (declined)
    handled_by: Mapped[str | None] = mapped_column(String(64))


def _declare() -> None:
    from storage import forget as f

    f.declare(f.Rule(SurveyAnswer, "user_id", "delete", ("user_id",), "forget.table.survey_answers", order=40))
    f.declare(
        f.Rule(
            FeedbackItem, "author_id", "delete", ("author_id", "author_name", "text", "reply"), "forget.table.feedback_items", order=45,
        )
    )  # fmt: skip
    f.declare(
        f.Rule(
            FeedbackItem, "handled_by", "anonymise", ("handled_by",), "forget.table.feedback_handled",
            values={"handled_by": None}, why="forget.why.record",
        )
    )  # fmt: skip
    f.not_personal(SurveyAnswer, "feedback_id", "the inbox item holding the comment")


_declare()
