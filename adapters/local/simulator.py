"""An in-process platform with chats, members, admins, DMs, pins and message ids.

It drives the core the way a real platform would (members join, post, press
buttons, start the bot) and answers the core's actions as a real platform
does, refusals included: a DM to someone who never started the bot fails, a
deleted message cannot be edited, a bot without admin rights cannot ban.
Time comes from a virtual clock, so a week runs in seconds.
"""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

from bot.core import actions as a
from bot.core.clock import VirtualClock
from bot.core.events import (
    ButtonPressed,
    CommandInvoked,
    DirectStarted,
    Event,
    LeaveKind,
    MemberJoined,
    MemberLeft,
    MessageDeleted,
    MessageEdited,
    MessageKind,
    MessagePosted,
    Person,
    PollUpdated,
    PollVoted,
    ReactionAdded,
    ReactionRemoved,
    Role,
    poll_chat,
)
from bot.core.ids import ChatRef, MessageRef, UserRef, private_chat
from bot.core.imagehash import dhash
from bot.core.richtext import PLAIN, Rich, render, split

LIMIT = 4096
Sink = Callable[[Event], Awaitable[Any]]


@dataclass
class SimUser:
    id: str
    name: str
    username: str | None = None
    language: str | None = None
    dm_open: bool = True  # False: never started the bot / closed DMs
    is_bot: bool = False

    @property
    def ref(self) -> UserRef:
        return UserRef("local", self.id)

    @property
    def person(self) -> Person:
        return Person(self.ref, self.name, self.username, self.is_bot, self.language)


@dataclass
class SimMessage:
    id: str
    chat: str  # chat id, or "dm:<user id>"
    author: str  # user id, or "bot"
    text: str
    at: datetime
    place: str | None = None
    reply_to: str | None = None
    buttons: a.Buttons = ()
    rich: Rich | None = None
    deleted: bool = False
    edits: int = 0
    file: tuple[str, bytes] | None = None  # (filename, data) of a SendFile
    poll: SimPoll | None = None  # a SendPoll


@dataclass
class SimPoll:
    """A native poll, as Telegram keeps one: choices per voter, counts told even when anonymous."""

    id: str
    question: str
    options: tuple[str, ...]
    multiple: bool
    anonymous: bool
    closed: bool = False
    choices: dict[str, tuple[int, ...]] = field(default_factory=dict)

    @property
    def counts(self) -> tuple[int, ...]:
        return tuple(sum(1 for c in self.choices.values() if i in c) for i in range(len(self.options)))


@dataclass
class SimChat:
    id: str
    title: str
    members: set[str] = field(default_factory=set)
    admins: set[str] = field(default_factory=set)
    banned: set[str] = field(default_factory=set)
    muted: dict[str, datetime | None] = field(default_factory=dict)
    pinned: list[str] = field(default_factory=list)
    bot_is_admin: bool = True
    tags: dict[str, str] = field(default_factory=dict)  # user id -> member tag (as Telegram shows one)
    topics: dict[str, str] = field(default_factory=dict)  # place -> name: topics the bot made
    closed_topics: set[str] = field(default_factory=set)
    roles: dict[str, set[str]] = field(default_factory=dict)  # user id -> role ids (as Discord gives them)


@dataclass
class LogEntry:
    at: datetime
    kind: str  # "event" | "action" | "refused"
    what: str
    chat: str | None
    who: str | None
    text: str = ""


