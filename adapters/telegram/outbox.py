"""Performs the core's actions with aiogram's ``Bot`` (whose session paces every request: ``flow``).

One function per action type (a table, no if-chain). Platform errors become
results, never exceptions: 403 -> ``DM_CLOSED`` for a private chat or
``FORBIDDEN`` in a group, 400 -> logged with the action's context and
``BAD_REQUEST`` (or ``NOT_FOUND`` when the message is gone), 429 and 5xx after
retries -> ``RATE_LIMITED`` / ``UNAVAILABLE``.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, ClassVar

from aiogram import Bot
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import (
    ChatPermissions,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputPollOption,
    LinkPreviewOptions,
    ReplyParameters,
)

from adapters.telegram import presses
from adapters.telegram.links import link_to
from adapters.telegram.render import to_html
from adapters.telegram.uploads import TypedFile
from bot.core import actions as a
from bot.core import links
from bot.core.clock import Clock, SystemClock
from bot.core.ids import ChatRef, MessageRef, UserRef
from bot.core.sendable import sendable

log = logging.getLogger("adapters.telegram.outbox")

MUTED = ChatPermissions(
    can_send_messages=False,
    can_send_audios=False,
    can_send_documents=False,
    can_send_photos=False,
    can_send_videos=False,
    can_send_video_notes=False,
    can_send_voice_notes=False,
    can_send_polls=False,
    can_send_other_messages=False,
    can_add_web_page_previews=False,
    can_react_to_messages=False,  # Bot API 10.0: without it a muted member can still spam with reactions
)
# Lifting a mute gives back the sending rights; the group's own defaults still apply on top.
UNMUTED = ChatPermissions(**{k: True for k in MUTED.model_dump(exclude_none=True)})

_GONE = (
    "message to edit not found",
    "message to delete not found",
    "message to pin not found",
    "message not found",
    "message_id_invalid",
    "chat not found",
    "user not found",
)
CAPTION_LIMIT = 1024  # characters of a file's caption, after entity parsing
PHOTO_LIMIT = 10 * 1024 * 1024  # sendPhoto's upload limit; larger pictures go as documents
FILE_LIMIT = 50 * 1024 * 1024  # the Bot API's upload limit (a self-hosted server allows more)
PHOTO_SUFFIXES = (".png", ".jpg", ".jpeg")
POLL_OPEN_MIN, POLL_OPEN_MAX = 5, 2_628_000  # seconds ahead a poll's close_date may be (Bot API sendPoll)
# Telegram takes an until_date under 30 s ahead (or already past) as forever: the shortest end it keeps, with a margin
# for the request's way there (a restriction waits only for a 429 pause, never behind sends).
SHORTEST_END = timedelta(seconds=30) + timedelta(seconds=5)
DELETE_WINDOW = timedelta(hours=48) - timedelta(minutes=1)  # deleteMessage: "only if it was sent less than 48 hours ago"
_NO_RIGHTS = ("not enough rights", "chat_admin_required", "need administrator rights", "have no rights")


def keyboard(buttons: a.Buttons) -> InlineKeyboardMarkup | None:
    """Core buttons -> an inline keyboard; data longer than Telegram's 64 bytes is a bug in the caller."""
    if not buttons:
        return None
    rows: list[list[InlineKeyboardButton]] = []
    for row in buttons:
        out: list[InlineKeyboardButton] = []
        for b in row:
            if b.url:
                out.append(InlineKeyboardButton(text=sendable(b.label), url=b.url))
            else:
                data = b.data or ""
                if not data or len(data.encode()) > 64:
                    raise ValueError(f"button data {data!r} must be 1-64 bytes")
                out.append(InlineKeyboardButton(text=sendable(b.label), callback_data=data))
        rows.append(out)
    return InlineKeyboardMarkup(inline_keyboard=rows)


