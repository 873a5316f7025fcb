"""Performs core actions with discord.py and answers with neutral results; never raises for Discord's errors.

Texts are rendered to Discord markdown (user strings escaped) and only the
users a template mentions may be pinged. A text longer than a message (2000)
goes out as embeds (4096 each). Buttons carry their data in ``custom_id`` so a
press still arrives after a restart. Replies to a slash command answer its
interaction.

Every request goes through ``Retry`` (``adapters/discord/retry.py``): a time limit per HTTP exchange and
retries of what discord.py does not retry itself (503, dropped connections, timeouts). Every REST
request is paced under Discord's global limit (``adapters/discord/pacing.py``), which discord.py
does not keep.
"""

from __future__ import annotations

import asyncio
import functools
import io
import logging
import math
import time
from collections import OrderedDict
from collections.abc import AsyncIterable, Awaitable, Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar, TypeVar

import aiohttp
import discord

from adapters.discord import render
from adapters.discord.pacing import GlobalPace, watch
from adapters.discord.retry import Retry
from adapters.timing import Timer
from bot.core import actions as a
from bot.core import links
from bot.core.config import Config
from bot.core.events import LeaveKind
from bot.core.ids import ChatRef, MessageRef, UserRef
from bot.core.richtext import Rich
from bot.core.sendable import sendable

log = logging.getLogger("adapters.discord.outbox")

MAX_PINS = 50
MAX_TIMEOUT = timedelta(days=28)  # Discord's longest timeout
INTERACTION_TTL = 15 * 60.0  # an interaction token is valid for 15 minutes
EMBEDS_PER_MESSAGE = 10
EMBED_TOTAL = 6000
CODE_MAX_PINS = 30003
CODE_CANNOT_DM = 50007
CODE_UNKNOWN_MEMBER = 10007
CODE_MISSING_PERMISSIONS = 50013
POLL_HOURS = 768  # a Discord poll lasts 1 to 768 whole hours (32 days)
# The right a 50013 (Missing Permissions) to an action means is missing, as BotStatusChanged names it.
RIGHT_OF: dict[type[a.Action], str] = {
    a.PinMessage: "can_pin",
    a.UnpinMessage: "can_pin",
    a.DeleteMessage: "can_delete",
    a.RestrictMember: "can_restrict",
    a.UnrestrictMember: "can_restrict",
    a.BanMember: "can_restrict",
    a.UnbanMember: "can_restrict",
    a.KickMember: "can_restrict",
    a.MirrorEvent: "can_events",
    a.UnmirrorEvent: "can_events",
}
EVENT_NAME = 100  # characters of a scheduled event's name
EVENT_DESCRIPTION = 1000
EVENT_LOCATION = 100
GUILD_ONLY = 2  # privacy_level: the only one Discord accepts
EXTERNAL = 3  # entity_type: somewhere else (a place or a link), the only kind with no channel
CODE_UNKNOWN_EVENT = 10070
POLL_ANSWER_LIMIT = 55  # characters of a poll answer on Discord


