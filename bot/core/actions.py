"""Outbound actions and their results.

Handlers and rituals ask for actions; an adapter's outbox performs them and
answers with a result. An adapter that cannot do something answers
``Unsupported`` and the handler degrades gracefully.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from bot.core.ids import ChatRef, MessageRef, UserRef
from bot.core.richtext import Rich


@dataclass(frozen=True, slots=True)
class Button:
    """A button under a message: ``data`` comes back in ``ButtonPressed``; or a link."""

    label: str
    data: str | None = None  # at most 64 bytes (Telegram's limit)
    url: str | None = None


Buttons = tuple[tuple[Button, ...], ...]


@dataclass(frozen=True, slots=True)
class Action:
    """Base of all outbound actions."""


def target_of(action: Action) -> ChatRef | UserRef | None:
    """The chat (or person) an action is for, to name it when it fails."""
    target = getattr(action, "chat", None) or getattr(action, "to", None) or getattr(getattr(action, "message", None), "chat", None)
    return target if isinstance(target, ChatRef | UserRef) else None


@dataclass(frozen=True, slots=True)
class SendMessage(Action):
    chat: ChatRef
    text: Rich
    place: str | None = None
    reply_to: MessageRef | None = None
    buttons: Buttons = ()
    silent: bool = False
    link_preview: bool = False


@dataclass(frozen=True, slots=True)
class SendDirect(Action):
    """A private message; fails with ``DM_CLOSED`` when the user has not started the bot or closed DMs."""

    user: UserRef
    text: Rich
    buttons: Buttons = ()


@dataclass(frozen=True, slots=True)
class SendFile(Action):
    """A file (a report's chart, a CSV export, the calendar's ``.ics``) to a chat, or by DM to a user
    (a ``UserRef`` or a private ``ChatRef``; fails with ``DM_CLOSED`` like ``SendDirect``).

    Adapters that cannot send files answer ``Unsupported``; the caller falls back to text.
    """

    to: ChatRef | UserRef
    filename: str  # shown to the recipient; its extension tells the type (.png is sent as a picture where the platform can)
    data: bytes
    caption: Rich | None = None
    mime: str = "application/octet-stream"
    place: str | None = None


@dataclass(frozen=True, slots=True)
class EditMessage(Action):
    message: MessageRef
    text: Rich
    buttons: Buttons = ()


@dataclass(frozen=True, slots=True)
class DeleteMessage(Action):
    message: MessageRef
    posted_at: datetime | None = None  # when it was posted, if known: a platform may keep an old message (TOO_OLD)


@dataclass(frozen=True, slots=True)
class PinMessage(Action):
    message: MessageRef
    silent: bool = True


@dataclass(frozen=True, slots=True)
class UnpinMessage(Action):
    message: MessageRef


@dataclass(frozen=True, slots=True)
class GetPinned(Action):
    """Ask which messages are pinned in a chat (or one of its places).

    ``expected``: the ids the caller pinned there. A platform that cannot list pins (Telegram
    shows only the newest) answers for those: the ones it can tell are gone (deleted, or all pins
    cleared) are left out of the answer, the others are taken as still pinned.
    """

    chat: ChatRef
    place: str | None = None
    expected: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ResolvePeople(Action):
    """Who the config's ids name: people as they are, roles (Discord) as their members. ``Unsupported``
    where ids can only name people (Telegram, the simulator): then the ids are the people."""

    chat: ChatRef
    ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RestrictMember(Action):
    """Mute: the member can read but not post until ``until`` (None: until lifted).

    ``gate``: held until they pass the rules gate, so its buttons must keep working. Discord then gives
    ``role`` (a timeout would block every button) and answers ``Unsupported`` without one.
    """

    chat: ChatRef
    user: UserRef
    until: datetime | None = None
    gate: bool = False
    role: str | None = None


@dataclass(frozen=True, slots=True)
class UnrestrictMember(Action):
    chat: ChatRef
    user: UserRef
    role: str | None = None  # Discord: the gate's role to take back (the gate was held with it, not with a timeout)


@dataclass(frozen=True, slots=True)
class BanMember(Action):
    chat: ChatRef
    user: UserRef
    until: datetime | None = None
    delete_recent: bool = False


@dataclass(frozen=True, slots=True)
class UnbanMember(Action):
    chat: ChatRef
    user: UserRef


@dataclass(frozen=True, slots=True)
class KickMember(Action):
    """Remove without a lasting ban: the member may come back."""

    chat: ChatRef
    user: UserRef


@dataclass(frozen=True, slots=True)
class AnswerButton(Action):
    callback_id: str
    text: str = ""
    alert: bool = False


@dataclass(frozen=True, slots=True)
class FormField:
    """One box of a form: ``key`` names its value in ``FormSubmitted.values``."""

    key: str
    label: str  # up to 45 characters (Discord)
    placeholder: str = ""  # up to 100: an example of what to write
    long: bool = False  # several lines
    required: bool = True
    max_length: int = 1000


@dataclass(frozen=True, slots=True)
class AskForm(Action):
    """Answer an interaction (a slash command, a button) with a form to fill in, Discord's modal. It must be the
    interaction's first answer. The filled-in form comes back as ``FormSubmitted`` with ``data``."""

    callback_id: str
    data: str  # routed by its prefix, as a button's data is (``rt.forms``)
    title: str  # up to 45 characters
    fields: tuple[FormField, ...]  # 1 to 5


@dataclass(frozen=True, slots=True)
class CreateTopic(Action):
    """A topic of its own in the community's chat (a Telegram forum group), answered ``TopicCreated`` with its
    place; ``Unsupported`` where the chat has no topics."""

    chat: ChatRef
    name: str  # 1-128 characters


