"""Tables of recurring events: a series' repeat rule, its per-occurrence changes, and per-occurrence RSVPs.

A series is a ``CalendarEvent`` (its ``starts_at`` is the first occurrence) with
an ``EventSeries`` row beside it. An occurrence is named by its original local
date (``2026-12-10``): the rules the bot writes repeat at most once a day, and a
manager types the date to cancel or move one.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, Clipped, TextEnum, UTCDateTime
from storage.models.core import BigId
from storage.models.rituals import CalendarEvent
from storage.models.states import OccurrenceChange, Rsvp


class EventSeries(Base):
    """The repeat rule of a series, as RFC 5545 RRULE text (``FREQ=WEEKLY;INTERVAL=2;UNTIL=...Z``)."""

    __tablename__ = "event_series"

    event_id: Mapped[int] = mapped_column(ForeignKey("calendar_events.id", ondelete="CASCADE"), primary_key=True)
    rrule: Mapped[str] = mapped_column(String(256))
    # The last occurrence's original start when the rule ends (UNTIL or COUNT); None: it repeats forever.
    last_start: Mapped[datetime | None] = mapped_column(UTCDateTime)


class EventException(Base):
    """One occurrence cancelled or moved (RFC 5545: an EXDATE, or a RECURRENCE-ID with a new time)."""

    __tablename__ = "event_exceptions"
    __table_args__ = (UniqueConstraint("event_id", "occurrence"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("calendar_events.id", ondelete="CASCADE"), index=True)
    occurrence: Mapped[str] = mapped_column(String(10))  # the original local date, ISO
    status: Mapped[OccurrenceChange] = mapped_column(TextEnum(OccurrenceChange))
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # moved: the new start
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sequence: Mapped[int] = mapped_column(Integer, default=1)  # RFC 5545 SEQUENCE: bumped on each change
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class OccurrenceRsvp(Base):
    """One member's answer to one occurrence of a series; it overrides their answer to the whole series."""

    __tablename__ = "occurrence_rsvps"
    __table_args__ = (UniqueConstraint("event_id", "occurrence", "user_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("calendar_events.id", ondelete="CASCADE"), index=True)
    occurrence: Mapped[str] = mapped_column(String(10))
    user_id: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(Clipped(256), default="")
    status: Mapped[Rsvp] = mapped_column(TextEnum(Rsvp))
    at: Mapped[datetime] = mapped_column(UTCDateTime)


def _declare() -> None:
    from storage import forget as f

    f.declare(
        f.Rule(
            OccurrenceRsvp, "user_id", "delete", ("user_id", "display_name"), "forget.table.occurrence_rsvps",
            via=("event_id", CalendarEvent),
        )
    )  # fmt: skip


_declare()


class EventMirror(Base):
    """Where a calendar event shows in a platform's own events list (Discord's scheduled events), so a restart
    updates it rather than adding a twin. A series is mirrored one occurrence at a time (``occurrence``: its
    original local date; "" for a one-off); ``fingerprint`` is what was last sent, so only changes are sent."""

    __tablename__ = "event_mirrors"
    __table_args__ = (UniqueConstraint("platform", "native"),)

    event_id: Mapped[int] = mapped_column(ForeignKey("calendar_events.id", ondelete="CASCADE"), primary_key=True)
    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    native: Mapped[str] = mapped_column(String(64))
    occurrence: Mapped[str] = mapped_column(String(10), default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
