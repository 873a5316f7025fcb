"""Telegram update -> one neutral event, or None. Pure: no I/O, no state.

A table maps the update's kind (the one field set on ``Update``) to a
function; an unknown kind, or a message the core has no use for, gives None.
The platform role (bot itself, anonymous admin, linked channel) is decided
here; admin status comes later from the admin cache (see ``adapters.telegram.admins``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from aiogram.types import (
    CallbackQuery,
    Chat,
    ChatJoinRequest,
    ChatMemberUnion,
    ChatMemberUpdated,
    Message,
    MessageEntity,
    MessageReactionCountUpdated,
    MessageReactionUpdated,
    Poll,
    PollAnswer,
    ReactionTypeCustomEmoji,
    ReactionTypeEmoji,
    Update,
    User,
)

from adapters.telegram.rich import flatten
from bot.core.events import (
    BotStatusChanged,
    ButtonPressed,
    CommandInvoked,
    DirectStarted,
    Event,
    JoinRequested,
    LeaveKind,
    MemberJoined,
    MemberLeft,
    MessageEdited,
    MessageKind,
    MessagePosted,
    Person,
    PollUpdated,
    PollVoted,
    ReactionAdded,
    ReactionRemoved,
    ReactionsCounted,
    Role,
    VoteChange,
    poll_chat,
)
from bot.core.ids import ChatRef, MessageRef, Platform, UserRef

PLATFORM: Platform = "telegram"

# Every update kind the adapter understands; asked for in getUpdates / setWebhook.
ALLOWED_UPDATES: tuple[str, ...] = (
    "message",
    "edited_message",
    "callback_query",
    "chat_member",
    "my_chat_member",
    "chat_join_request",
    "poll_answer",  # votes in the bot's non-anonymous polls
    "poll",  # the counts of the bot's polls, anonymous ones included
    "message_reaction",  # like chat_member: only when asked for, and only where the bot is an admin
    "message_reaction_count",  # anonymous reactions, as totals (delayed by Telegram)
)


@dataclass(frozen=True, slots=True)
class Me:
    """What the translator must know about the bot itself (from getMe)."""

    id: int
    username: str


# ---- small pieces ----------------------------------------------------------


def chat_ref(chat: Chat) -> ChatRef:
    return ChatRef(PLATFORM, str(chat.id), private=chat.type == "private")


def user_ref(user: User) -> UserRef:
    return UserRef(PLATFORM, str(user.id))


def person(user: User) -> Person:
    return Person(user_ref(user), user.full_name, user.username, user.is_bot, user.language_code)


def _chat_person(chat: Chat) -> Person:
    """A message sent on behalf of a chat (anonymous admin, channel)."""
    return Person(UserRef(PLATFORM, str(chat.id)), chat.title or chat.username or str(chat.id), chat.username, True)


def _when(d: datetime | int) -> datetime:
    """aiogram parses most dates, but some fields (``edit_date``) stay Unix seconds."""
    if isinstance(d, int):
        try:
            return datetime.fromtimestamp(d, UTC)
        except (OverflowError, OSError, ValueError):  # a forged or corrupted date: use the time it arrived
            return datetime.now(UTC)
    return d if d.tzinfo else d.replace(tzinfo=UTC)


def place_of(message: Message) -> str | None:
    """A forum topic is the message's place; replies in ordinary groups also carry a thread id, ignored."""
    if message.is_topic_message and message.message_thread_id is not None:
        return str(message.message_thread_id)
    return None


def message_ref(message: Message) -> MessageRef:
    return MessageRef(chat_ref(message.chat), str(message.message_id), place_of(message))


# (attribute on Message, kind): the first present attribute names the kind.
_KINDS: tuple[tuple[str, MessageKind], ...] = (
    ("photo", MessageKind.PHOTO),
    ("video", MessageKind.VIDEO),
    ("animation", MessageKind.ANIMATION),  # before document: Telegram sets both for GIFs
    ("document", MessageKind.DOCUMENT),
    ("audio", MessageKind.AUDIO),
    ("voice", MessageKind.VOICE),
    ("video_note", MessageKind.VIDEO_NOTE),
    ("sticker", MessageKind.STICKER),
    ("contact", MessageKind.CONTACT),
    ("location", MessageKind.LOCATION),
    ("poll", MessageKind.POLL),
    ("story", MessageKind.STORY),
)