@dataclass(frozen=True, slots=True)
class CloseTopic(Action):
    """Close a topic the bot made: members can no longer post in it (it stays readable)."""

    chat: ChatRef
    place: str


@dataclass(frozen=True, slots=True)
class DecideJoinRequest(Action):
    chat: ChatRef
    user: UserRef
    approve: bool


@dataclass(frozen=True, slots=True)
class SendPoll(Action):
    """A native poll (Telegram ``sendPoll``, a Discord poll message). Answered ``PollSent``, or ``Unsupported``
    where the platform cannot do what is asked (the polls feature then falls back to buttons).

    The bot closes the poll itself (``ClosePoll``) at ``closes_at``; adapters may show the time natively.
    """

    chat: ChatRef
    question: str
    options: tuple[str, ...]
    multiple: bool = False
    anonymous: bool = False
    closes_at: datetime | None = None
    place: str | None = None


@dataclass(frozen=True, slots=True)
class ClosePoll(Action):
    """Stop a native poll; answered ``PollResults`` with the platform's final counts."""

    message: MessageRef


@dataclass(frozen=True, slots=True)
class MirrorEvent(Action):
    """Show a calendar event (or one occurrence of a series) in the platform's own events list (Discord's
    scheduled events): created when ``native`` is None, else that one updated. Answered ``Mirrored``;
    ``Unsupported`` where the platform has no events list (the bot's own calendar is unaffected)."""

    chat: ChatRef
    title: str
    starts_at: datetime
    ends_at: datetime
    location: str
    description: str = ""
    native: str | None = None


@dataclass(frozen=True, slots=True)
class UnmirrorEvent(Action):
    """Take an event out of the platform's events list (cancelled, or a series' occurrence that was moved away)."""

    chat: ChatRef
    native: str


@dataclass(frozen=True, slots=True)
class SetMemberTag(Action):
    """A short label beside a member's name in the chat (Telegram's member tags: at most 16 characters, no
    emoji; ``""`` takes it away). The bot needs the platform's right to edit members' tags; ``Unsupported``
    where members have no such label (Discord shows a level as a role: ``SetMemberRoles``)."""

    chat: ChatRef
    user: UserRef
    tag: str


@dataclass(frozen=True, slots=True)
class SetMemberRoles(Action):
    """Give a member the roles ``add`` and take ``remove`` away (Discord role ids: the bot needs Manage Roles
    and its own role above these). ``Unsupported`` where there are no roles (Telegram)."""

    chat: ChatRef
    user: UserRef
    add: tuple[str, ...] = ()
    remove: tuple[str, ...] = ()


# Every action the core can ask for: each outbox performs it or names it in its ``UNSUPPORTED``
# (tests/test_architecture.py checks both, so a new action is never silently unsupported everywhere).
ALL_ACTIONS: tuple[type[Action], ...] = (
    SendMessage,
    SendDirect,
    SendFile,
    EditMessage,
    DeleteMessage,
    PinMessage,
    UnpinMessage,
    GetPinned,
    ResolvePeople,
    RestrictMember,
    UnrestrictMember,
    BanMember,
    UnbanMember,
    KickMember,
    AnswerButton,
    AskForm,
    CreateTopic,
    CloseTopic,
    DecideJoinRequest,
    SendPoll,
    ClosePoll,
    MirrorEvent,
    UnmirrorEvent,
    SetMemberTag,
    SetMemberRoles,
)


# ---- results -------------------------------------------------------------


class FailReason(enum.StrEnum):
    FORBIDDEN = "forbidden"  # the bot lacks a right, or was removed
    DM_CLOSED = "dm_closed"  # the user blocked the bot or never started it
    NOT_FOUND = "not_found"  # the message or chat is gone
    TOO_OLD = "too_old"  # the platform keeps a message this old (Telegram deletes only those under 48 hours)
    BAD_REQUEST = "bad_request"
    RATE_LIMITED = "rate_limited"  # gave up after honouring retry_after
    UNAVAILABLE = "unavailable"  # 5xx or timeouts after retries


@dataclass(frozen=True, slots=True)
class Result:
    """Base of all results."""

    @property
    def ok(self) -> bool:
        return False


@dataclass(frozen=True, slots=True)
class Done(Result):
    """Performed. ``message`` is set for actions that create a message."""

    message: MessageRef | None = None
    messages: tuple[MessageRef, ...] = ()  # every part, when a long text was split

    @property
    def ok(self) -> bool:
        return True


@dataclass(frozen=True, slots=True)
class Pinned(Done):
    pinned: tuple[MessageRef, ...] = ()


@dataclass(frozen=True, slots=True)
class People(Done):
    users: tuple[str, ...] = ()  # user ids, each once


@dataclass(frozen=True, slots=True)
class PollSent(Done):
    poll: str = ""  # the platform's poll id, as ``PollVoted.poll`` names it


@dataclass(frozen=True, slots=True)
class PollResults(Done):
    counts: tuple[int, ...] = ()  # votes per option
    voters: int | None = None  # people who voted, when the platform tells


@dataclass(frozen=True, slots=True)
class Mirrored(Done):
    native: str = ""  # the platform's id of the event (a Discord scheduled event's id)


@dataclass(frozen=True, slots=True)
class TopicCreated(Done):
    place: str = ""  # where to post into the topic (Telegram: its message_thread_id)


@dataclass(frozen=True, slots=True)
class Failed(Result):
    reason: FailReason
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Unsupported(Result):
    what: str = ""