class Removals:
    """Who was just banned or kicked, per guild: Discord reports those as ``GUILD_MEMBER_REMOVE`` too,
    and without this the bot would take its own ban for a leave (a goodbye and a farewell DM to a spammer)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, ttl: float = 300.0, limit: int = 10_000) -> None:
        self._clock = clock
        self._ttl = ttl
        self._limit = limit
        self._seen: OrderedDict[tuple[str, str], tuple[float, LeaveKind]] = OrderedDict()

    def note(self, guild_id: str, user_id: str, kind: LeaveKind) -> None:
        key = (guild_id, user_id)
        self._seen.pop(key, None)
        self._seen[key] = (self._clock(), kind)
        while len(self._seen) > self._limit:
            self._seen.popitem(last=False)

    def kind_of(self, guild_id: str, user_id: str) -> LeaveKind:
        """How this person left: the recorded ban or kick if it is recent, else a plain leave."""
        entry = self._seen.get((guild_id, user_id))
        if entry is None or self._clock() - entry[0] > self._ttl:
            return LeaveKind.LEFT
        return entry[1]


FORM_TIMEOUT = 900.0  # seconds discord.py keeps an unanswered modal in memory (one never filled in is dropped then)


class Interactions:
    """Live interactions by id, so replies and button answers can use them; expired ones are dropped."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, limit: int = 10_000) -> None:
        self._clock = clock
        self._limit = limit
        self._live: OrderedDict[str, tuple[float, discord.Interaction]] = OrderedDict()

    def open(self, interaction: discord.Interaction) -> None:
        now = self._clock()
        self._live[str(interaction.id)] = (now, interaction)
        while self._live:
            first_at, _ = next(iter(self._live.values()))
            if now - first_at < INTERACTION_TTL and len(self._live) <= self._limit:
                break
            self._live.popitem(last=False)

    def get(self, interaction_id: str) -> discord.Interaction | None:
        entry = self._live.get(interaction_id)
        return entry[1] if entry else None

    def close(self, interaction_id: str) -> None:
        self._live.pop(interaction_id, None)


def _view(buttons: a.Buttons) -> discord.ui.View | None:
    """A view whose buttons keep working after a restart: presses are read from ``custom_id``, not from memory."""
    if not buttons:
        return None
    view = discord.ui.View(timeout=None)
    for row, line in enumerate(buttons[:5]):
        for b in line[:5]:
            if b.url:
                view.add_item(discord.ui.Button(label=sendable(b.label[:80]), url=b.url, row=row))
            elif b.data:
                view.add_item(discord.ui.Button(label=sendable(b.label[:80]), custom_id=b.data[:100], row=row))
    view.stop()  # not kept in discord.py's view store: the press reaches on_interaction by its custom_id
    return view


def _embeds(doc: Rich) -> list[discord.Embed]:
    return [discord.Embed(description=part) for part in render.parts(doc, render.EMBED_LIMIT)]


def _one_message_embeds(doc: Rich) -> list[discord.Embed]:
    """As many embeds as one message may carry (10, 6000 characters in all)."""
    out: list[discord.Embed] = []
    total = 0
    for e in _embeds(doc):
        size = len(e.description or "")
        if len(out) == EMBEDS_PER_MESSAGE or total + size > EMBED_TOTAL:
            log.warning("text too long for one Discord message; the rest is cut")
            break
        out.append(e)
        total += size
    return out


def _failed(exc: BaseException, *, dm: bool = False) -> a.Failed:
    if isinstance(exc, discord.Forbidden):
        if dm or exc.code == CODE_CANNOT_DM:
            return a.Failed(a.FailReason.DM_CLOSED, exc.text)
        return a.Failed(a.FailReason.FORBIDDEN, exc.text)
    if isinstance(exc, discord.NotFound):
        return a.Failed(a.FailReason.NOT_FOUND, exc.text)
    if isinstance(exc, discord.DiscordServerError):
        return a.Failed(a.FailReason.UNAVAILABLE, exc.text)
    if isinstance(exc, discord.HTTPException):
        reason = a.FailReason.RATE_LIMITED if exc.status == 429 else a.FailReason.BAD_REQUEST
        return a.Failed(reason, exc.text)
    return a.Failed(a.FailReason.UNAVAILABLE, type(exc).__name__)


_ERRORS = (discord.HTTPException, aiohttp.ClientError, asyncio.TimeoutError)
M = TypeVar("M")


async def _listed(items: AsyncIterable[M]) -> list[M]:
    """An async listing (pins) read whole, so a retry starts it again."""
    return [m async for m in items]


