"""Discord objects in, core events out: pure functions, one event or none.

A Discord community is a guild (``ChatRef("discord", guild_id)``); a message's
``place`` is its channel or thread id. Roles come from guild permissions
(Manage Server -> manager, Timeout Members -> moderator) and from the config's
``managers``/``moderators`` lists, which may name users or Discord roles.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

import discord

from bot.core.events import (
    BotStatusChanged,
    ButtonPressed,
    CommandInvoked,
    FormSubmitted,
    LeaveKind,
    MemberJoined,
    MemberLeft,
    MessageDeleted,
    MessageEdited,
    MessageKind,
    MessagePosted,
    NativeEventCreated,
    NativeEventInterest,
    Person,
    PollVoted,
    ReactionAdded,
    ReactionRemoved,
    Role,
    VoteChange,
)
from bot.core.ids import ChatRef, MessageRef, UserRef, private_chat

_URL = re.compile(r"https?://[^\s<>()\[\]]+[^\s<>()\[\].,;:!?'\"]")
_HASHTAG_CLEAN = re.compile(r"[^\w]+")
_JUMP_LINK = re.compile(r"^\s*<?https://(?:\w+\.)?discord(?:app)?\.com/channels/(\d+)/(\d+)/(\d+)>?(?:\s+|$)")
_POSTS = frozenset({discord.MessageType.default, discord.MessageType.reply, discord.MessageType.thread_starter_message})


def chat_of(guild_id: int | str) -> ChatRef:
    return ChatRef("discord", str(guild_id))


def bot_rights(
    guild: discord.Guild, channels: Iterable[int] = (), refused: str | None = None, log_channel: int | None = None
) -> BotStatusChanged | None:
    """The bot's permissions as the core's neutral status, in the channels its features use.

    Channel overwrites can take a permission away (or grant it) in one channel, so pinning, deleting and
    attaching are what the bot may do in every channel of ``channels`` (the server's roles alone when none
    is known); moderating members is server-wide. ``refused``: a right Discord just refused (50013), missing
    whatever the cached permissions say. Pinning is ``PIN_MESSAGES`` alone: since February 2026 Manage
    Messages no longer pins. ``log_channel``: the moderators' log in this server, where the bot must see the
    channel, post and embed (a long log line is an embed); a log it cannot post to loses every alert.
    """
    me = guild.me
    if me is None:
        return None
    g = me.guild_permissions
    here = [c.permissions_for(me) for c in dict.fromkeys(guild.get_channel_or_thread(i) for i in channels) if c is not None]
    places = here or [g]
    rights = {
        "can_delete": all(p.manage_messages for p in places),
        "can_restrict": g.moderate_members and g.kick_members and g.ban_members,
        "can_pin": all(p.pin_messages for p in places),
        "can_attach": all(p.attach_files for p in places),
        "can_events": g.create_events and g.manage_events,  # the mirror in Discord's events list; Manage: the events managers made
        "can_roles": g.manage_roles,  # participation levels as roles (the hierarchy is Discord's to refuse, told then)
    }
    if log_channel is not None:
        log = guild.get_channel_or_thread(log_channel)
        p = log.permissions_for(me) if log is not None else None
        rights["can_log"] = p is not None and p.view_channel and p.send_messages and p.embed_links
    if refused in rights:
        rights[refused] = False
    return BotStatusChanged(
        chat_of(guild.id),
        discord.utils.utcnow(),
        is_admin=g.administrator,
        is_member=True,
        can_delete=rights["can_delete"],
        can_restrict=rights["can_restrict"],
        can_pin=rights["can_pin"],
        extra={k: rights[k] for k in ("can_attach", "can_events", "can_log", "can_roles") if k in rights},
    )


def person(user: discord.abc.User, language: str | None = None) -> Person:
    return Person(
        UserRef("discord", str(user.id)),
        user.display_name,
        user.name,
        user.bot,
        language,
        tuple(str(r.id) for r in user.roles) if isinstance(user, discord.Member) else (),
    )


def role_of(user: discord.abc.User, self_id: int | None) -> Role:
    """What Discord says of the sender: the bot itself, or its permissions (the config's staff lists,
    which may name a role id, are applied by the core: ``bot.core.roles``, with ``Person.groups``)."""
    if self_id is not None and user.id == self_id:
        return Role.SELF
    perms = user.guild_permissions if isinstance(user, discord.Member) else None
    if perms is not None and perms.manage_guild:
        return Role.MANAGER
    if perms is not None and perms.moderate_members:
        return Role.MODERATOR
    return Role.MEMBER


def message_kind(message: discord.Message) -> MessageKind:
    if message.poll is not None:
        return MessageKind.POLL
    if message.stickers:
        return MessageKind.STICKER
    for a in message.attachments:
        if a.is_voice_message():
            return MessageKind.VOICE
        ctype = (a.content_type or "").split("/")[0]
        if ctype == "image":
            return MessageKind.ANIMATION if (a.content_type or "").endswith("gif") else MessageKind.PHOTO
        if ctype == "video":
            return MessageKind.VIDEO
        if ctype == "audio":
            return MessageKind.AUDIO
        return MessageKind.DOCUMENT
    return MessageKind.TEXT


def hashtag(tag_name: str) -> str:
    """A forum tag's name as a hashtag: ``"Show & Tell"`` -> ``"#show_tell"``."""
    body = _HASHTAG_CLEAN.sub("_", tag_name.strip().lower()).strip("_")
    return f"#{body}" if body else ""