def kind_of(message: Message) -> MessageKind | None:
    """The message's kind, or None for service messages (pins, topic changes, ...)."""
    for attr, kind in _KINDS:
        if getattr(message, attr, None):
            return kind
    if message.text is not None or message.rich_message is not None:
        return MessageKind.TEXT
    if message.caption is not None:
        return MessageKind.OTHER
    for attr in ("venue", "dice", "game", "paid_media", "checklist"):
        if getattr(message, attr, None) is not None:
            return MessageKind.OTHER
    return None


def role_of(message: Message, me: Me) -> Role:
    if message.from_user is not None and message.from_user.id == me.id:
        return Role.SELF
    if message.is_automatic_forward:
        return Role.LINKED_CHANNEL
    if message.sender_chat is not None and message.sender_chat.id == message.chat.id:
        return Role.ANONYMOUS_ADMIN
    return Role.MEMBER


def _author(message: Message) -> Person | None:
    if message.sender_chat is not None:
        return _chat_person(message.sender_chat)
    return person(message.from_user) if message.from_user is not None else None


@dataclass(frozen=True, slots=True)
class _Entities:
    hashtags: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    mentions: tuple[str, ...] = ()


def _cut(entity: MessageEntity, text: str) -> str:
    """The entity's text; '' when its offsets are impossible (e.g. inside an emoji's surrogate pair)."""
    try:
        return entity.extract_from(text)
    except (UnicodeDecodeError, ValueError):
        return ""


def content(message: Message) -> tuple[str, tuple[str, ...]]:
    """What a message says and the links it carries beyond its entities.

    The text, else the caption, else a rich message's words; a quote from another chat (``external_reply``)
    is shown in this chat, so it is read too.
    """
    text = message.text if message.text is not None else message.caption or ""
    links: tuple[str, ...] = ()
    if message.rich_message is not None:
        words, links = flatten(message.rich_message)
        text = f"{text}\n{words}" if text else words
    if message.quote is not None and message.external_reply is not None and message.quote.text:
        text = f"{text}\n{message.quote.text}" if text else message.quote.text
    return text, links


def _entities(message: Message) -> _Entities:
    text = message.text if message.text is not None else message.caption or ""
    entities = message.entities if message.text is not None else message.caption_entities
    hashtags: list[str] = []
    links: list[str] = []
    mentions: list[str] = []
    for e in entities or ():
        if e.type == "hashtag":
            tag = _cut(e, text).lstrip("#").split("@")[0]
            if tag:
                hashtags.append(tag)
        elif e.type == "url":
            if link := _cut(e, text):
                links.append(link)
        elif e.type == "text_link" and e.url:
            links.append(e.url)
        elif e.type == "mention":
            if mention := _cut(e, text).lstrip("@"):
                mentions.append(mention)
        elif e.type == "text_mention" and e.user is not None:
            mentions.append(str(e.user.id))
    return _Entities(tuple(hashtags), tuple(links), tuple(mentions))


def parse_command(message: Message, me: Me) -> tuple[str, str] | None:
    """``(name, args)`` for ``/name@bot args`` at the message's start; None if not a command for this bot."""
    text = message.text or ""
    first = leading_command(message)
    if first is None:
        return None
    token = _cut(first, text)
    if not token.startswith("/"):
        return None
    name, _, target = token[1:].partition("@")
    if target and target.lower() != me.username.lower():
        return None  # addressed to another bot in the group
    return name.lower(), text[len(token) :].strip()


def leading_command(message: Message) -> MessageEntity | None:
    """The ``bot_command`` entity a message starts with (for this bot or another), if any."""
    entities = message.entities or []
    first = entities[0] if entities else None
    return first if first is not None and first.type == "bot_command" and first.offset == 0 else None


def _replied(message: Message) -> Message | None:
    """The message this one answers, if it is a real reply in the same chat.

    In a forum every message "replies" to its topic's first message: not a real reply.
    """
    reply = message.reply_to_message
    if reply is None or reply.forum_topic_created is not None:
        return None
    return reply


# ---- update kinds ------------------------------------------------------------


