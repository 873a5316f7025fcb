"""Tables of the rituals: the event calendar, RSVPs, the weekly prompts and their posts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, Clipped, TextEnum, UTCDateTime
from storage.models.core import BigId
from storage.models.states import EventStatus, ProposalStatus, Rsvp


class CalendarEvent(Base):
    """An event on a community's calendar. Times are UTC; ``timezone`` is how to show them."""

    __tablename__ = "calendar_events"
    __table_args__ = (Index("ix_calendar_events_community_starts", "community_id", "starts_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(Clipped(256))
    kind: Mapped[str] = mapped_column(String(16), default="", server_default="")  # ama, demo, workshop, meetup, challenge; "" for none
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    timezone: Mapped[str] = mapped_column(String(64))
    place: Mapped[str] = mapped_column(Clipped(512), default="")
    link: Mapped[str] = mapped_column(Clipped(512), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    host_id: Mapped[str | None] = mapped_column(String(64))
    host_name: Mapped[str] = mapped_column(Clipped(256), default="")
    capacity: Mapped[int | None] = mapped_column(Integer)  # None: no limit
    status: Mapped[EventStatus] = mapped_column(TextEnum(EventStatus), default=EventStatus.SCHEDULED)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # When the start time was last set: reminders due before it are not sent (the event did not exist yet).
    timed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class EventRsvp(Base):
    """One member's answer to one event. ``waitlist`` means going, once a place opens up."""

    __tablename__ = "event_rsvps"
    __table_args__ = (UniqueConstraint("event_id", "user_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("calendar_events.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(Clipped(256), default="")
    status: Mapped[Rsvp] = mapped_column(TextEnum(Rsvp))
    at: Mapped[datetime] = mapped_column(UTCDateTime)  # when the status was last set: the waitlist's order


class EventAttendance(Base):
    """After an event, the one question to a member who said they were going: were they there, how was it."""

    __tablename__ = "event_attendance"
    __table_args__ = (UniqueConstraint("event_id", "occurrence", "user_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("calendar_events.id", ondelete="CASCADE"), index=True)
    occurrence: Mapped[str] = mapped_column(String(10), default="")  # a series' occurrence (its original date); "" for a one-off
    user_id: Mapped[str] = mapped_column(String(64))
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attended: Mapped[bool | None] = mapped_column(Boolean)
    rating: Mapped[int | None] = mapped_column(Integer)  # 0 not great, 1 okay, 2 great (only when attended)


class EventProposal(Base):
    """An event a member proposed with ``/event propose``; a manager approves it (it becomes ``event_id``) or declines it."""

    __tablename__ = "event_proposals"
    __table_args__ = (Index("ix_event_proposals_community_proposer", "community_id", "proposer_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    proposer_id: Mapped[str] = mapped_column(String(64))
    proposer_name: Mapped[str] = mapped_column(Clipped(256), default="")
    title: Mapped[str] = mapped_column(Clipped(256))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    place: Mapped[str] = mapped_column(Clipped(512), default="")
    link: Mapped[str] = mapped_column(Clipped(512), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    post_place: Mapped[str | None] = mapped_column(String(64))  # where it was proposed: the approved card goes there
    status: Mapped[ProposalStatus] = mapped_column(TextEnum(ProposalStatus), default=ProposalStatus.PROPOSED)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("calendar_events.id", ondelete="SET NULL"))
    card_chat: Mapped[str | None] = mapped_column(String(64))  # the moderators' card, redrawn once decided
    card_message: Mapped[str | None] = mapped_column(String(64))
    card_place: Mapped[str | None] = mapped_column(String(64))


class WeeklyPrompt(Base):
    """A prompt a manager added with /prompt add, or a config prompt a manager removed (``hidden``)."""

    __tablename__ = "weekly_prompts"
    __table_args__ = (Index("ix_weekly_prompts_community", "community_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(16), default="added")  # added | config
    hidden: Mapped[bool] = mapped_column(default=False)
    added_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PromptRotation(Base):
    """Where the rotation stands: the next prompt is ``cursor`` modulo the list's length."""

    __tablename__ = "prompt_rotation"

    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"), primary_key=True)
    cursor: Mapped[int] = mapped_column(Integer, default=0)


class PromptPost(Base):
    """A weekly prompt as posted; replies to it are counted as responses (counts only, never text)."""

    __tablename__ = "prompt_posts"
    __table_args__ = (
        UniqueConstraint("community_id", "message_id"),
        Index("ix_prompt_posts_community_posted", "community_id", "posted_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    week: Mapped[str] = mapped_column(String(16))  # the local date of the slot, ISO
    text: Mapped[str] = mapped_column(Text)
    message_id: Mapped[str] = mapped_column(String(64))
    place: Mapped[str | None] = mapped_column(String(64))
    posted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    responses: Mapped[int] = mapped_column(Integer, default=0)


def _declare() -> None:
    from storage import forget as f

    f.declare(
        f.Rule(
            EventRsvp, "user_id", "delete", ("user_id", "display_name"), "forget.table.event_rsvps",
            via=("event_id", CalendarEvent),
        )
    )  # fmt: skip
    f.declare(
        f.Rule(
            CalendarEvent, "host_id", "anonymise", ("host_id", "host_name"), "forget.table.calendar_events",
            values={"host_id": None, "host_name": ""}, why="forget.why.record",
        )
    )  # fmt: skip
    f.declare(
        f.Rule(
            EventAttendance, "user_id", "delete", ("user_id",), "forget.table.event_attendance", via=("event_id", CalendarEvent),
        )
    )  # fmt: skip
    f.declare(
        f.Rule(
            EventProposal, "proposer_id", "delete", ("proposer_id", "proposer_name"), "forget.table.event_proposals",
        )
    )  # fmt: skip
    f.declare(
        f.Rule(
            WeeklyPrompt, "added_by", "anonymise", ("added_by",), "forget.table.weekly_prompts",
            values={"added_by": None}, why="forget.why.record",
        )
    )  # fmt: skip
    f.not_personal(PromptPost, "message_id", "the bot's own post")


_declare()
