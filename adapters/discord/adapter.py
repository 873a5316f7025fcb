"""The Discord side of ``community-bot run``: a discord.py client wired to the core.

``run_discord`` is what ``bot/process.py`` starts. The client asks for the two
privileged intents (server members, message content); when they are not
enabled in the developer portal Discord closes the gateway with 4014 and the
start fails with ``DiscordStartError`` saying exactly what to tick.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from typing import Any

import aiohttp
import discord

from adapters.discord import translate
from adapters.discord.commands import build_tree, sync_guild
from adapters.discord.outbox import DiscordOutbox
from bot.core.config import Config, Secrets
from bot.core.events import Event, LeaveKind, Person
from bot.core.failure import Failure
from bot.core.ids import ChatRef, UserRef
from bot.core.runtime import Runtime

log = logging.getLogger("adapters.discord")

INTENTS_HELP = (
    "Discord refused the privileged intents this bot needs (gateway close code 4014). "
    "Open https://discord.com/developers/applications, pick the bot's application, go to Bot > "
    "Privileged Gateway Intents and switch on SERVER MEMBERS INTENT and MESSAGE CONTENT INTENT, "
    "save, then start the bot again."
)
TOKEN_HELP = (
    "Discord rejected the bot token (401 Unauthorized). Copy a fresh one from https://discord.com/developers/applications "
    "> your application > Bot > Reset Token into the environment variable {var} (discord.token_env), then start the bot again."
)


class DiscordStartError(RuntimeError):
    """The Discord adapter cannot start; the message says what the manager must fix."""


def intents() -> discord.Intents:
    """Default intents (server poll votes among them: ``guild_polls``) plus the two privileged ones: joins/leaves and
    message text."""
    wanted = discord.Intents.default()
    wanted.guild_polls = True
    wanted.members = True
    wanted.message_content = True
    wanted.reactions = True  # in the defaults; named because reactions count as participation
    wanted.guild_scheduled_events = True  # in the defaults; named because "Interested" counts as an RSVP
    return wanted


def make_client(config: Config, **options: Any) -> discord.Client:
    """One gateway connection, or ``AutoShardedClient`` when ``discord.shards`` is set (only ``shard_ids`` of
    them when several processes share the shards out)."""
    options.setdefault("intents", intents())
    options.setdefault("chunk_guilds_at_startup", False)  # the bot does not need every member in memory
    options.setdefault("allowed_mentions", discord.AllowedMentions.none())
    if config.discord.shards:
        if config.discord.shard_ids is not None:
            options["shard_ids"] = config.discord.shard_ids
        return discord.AutoShardedClient(shard_count=config.discord.shards, **options)
    return discord.Client(**options)


class DiscordAdapter:
    """Holds the client, the outbox and the core; turns client events into core events."""

    def __init__(self, rt: Runtime, config: Config, client: discord.Client, outbox: DiscordOutbox | None = None) -> None:
        self.rt = rt
        self.config = config
        self.client = client
        self.outbox = outbox or DiscordOutbox(client, config)
        rt.outboxes["discord"] = self.outbox
        self.outbox.now = rt.now  # a poll's hours count from the core's clock
        self.outbox.on_refused = self._refused
        self._background: set[asyncio.Task[None]] = set()
        # Message links: the outbox knows each guild's main channel, for refs stored without a place.
        # Deep links: Discord has none (no "open a DM with a payload"), so rt.deep_links stays unset
        # and the core words its texts without one.
        self.tree: discord.app_commands.CommandTree | None = None
        self.ready = asyncio.Event()
        self._votes = asyncio.Lock()
        self.synced: dict[int, int] = {}  # guild id -> commands published
        self.guilds_synced = asyncio.Condition()
        for name in (
            "setup_hook",
            "on_ready",
            "on_guild_available",
            "on_guild_join",
            "on_message",
            "on_raw_message_edit",
            "on_raw_message_delete",
            "on_raw_reaction_add",
            "on_raw_reaction_remove",
            "on_member_join",
            "on_member_update",
            "on_raw_member_remove",
            "on_member_ban",
            "on_interaction",
            "on_raw_poll_vote_add",
            "on_raw_poll_vote_remove",
            "on_scheduled_event_create",
            "on_raw_scheduled_event_user",
        ):
            setattr(client, name, getattr(self, name))
        self._hear_interest()

    @property
    def _self_id(self) -> int | None:
        return self.client.user.id if self.client.user is not None else None

    async def _handle(self, event: Event | None) -> None:
        if event is not None:
            await self.rt.handle(event)

    # ---- lifecycle ----------------------------------------------------
    async def setup_hook(self) -> None:
        self.tree = await build_tree(self.client, self.rt.commands.all(), self.rt.catalogs, self._invoke)

    async def on_ready(self) -> None:
        log.info("connected to Discord as %s in %d servers", self._self_id, len(self.client.guilds))
        self.ready.set()
        for guild in self.client.guilds:
            if guild.id not in self.synced:
                await self._sync(guild)

    async def on_guild_available(self, guild: discord.Guild) -> None:
        if guild.id not in self.synced:
            await self._sync(guild)

    async def on_guild_join(self, guild: discord.Guild) -> None:
        await self._sync(guild)

    async def _sync(self, guild: discord.Guild) -> None:
        if self.tree is None:
            return
        try:
            count = await sync_guild(self.tree, guild)
        except discord.HTTPException as exc:
            log.warning("could not publish slash commands in server %s: %s (grant the applications.commands scope)", guild.id, exc.status)
            return
        rights = translate.bot_rights(guild, self._feature_channels(guild), log_channel=self._log_channel(guild))
        await self._handle(rights)  # the managers hear what is missing
        async with self.guilds_synced:
            self.synced[guild.id] = count
            self.guilds_synced.notify_all()

    def _feature_channels(self, guild: discord.Guild) -> list[int]:
        """Where the bot posts and pins by default: the main channel and the pinned documents' channel."""
        out = [c] if (c := self.outbox.main_place(translate.chat_of(guild.id))) is not None else []
        own = self.config.community("discord", str(guild.id))
        place = own.settings.pinned.place if own is not None else None
        return out + ([int(place)] if place and place.isdigit() else [])

    def _log_channel(self, guild: discord.Guild) -> int | None:
        """The moderators' log when it is a channel of this server (a separate log chat is checked where it is)."""
        own = self.config.community("discord", str(guild.id))
        place = own.settings.log_place if own is not None else None
        return int(place) if place and place.isdigit() else None

    def _refused(self, chat: ChatRef, channel: int | None, right: str) -> None:
        """Discord refused an action for a missing permission: check the rights again, there and in the feature
        channels, so the managers hear what is missing (once per change: ``handlers/rights``). Its own task: the
        refused action's unit of work is still running."""
        guild = self.client.get_guild(int(chat.id))
        if guild is None:
            return
        channels = [*self._feature_channels(guild), *([channel] if channel is not None else [])]
        rights = translate.bot_rights(guild, channels, refused=right, log_channel=self._log_channel(guild))
        task = asyncio.get_running_loop().create_task(self._handle(rights))
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def run(self, token: str) -> None:
        """Log in and stay connected until cancelled; start-up problems become ``DiscordStartError``."""
        try:
            async with self.client:
                await self.client.start(token)
        except discord.PrivilegedIntentsRequired:
            raise DiscordStartError(INTENTS_HELP) from None
        except discord.LoginFailure:
            raise DiscordStartError(TOKEN_HELP.format(var=self.config.discord.token_env)) from None

    # ---- events -------------------------------------------------------
    async def on_message(self, message: discord.Message) -> None:
        if message.author.id == self._self_id:
            return  # like Telegram, the bot does not hear itself
        if message.guild is not None:
            await self._handle(translate.message_posted(message, self._self_id))
        else:
            await self._handle(translate.direct_message(message))

    async def on_raw_message_edit(self, payload: discord.RawMessageUpdateEvent) -> None:
        message = payload.message
        if payload.guild_id is None or message.author.id == self._self_id:
            return
        await self._handle(translate.message_edited(message, self._self_id))

    async def on_raw_message_delete(self, payload: discord.RawMessageDeleteEvent) -> None:
        await self._handle(translate.message_deleted(payload, self.rt.now()))

    async def on_raw_reaction_add(self, payload: discord.RawReactionActionEvent) -> None:
        await self._handle(translate.reaction(payload, self.rt.now(), self._self_id))

    async def on_raw_reaction_remove(self, payload: discord.RawReactionActionEvent) -> None:
        await self._handle(translate.reaction(payload, self.rt.now(), self._self_id))

    async def on_member_join(self, member: discord.Member) -> None:
        if member.pending:
            return  # still in the server's rules screening: welcomed when it passes (on_member_update)
        await self._handle(translate.member_joined(member))

    async def on_member_update(self, before: discord.Member, after: discord.Member) -> None:
        if before.pending and not after.pending:  # passed the rules screening: now a member for the bot too
            await self._handle(replace(translate.member_joined(after), at=self.rt.now()))

    async def on_raw_member_remove(self, payload: discord.RawMemberRemoveEvent) -> None:
        kind = self.outbox.removals.kind_of(str(payload.guild_id), str(payload.user.id))
        await self._handle(translate.member_left(payload.guild_id, payload.user, self.rt.now(), kind))

    async def on_member_ban(self, guild: discord.Guild, user: discord.User | discord.Member) -> None:
        self.outbox.removals.note(str(guild.id), str(user.id), LeaveKind.BANNED)
        await self._handle(translate.member_left(guild.id, user, self.rt.now(), LeaveKind.BANNED))

    async def on_raw_poll_vote_add(self, payload: discord.RawPollVoteActionEvent) -> None:
        await self._vote(translate.poll_vote(payload, True, self._self_id, self.rt.now()))

    async def on_raw_poll_vote_remove(self, payload: discord.RawPollVoteActionEvent) -> None:
        await self._vote(translate.poll_vote(payload, False, self._self_id, self.rt.now()))

    async def _vote(self, event: Event | None) -> None:
        """Votes in the order Discord sent them: discord.py runs each listener as its own task, and a changed answer
        comes as a remove and an add that must not overtake each other (the lock is first come, first served)."""
        async with self._votes:
            await self._handle(event)

    async def on_scheduled_event_create(self, event: discord.ScheduledEvent) -> None:
        if event.creator_id is not None and event.creator_id == self._self_id:
            return  # the calendar's own mirror
        await self._handle(translate.native_event_created(event, self.rt.now()))

    def _hear_interest(self) -> None:
        """discord.py drops ``GUILD_SCHEDULED_EVENT_USER_ADD/REMOVE`` unless the user is cached (the bot does not
        chunk members): its parsers for them also dispatch ``raw_scheduled_event_user`` with the raw payload."""
        parsers = self.client._connection.parsers
        for name, added in (("GUILD_SCHEDULED_EVENT_USER_ADD", True), ("GUILD_SCHEDULED_EVENT_USER_REMOVE", False)):
            original = parsers[name]

            def parse(data: Any, original: Any = original, added: bool = added) -> None:
                self.client.dispatch("raw_scheduled_event_user", data, added)
                original(data)

            parsers[name] = parse

    async def on_raw_scheduled_event_user(self, data: dict[str, Any], added: bool) -> None:
        if not str(data.get("user_id", "")).isdigit() or int(data["user_id"]) == self._self_id:
            return
        user_id, guild = int(data["user_id"]), self.client.get_guild(int(data.get("guild_id") or 0))
        found: discord.abc.User | None = self.client.get_user(user_id)
        if found is None and guild is not None:
            try:
                found = guild.get_member(user_id) or await self.outbox.retry(lambda: guild.fetch_member(user_id))
            except (discord.HTTPException, aiohttp.ClientError, TimeoutError):
                found = None
        who = translate.person(found) if found is not None else Person(UserRef("discord", str(user_id)), str(user_id))
        await self._handle(translate.native_event_interest(data, who, added, self.rt.now()))

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """Button presses and filled-in forms; slash commands reach ``_invoke`` through the command tree."""
        if interaction.type is discord.InteractionType.component:
            await self._answered(interaction, translate.button_pressed(interaction, self._self_id))
        elif interaction.type is discord.InteractionType.modal_submit:
            await self._answered(interaction, translate.form_submitted(interaction, self._self_id))

    async def _invoke(self, interaction: discord.Interaction, name: str, args: str, target: discord.Message | None) -> None:
        await self._answered(interaction, translate.command_invoked(interaction, name, args, self._self_id, target))

    async def _answered(self, interaction: discord.Interaction, event: Event | None) -> None:
        """Handle an interaction's event; Discord gets an answer whatever happens (the core's, or an acknowledgement)."""
        if event is None:
            return
        self.outbox.interactions.open(interaction)
        try:
            await self._handle(event)
        finally:
            await self.outbox.finish(interaction)


def explain_failure(exc: BaseException, config: Config) -> Failure | None:
    """What ``bot.supervise`` needs to know: a start-up error is fatal, Discord's own outages are retried."""
    if isinstance(exc, DiscordStartError):
        return Failure(False, str(exc))
    if isinstance(exc, discord.DiscordServerError | discord.GatewayNotFound | discord.ConnectionClosed | aiohttp.ClientError):
        return Failure(True, f"Discord is unreachable or failing: {type(exc).__name__}: {exc}")
    return None


async def run_discord(rt: Runtime, config: Config, secrets: Secrets) -> None:
    """Register the Discord outbox and run the client until cancelled."""
    if secrets.discord_token is None:
        raise DiscordStartError("discord.token_env: the bot token is missing from the environment")
    adapter = DiscordAdapter(rt, config, make_client(config))
    await adapter.run(secrets.discord_token.get_secret_value())
