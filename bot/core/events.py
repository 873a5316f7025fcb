"""Inbound events: what happened on a platform, in neutral terms.

Adapters translate platform updates into exactly one of these (or none).
Events are immutable and carry no platform objects.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime

from bot.core.ids import ChatRef, MessageRef, Platform, UserRef


class Role(enum.IntEnum):
    """What a person may do in a community, as far as the bot is concerned."""

    MEMBER = 0
    MODERATOR = 1
    MANAGER = 2  # platform admins, owners and managers named in config
    # Senders the bot must never moderate:
    SELF = 10  # the bot itself
    ANONYMOUS_ADMIN = 11  # Telegram admins posting as the group
    LINKED_CHANNEL = 12  # a channel's automatic forwards into its discussion group

    @property
    def is_staff(self) -> bool:
        """Never moderated by the bot."""
        return self is not Role.MEMBER

    @property
    def rank(self) -> int:
        """What commands the sender may use: 0 member, 1 moderator, 2 manager."""
        if self is Role.ANONYMOUS_ADMIN:
            return 2
        return int(self) if self <= Role.MANAGER else 0


class MessageKind(enum.StrEnum):
    TEXT = "text"
    PHOTO = "photo"
    VIDEO = "video"
    ANIMATION = "animation"
    DOCUMENT = "document"
    AUDIO = "audio"
    VOICE = "voice"
    VIDEO_NOTE = "video_note"
    STICKER = "sticker"
    CONTACT = "contact"
    LOCATION = "location"
    POLL = "poll"
    STORY = "story"
    COMMAND = "command"  # a command addressed to another bot: read by the spam filter, never a post of ours
    OTHER = "other"


class LeaveKind(enum.StrEnum):
    LEFT = "left"
    KICKED = "kicked"
    BANNED = "banned"


@dataclass(frozen=True, slots=True)
class Person:
    """Who did something, with what the platform tells about them."""

    ref: UserRef
    display_name: str
    username: str | None = None
    is_bot: bool = False
    language: str | None = None  # IETF tag from the platform (Telegram language_code, Discord locale)
    groups: tuple[str, ...] = ()  # the platform's groups the person is in (Discord role ids): config staff lists may name one


@dataclass(frozen=True, slots=True)
class Event:
    """Base of all inbound events."""

    chat: ChatRef
    at: datetime

    @property
    def actor(self) -> Person | None:
        """Who did it, whatever the event calls them (``author``, ``user``, ``member``, ``voter``); None when
        nobody is named (a deletion, the platform's counts, the bot's own status, a tick)."""
        return None


@dataclass(frozen=True, slots=True)
class MessagePosted(Event):
    author: Person
    message: MessageRef
    text: str = ""  # text or caption
    kind: MessageKind = MessageKind.TEXT
    role: Role = Role.MEMBER
    hashtags: tuple[str, ...] = ()  # from platform entities when given; the core also parses text
    links: tuple[str, ...] = ()  # URLs from platform entities
    mentions: tuple[str, ...] = ()
    reply_to: MessageRef | None = None
    reply_to_author: UserRef | None = None
    forwarded: bool = False
    has_contact: bool = False
    # What identifies each attached picture: "dhash:<hex>" (bot.core.imagehash) where the adapter read
    # its bytes, or the platform's own id of the file's content ("tg:<file_unique_id>").
    images: tuple[str, ...] = ()
    # The place that holds ``message.place`` (a Discord forum post's forum channel): rules about places apply
    # there too. ``opens_place``: this message starts its place (the forum post itself, not a comment in it).
    parent_place: str | None = None
    opens_place: bool = False

    @property
    def actor(self) -> Person:
        return self.author


@dataclass(frozen=True, slots=True)
class MessageEdited(Event):
    author: Person
    message: MessageRef
    text: str = ""
    role: Role = Role.MEMBER
    hashtags: tuple[str, ...] = ()
    links: tuple[str, ...] = ()

    @property
    def actor(self) -> Person:
        return self.author


@dataclass(frozen=True, slots=True)
class MessageDeleted(Event):
    message: MessageRef


@dataclass(frozen=True, slots=True)
class MemberJoined(Event):
    member: Person
    invited_by: UserRef | None = None
    service_message: MessageRef | None = None  # the platform's own "X joined" message

    @property
    def actor(self) -> Person:
        return self.member


@dataclass(frozen=True, slots=True)
class MemberLeft(Event):
    member: Person
    kind: LeaveKind = LeaveKind.LEFT
    service_message: MessageRef | None = None

    @property
    def actor(self) -> Person:
        return self.member


@dataclass(frozen=True, slots=True)
class CommandInvoked(Event):
    """``/name args`` in a community chat, or in a private conversation (``chat.private``)."""

    user: Person
    name: str
    args: str = ""
    role: Role = Role.MEMBER
    message: MessageRef | None = None
    interaction_id: str | None = None  # Discord slash commands answer through their interaction
    reply_to: MessageRef | None = None  # the message the command answers (``/spam`` as a reply)
    reply_to_author: UserRef | None = None  # who wrote it: a reply names one person, unlike a name
    mentioned: tuple[UserRef, ...] = ()  # people the arguments mention by id (Telegram text mentions)

    @property
    def actor(self) -> Person:
        return self.user


@dataclass(frozen=True, slots=True)
class ButtonPressed(Event):
    user: Person
    data: str
    callback_id: str
    role: Role = Role.MEMBER
    message: MessageRef | None = None

    @property
    def actor(self) -> Person:
        return self.user


@dataclass(frozen=True, slots=True)
class FormSubmitted(Event):
    """A form the bot asked for (``AskForm``) came back filled in; answer it like a press (``callback_id``)."""

    user: Person
    data: str
    callback_id: str
    values: tuple[tuple[str, str], ...]  # (field key, what was written)
    role: Role = Role.MEMBER
    message: MessageRef | None = None  # replies to it answer the form's interaction

    @property
    def actor(self) -> Person:
        return self.user

    def value(self, key: str) -> str:
        return next((v for k, v in self.values if k == key), "").strip()


@dataclass(frozen=True, slots=True)
class DirectStarted(Event):
    """A user opened a private conversation with the bot (Telegram ``/start``).

    ``chat`` is the private chat; ``payload`` the deep-link parameter, if any
    (the core's onboarding writes and reads its format).
    """

    user: Person
    payload: str = ""

    @property
    def actor(self) -> Person:
        return self.user


@dataclass(frozen=True, slots=True)
class JoinRequested(Event):
    user: Person
    bio: str = ""

    @property
    def actor(self) -> Person:
        return self.user


@dataclass(frozen=True, slots=True)
class BotStatusChanged(Event):
    """The bot was added, promoted, demoted or removed."""

    is_admin: bool
    is_member: bool
    can_delete: bool = False
    can_restrict: bool = False
    can_pin: bool = False
    extra: dict[str, bool] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ReactionAdded(Event):
    """A member reacted to a message (Telegram ``message_reaction``, Discord's reaction add).

    ``emoji`` holds every reaction this one update added (Telegram changes several at once); a custom
    emoji is ``custom:<id>``. ``message_author`` is who wrote the message, where the platform says (Discord).
    """

    user: Person
    message: MessageRef
    emoji: tuple[str, ...]
    role: Role = Role.MEMBER
    message_author: UserRef | None = None

    @property
    def actor(self) -> Person:
        return self.user


@dataclass(frozen=True, slots=True)
class ReactionRemoved(Event):
    """A member took reactions back (and added none in the same update)."""

    user: Person
    message: MessageRef
    emoji: tuple[str, ...]
    role: Role = Role.MEMBER

    @property
    def actor(self) -> Person:
        return self.user


@dataclass(frozen=True, slots=True)
class ReactionsCounted(Event):
    """Anonymous reactions on a message, as totals (Telegram ``message_reaction_count``): nobody is named."""

    message: MessageRef
    counts: tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class Tick(Event):
    """A scheduler tick for one community: rituals get it as their context's event."""

    ritual: str = ""


class VoteChange(enum.StrEnum):
    SET = "set"  # ``options`` are now all the voter's choices (empty: the vote was withdrawn); Telegram
    ADD = "add"  # one option added to the voter's choices; Discord
    REMOVE = "remove"  # one option taken back; Discord


def poll_chat(platform: Platform) -> ChatRef:
    """The ``chat`` of a poll event when the platform names none (Telegram's ``poll_answer`` and ``poll``):
    a placeholder; the polls feature finds the community from the poll itself."""
    return ChatRef(platform, "", private=True)


@dataclass(frozen=True, slots=True)
class PollVoted(Event):
    """A vote on one of the bot's native polls. ``poll`` is the platform's poll id (what ``PollSent.poll`` said).

    ``voter`` is None when the platform does not say who voted; ``options`` are 0-based.
    """

    poll: str
    voter: Person | None
    options: tuple[int, ...] = ()
    change: VoteChange = VoteChange.SET

    @property
    def actor(self) -> Person | None:
        return self.voter


@dataclass(frozen=True, slots=True)
class PollUpdated(Event):
    """The platform's own counts of a poll, one per option (Telegram's ``poll`` update: anonymous polls too)."""

    poll: str
    counts: tuple[int, ...]
    voters: int | None = None  # people who voted, when the platform tells
    closed: bool = False


@dataclass(frozen=True, slots=True)
class NativeEventInterest(Event):
    """A member marked (or unmarked) an event "Interested" in the platform's own events list (Discord)."""

    user: Person
    native: str  # the platform's id of the event
    interested: bool

    @property
    def actor(self) -> Person | None:
        return self.user


@dataclass(frozen=True, slots=True)
class NativeEventCreated(Event):
    """Someone other than the bot added an event to the platform's own events list (Discord lets only those
    with its Create Events permission)."""

    native: str
    title: str
    starts_at: datetime
    ends_at: datetime | None
    location: str = ""
    description: str = ""
    creator: Person | None = None

    @property
    def actor(self) -> Person | None:
        return self.creator


ALL_EVENTS: tuple[type[Event], ...] = (
    MessagePosted,
    MessageEdited,
    MessageDeleted,
    MemberJoined,
    MemberLeft,
    CommandInvoked,
    ButtonPressed,
    FormSubmitted,
    DirectStarted,
    JoinRequested,
    BotStatusChanged,
    PollVoted,
    PollUpdated,
    ReactionAdded,
    ReactionRemoved,
    ReactionsCounted,
    NativeEventInterest,
    NativeEventCreated,
)