def forum_hashtags(message: discord.Message) -> tuple[str, ...]:
    """The tags of a forum post, on its first message (the post itself), as hashtags."""
    channel = message.channel
    if not isinstance(channel, discord.Thread) or channel.id != message.id:
        return ()
    if not isinstance(channel.parent, discord.ForumChannel):  # media channels are ForumChannels too
        return ()
    return tuple(h for h in (hashtag(t.name) for t in channel.applied_tags) if h)


def forum_of(message: discord.Message) -> tuple[str | None, bool]:
    """A message in a forum post: (the forum channel's id, whether it is the post itself); else (None, False)."""
    channel = message.channel
    if not isinstance(channel, discord.Thread) or not isinstance(channel.parent, discord.ForumChannel):
        return None, False
    return str(channel.parent.id), channel.id == message.id


def _links(message: discord.Message) -> tuple[str, ...]:
    return tuple(dict.fromkeys(_URL.findall(message.content)))


def _reply(message: discord.Message, chat: ChatRef) -> tuple[MessageRef | None, UserRef | None]:
    ref = message.reference
    if ref is None or ref.message_id is None or message.type is not discord.MessageType.reply:
        return None, None
    target = MessageRef(chat, str(ref.message_id), str(ref.channel_id))
    resolved = ref.resolved
    author = UserRef("discord", str(resolved.author.id)) if isinstance(resolved, discord.Message) else None
    return target, author


def message_posted(message: discord.Message, self_id: int | None) -> MessagePosted | None:
    """A guild message as ``MessagePosted``; DMs and system messages are not posts."""
    if message.guild is None or message.type not in _POSTS:
        return None
    chat = chat_of(message.guild.id)
    reply_to, reply_author = _reply(message, chat)
    forum, opens = forum_of(message)
    return MessagePosted(
        chat,
        message.created_at,
        person(message.author),
        MessageRef(chat, str(message.id), str(message.channel.id)),
        text=message.content,
        kind=message_kind(message),
        role=role_of(message.author, self_id),
        hashtags=forum_hashtags(message),
        links=_links(message),
        mentions=tuple(str(u) for u in message.raw_mentions),
        reply_to=reply_to,
        reply_to_author=reply_author,
        forwarded=bool(message.message_snapshots),
        parent_place=forum,
        opens_place=opens,
    )


def direct_message(message: discord.Message) -> MessagePosted | None:
    """A message to the bot in DMs: a private ``MessagePosted`` (gate and farewell answers, and proof DMs are open)."""
    if message.guild is not None or message.type not in _POSTS or message.author.bot:
        return None
    user = person(message.author)
    chat = private_chat(user.ref)
    return MessagePosted(
        chat,
        message.created_at,
        user,
        MessageRef(chat, str(message.id), str(message.channel.id)),
        text=message.content,
        kind=message_kind(message),
    )