def _message(message: Message, me: Me, now: datetime) -> Event | None:
    chat = chat_ref(message.chat)
    at = _when(message.date)
    if message.new_chat_members:
        # A fallback: ``chat_member`` updates say the same when the bot is an admin (the adapter prefers those).
        newcomer = next((u for u in message.new_chat_members if u.id != me.id), None)
        if newcomer is None:
            return None
        inviter = message.from_user
        invited_by = user_ref(inviter) if inviter is not None and inviter.id != newcomer.id else None
        return MemberJoined(chat, at, person(newcomer), invited_by, message_ref(message))
    if message.left_chat_member is not None:
        gone = message.left_chat_member
        if gone.id == me.id:
            return None
        actor = message.from_user
        leave = LeaveKind.KICKED if actor is not None and actor.id != gone.id else LeaveKind.LEFT
        return MemberLeft(chat, at, person(gone), leave, message_ref(message))
    author = _author(message)
    if author is None:
        return None
    role = role_of(message, me)
    reply = _replied(message)
    command = parse_command(message, me)
    if command is not None:
        name, args = command
        if chat.private and name == "start":
            return DirectStarted(chat, at, author, args)
        return CommandInvoked(
            chat,
            at,
            author,
            name,
            args,
            role,
            message_ref(message),
            reply_to=message_ref(reply) if reply is not None else None,
            reply_to_author=user_ref(reply.from_user) if reply is not None and reply.from_user is not None else None,
            mentioned=tuple(user_ref(e.user) for e in message.entities or () if e.type == "text_mention" and e.user is not None),
        )
    kind = kind_of(message)
    if kind is None:
        return None
    if kind is MessageKind.TEXT and leading_command(message) is not None:
        kind = MessageKind.COMMAND  # another bot's command (``/find@other_bot``): never a post of ours
    found = _entities(message)
    text, more_links = content(message)
    return MessagePosted(
        chat,
        at,
        author,
        message_ref(message),
        text=text,
        kind=kind,
        role=role,
        hashtags=found.hashtags,
        links=found.links + more_links,
        mentions=found.mentions,
        reply_to=message_ref(reply) if reply is not None else None,
        reply_to_author=user_ref(reply.from_user) if reply is not None and reply.from_user is not None else None,
        forwarded=message.forward_origin is not None or message.external_reply is not None,
        has_contact=message.contact is not None,
        # the largest size's content id: the same for the same file in every chat and for every bot
        images=(f"tg:{message.photo[-1].file_unique_id}",) if message.photo else (),
    )


def _edited(message: Message, me: Me, now: datetime) -> Event | None:
    author = _author(message)
    if author is None or kind_of(message) is None:
        return None
    found = _entities(message)
    text, more_links = content(message)
    return MessageEdited(
        chat_ref(message.chat),
        _when(message.edit_date or message.date),
        author,
        message_ref(message),
        text=text,
        role=role_of(message, me),
        hashtags=found.hashtags,
        links=found.links + more_links,
    )


def _callback(query: CallbackQuery, me: Me, now: datetime) -> Event | None:
    if query.data is None:
        return None  # a game button: not ours
    msg = query.message
    if msg is not None:
        chat = chat_ref(msg.chat)
        ref: MessageRef | None = MessageRef(chat, str(msg.message_id), place_of(msg) if isinstance(msg, Message) else None)
    else:
        chat = ChatRef(PLATFORM, str(query.from_user.id), private=True)
        ref = None
    return ButtonPressed(chat, now, person(query.from_user), query.data, query.id, message=ref)


_INSIDE = {"creator", "administrator", "member"}


def _is_inside(member: ChatMemberUnion) -> bool:
    return member.status in _INSIDE or (member.status == "restricted" and bool(getattr(member, "is_member", False)))


def _chat_member(update: ChatMemberUpdated, me: Me, now: datetime) -> Event | None:
    chat = chat_ref(update.chat)
    at = _when(update.date)
    user = update.new_chat_member.user
    was, inside = _is_inside(update.old_chat_member), _is_inside(update.new_chat_member)
    if not was and inside:
        inviter = update.from_user
        invited_by = user_ref(inviter) if inviter.id != user.id else None
        return MemberJoined(chat, at, person(user), invited_by)
    if was and not inside:
        if update.new_chat_member.status == "kicked":
            kind = LeaveKind.BANNED
        elif update.from_user.id != user.id:
            kind = LeaveKind.KICKED
        else:
            kind = LeaveKind.LEFT
        return MemberLeft(chat, at, person(user), kind)
    return None  # promotions, restrictions: the adapter refreshes its admin cache