class DiscordOutbox:
    """The core's outbox for Discord. ``client`` must be logged in before actions arrive."""

    UNSUPPORTED: ClassVar[Mapping[type[a.Action], str]] = {
        a.DecideJoinRequest: "Discord has no join requests (its membership screening is answered in the client)",
        a.SetMemberTag: "Discord has no member tags a bot sets: a member's level shows as a role (SetMemberRoles)",
        a.CreateTopic: "Discord's channels have threads, not forum topics: an event's talk stays in its channel",
        a.CloseTopic: "Discord's channels have threads, not forum topics: an event's talk stays in its channel",
    }

    def __init__(self, client: discord.Client, config: Config, *, timer: Timer | None = None, request_timeout: float = 30.0) -> None:
        self.client = client
        self.config = config
        self.retry = Retry(timer, timeout=request_timeout)
        self.pace = GlobalPace(timer)
        watch(client, self.retry, self.pace)
        self.interactions = Interactions()
        self.removals = Removals()
        self.now: Callable[[], datetime] = lambda: datetime.now(UTC)  # the adapter gives it the core's clock
        # Told (server, channel, right) when Discord refuses an action for a missing permission: the adapter
        # checks the bot's rights again and the managers hear what is missing.
        self.on_refused: Callable[[ChatRef, int | None, str], None] | None = None
        self._ops: dict[type[a.Action], Callable[[Any], Awaitable[a.Result]]] = {
            a.SendMessage: self._send,
            a.SendDirect: self._direct,
            a.SendFile: self._send_file,
            a.EditMessage: self._edit,
            a.DeleteMessage: self._delete,
            a.PinMessage: self._pin,
            a.UnpinMessage: self._unpin,
            a.GetPinned: self._get_pinned,
            a.ResolvePeople: self._resolve_people,
            a.RestrictMember: self._restrict,
            a.UnrestrictMember: self._unrestrict,
            a.BanMember: self._ban,
            a.UnbanMember: self._unban,
            a.KickMember: self._kick,
            a.AnswerButton: self._answer,
            a.AskForm: self._ask_form,
            a.SendPoll: self._send_poll,
            a.ClosePoll: self._close_poll,
            a.MirrorEvent: self._mirror,
            a.UnmirrorEvent: self._unmirror,
            a.SetMemberRoles: self._roles,
        }

    async def perform(self, action: a.Action) -> a.Result:
        op = self._ops.get(type(action))
        if op is None:
            return a.Unsupported(type(action).__name__)
        try:
            return await op(links.resolved(action, self.message_link))
        except _ERRORS as exc:
            if isinstance(exc, discord.Forbidden) and exc.code == CODE_MISSING_PERMISSIONS:
                self._refused(action)
            result = _failed(exc, dm=isinstance(action, a.SendDirect))
            where = a.target_of(action)
            level = logging.INFO if result.reason in (a.FailReason.DM_CLOSED, a.FailReason.NOT_FOUND) else logging.WARNING
            log.log(level, "%s (chat=%s) failed: %s (%s)", type(action).__name__, where, result.reason, result.detail)
            return result

    def _refused(self, action: a.Action) -> None:
        """Discord answered 50013: say which right, in which server and channel, to ``on_refused``."""
        right = RIGHT_OF.get(type(action))
        message = getattr(action, "message", None)
        chat = message.chat if isinstance(message, MessageRef) else a.target_of(action)
        if right is None or self.on_refused is None or not isinstance(chat, ChatRef) or chat.private:
            return
        place = message.place if isinstance(message, MessageRef) else getattr(action, "place", None)
        channel = int(place) if place and place.isdigit() else self.main_place(chat)
        self.on_refused(chat, channel, right)

    # ---- places -------------------------------------------------------
    def main_place(self, chat: ChatRef) -> int | None:
        """Where ``place=None`` goes: the configured main channel, else the guild's system channel."""
        own = self.config.community("discord", chat.id)
        if own is not None and own.main_place and own.main_place.isdigit():
            return int(own.main_place)
        guild = self.client.get_guild(int(chat.id))
        return guild.system_channel.id if guild is not None and guild.system_channel is not None else None

    def message_link(self, ref: MessageRef) -> str | None:
        """The jump link to a message; a ref without a channel is taken to be in the main channel."""
        if ref.chat.private or not ref.id.isdigit():
            return None
        place = ref.place or (str(main) if (main := self.main_place(ref.chat)) is not None else None)
        return render.message_link(ref.chat.id, place, ref.id) if place else None

    def _channel(self, chat: ChatRef, place: str | None) -> discord.PartialMessageable | None:
        channel_id = int(place) if place else self.main_place(chat)
        if channel_id is None:
            return None
        return self.client.get_partial_messageable(channel_id, guild_id=int(chat.id))

    def _message(self, ref: MessageRef) -> discord.PartialMessage | None:
        channel = self._channel(ref.chat, ref.place)
        return channel.get_partial_message(int(ref.id)) if channel is not None else None

    # ---- messages -----------------------------------------------------
    async def _send(self, act: a.SendMessage) -> a.Result:
        if act.reply_to is not None:
            interaction = self.interactions.get(act.reply_to.id)
            if interaction is not None:
                return await self._answer_interaction(interaction, act)
        channel = self._channel(act.chat, act.place)
        if channel is None:
            return a.Failed(a.FailReason.NOT_FOUND, "no channel to post to: set main_place for this community in the config")
        reference = None
        if act.reply_to is not None and act.reply_to.place == str(channel.id):
            reference = discord.MessageReference(message_id=int(act.reply_to.id), channel_id=channel.id, fail_if_not_exists=False)
        return await self._post(channel, act.chat, act.text, act.buttons, reference=reference, silent=act.silent, preview=act.link_preview)

    async def _post(
        self,
        channel: discord.abc.Messageable,
        chat: ChatRef,
        text: Rich,
        buttons: a.Buttons,
        *,
        reference: discord.MessageReference | None = None,
        silent: bool = False,
        preview: bool = False,
    ) -> a.Result:
        mentions = render.allowed_mentions(text)
        markdown = render.to_markdown(text)
        if len(markdown) <= render.MESSAGE_LIMIT:
            chunks: list[dict[str, Any]] = [{"content": markdown}]
        else:
            chunks = [{"embed": e} for e in _embeds(text)]
        sent: list[MessageRef] = []
        for i, chunk in enumerate(chunks):
            last = i == len(chunks) - 1
            kwargs: dict[str, Any] = dict(
                chunk, allowed_mentions=mentions, silent=silent, suppress_embeds=not preview and "content" in chunk
            )
            if i == 0 and reference is not None:
                kwargs["reference"] = reference
                kwargs["mention_author"] = False
            view = _view(buttons) if last else None
            if view is not None:
                kwargs["view"] = view
            msg = await self.retry(functools.partial(channel.send, **kwargs))
            sent.append(MessageRef(chat, str(msg.id), str(msg.channel.id)))
        return a.Done(sent[0], tuple(sent))

    async def _send_poll(self, act: a.SendPoll) -> a.Result:
        """A Discord poll message, where it can do what is asked; ``Unsupported`` (buttons stand in) where it cannot.

        Discord ends a poll after whole hours (1 to 768): the poll gets the hours up to its closing time, rounded
        up, and the bot ends it itself (``end_poll``) at the exact time, so a closing not on the hour still holds.
        It cannot: keep votes secret from members (Discord shows everyone who chose what, so an anonymous poll is
        buttons with counts only), stay open past 32 days, take an answer over 55 characters, or be sent without
        the bot's SEND_POLLS permission.
        """
        seconds = (act.closes_at - self.now()).total_seconds() if act.closes_at is not None else 86400.0
        hours = max(1, math.ceil(seconds / 3600))
        if act.anonymous or hours > POLL_HOURS or any(len(o) > POLL_ANSWER_LIMIT for o in act.options):
            return a.Unsupported("a Discord poll cannot do this (anonymous, over 32 days, or a long answer)")
        channel = self._channel(act.chat, act.place)
        if channel is None:
            return a.Failed(a.FailReason.NOT_FOUND, "no channel to post to: set main_place for this community in the config")
        poll = discord.Poll(question=sendable(act.question), duration=timedelta(hours=hours), multiple=act.multiple)
        for option in act.options:
            poll.add_answer(text=sendable(option))
        try:
            msg = await self.retry(functools.partial(channel.send, poll=poll))
        except discord.Forbidden as exc:
            if exc.code == CODE_MISSING_PERMISSIONS:
                log.warning("no SEND_POLLS permission in channel %s: the poll goes out with buttons", channel.id)
                return a.Unsupported("SEND_POLLS")
            raise
        ref = MessageRef(act.chat, str(msg.id), str(msg.channel.id))
        return a.PollSent(ref, (ref,), poll=str(msg.id))

    async def _close_poll(self, act: a.ClosePoll) -> a.Result:
        """``end_poll``: the final counts per answer (Discord tells votes, not voters; for one-answer polls they agree)."""
        message = self._message(act.message)
        if message is None:
            return a.Failed(a.FailReason.NOT_FOUND, "no channel for the poll")
        ended = await self.retry(message.end_poll)
        if ended.poll is None:
            return a.PollResults(act.message)
        counts = tuple(answer.vote_count for answer in ended.poll.answers)
        return a.PollResults(act.message, counts=counts, voters=None if ended.poll.multiple else sum(counts))

    async def _answer_interaction(self, interaction: discord.Interaction, act: a.SendMessage) -> a.Result:
        """The first reply responds to the slash command; later ones are follow-ups."""
        markdown = render.to_markdown(act.text)
        kwargs: dict[str, Any] = {"allowed_mentions": render.allowed_mentions(act.text)}
        if len(markdown) <= render.MESSAGE_LIMIT:
            kwargs["content"] = markdown
        else:
            kwargs["embeds"] = _one_message_embeds(act.text)
        view = _view(act.buttons)
        if view is not None:
            kwargs["view"] = view
        chat = act.chat
        place = str(interaction.channel_id) if interaction.channel_id else None
        if not interaction.response.is_done():
            response = await self.retry(lambda: interaction.response.send_message(**kwargs))
            message_id = getattr(response, "message_id", None)
            ref = MessageRef(chat, str(message_id), place) if message_id else None
            return a.Done(ref, (ref,) if ref else ())
        msg = await self.retry(lambda: interaction.followup.send(wait=True, **kwargs))
        ref = MessageRef(chat, str(msg.id), place)
        return a.Done(ref, (ref,))

    async def _send_file(self, act: a.SendFile) -> a.Result:
        """One multipart upload (``discord.File``) with the caption as the message text.

        Discord picks the file's type from its name (an image shows inline), so ``mime`` is not sent.
        A caption longer than a message goes into an embed with the file.
        """
        if isinstance(act.to, UserRef) or act.to.private:
            if (role := self._role_not_user(act.to.id)) is not None:
                return role
            channel: discord.abc.Messageable | None = await self._dm_channel(act.to.id)
            chat = ChatRef("discord", act.to.id, private=True)
        else:
            channel, chat = self._channel(act.to, act.place), act.to
        if channel is None:
            return a.Failed(a.FailReason.NOT_FOUND, "no channel to post to: set main_place for this community in the config")
        kwargs: dict[str, Any] = {}
        if act.caption is not None:
            kwargs["allowed_mentions"] = render.allowed_mentions(act.caption)
            markdown = render.to_markdown(act.caption)
            if len(markdown) <= render.MESSAGE_LIMIT:
                kwargs["content"] = markdown
            else:
                kwargs["embeds"] = _one_message_embeds(act.caption)
        target = channel
        try:  # a fresh File per attempt: a retry must upload the whole file again
            msg = await self.retry(lambda: target.send(file=discord.File(io.BytesIO(act.data), filename=sendable(act.filename)), **kwargs))
        except discord.Forbidden as exc:
            return _failed(exc, dm=chat.private)
        ref = MessageRef(chat, str(msg.id), str(msg.channel.id))
        return a.Done(ref, (ref,))

    def _role_not_user(self, user_id: str) -> a.Failed | None:
        """The config's ``managers``/``moderators`` may name Discord roles; a DM to one of those ids cannot arrive."""
        if user_id.isdigit() and any(g.get_role(int(user_id)) is not None for g in self.client.guilds):
            return a.Failed(a.FailReason.NOT_FOUND, f"{user_id} is a Discord role, not a user: list user ids to reach people by DM")
        return None

    async def _dm_channel(self, user_id: str) -> discord.DMChannel:
        return await self.retry(lambda: self.client.create_dm(discord.Object(int(user_id))))

    async def _direct(self, act: a.SendDirect) -> a.Result:
        if (role := self._role_not_user(act.user.id)) is not None:
            return role
        channel = await self._dm_channel(act.user.id)
        return await self._post(channel, ChatRef("discord", act.user.id, private=True), act.text, act.buttons)

    async def _edit(self, act: a.EditMessage) -> a.Result:
        msg = self._message(act.message)
        if msg is None:
            return a.Failed(a.FailReason.NOT_FOUND, "unknown channel")
        markdown = render.to_markdown(act.text)
        view = _view(act.buttons)
        kwargs: dict[str, Any] = {"allowed_mentions": render.allowed_mentions(act.text), "view": view}
        if len(markdown) <= render.MESSAGE_LIMIT:
            kwargs.update(content=markdown, embeds=[])
        else:
            kwargs.update(content=None, embeds=_one_message_embeds(act.text))
        await self.retry(lambda: msg.edit(**kwargs))
        return a.Done(act.message, (act.message,))

    async def _delete(self, act: a.DeleteMessage) -> a.Result:
        if self.interactions.get(act.message.id) is not None:
            return a.Done()  # a slash command leaves no message to delete
        msg = self._message(act.message)
        if msg is None:
            return a.Failed(a.FailReason.NOT_FOUND, "unknown channel")
        await self.retry(msg.delete)
        return a.Done()

    # ---- pins ---------------------------------------------------------
    async def _pin(self, act: a.PinMessage) -> a.Result:
        """Pin. A full channel (50 pins) is a failure the managers are told about: the bot never makes room
        by unpinning, since its own pins are its other documents (unpinning one made every check re-pin it)."""
        msg = self._message(act.message)
        if msg is None:
            return a.Failed(a.FailReason.NOT_FOUND, "unknown channel")
        try:
            await self.retry(msg.pin)
        except discord.HTTPException as exc:
            if exc.code == CODE_MISSING_PERMISSIONS:
                self._refused(act)
                log.warning("no Pin Messages permission in channel %s (Manage Messages alone no longer pins)", msg.channel.id)
                return a.Failed(a.FailReason.FORBIDDEN, "the bot lacks the Pin Messages permission in this channel")
            if exc.code != CODE_MAX_PINS:
                raise
            return a.Failed(a.FailReason.FORBIDDEN, "this channel already has 50 pins; unpin one to make room")
        return a.Done(act.message)

    async def _unpin(self, act: a.UnpinMessage) -> a.Result:
        msg = self._message(act.message)
        if msg is None:
            return a.Failed(a.FailReason.NOT_FOUND, "unknown channel")
        await self.retry(msg.unpin)
        return a.Done()

    async def _get_pinned(self, act: a.GetPinned) -> a.Result:
        channel = self._channel(act.chat, act.place)
        if channel is None:
            return a.Failed(a.FailReason.NOT_FOUND, "no channel: set main_place for this community in the config")
        pins = await self.retry(lambda: _listed(channel.pins(limit=MAX_PINS)))
        pinned = tuple(MessageRef(act.chat, str(m.id), str(channel.id)) for m in pins)
        return a.Pinned(pinned=pinned)

    # ---- members ------------------------------------------------------
    def _guild(self, chat: ChatRef) -> discord.Guild | None:
        return self.client.get_guild(int(chat.id))

    async def _member(self, chat: ChatRef, user_id: str) -> discord.Member | None:
        guild = self._guild(chat)
        if guild is None:
            return None
        return guild.get_member(int(user_id)) or await self.retry(lambda: guild.fetch_member(int(user_id)))

    async def _resolve_people(self, act: a.ResolvePeople) -> a.Result:
        """Role ids become the role's members, from the REST member list: the bot keeps no member cache
        (``chunk_guilds_at_startup`` is off), and this runs once a week, not per message."""
        guild = self._guild(act.chat)
        if guild is None:
            return a.Failed(a.FailReason.NOT_FOUND, "unknown server")
        roles = {int(i) for i in act.ids if i.isdigit() and guild.get_role(int(i)) is not None}
        users = [i for i in act.ids if not (i.isdigit() and int(i) in roles)]
        if roles:
            members = await self.retry(lambda: _listed(guild.fetch_members(limit=None)))
            users += [str(m.id) for m in members if not m.bot and any(r.id in roles for r in m.roles)]
        return a.People(users=tuple(dict.fromkeys(users)))

    async def _restrict(self, act: a.RestrictMember) -> a.Result:
        """A timeout; "until lifted" becomes Discord's longest, 28 days. The rules gate holds with its role
        instead: a timed-out member cannot press the gate's button."""
        if act.gate and act.role is None:
            return a.Unsupported("a timeout would block the gate's button; set onboarding.gate_role to a role without Send Messages")
        member = await self._member(act.chat, act.user.id)
        if member is None:
            return a.Failed(a.FailReason.NOT_FOUND, "unknown server")
        if act.gate and act.role is not None:
            role = discord.Object(int(act.role))
            await self.retry(lambda: member.add_roles(role, reason="rules gate: until the newcomer confirms the rules"))
            return a.Done()
        now = discord.utils.utcnow()
        until = act.until.astimezone(UTC) if act.until is not None else now + MAX_TIMEOUT
        await self.retry(lambda: member.timeout(min(until, now + MAX_TIMEOUT - timedelta(minutes=1))))
        return a.Done()

    async def _unrestrict(self, act: a.UnrestrictMember) -> a.Result:
        member = await self._member(act.chat, act.user.id)
        if member is None:
            return a.Failed(a.FailReason.NOT_FOUND, "unknown server")
        if act.role is not None:
            role = discord.Object(int(act.role))
            await self.retry(lambda: member.remove_roles(role, reason="rules gate passed"))
        await self.retry(lambda: member.timeout(None))
        return a.Done()

    async def _ban(self, act: a.BanMember) -> a.Result:
        """Discord bans do not expire: a temporary ban must be lifted by the core with ``UnbanMember``."""
        guild = self._guild(act.chat)
        if guild is None:
            return a.Failed(a.FailReason.NOT_FOUND, "unknown server")
        seconds = 24 * 3600 if act.delete_recent else 0
        self.removals.note(act.chat.id, act.user.id, LeaveKind.BANNED)
        await self.retry(lambda: guild.ban(discord.Object(int(act.user.id)), delete_message_seconds=seconds))
        return a.Done()

    async def _unban(self, act: a.UnbanMember) -> a.Result:
        guild = self._guild(act.chat)
        if guild is None:
            return a.Failed(a.FailReason.NOT_FOUND, "unknown server")
        await self.retry(lambda: guild.unban(discord.Object(int(act.user.id))))
        return a.Done()

    async def _kick(self, act: a.KickMember) -> a.Result:
        guild = self._guild(act.chat)
        if guild is None:
            return a.Failed(a.FailReason.NOT_FOUND, "unknown server")
        self.removals.note(act.chat.id, act.user.id, LeaveKind.KICKED)
        await self.retry(lambda: guild.kick(discord.Object(int(act.user.id))))
        return a.Done()

    async def _roles(self, act: a.SetMemberRoles) -> a.Result:
        """Add and remove roles one by one (Discord's member role routes); a role the member has, or lacks, is
        no error. Manage Roles and a role above these are needed: else 50013, which stops at the first."""
        member = await self._member(act.chat, act.user.id)
        if member is None:
            return a.Failed(a.FailReason.NOT_FOUND, "unknown server")
        have = {str(r.id) for r in member.roles}
        for role_id in act.remove:
            if role_id in have:
                await self.retry(functools.partial(member.remove_roles, discord.Object(int(role_id)), reason="participation level"))
        for role_id in act.add:
            if role_id not in have:
                await self.retry(functools.partial(member.add_roles, discord.Object(int(role_id)), reason="participation level"))
        return a.Done()

    # ---- scheduled events ---------------------------------------------
    async def _mirror(self, act: a.MirrorEvent) -> a.Result:
        """A Guild Scheduled Event of type EXTERNAL (a place or a link: it needs no channel, and Discord then
        requires the end time and the location). An update of one Discord no longer has creates it anew."""
        payload: dict[str, Any] = {
            "name": sendable(act.title)[:EVENT_NAME] or "?",
            "description": sendable(act.description)[:EVENT_DESCRIPTION],
            "scheduled_start_time": act.starts_at.astimezone(UTC).isoformat(),
            "scheduled_end_time": act.ends_at.astimezone(UTC).isoformat(),
            "privacy_level": GUILD_ONLY,
            "entity_type": EXTERNAL,
            "entity_metadata": {"location": sendable(act.location)[:EVENT_LOCATION] or "-"},
        }
        guild = int(act.chat.id)
        http = self.client.http
        if act.native is not None:
            native = act.native
            try:
                await self.retry(lambda: http.edit_scheduled_event(guild, int(native), **payload))
                return a.Mirrored(native=act.native)
            except discord.NotFound:
                pass  # a manager deleted it in Discord: make it again
        created = await self.retry(lambda: http.create_guild_scheduled_event(guild, **payload))
        return a.Mirrored(native=str(created["id"]))

    async def _unmirror(self, act: a.UnmirrorEvent) -> a.Result:
        native = int(act.native)
        try:
            await self.retry(lambda: self.client.http.delete_scheduled_event(int(act.chat.id), native))
        except discord.NotFound:
            pass  # already gone
        return a.Done()

    # ---- interactions -------------------------------------------------
    async def _answer(self, act: a.AnswerButton) -> a.Result:
        interaction = self.interactions.get(act.callback_id)
        if interaction is None:
            return a.Failed(a.FailReason.NOT_FOUND, "the button press expired")
        if interaction.response.is_done():
            if act.text:
                await self.retry(lambda: interaction.followup.send(render.escape(act.text), ephemeral=True))
            return a.Done()
        if act.text:
            await self.retry(lambda: interaction.response.send_message(render.escape(act.text), ephemeral=True))
        else:
            await self.retry(interaction.response.defer)
        return a.Done()

    async def _ask_form(self, act: a.AskForm) -> a.Result:
        """A modal: only as the interaction's first answer (Discord refuses one after a reply or a defer)."""
        interaction = self.interactions.get(act.callback_id)
        if interaction is None:
            return a.Failed(a.FailReason.NOT_FOUND, "the interaction expired")
        if interaction.response.is_done():
            return a.Failed(a.FailReason.BAD_REQUEST, "a form must be the interaction's first answer")
        modal = discord.ui.Modal(title=act.title[:45], custom_id=act.data, timeout=FORM_TIMEOUT)
        for f in act.fields[:5]:
            style = discord.TextStyle.paragraph if f.long else discord.TextStyle.short
            text: discord.ui.TextInput[discord.ui.Modal] = discord.ui.TextInput(
                label=f.label[:45], custom_id=f.key, style=style, placeholder=f.placeholder[:100] or None,
                required=f.required, max_length=min(f.max_length, 4000),
            )  # fmt: skip
            modal.add_item(text)
        await self.retry(lambda: interaction.response.send_modal(modal))
        return a.Done()

    async def finish(self, interaction: discord.Interaction) -> None:
        """After the core handled an interaction: acknowledge it if nothing answered, so Discord shows no error."""
        try:
            if not interaction.response.is_done():
                if interaction.type is discord.InteractionType.component:
                    await self.retry(interaction.response.defer)
                else:
                    await self.retry(lambda: interaction.response.defer(ephemeral=True, thinking=True))
                    await self.retry(interaction.delete_original_response)
        except _ERRORS:
            log.info("could not acknowledge interaction %s", interaction.id)