def message_edited(message: discord.Message, self_id: int | None) -> MessageEdited | None:
    """An edit of a guild message's text; embed unfurls (no ``edited_at``) are not edits."""
    if message.guild is None or message.type not in _POSTS or message.edited_at is None:
        return None
    chat = chat_of(message.guild.id)
    return MessageEdited(
        chat,
        message.edited_at,
        person(message.author),
        MessageRef(chat, str(message.id), str(message.channel.id)),
        text=message.content,
        role=role_of(message.author, self_id),
        hashtags=forum_hashtags(message),
        links=_links(message),
    )


def message_deleted(payload: discord.RawMessageDeleteEvent, at: datetime) -> MessageDeleted | None:
    if payload.guild_id is None:
        return None
    chat = chat_of(payload.guild_id)
    return MessageDeleted(chat, at, MessageRef(chat, str(payload.message_id), str(payload.channel_id)))


def poll_vote(payload: discord.RawPollVoteActionEvent, added: bool, self_id: int | None, at: datetime) -> PollVoted | None:
    """One answer added or taken back in a server's poll (Discord's ``answer_id`` counts from 1); the poll is its message.

    Discord names the voter even in polls the bot keeps anonymous: the polls feature drops the name there.
    """
    if payload.guild_id is None or payload.user_id == self_id:
        return None
    voter = Person(UserRef("discord", str(payload.user_id)), "")
    change = VoteChange.ADD if added else VoteChange.REMOVE
    return PollVoted(chat_of(payload.guild_id), at, str(payload.message_id), voter, (payload.answer_id - 1,), change)


def reaction(payload: discord.RawReactionActionEvent, at: datetime, self_id: int | None) -> ReactionAdded | ReactionRemoved | None:
    """``MESSAGE_REACTION_ADD`` / ``_REMOVE`` in a server (raw: the message need not be in the client's cache).

    A removal names only the user's id. A custom emoji is ``custom:<id>``.
    """
    if payload.guild_id is None:
        return None
    chat = chat_of(payload.guild_id)
    message = MessageRef(chat, str(payload.message_id), str(payload.channel_id))
    emoji = (f"custom:{payload.emoji.id}" if payload.emoji.id else str(payload.emoji),)
    who = person(payload.member) if payload.member is not None else Person(UserRef("discord", str(payload.user_id)), "")
    role = Role.SELF if self_id is not None and payload.user_id == self_id else Role.MEMBER
    if payload.event_type == "REACTION_ADD":
        author = UserRef("discord", str(payload.message_author_id)) if payload.message_author_id else None
        return ReactionAdded(chat, at, who, message, emoji, role, author)
    return ReactionRemoved(chat, at, who, message, emoji, role)


def member_joined(member: discord.Member) -> MemberJoined:
    return MemberJoined(chat_of(member.guild.id), member.joined_at or discord.utils.utcnow(), person(member))


def member_left(guild_id: int, user: discord.abc.User, at: datetime, kind: LeaveKind = LeaveKind.LEFT) -> MemberLeft:
    """A member left (``GUILD_MEMBER_REMOVE``) or was banned (``GUILD_BAN_ADD``).

    Discord does not tell a kick from a leave without the audit log, so both are ``LEFT``.
    """
    return MemberLeft(chat_of(guild_id), at, person(user), kind)


def _language(interaction: discord.Interaction) -> str | None:
    return interaction.locale.value if interaction.locale else None


def linked_message(args: str, chat: ChatRef) -> tuple[MessageRef | None, str]:
    """A message's jump link at the start of a slash command's args (``/spam https://discord.com/channels/…``):
    the message the command is about, and the rest of the args. Links into another guild are left as text."""
    m = _JUMP_LINK.match(args)
    if m is None or m.group(1) != chat.id:
        return None, args
    return MessageRef(chat, m.group(3), m.group(2)), args[m.end() :]


def command_invoked(
    interaction: discord.Interaction,
    name: str,
    args: str,
    self_id: int | None,
    target: discord.Message | None = None,
) -> CommandInvoked | None:
    """A slash command, or a message command (``target``: the message it was used on).

    Its ``message`` is the interaction: replies to it answer the interaction. Slash commands cannot
    reply to a message on Discord; ``reply_to`` comes from a message command's target or from a
    jump link at the start of the args.
    """
    if interaction.guild_id is None:
        return None
    chat = chat_of(interaction.guild_id)
    place = str(interaction.channel_id) if interaction.channel_id else None
    author: UserRef | None = None
    if target is not None:
        reply_to: MessageRef | None = MessageRef(chat, str(target.id), str(target.channel.id))
        author = UserRef("discord", str(target.author.id))
    else:
        reply_to, args = linked_message(args, chat)
    return CommandInvoked(
        chat,
        interaction.created_at,
        person(interaction.user, _language(interaction)),
        name,
        args.strip(),
        role=role_of(interaction.user, self_id),
        message=MessageRef(chat, str(interaction.id), place),
        interaction_id=str(interaction.id),
        reply_to=reply_to,
        reply_to_author=author,
    )


