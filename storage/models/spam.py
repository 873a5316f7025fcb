"""Tables of the spam feature: learnt token counts, moderation records, strikes, reports, known spam pictures."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, Clipped, TextEnum, UTCDateTime
from storage.models.core import BigId
from storage.models.states import SpamStatus


class SpamToken(Base):
    """What a community's moderators taught the classifier: per feature, spam and ham sightings."""

    __tablename__ = "spam_tokens"

    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"), primary_key=True)
    token: Mapped[str] = mapped_column(String(128), primary_key=True)
    spam: Mapped[int] = mapped_column(Integer, default=0)
    ham: Mapped[int] = mapped_column(Integer, default=0)


class SpamRecord(Base):
    """One automatic (or moderator's) spam decision, with what is needed to undo it."""

    __tablename__ = "spam_records"
    __table_args__ = (Index("ix_spam_records_community_message", "community_id", "message_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(Clipped(256), default="")
    message_id: Mapped[str] = mapped_column(String(64))
    place: Mapped[str | None] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text, default="")  # kept to restore and to learn; cut to 4,000 characters
    reasons: Mapped[str] = mapped_column(Clipped(512), default="")  # "classifier:0.93,lure:0.55"
    score: Mapped[float] = mapped_column(Float, default=0.0)
    action: Mapped[str] = mapped_column(String(16))  # delete | warn | mute | ban | none (shadow)
    shadow: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[SpamStatus] = mapped_column(TextEnum(SpamStatus), default=SpamStatus.OPEN)
    decided_by: Mapped[str | None] = mapped_column(String(64))
    card_id: Mapped[str | None] = mapped_column(String(64))  # the log card's message id
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SpamStrike(Base):
    """A member's strikes on the ladder; they decay after a quiet period."""

    __tablename__ = "spam_strikes"

    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
    last_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SpamReport(Base):
    """A member's report of a message (``/report`` as a reply); enough weight brings the moderators a card.

    ``weight`` is what this report counted for (a newcomer's less, a reporter's after false reports less);
    ``record_id`` is the case it led to (its outcome tells a false report: the message was kept).
    """

    __tablename__ = "spam_reports"
    __table_args__ = (
        UniqueConstraint("community_id", "message_id", "reporter_id"),
        Index("ix_spam_reports_reporter", "community_id", "reporter_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    message_id: Mapped[str] = mapped_column(String(64))
    author_id: Mapped[str] = mapped_column(String(64))
    reporter_id: Mapped[str] = mapped_column(String(64))
    weight: Mapped[float] = mapped_column(Float)
    record_id: Mapped[int | None] = mapped_column(ForeignKey("spam_records.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SpamImage(Base):
    """A picture of a spam case: blocked again once moderators confirmed the case (``confirmed``).

    ``key`` is a perceptual hash (``dhash:<hex>``) or a platform's content id (``tg:<file_unique_id>``):
    it says nothing about who posted it. A case restored as not spam takes its pictures with it.
    """

    __tablename__ = "spam_images"
    __table_args__ = (Index("ix_spam_images_community", "community_id", "confirmed"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    record_id: Mapped[int | None] = mapped_column(ForeignKey("spam_records.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(80))
    confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


def _declare() -> None:
    from storage import forget as f

    # The case stays for the moderators (what was decided, when, why), without the person or their words.
    # The tokens learnt from those words are unlearnt by the spam feature's forget hook, before this runs.
    f.declare(
        f.Rule(
            SpamRecord, "user_id", "anonymise", ("user_id", "display_name", "text"), "forget.table.spam_records",
            values={"user_id": f.FORGOTTEN, "display_name": "", "text": ""}, why="forget.why.moderation",
        )
    )  # fmt: skip
    f.declare(
        f.Rule(
            SpamRecord, "decided_by", "anonymise", ("decided_by",), "forget.table.spam_decisions",
            values={"decided_by": f.FORGOTTEN}, why="forget.why.moderation",
        )
    )  # fmt: skip
    f.declare(f.Rule(SpamStrike, "user_id", "delete", ("user_id",), "forget.table.spam_strikes"))
    f.declare(f.Rule(SpamReport, "reporter_id", "delete", ("reporter_id",), "forget.table.spam_reports"))
    f.declare(f.Rule(SpamReport, "author_id", "delete", ("author_id",), "forget.table.spam_reported"))
    f.not_personal(SpamReport, "record_id", "the moderation case the report led to")
    f.not_personal(SpamImage, "record_id", "the moderation case the picture belongs to")


_declare()