class TelegramOutbox:
    """The ``bot.core.outbox.Outbox`` for Telegram."""

    UNSUPPORTED: ClassVar[Mapping[type[a.Action], str]] = {
        a.ResolvePeople: "Telegram names people by user id only: there are no roles to resolve",
        a.MirrorEvent: "Telegram has no events list of its own: the bot's calendar is the only one",
        a.UnmirrorEvent: "Telegram has no events list of its own: the bot's calendar is the only one",
        a.SetMemberRoles: "Telegram has no roles: a member's level shows as a member tag (SetMemberTag)",
        a.AskForm: "Telegram has no forms a bot can open: commands keep their typed syntax there",
    }

    def __init__(self, bot: Bot, clock: Clock | None = None) -> None:
        self.bot = bot
        self.clock = clock or SystemClock()  # the bot's "now", for ends and poll closings Telegram reads as Unix times
        self.usernames: dict[str, str] = {}  # chat id -> public username, for message links (the adapter learns them)
        self._ops: dict[type[a.Action], Callable[[Any], Awaitable[a.Result]]] = {
            a.SendMessage: self._send,
            a.SendDirect: self._direct,
            a.SendFile: self._file,
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
            a.DecideJoinRequest: self._decide,
            a.SendPoll: self._send_poll,
            a.ClosePoll: self._close_poll,
            a.SetMemberTag: self._tag,
            a.CreateTopic: self._create_topic,
            a.CloseTopic: self._close_topic,
        }

    async def perform(self, action: a.Action) -> a.Result:
        op = self._ops.get(type(action))
        if op is None:
            return a.Unsupported(type(action).__name__)
        try:
            return await op(links.resolved(action, self.message_link))
        except TelegramAPIError as exc:
            return self._failed(action, exc)
        except ValueError as exc:  # a malformed action (e.g. button data too long): the caller's bug, logged
            log.warning("%s not sent: %s", type(action).__name__, exc)
            return a.Failed(a.FailReason.BAD_REQUEST, str(exc))

    def message_link(self, ref: MessageRef) -> str | None:
        """A t.me link: ``t.me/<username>/…`` for a public group, ``t.me/c/…`` for a supergroup's members."""
        return link_to(ref, self.usernames.get(ref.chat.id))

    # ---- errors ----
    @staticmethod
    def _failed(action: a.Action, exc: TelegramAPIError) -> a.Failed:
        text = exc.message.lower()
        target = a.target_of(action)
        private = isinstance(action, a.SendDirect) or isinstance(target, UserRef) or (isinstance(target, ChatRef) and target.private)
        if isinstance(exc, TelegramForbiddenError):
            reason = a.FailReason.DM_CLOSED if private else a.FailReason.FORBIDDEN
        elif isinstance(exc, TelegramRetryAfter):
            reason = a.FailReason.RATE_LIMITED
        elif isinstance(exc, TelegramServerError | TelegramNetworkError):
            reason = a.FailReason.UNAVAILABLE
        elif isinstance(exc, TelegramNotFound) or any(s in text for s in _GONE):
            reason = a.FailReason.NOT_FOUND
        elif any(s in text for s in _NO_RIGHTS):
            reason = a.FailReason.FORBIDDEN
        else:
            reason = a.FailReason.BAD_REQUEST
        if isinstance(exc, TelegramMigrateToChat):
            log.error("chat %s became the supergroup %s: put the new id in the config's chat_id", target, exc.migrate_to_chat_id)
        elif reason in (a.FailReason.BAD_REQUEST, a.FailReason.FORBIDDEN):
            log.warning("Telegram refused %s (chat=%s): %s", type(action).__name__, target, exc.message)
        elif reason in (a.FailReason.UNAVAILABLE, a.FailReason.RATE_LIMITED):
            log.warning("gave up on %s (chat=%s) after retries: %s", type(action).__name__, target, exc.message)
        return a.Failed(reason, exc.message)

    # ---- messages ----
    async def _send_parts(
        self,
        chat: ChatRef,
        text: Any,
        *,
        place: str | None = None,
        reply_to: MessageRef | None = None,
        buttons: a.Buttons = (),
        silent: bool = False,
        link_preview: bool = False,
    ) -> a.Done:
        chat_id = int(chat.id)
        parts = to_html(text)
        markup = keyboard(buttons)
        refs: list[MessageRef] = []
        for i, part in enumerate(parts):
            first, last = i == 0, i == len(parts) - 1
            sent = await self.bot.send_message(
                chat_id=chat_id,
                text=part,
                parse_mode="HTML",
                message_thread_id=int(place) if place else None,
                reply_parameters=ReplyParameters(message_id=int(reply_to.id), allow_sending_without_reply=True)
                if first and reply_to is not None
                else None,
                reply_markup=markup if last else None,
                disable_notification=silent or None,
                link_preview_options=LinkPreviewOptions(is_disabled=not link_preview),
            )
            refs.append(MessageRef(chat, str(sent.message_id), place))
        return a.Done(refs[0], tuple(refs))

    async def _send(self, act: a.SendMessage) -> a.Result:
        return await self._send_parts(
            act.chat,
            act.text,
            place=act.place,
            reply_to=act.reply_to,
            buttons=act.buttons,
            silent=act.silent,
            link_preview=act.link_preview,
        )

    async def _direct(self, act: a.SendDirect) -> a.Result:
        return await self._send_parts(ChatRef("telegram", act.user.id, private=True), act.text, buttons=act.buttons)

    async def _file(self, act: a.SendFile) -> a.Result:
        """An upload (multipart): ``sendPhoto`` for pictures, else ``sendDocument``; the caption in HTML.

        A caption over Telegram's 1024 characters goes first as its own message(s).
        """
        chat = ChatRef(act.to.platform, act.to.id, private=True) if isinstance(act.to, UserRef) else act.to
        if len(act.data) > FILE_LIMIT:
            raise ValueError(f"{act.filename} is {len(act.data)} bytes: the Bot API takes at most {FILE_LIMIT}")
        caption: str | None = None
        if act.caption is not None:
            parts = to_html(act.caption, CAPTION_LIMIT)
            if len(parts) == 1:
                caption = parts[0]
            else:
                await self._send_parts(chat, act.caption, place=act.place)
        chat_id = int(chat.id)
        upload = TypedFile(act.data, sendable(act.filename), act.mime)
        thread = int(act.place) if act.place else None
        photo = act.filename.lower().endswith(PHOTO_SUFFIXES) and len(act.data) <= PHOTO_LIMIT

        parse_mode = "HTML" if caption else None
        if photo:
            sent = await self.bot.send_photo(
                chat_id=chat_id, photo=upload, caption=caption, parse_mode=parse_mode, message_thread_id=thread
            )
        else:
            sent = await self.bot.send_document(
                chat_id=chat_id, document=upload, caption=caption, parse_mode=parse_mode, message_thread_id=thread
            )
        ref = MessageRef(chat, str(sent.message_id), act.place)
        return a.Done(ref, (ref,))

    async def _send_poll(self, act: a.SendPoll) -> a.Result:
        """``sendPoll``: anonymous or not, one answer or several. The bot closes it itself (``stopPoll``) at its
        time, which may be beyond Telegram's own limit; ``close_date`` is given only within that limit, so
        members see the countdown (if Telegram closes first, ``stopPoll`` is refused and the stored counts stand)."""
        chat_id = int(act.chat.id)
        close_date: int | None = None
        if act.closes_at is not None:
            ahead = (act.closes_at - self.clock.now()).total_seconds()
            close_date = int(act.closes_at.timestamp()) if POLL_OPEN_MIN < ahead <= POLL_OPEN_MAX else None

        sent = await self.bot.send_poll(
            chat_id=chat_id,
            question=sendable(act.question),
            options=[InputPollOption(text=sendable(o)) for o in act.options],
            is_anonymous=act.anonymous,
            allows_multiple_answers=act.multiple,
            close_date=close_date,
            message_thread_id=int(act.place) if act.place else None,
        )
        ref = MessageRef(act.chat, str(sent.message_id), act.place)
        return a.PollSent(ref, (ref,), poll=sent.poll.id if sent.poll is not None else "")

    async def _close_poll(self, act: a.ClosePoll) -> a.Result:
        chat_id = int(act.message.chat.id)
        poll = await self.bot.stop_poll(chat_id=chat_id, message_id=int(act.message.id))
        return a.PollResults(act.message, counts=tuple(o.voter_count for o in poll.options), voters=poll.total_voter_count)

    async def _edit(self, act: a.EditMessage) -> a.Result:
        parts = to_html(act.text)
        if len(parts) > 1:
            log.warning("edit of message %s is longer than one message: only the first part is kept", act.message.id)
        chat_id = int(act.message.chat.id)
        try:
            await self.bot.edit_message_text(
                chat_id=chat_id,
                message_id=int(act.message.id),
                text=parts[0],
                parse_mode="HTML",
                reply_markup=keyboard(act.buttons),
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        except TelegramBadRequest as exc:
            if "message is not modified" not in exc.message.lower():
                raise
        return a.Done(act.message)

    async def _delete(self, act: a.DeleteMessage) -> a.Result:
        if act.posted_at is not None and self.clock.now() - act.posted_at >= DELETE_WINDOW:
            log.info("message %s in %s is kept: Telegram deletes only messages under 48 hours old", act.message.id, act.message.chat)
            return a.Failed(a.FailReason.TOO_OLD, "Telegram deletes only messages younger than 48 hours")
        chat_id = int(act.message.chat.id)
        await self.bot.delete_message(chat_id=chat_id, message_id=int(act.message.id))
        return a.Done(act.message)

    async def delete_many(self, messages: Sequence[MessageRef]) -> a.Result:
        """Delete many messages with ``deleteMessages`` (100 per call, per chat); for cleanups after a spam wave."""
        by_chat: dict[ChatRef, list[int]] = {}
        for m in messages:
            by_chat.setdefault(m.chat, []).append(int(m.id))
        try:
            for chat, ids in by_chat.items():
                chat_id = int(chat.id)
                for start in range(0, len(ids), 100):
                    batch = ids[start : start + 100]
                    await self.bot.delete_messages(chat_id=chat_id, message_ids=batch)
        except TelegramAPIError as exc:
            return self._failed(a.DeleteMessage(messages[0]), exc)
        return a.Done(messages=tuple(messages))

    async def _pin(self, act: a.PinMessage) -> a.Result:
        chat_id = int(act.message.chat.id)
        await self.bot.pin_chat_message(chat_id=chat_id, message_id=int(act.message.id), disable_notification=act.silent)
        return a.Done(act.message)

    async def _unpin(self, act: a.UnpinMessage) -> a.Result:
        chat_id = int(act.message.chat.id)
        await self.bot.unpin_chat_message(chat_id=chat_id, message_id=int(act.message.id))
        return a.Done(act.message)

    async def _get_pinned(self, act: a.GetPinned) -> a.Result:
        """What Telegram can tell of the ``expected`` pins: it lists none, ``getChat`` shows the newest.

        No pin at all: everything was unpinned (or deleted). Otherwise each expected message is
        asked whether it still exists (an edit that changes nothing: "not modified" if it does,
        "not found" once deleted); those alive are taken as pinned, since Telegram cannot say
        which of the older pins someone took down, and pinning them again on every check would
        bury the moderators' own newer pins under ours.
        """
        chat_id = int(act.chat.id)
        chat = await self.bot.get_chat(chat_id)
        if chat.pinned_message is None:
            return a.Pinned(pinned=())
        alive = [mid for mid in act.expected if await self._exists(chat_id, int(mid))]
        newest = str(chat.pinned_message.message_id)
        ids = dict.fromkeys([*alive, newest])
        return a.Pinned(pinned=tuple(MessageRef(act.chat, mid, act.place) for mid in ids))

    async def _exists(self, chat_id: int, message_id: int) -> bool:
        try:
            await self.bot.edit_message_reply_markup(chat_id=chat_id, message_id=message_id)
        except TelegramBadRequest as exc:
            return not any(s in exc.message.lower() for s in _GONE)  # "not modified" (or not editable): it is there
        return True

    # ---- members ----
    async def _restrict(self, act: a.RestrictMember) -> a.Result:
        return await self._permissions(act.chat, act.user.id, MUTED, act.until)

    async def _unrestrict(self, act: a.UnrestrictMember) -> a.Result:
        return await self._permissions(act.chat, act.user.id, UNMUTED, None)

    def _end(self, until: datetime | None) -> datetime | None:
        """An end Telegram keeps (``None``: forever). One under 30 seconds ahead, or already past (a member's message
        handled late), would be read as forever: it becomes the shortest end Telegram keeps. Over 366 days ahead
        Telegram's forever is what was meant anyway."""
        if until is None:
            return None
        return max(until, self.clock.now() + SHORTEST_END)

    async def _permissions(self, chat: ChatRef, user_id: str, perms: ChatPermissions, until: datetime | None) -> a.Result:
        chat_id = int(chat.id)
        await self.bot.restrict_chat_member(
            chat_id=chat_id,
            user_id=int(user_id),
            permissions=perms,
            use_independent_chat_permissions=True,
            until_date=self._end(until),
        )
        return a.Done()

    async def _ban(self, act: a.BanMember) -> a.Result:
        chat_id = int(act.chat.id)
        await self.bot.ban_chat_member(
            chat_id=chat_id, user_id=int(act.user.id), until_date=self._end(act.until), revoke_messages=act.delete_recent or None
        )
        return a.Done()

    async def _unban(self, act: a.UnbanMember) -> a.Result:
        chat_id = int(act.chat.id)
        await self.bot.unban_chat_member(chat_id=chat_id, user_id=int(act.user.id), only_if_banned=True)
        return a.Done()

    async def _kick(self, act: a.KickMember) -> a.Result:
        """Telegram has no kick: ban, then lift the ban so the member may come back."""
        done = await self._ban(a.BanMember(act.chat, act.user))
        if not done.ok:
            return done
        return await self._unban(a.UnbanMember(act.chat, act.user))

    async def _tag(self, act: a.SetMemberTag) -> a.Result:
        """``setChatMemberTag`` (Bot API 10.1): the bot must be an admin with ``can_manage_tags``; regular members only."""
        await self.bot.set_chat_member_tag(chat_id=int(act.chat.id), user_id=int(act.user.id), tag=sendable(act.tag))
        return a.Done()

    async def _create_topic(self, act: a.CreateTopic) -> a.Result:
        """``createForumTopic``: a forum supergroup only, the bot an admin with ``can_manage_topics``."""
        topic = await self.bot.create_forum_topic(chat_id=int(act.chat.id), name=sendable(act.name)[:128] or "…")
        return a.TopicCreated(place=str(topic.message_thread_id))

    async def _close_topic(self, act: a.CloseTopic) -> a.Result:
        await self.bot.close_forum_topic(chat_id=int(act.chat.id), message_thread_id=int(act.place))
        return a.Done()

    # ---- buttons and join requests ----
    async def _answer(self, act: a.AnswerButton) -> a.Result:
        if presses.already_answered(act.callback_id):  # answered before its work waited for the send limits
            log.debug("press %s answered already; its text %r is not shown", act.callback_id, act.text)
            return a.Done()
        await self.bot.answer_callback_query(
            callback_query_id=act.callback_id, text=sendable(act.text) if act.text else None, show_alert=act.alert or None
        )
        return a.Done()

    async def _decide(self, act: a.DecideJoinRequest) -> a.Result:
        chat_id, user_id = int(act.chat.id), int(act.user.id)
        decide = self.bot.approve_chat_join_request if act.approve else self.bot.decline_chat_join_request
        await decide(chat_id=chat_id, user_id=user_id)
        return a.Done()
