"""The states rows move through, as enums stored as their text (``TextEnum``).

One enum a column; a value compares equal to its text (``StrEnum``), so a query may still say
``Poll.status == PollStatus.OPEN`` or read a state into a log line unchanged.
"""

from __future__ import annotations

import enum


class DmState(enum.StrEnum):
    """Whether the bot can reach a person by DM, as the platform last answered."""

    UNKNOWN = "unknown"
    OPEN = "open"
    CLOSED = "closed"


class CampaignState(enum.StrEnum):
    """A newcomer's onboarding DMs."""

    ACTIVE = "active"
    DONE = "done"
    LEFT = "left"
    BANNED = "banned"
    KICKED = "kicked"
    STOPPED = "stopped"  # the newcomer said stop


class GateState(enum.StrEnum):
    """A newcomer's rules gate."""

    NONE = "none"
    PENDING = "pending"
    PASSED = "passed"
    FAILED = "failed"


class DeliveryStatus(enum.StrEnum):
    """One recipient's message of a ritual occurrence (``deliveries``)."""

    CLAIMED = "claimed"  # about to be sent, or sent by a run that died before hearing so
    SENT = "sent"  # the platform took it
    REFUSED = "refused"  # the platform refused it for good (DMs closed): not tried again
    UNCONFIRMED = "unconfirmed"  # in flight at two crashes: not tried a third time


class JoinRequestState(enum.StrEnum):
    DM = "dm"  # the person was asked by DM
    CARD = "card"  # the moderators decide on a card
    PASSED = "passed"  # the gate in the DM let them in
    APPROVED = "approved"  # a moderator let them in
    DECLINED = "declined"
    GONE = "gone"  # answered elsewhere (an admin in Telegram) or withdrawn


class SpamStatus(enum.StrEnum):
    OPEN = "open"  # flagged, waiting for a moderator
    CONFIRMED = "confirmed"
    RESTORED = "restored"
    BANNED = "banned"
    APPEALED = "appealed"
    APPROVED = "approved"  # an appeal granted
    REJECTED = "rejected"  # an appeal refused


class RunStatus(enum.StrEnum):
    """One ritual occurrence in the ledger."""

    CLAIMED = "claimed"
    SENT = "sent"
    SKIPPED = "skipped"
    FAILED = "failed"


class PollStatus(enum.StrEnum):
    OPEN = "open"
    CLOSING = "closing"  # the results are being posted
    CLOSED = "closed"


class AnnouncementStatus(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    CANCELLED = "cancelled"


class EventStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class ProposalStatus(enum.StrEnum):
    """A member's proposed event, until a manager decides."""

    PROPOSED = "proposed"
    APPROVED = "approved"
    DECLINED = "declined"


class OccurrenceChange(enum.StrEnum):
    """What a manager did to one date of a recurring event."""

    CANCELLED = "cancelled"
    MOVED = "moved"


class Rsvp(enum.StrEnum):
    GOING = "going"
    MAYBE = "maybe"
    NO = "no"
    WAITLIST = "waitlist"


class SurveyState(enum.StrEnum):
    SENT = "sent"
    DM_CLOSED = "dm_closed"
    ANSWERED = "answered"


class FeedbackStatus(enum.StrEnum):
    NEW = "new"
    PLANNED = "planned"
    DONE = "done"
    DECLINED = "declined"