def button_pressed(interaction: discord.Interaction, self_id: int | None) -> ButtonPressed | None:
    """A press on a button the bot sent: ``custom_id`` is the button's data, so it works after restarts.

    A press in a DM (the welcome DM's buttons, the campaign's Stop, an appeal) carries no guild: it is a
    press in the member's private chat with the bot, and the button's data names the community.
    """
    if interaction.type is not discord.InteractionType.component:
        return None
    data: object = interaction.data or {}
    custom_id = data.get("custom_id") if isinstance(data, dict) else None
    if not isinstance(custom_id, str) or not custom_id:
        return None
    presser = person(interaction.user, _language(interaction))
    in_dm = interaction.guild_id is None
    chat = private_chat(presser.ref) if in_dm else chat_of(interaction.guild_id or 0)
    msg = interaction.message
    place = str(interaction.channel_id or getattr(msg.channel, "id", None) or "") if msg is not None else ""
    return ButtonPressed(
        chat,
        interaction.created_at,
        presser,
        custom_id,
        str(interaction.id),
        role=Role.MEMBER if in_dm else role_of(interaction.user, self_id),
        # ``channel`` is optional in the interaction payload; ``channel_id`` is always there.
        message=MessageRef(chat, str(msg.id), place) if msg is not None else None,
    )


def form_submitted(interaction: discord.Interaction, self_id: int | None) -> FormSubmitted | None:
    """A modal the bot opened (``AskForm``), filled in: its ``custom_id`` is the form's data, each text input's
    ``custom_id`` a field's key. The values sit in action rows, or in labels (Discord's newer modal layout)."""
    data: object = interaction.data or {}
    if not isinstance(data, dict) or not isinstance(data.get("custom_id"), str) or not data["custom_id"]:
        return None
    values: list[tuple[str, str]] = []
    for row in data.get("components") or []:
        inner = row.get("components") or ([row["component"]] if isinstance(row.get("component"), dict) else [])
        for c in inner:
            if isinstance(c, dict) and isinstance(c.get("custom_id"), str) and isinstance(c.get("value"), str):
                values.append((c["custom_id"], c["value"]))
    who = person(interaction.user, _language(interaction))
    in_dm = interaction.guild_id is None
    chat = private_chat(who.ref) if in_dm else chat_of(interaction.guild_id or 0)
    place = str(interaction.channel_id) if interaction.channel_id else None
    return FormSubmitted(
        chat,
        interaction.created_at,
        who,
        data["custom_id"],
        str(interaction.id),
        tuple(values),
        role=Role.MEMBER if in_dm else role_of(interaction.user, self_id),
        message=MessageRef(chat, str(interaction.id), place),  # a reply answers the form's interaction
    )


def native_event_created(event: discord.ScheduledEvent, at: datetime) -> NativeEventCreated:
    """A scheduled event someone made in Discord (the adapter leaves out the bot's own)."""
    return NativeEventCreated(
        chat_of(event.guild_id),
        at,
        native=str(event.id),
        title=event.name,
        starts_at=event.start_time,
        ends_at=event.end_time,
        location=event.location or "",
        description=event.description or "",
        creator=person(event.creator) if event.creator is not None else None,
    )


def native_event_interest(data: Mapping[str, Any], user: Person, added: bool, at: datetime) -> NativeEventInterest | None:
    """``GUILD_SCHEDULED_EVENT_USER_ADD/REMOVE``, raw: discord.py drops them for users it has not cached."""
    if not data.get("guild_id") or not data.get("guild_scheduled_event_id"):
        return None
    return NativeEventInterest(chat_of(data["guild_id"]), at, user, str(data["guild_scheduled_event_id"]), added)