def _my_chat_member(update: ChatMemberUpdated, me: Me, now: datetime) -> Event | None:
    new = update.new_chat_member
    rights = {k: bool(getattr(new, k, False)) for k in ("can_delete_messages", "can_restrict_members", "can_pin_messages")}
    is_admin = new.status in ("administrator", "creator")
    return BotStatusChanged(
        chat_ref(update.chat),
        _when(update.date),
        is_admin=is_admin,
        is_member=_is_inside(new),
        can_delete=rights["can_delete_messages"] or new.status == "creator",
        can_restrict=rights["can_restrict_members"] or new.status == "creator",
        can_pin=rights["can_pin_messages"] or new.status == "creator",
        extra={
            "can_invite_users": bool(getattr(new, "can_invite_users", False)),
            "can_tag": _can_tag(new),
            # topics exist only in forum groups: elsewhere the right is nobody's concern
            **({"can_topics": new.status == "creator" or bool(getattr(new, "can_manage_topics", False))} if update.chat.is_forum else {}),
        },
    )


def _can_tag(member: ChatMemberUnion) -> bool:
    """``can_manage_tags`` (Bot API 10.1): "if omitted defaults to the value of can_pin_messages"; the creator may."""
    if member.status == "creator":
        return True
    if member.status != "administrator":
        return False
    tags = getattr(member, "can_manage_tags", None)
    return bool(getattr(member, "can_pin_messages", False) if tags is None else tags)


def _join_request(req: ChatJoinRequest, me: Me, now: datetime) -> Event | None:
    return JoinRequested(chat_ref(req.chat), _when(req.date), person(req.from_user), req.bio or "")


def _poll_answer(answer: PollAnswer, me: Me, now: datetime) -> Event | None:
    """A vote: Telegram names the voter (a chat voting anonymously is nobody's vote) but not the poll's chat."""
    voter = person(answer.user) if answer.user is not None else None
    return PollVoted(poll_chat(PLATFORM), now, answer.poll_id, voter, tuple(answer.option_ids), VoteChange.SET)


def _poll(poll: Poll, me: Me, now: datetime) -> Event | None:
    counts = tuple(o.voter_count for o in poll.options)
    return PollUpdated(poll_chat(PLATFORM), now, poll.id, counts, poll.total_voter_count, poll.is_closed)


def _emoji(reaction: object) -> str:
    """A reaction as the core names it: the emoji itself, ``custom:<id>``, or ``paid`` (a star reaction)."""
    if isinstance(reaction, ReactionTypeEmoji):
        return reaction.emoji
    if isinstance(reaction, ReactionTypeCustomEmoji):
        return f"custom:{reaction.custom_emoji_id}"
    return str(getattr(reaction, "type", "other"))


def _reaction(update: MessageReactionUpdated, me: Me, now: datetime) -> Event | None:
    """A named member's reactions changed: what was added (or, when nothing was, what was taken back)."""
    user = update.user
    if user is None:
        return None  # an anonymous admin or a channel: counted in message_reaction_count
    chat = chat_ref(update.chat)
    message = MessageRef(chat, str(update.message_id))
    old = [_emoji(r) for r in update.old_reaction]
    new = [_emoji(r) for r in update.new_reaction]
    role = Role.SELF if user.id == me.id else Role.MEMBER
    if added := tuple(e for e in new if e not in old):
        return ReactionAdded(chat, _when(update.date), person(user), message, added, role)
    if removed := tuple(e for e in old if e not in new):
        return ReactionRemoved(chat, _when(update.date), person(user), message, removed, role)
    return None


def _reaction_count(update: MessageReactionCountUpdated, me: Me, now: datetime) -> Event | None:
    chat = chat_ref(update.chat)
    counts = tuple((_emoji(r.type), r.total_count) for r in update.reactions)
    return ReactionsCounted(chat, _when(update.date), MessageRef(chat, str(update.message_id)), counts)


_TABLE: dict[str, Callable[..., Event | None]] = {
    "message": _message,
    "edited_message": _edited,
    "callback_query": _callback,
    "chat_member": _chat_member,
    "my_chat_member": _my_chat_member,
    "chat_join_request": _join_request,
    "poll_answer": _poll_answer,
    "poll": _poll,
    "message_reaction": _reaction,
    "message_reaction_count": _reaction_count,
}
assert set(_TABLE) == set(ALLOWED_UPDATES)


def translate(update: Update, me: Me, now: datetime) -> Event | None:
    """The event this update means to the core, or None (unknown kinds included).

    ``now`` stands in where Telegram gives no time (button presses).
    """
    for kind, fn in _TABLE.items():
        payload = getattr(update, kind, None)
        if payload is not None:
            return fn(payload, me, now)
    return None