class LocalPlatform:
    """The simulated platform. Call ``connect(sink)`` with the core's event handler."""

    platform = "local"
    UNSUPPORTED: ClassVar[Mapping[type[a.Action], str]] = {
        a.ResolvePeople: "the simulator's config names people only, as Telegram's does",
        a.DecideJoinRequest: "the simulator's chats are open: nobody asks to join",
        a.MirrorEvent: "the simulator, like Telegram, has no events list besides the bot's calendar",
        a.UnmirrorEvent: "the simulator, like Telegram, has no events list besides the bot's calendar",
        a.AskForm: "the simulator's commands are typed, as Telegram's are: it has no slash commands to answer with a form",
    }

    def __init__(self, clock: VirtualClock) -> None:
        self.clock = clock
        self.users: dict[str, SimUser] = {}
        self.chats: dict[str, SimChat] = {}
        self.messages: dict[str, SimMessage] = {}
        self.log: list[LogEntry] = []
        self.callbacks: dict[str, tuple[str, str]] = {}
        self.files: dict[str, tuple[str, bytes]] = {}  # message id -> (file name, content)
        self._ids = itertools.count(1)
        self._sink: Sink | None = None
        # Events the platform sends because of what the bot did (a ban is also a removal, as on Telegram
        # and Discord), handled once the event that caused them is done.
        self._caused: list[Event] = []
        self.observers: list[Callable[[LogEntry], None]] = []
        self._ops: dict[type[a.Action], Callable[[Any], a.Result]] = {
            a.SendMessage: self._send,
            a.SendDirect: self._direct,
            a.SendFile: self._send_file,
            a.EditMessage: self._edit,
            a.DeleteMessage: self._delete,
            a.PinMessage: self._pin,
            a.UnpinMessage: self._unpin,
            a.GetPinned: self._get_pinned,
            a.RestrictMember: self._restrict,
            a.UnrestrictMember: self._unrestrict,
            a.BanMember: self._ban,
            a.UnbanMember: self._unban,
            a.KickMember: self._kick,
            a.AnswerButton: self._answer,
            a.SendPoll: self._send_poll,
            a.ClosePoll: self._close_poll,
            a.SetMemberTag: self._tag,
            a.CreateTopic: self._create_topic,
            a.CloseTopic: self._close_topic,
            a.SetMemberRoles: self._roles,
        }

    # ---- setup -------------------------------------------------------
    def connect(self, sink: Sink) -> None:
        self._sink = sink

    def add_chat(self, chat_id: str, title: str, admins: tuple[str, ...] = ()) -> ChatRef:
        self.chats[chat_id] = SimChat(chat_id, title, admins=set(admins), members=set(admins))
        return ChatRef("local", chat_id)

    def add_user(self, user_id: str, name: str, **kw: Any) -> SimUser:
        user = SimUser(user_id, name, **kw)
        self.users[user_id] = user
        return user

    def _next_id(self) -> str:
        return str(next(self._ids))

    def _record(self, kind: str, what: str, chat: str | None, who: str | None, text: str = "") -> None:
        entry = LogEntry(self.clock.now(), kind, what, chat, who, text)
        self.log.append(entry)
        for obs in self.observers:
            obs(entry)

    def _role(self, chat: SimChat, user_id: str) -> Role:
        return Role.MANAGER if user_id in chat.admins else Role.MEMBER

    async def _emit(self, event: Event) -> Any:
        if self._sink is None:
            raise RuntimeError("LocalPlatform.connect(sink) was not called")
        result = await self._sink(event)
        while self._caused:
            await self._sink(self._caused.pop(0))
        return result

    # ---- what people do ------------------------------------------------
    async def join(self, chat_id: str, user_id: str) -> Any:
        chat = self.chats[chat_id]
        if user_id in chat.banned:
            self._record("refused", "join (banned)", chat_id, user_id)
            return None
        chat.members.add(user_id)
        service = SimMessage(self._next_id(), chat_id, user_id, "joined", self.clock.now())
        self.messages[service.id] = service
        self._record("event", "join", chat_id, user_id)
        return await self._emit(
            MemberJoined(
                ChatRef("local", chat_id),
                self.clock.now(),
                self.users[user_id].person,
                service_message=MessageRef(ChatRef("local", chat_id), service.id),
            )
        )

    async def leave(self, chat_id: str, user_id: str) -> Any:
        self.chats[chat_id].members.discard(user_id)
        self._record("event", "leave", chat_id, user_id)
        return await self._emit(MemberLeft(ChatRef("local", chat_id), self.clock.now(), self.users[user_id].person, LeaveKind.LEFT))

    async def post(
        self,
        chat_id: str,
        user_id: str,
        text: str,
        *,
        reply_to: str | None = None,
        kind: MessageKind = MessageKind.TEXT,
        place: str | None = None,
        forwarded: bool = False,
        image: bytes | None = None,
    ) -> SimMessage:
        """A member posts; commands (``/name args``) become ``CommandInvoked``; ``image``: a picture's bytes (a photo)."""
        chat = self.chats[chat_id]
        user = self.users[user_id]
        msg = SimMessage(self._next_id(), chat_id, user_id, text, self.clock.now(), place=place, reply_to=reply_to)
        if user_id not in chat.members or user_id in chat.banned:
            self._record("refused", "post (not a member)", chat_id, user_id, text)
            msg.deleted = True
            return msg
        if user_id in chat.muted:
            until = chat.muted[user_id]
            if until is None or until > self.clock.now():
                self._record("refused", "post (muted)", chat_id, user_id, text)
                msg.deleted = True
                return msg
        self.messages[msg.id] = msg
        self._record("event", "post", chat_id, user_id, text)
        cref = ChatRef("local", chat_id)
        mref = MessageRef(cref, msg.id, place)
        role = self._role(chat, user_id)
        parent = self.messages.get(reply_to) if reply_to else None
        if text.startswith("/") and len(text) > 1 and not text[1].isspace():
            name, _, args = text[1:].partition(" ")
            replied = MessageRef(cref, parent.id, parent.place) if parent else None
            author = UserRef("local", parent.author) if parent and parent.author != "bot" else None
            command = name.split("@")[0].lower()
            await self._emit(
                CommandInvoked(
                    cref, self.clock.now(), user.person, command, args.strip(), role, mref, reply_to=replied, reply_to_author=author
                )
            )
            return msg
        await self._emit(
            MessagePosted(
                cref,
                self.clock.now(),
                user.person,
                mref,
                text,
                kind,
                role,
                reply_to=MessageRef(cref, parent.id, parent.place) if parent else None,
                reply_to_author=UserRef("local", parent.author) if parent and parent.author != "bot" else None,
                forwarded=forwarded,
                images=tuple(h for h in (dhash(image),) if h) if image else (),
            )
        )
        return msg

    async def edit_post(self, message_id: str, text: str) -> Any:
        msg = self.messages[message_id]
        msg.text = text
        msg.edits += 1
        chat = self.chats[msg.chat]
        self._record("event", "edit", msg.chat, msg.author, text)
        return await self._emit(
            MessageEdited(
                ChatRef("local", msg.chat),
                self.clock.now(),
                self.users[msg.author].person,
                MessageRef(ChatRef("local", msg.chat), msg.id, msg.place),
                text,
                self._role(chat, msg.author),
            )
        )

    async def delete_post(self, message_id: str) -> Any:
        msg = self.messages[message_id]
        msg.deleted = True
        self._record("event", "delete", msg.chat, msg.author)
        return await self._emit(
            MessageDeleted(ChatRef("local", msg.chat), self.clock.now(), MessageRef(ChatRef("local", msg.chat), msg.id, msg.place))
        )

    async def command_in_dm(self, user_id: str, text: str) -> Any:
        user = self.users[user_id]
        name, _, args = text.lstrip("/").partition(" ")
        self._record("event", "dm command", None, user_id, text)
        return await self._emit(CommandInvoked(private_chat(user.ref), self.clock.now(), user.person, name.lower(), args.strip()))

    async def start_bot(self, user_id: str, payload: str = "") -> Any:
        """The user opens the bot's private chat (Telegram's Start button, with a deep-link payload)."""
        user = self.users[user_id]
        user.dm_open = True
        self._record("event", "start", None, user_id, payload)
        return await self._emit(DirectStarted(private_chat(user.ref), self.clock.now(), user.person, payload))

    async def react(self, message_id: str, user_id: str, emoji: str, *, remove: bool = False) -> Any:
        """A member adds (or takes back) a reaction; like Discord, the event names the message's author."""
        msg = self.messages[message_id]
        chat = ChatRef("local", msg.chat)
        ref = MessageRef(chat, msg.id, msg.place)
        user = self.users[user_id]
        self._record("event", "unreact" if remove else "react", msg.chat, user_id, emoji)
        if remove:
            return await self._emit(
                ReactionRemoved(chat, self.clock.now(), user.person, ref, (emoji,), self._role(self.chats[msg.chat], user_id))
            )
        author = UserRef("local", msg.author) if msg.author != "bot" else None
        return await self._emit(
            ReactionAdded(chat, self.clock.now(), user.person, ref, (emoji,), self._role(self.chats[msg.chat], user_id), author)
        )

    async def press(self, message_id: str, data: str, user_id: str) -> Any:
        msg = self.messages[message_id]
        user = self.users[user_id]
        chat_ref = ChatRef("local", msg.chat) if not msg.chat.startswith("dm:") else private_chat(user.ref)
        role = self._role(self.chats[msg.chat], user_id) if msg.chat in self.chats else Role.MEMBER
        callback = self._next_id()
        self.callbacks[callback] = (user_id, "")
        label = next((b.label for row in msg.buttons for b in row if b.data == data), None)
        self._record("event", "press", msg.chat, user_id, f"[{label}]" if label else data)  # what the member saw
        return await self._emit(
            ButtonPressed(chat_ref, self.clock.now(), user.person, data, callback, role, MessageRef(chat_ref, msg.id, msg.place))
        )

    async def vote(self, message_id: str, user_id: str, options: tuple[int, ...]) -> Any:
        """A member votes in a native poll (empty: takes the vote back), as on Telegram: a non-anonymous poll
        tells who chose what; an anonymous one only its new counts."""
        msg = self.messages[message_id]
        poll = msg.poll
        if poll is None or poll.closed or any(not 0 <= o < len(poll.options) for o in options) or (len(options) > 1 and not poll.multiple):
            self._record("refused", "vote refused", msg.chat, user_id, str(options))
            return None
        if options:
            poll.choices[user_id] = tuple(sorted(set(options)))
        else:
            poll.choices.pop(user_id, None)
        self._record("event", "vote", msg.chat, None if poll.anonymous else user_id, ", ".join(poll.options[o] for o in options))
        if poll.anonymous:
            return await self._emit(PollUpdated(poll_chat("local"), self.clock.now(), poll.id, poll.counts, len(poll.choices)))
        return await self._emit(PollVoted(poll_chat("local"), self.clock.now(), poll.id, self.users[user_id].person, tuple(options)))

    # ---- what the bot does (the outbox) ---------------------------------
    async def perform(self, action: a.Action) -> a.Result:
        op = self._ops.get(type(action))
        if op is None:
            return a.Unsupported(type(action).__name__)
        return op(action)

    def _store(self, chat: str, text: Rich, place: str | None, reply_to: str | None, buttons: a.Buttons) -> a.Done:
        parts = split(text, PLAIN, LIMIT) or [""]
        refs: list[MessageRef] = []
        for i, part in enumerate(parts):
            msg = SimMessage(
                self._next_id(),
                chat,
                "bot",
                part,
                self.clock.now(),
                place,
                reply_to,
                buttons if i == len(parts) - 1 else (),
                rich=text if len(parts) == 1 else None,
            )
            self.messages[msg.id] = msg
            chat_ref = ChatRef("local", chat) if not chat.startswith("dm:") else ChatRef("local", chat[3:], private=True)
            refs.append(MessageRef(chat_ref, msg.id, place))
        return a.Done(refs[0], tuple(refs))

    def _send(self, act: a.SendMessage) -> a.Result:
        if act.chat.private:  # a private chat's id is the user's, as on Telegram: the same as a DM
            return self._direct(a.SendDirect(UserRef("local", act.chat.id), act.text, act.buttons))
        chat = self.chats.get(act.chat.id)
        if chat is None:
            return a.Failed(a.FailReason.NOT_FOUND, "chat not found")
        done = self._store(chat.id, act.text, act.place, act.reply_to.id if act.reply_to else None, act.buttons)
        self._record("action", "send", chat.id, "bot", render(act.text, PLAIN))
        return done

    def _direct(self, act: a.SendDirect) -> a.Result:
        user = self.users.get(act.user.id)
        if user is None or not user.dm_open or user.is_bot:
            self._record("refused", "dm (closed)", None, act.user.id)
            return a.Failed(a.FailReason.DM_CLOSED, "Forbidden: bot can't initiate conversation with a user")
        done = self._store(f"dm:{user.id}", act.text, None, None, act.buttons)
        self._record("action", "dm", None, user.id, render(act.text, PLAIN))
        return done

    def _send_file(self, act: a.SendFile) -> a.Result:
        caption = render(act.caption, PLAIN) if act.caption is not None else ""
        if isinstance(act.to, UserRef) or act.to.private:
            user = self.users.get(act.to.id)
            if user is None or not user.dm_open or user.is_bot:
                self._record("refused", "file (dm closed)", None, act.to.id)
                return a.Failed(a.FailReason.DM_CLOSED, "Forbidden: bot can't initiate conversation with a user")
            where, chat_ref = f"dm:{user.id}", ChatRef("local", user.id, private=True)
        else:
            if act.to.id not in self.chats:
                return a.Failed(a.FailReason.NOT_FOUND, "chat not found")
            where, chat_ref = act.to.id, act.to
        msg = SimMessage(
            self._next_id(), where, "bot", caption, self.clock.now(), act.place, rich=act.caption, file=(act.filename, act.data)
        )
        self.messages[msg.id] = msg
        self.files[msg.id] = (act.filename, act.data)
        shown = f"{act.filename} ({len(act.data)} bytes)" + (f"\n{caption}" if caption else "")
        self._record("action", "file", None if where.startswith("dm:") else where, act.to.id, shown)
        return a.Done(MessageRef(chat_ref, msg.id, act.place))

    def _edit(self, act: a.EditMessage) -> a.Result:
        msg = self.messages.get(act.message.id)
        if msg is None or msg.deleted or msg.author != "bot":
            return a.Failed(a.FailReason.NOT_FOUND, "message to edit not found")
        new = render(act.text, PLAIN)
        if new == msg.text and act.buttons == msg.buttons:
            return a.Failed(a.FailReason.BAD_REQUEST, "message is not modified")
        msg.text, msg.rich, msg.buttons = new, act.text, act.buttons
        msg.edits += 1
        self._record("action", "edit", msg.chat, "bot", new)
        return a.Done(act.message)

    def _needs_admin(self, chat_id: str) -> SimChat | a.Failed:
        chat = self.chats.get(chat_id)
        if chat is None:
            return a.Failed(a.FailReason.NOT_FOUND, "chat not found")
        if not chat.bot_is_admin:
            self._record("refused", "not an admin", chat_id, "bot")
            return a.Failed(a.FailReason.FORBIDDEN, "not enough rights")
        return chat

    def _delete(self, act: a.DeleteMessage) -> a.Result:
        msg = self.messages.get(act.message.id)
        if msg is None or msg.deleted:
            return a.Failed(a.FailReason.NOT_FOUND, "message to delete not found")
        if msg.author != "bot":
            chat = self._needs_admin(msg.chat)
            if isinstance(chat, a.Failed):
                return chat
        msg.deleted = True
        if msg.id in self.chats.get(msg.chat, SimChat("", "")).pinned:
            self.chats[msg.chat].pinned.remove(msg.id)
        self._record("action", "delete", msg.chat, msg.author, msg.text)
        return a.Done()

    def _pin(self, act: a.PinMessage) -> a.Result:
        chat = self._needs_admin(act.message.chat.id)
        if isinstance(chat, a.Failed):
            return chat
        msg = self.messages.get(act.message.id)
        if msg is None or msg.deleted:
            return a.Failed(a.FailReason.NOT_FOUND, "message to pin not found")
        if msg.id not in chat.pinned:
            chat.pinned.append(msg.id)
        self._record("action", "pin", chat.id, "bot", msg.text)
        return a.Done(act.message)

    def _unpin(self, act: a.UnpinMessage) -> a.Result:
        chat = self._needs_admin(act.message.chat.id)
        if isinstance(chat, a.Failed):
            return chat
        if act.message.id in chat.pinned:
            chat.pinned.remove(act.message.id)
        self._record("action", "unpin", chat.id, "bot")
        return a.Done(act.message)

    def _get_pinned(self, act: a.GetPinned) -> a.Result:
        chat = self.chats.get(act.chat.id)
        if chat is None:
            return a.Failed(a.FailReason.NOT_FOUND, "chat not found")
        return a.Pinned(pinned=tuple(MessageRef(act.chat, mid, self.messages[mid].place) for mid in chat.pinned))

    def _target(self, chat_id: str, user_id: str) -> SimChat | a.Failed:
        chat = self._needs_admin(chat_id)
        if isinstance(chat, a.Failed):
            return chat
        if user_id in chat.admins:
            self._record("refused", "cannot restrict an admin", chat_id, user_id)
            return a.Failed(a.FailReason.BAD_REQUEST, "user is an administrator of the chat")
        return chat

    def _restrict(self, act: a.RestrictMember) -> a.Result:
        chat = self._target(act.chat.id, act.user.id)
        if isinstance(chat, a.Failed):
            return chat
        chat.muted[act.user.id] = act.until
        self._record("action", "mute", chat.id, act.user.id)
        return a.Done()

    def _unrestrict(self, act: a.UnrestrictMember) -> a.Result:
        chat = self._needs_admin(act.chat.id)
        if isinstance(chat, a.Failed):
            return chat
        chat.muted.pop(act.user.id, None)
        self._record("action", "unmute", chat.id, act.user.id)
        return a.Done()

    def _ban(self, act: a.BanMember) -> a.Result:
        chat = self._target(act.chat.id, act.user.id)
        if isinstance(chat, a.Failed):
            return chat
        chat.banned.add(act.user.id)
        self._removed(chat, act.user.id, LeaveKind.BANNED)
        self._record("action", "ban", chat.id, act.user.id)
        return a.Done()

    def _removed(self, chat: SimChat, user_id: str, kind: LeaveKind) -> None:
        if user_id in chat.members and user_id in self.users:
            chat.members.discard(user_id)
            self._caused.append(MemberLeft(ChatRef("local", chat.id), self.clock.now(), self.users[user_id].person, kind))

    def _unban(self, act: a.UnbanMember) -> a.Result:
        chat = self._needs_admin(act.chat.id)
        if isinstance(chat, a.Failed):
            return chat
        chat.banned.discard(act.user.id)
        self._record("action", "unban", chat.id, act.user.id)
        return a.Done()

    def _kick(self, act: a.KickMember) -> a.Result:
        chat = self._target(act.chat.id, act.user.id)
        if isinstance(chat, a.Failed):
            return chat
        self._removed(chat, act.user.id, LeaveKind.KICKED)
        self._record("action", "kick", chat.id, act.user.id)
        return a.Done()

    def _create_topic(self, act: a.CreateTopic) -> a.Result:
        """A topic is a place of the chat, as in a Telegram forum group: an admin's right."""
        chat = self._needs_admin(act.chat.id)
        if isinstance(chat, a.Failed):
            return chat
        place = f"topic-{len(chat.topics) + 1}"
        chat.topics[place] = act.name[:128]
        self._record("action", "topic", chat.id, None, act.name)
        return a.TopicCreated(place=place)

    def _close_topic(self, act: a.CloseTopic) -> a.Result:
        chat = self._needs_admin(act.chat.id)
        if isinstance(chat, a.Failed):
            return chat
        if act.place not in chat.topics:
            return a.Failed(a.FailReason.NOT_FOUND, "no such topic")
        chat.closed_topics.add(act.place)
        self._record("action", "close topic", chat.id, None, chat.topics[act.place])
        return a.Done()

    def _tag(self, act: a.SetMemberTag) -> a.Result:
        """As Telegram: an admin's right, on regular members only."""
        chat = self._target(act.chat.id, act.user.id)
        if isinstance(chat, a.Failed):
            return chat
        if act.tag:
            chat.tags[act.user.id] = act.tag
        else:
            chat.tags.pop(act.user.id, None)
        self._record("action", "tag", chat.id, act.user.id, act.tag)
        return a.Done()

    def _roles(self, act: a.SetMemberRoles) -> a.Result:
        chat = self._needs_admin(act.chat.id)
        if isinstance(chat, a.Failed):
            return chat
        held = chat.roles.setdefault(act.user.id, set())
        held.difference_update(act.remove)
        held.update(act.add)
        self._record("action", "roles", chat.id, act.user.id, " ".join(sorted(held)))
        return a.Done()

    def _answer(self, act: a.AnswerButton) -> a.Result:
        if act.callback_id not in self.callbacks:
            return a.Failed(a.FailReason.BAD_REQUEST, "query is too old or the id is invalid")
        user_id, _ = self.callbacks.pop(act.callback_id)
        if act.text:
            self._record("action", "answer", None, user_id, act.text)
        return a.Done()

    def _send_poll(self, act: a.SendPoll) -> a.Result:
        chat = self.chats.get(act.chat.id)
        if chat is None:
            return a.Failed(a.FailReason.NOT_FOUND, "chat not found")
        if not 2 <= len(act.options) <= 10 or not act.question:
            return a.Failed(a.FailReason.BAD_REQUEST, "a poll needs a question and 2-10 options")
        poll = SimPoll(f"p{self._next_id()}", act.question, act.options, act.multiple, act.anonymous)
        msg = SimMessage(self._next_id(), chat.id, "bot", act.question, self.clock.now(), act.place, poll=poll)
        self.messages[msg.id] = msg
        self._record("action", "poll", chat.id, "bot", f"{act.question} [{' | '.join(act.options)}]")
        return a.PollSent(MessageRef(act.chat, msg.id, act.place), poll=poll.id)

    def _close_poll(self, act: a.ClosePoll) -> a.Result:
        msg = self.messages.get(act.message.id)
        if msg is None or msg.deleted or msg.poll is None or msg.author != "bot":
            return a.Failed(a.FailReason.BAD_REQUEST, "message with poll to stop not found")
        if msg.poll.closed:
            return a.Failed(a.FailReason.BAD_REQUEST, "poll has already been closed")
        msg.poll.closed = True
        self._record("action", "close poll", msg.chat, "bot", msg.poll.question)
        return a.PollResults(act.message, counts=msg.poll.counts, voters=len(msg.poll.choices))

    def deep_link(self, payload: str) -> str:
        """What Telegram's ``t.me/<bot>?start=<payload>`` is here."""
        return f"local://start/{payload}"

    # ---- inspection helpers for tests and the demo ---------------------
    def bot_messages(self, chat_id: str, include_deleted: bool = False) -> list[SimMessage]:
        return [m for m in self.messages.values() if m.chat == chat_id and m.author == "bot" and (include_deleted or not m.deleted)]

    def dms(self, user_id: str) -> list[SimMessage]:
        return [m for m in self.messages.values() if m.chat == f"dm:{user_id}"]
