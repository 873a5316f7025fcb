"""The whole bot on a real discord.py client against the fake Discord: for end-to-end scenarios.

``discord_bot(config, db_url, start)`` yields a ``DiscordHarness`` once the client
is connected and the slash commands are published. Helpers dispatch gateway
events as Discord would and wait (without sleeping) for the core or the fake
REST server to see the result.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import discord
import yarl
from discord.gateway import DiscordWebSocket

from adapters.discord.adapter import DiscordAdapter, make_client
from adapters.discord.outbox import DiscordOutbox
from adapters.timing import Timer
from bot.app import App
from bot.core.clock import VirtualClock
from bot.core.config import Config, parse_config
from bot.core.events import Event
from storage.db import Database
from tests.discord import fakes
from tests.discord.fakes import GENERAL, GUILD_ID, FakeDiscord
from tests.discord.ratelimits import RateLimits

WAIT = 5.0  # seconds before a wait gives up (a failure, never a delay on success)


def discord_config(settings: dict[str, Any] | None = None, **community: Any) -> Config:
    """A config with the fake guild as the one Discord community."""
    entry = {"platform": "discord", "chat_id": GUILD_ID, "name": "Riverside Makers", "settings": settings or {}, **community}
    return parse_config({"discord": {"enabled": True}, "communities": [entry]}, "<discord test>")


@dataclass
class DiscordHarness:
    app: App
    fake: FakeDiscord
    bridge: DiscordAdapter
    clock: VirtualClock
    events: list[Event] = field(default_factory=list)
    finished: set[str] = field(default_factory=set)  # interactions the adapter is done with (acknowledged, or answered)
    _changed: asyncio.Condition = field(default_factory=asyncio.Condition)

    @property
    def client(self) -> discord.Client:
        return self.bridge.client

    async def poke(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def until(self, check: Callable[[], Any], what: str = "the expected outcome") -> Any:
        """Wait until ``check()`` is truthy, re-checking after every core event and REST request."""

        async def wait() -> Any:
            async with self._changed:
                while not (result := check()):
                    await self._changed.wait()
                return result

        try:
            return await asyncio.wait_for(wait(), WAIT)
        except TimeoutError:
            raise AssertionError(f"timed out waiting for {what}") from None

    def sent(self, template: str = "/channels/{channel_id}/messages", method: str = "POST") -> list[fakes.Recorded]:
        return self.fake.calls(method, template)

    # ---- what people do -----------------------------------------------------
    def add_member(self, user_id: str, name: str, roles: list[str] | None = None) -> None:
        self.fake.add_user(user_id, name, roles=roles)

    async def post(self, user_id: str, content: str, channel_id: str = GENERAL, **extra: Any) -> dict[str, Any]:
        """A member posts; returns once the core handled the message."""
        msg = self.fake.message(channel_id, user_id, content, guild_id=GUILD_ID, member=_member_fields(self.fake, user_id), **extra)
        await self.fake.dispatch("MESSAGE_CREATE", msg)
        # This message's own event (other events, such as a ban's, may be handled meanwhile).
        handled = lambda: any(getattr(getattr(e, "message", None), "id", None) == msg["id"] for e in self.events)  # noqa: E731
        await self.until(handled, "the core to handle MESSAGE_CREATE")
        return msg

    async def dm(self, user_id: str, content: str) -> dict[str, Any]:
        """A member writes to the bot in DMs (their DM channel with it, made on the first try to reach them)."""
        channel = next((c for c, u in self.fake.dm_channels.items() if u == user_id), None) or self.fake.snowflake()
        self.fake.dm_channels[channel] = user_id
        msg = self.fake.message(channel, user_id, content)
        before = len(self.events)
        await self.fake.dispatch("MESSAGE_CREATE", msg)
        await self.until(lambda: len(self.events) > before, "the core to handle a direct message")
        return msg

    async def join(self, user_id: str) -> None:
        self.fake.kicked.discard(user_id)  # joining again: a server shared with the bot once more
        before = len(self.events)
        await self.fake.dispatch("GUILD_MEMBER_ADD", {**self.fake.member(user_id), "guild_id": GUILD_ID})
        await self.until(lambda: len(self.events) > before, "the core to handle GUILD_MEMBER_ADD")

    async def slash(self, user_id: str, name: str, args: str = "", channel_id: str = GENERAL, locale: str = "en-US") -> str:
        """A member uses ``/name args``; returns the interaction id once Discord got its answer."""
        interaction_id = self.fake.snowflake()
        self.fake.interaction_channels[interaction_id] = channel_id
        options = [{"name": "args", "type": 3, "value": args}] if args else []
        data = {"id": self.fake.snowflake(), "name": name, "type": 1, "options": options, "guild_id": GUILD_ID}
        await self._interact(self._interaction(interaction_id, 2, user_id, channel_id, data, locale), f"/{name}")
        return interaction_id

    async def menu(self, user_id: str, name: str, message: dict[str, Any], locale: str = "en-US") -> str:
        """A member uses the message command ``name`` (right-click > Apps) on ``message``."""
        interaction_id = self.fake.snowflake()
        channel_id = message["channel_id"]
        self.fake.interaction_channels[interaction_id] = channel_id
        data = {
            "id": self.fake.snowflake(),
            "name": name,
            "type": 3,
            "target_id": message["id"],
            "resolved": {"messages": {message["id"]: message}},
            "guild_id": GUILD_ID,
        }
        await self._interact(self._interaction(interaction_id, 2, user_id, channel_id, data, locale), f"the message command {name!r}")
        return interaction_id

    async def press(self, user_id: str, message: dict[str, Any], custom_id: str, locale: str = "en-US") -> str:
        """A member presses a button under ``message`` (a message payload the bot sent)."""
        interaction_id = self.fake.snowflake()
        data = {"custom_id": custom_id, "component_type": 2}
        payload = self._interaction(interaction_id, 3, user_id, message["channel_id"], data, locale)
        if message["channel_id"] in self.fake.dm_channels:
            # As Discord sends a press in a DM: no guild, no member, the user at the top level.
            for key in ("guild_id", "member", "guild_locale"):
                payload.pop(key)
            payload |= {"user": self.fake.users[user_id], "context": 1, "authorizing_integration_owners": {"1": user_id}}
            payload["channel"] = {"id": message["channel_id"], "type": 1, "recipients": [self.fake.users[user_id]]}
        payload["message"] = message
        await self._interact(payload, "the button press")
        return interaction_id

    async def submit(self, user_id: str, opened: str, values: dict[str, str], channel_id: str = GENERAL) -> str:
        """A member fills in the modal the bot opened as its answer to interaction ``opened``, and sends it."""
        modal = self.fake.modals[opened]
        known = {c["custom_id"] for row in modal["components"] for c in row.get("components") or [row.get("component") or {}]}
        assert set(values) <= known, f"the modal has no boxes {set(values) - known}"
        interaction_id = self.fake.snowflake()
        self.fake.interaction_channels[interaction_id] = channel_id
        rows = [{"type": 1, "components": [{"type": 4, "custom_id": k, "value": v}]} for k, v in values.items()]
        data = {"custom_id": modal["custom_id"], "components": rows}
        await self._interact(self._interaction(interaction_id, 5, user_id, channel_id, data, "en-US"), "the form")
        return interaction_id

    async def _interact(self, payload: dict[str, Any], what: str) -> None:
        """Dispatch an interaction; return once the core handled it (with its after-commit actions) and
        Discord got an answer (the core's, or the adapter's acknowledgement)."""
        before = len(self.events)
        await self.fake.dispatch("INTERACTION_CREATE", payload)
        # Done: handled, answered, and the adapter's own clean-up of it finished (a slash command's placeholder
        # answer deleted), so no request of it is still under way when the next one starts.
        done = lambda: self.answered(payload["id"]) and len(self.events) > before and payload["id"] in self.finished  # noqa: E731
        await self.until(done, f"{what} to be handled and answered")

    def answered(self, interaction_id: str) -> list[fakes.Recorded]:
        """The interaction's callbacks that Discord accepted."""
        return [
            r
            for r in self.fake.calls("POST", "/interactions/{interaction_id}/{interaction_token}/callback")
            if f"/{interaction_id}/" in r.path and r.ok
        ]

    def _interaction(
        self, interaction_id: str, kind: int, user_id: str, channel_id: str, data: dict[str, Any], locale: str
    ) -> dict[str, Any]:
        self.fake.interaction_kinds[interaction_id] = kind
        if self.fake.timed_out(user_id):
            raise AssertionError("Discord lets no timed-out member use a button, a menu or a command in the server")
        member = _member_fields(self.fake, user_id)
        return {
            "id": interaction_id,
            "application_id": fakes.APP_ID,
            "type": kind,
            "token": f"token-{interaction_id}",
            "version": 1,
            "guild_id": GUILD_ID,
            "channel_id": channel_id,
            "channel": {"id": channel_id, "type": 0, "guild_id": GUILD_ID, "name": "general"},
            "member": {**member, "user": self.fake.users[user_id], "permissions": fakes.PERMS_MEMBER},
            "data": data,
            "locale": locale,
            "guild_locale": "en-US",
            "app_permissions": fakes.PERMS_ALL,
            "entitlements": [],
            "authorizing_integration_owners": {"0": GUILD_ID},
            "context": 0,
            "attachment_size_limit": 10 * 1024 * 1024,
        }


def _member_fields(fake: FakeDiscord, user_id: str) -> dict[str, Any]:
    m = fake.member(user_id)
    m.pop("user")
    return m


async def _connected(bridge: DiscordAdapter, task: asyncio.Task[None]) -> None:
    """Wait until the client published its slash commands in the fake guild (or failed to start)."""

    async def synced() -> None:
        async with bridge.guilds_synced:
            await bridge.guilds_synced.wait_for(lambda: int(GUILD_ID) in bridge.synced)

    waiter = asyncio.create_task(synced())
    done, _ = await asyncio.wait({waiter, task}, timeout=WAIT, return_when=asyncio.FIRST_COMPLETED)
    waiter.cancel()
    if task in done:
        task.result()  # raises the start-up error
        raise AssertionError("the Discord client stopped before connecting")
    if waiter not in done:
        raise AssertionError("timed out waiting for the client to connect and publish its commands")


@asynccontextmanager
async def discord_bot(
    config: Config,
    db_url: str,
    start: datetime,
    prepare: Callable[[App], None] | None = None,
    *,
    timer: Timer | None = None,
    request_timeout: float = 30.0,
    bot_permissions: int = fakes.BOT_INVITE_PERMISSIONS,
    limits: RateLimits | None = None,
    overwrites: dict[str, list[dict[str, Any]]] | None = None,
) -> AsyncIterator[DiscordHarness]:
    """Fake Discord + real discord.py client + the core on a SQLite file, connected and synced.

    ``prepare(app)`` runs before the client starts: register test commands or buttons there.
    ``timer`` and ``request_timeout`` go to the outbox's retries (a fake timer skips their waits); the fake's
    rate limits count on the same timer. ``limits``: Discord's own sizes (``RateLimits()``); default roomy.
    ``overwrites``: channel permission overwrites the server has when the bot connects.
    """
    clock = VirtualClock(start)
    if limits is None:
        limits = RateLimits.relaxed(timer.now if timer is not None else time.monotonic)
    fake = FakeDiscord(now=clock.now, bot_permissions=bot_permissions, limits=limits, overwrites=overwrites or {})
    url = await fake.start()
    old_base, old_gateway = discord.http.Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    discord.http.Route.BASE = url + "/api/v10"
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url.replace("http", "ws") + "/gateway")
    client = make_client(config, guild_ready_timeout=0.0, enable_debug_events=False)
    outbox = DiscordOutbox(client, config, timer=timer, request_timeout=request_timeout)
    if limits.global_per_second > 10 * RateLimits().global_per_second:
        outbox.pace.gap = 0.0  # a roomy fake has no global limit to pace under: tests that do not measure pacing stay fast
    app = App(config, Database(db_url), clock, {"discord": outbox})
    await app.start()
    if prepare is not None:
        prepare(app)
    bridge = DiscordAdapter(app.rt, config, client, outbox)
    harness = DiscordHarness(app, fake, bridge, clock)
    core_handle = app.rt.handle

    async def handle(event: Event) -> Any:
        result = await core_handle(event)
        harness.events.append(event)
        await harness.poke()
        return result

    app.rt.handle = handle  # type: ignore[method-assign]
    core_finish = outbox.finish

    async def finish(interaction: discord.Interaction) -> None:
        await core_finish(interaction)
        harness.finished.add(str(interaction.id))
        await harness.poke()

    outbox.finish = finish  # type: ignore[method-assign]
    fake.on_request = harness.poke
    task = asyncio.create_task(bridge.run("fake-token"))
    try:
        await _connected(bridge, task)
        yield harness
    finally:
        # Gateway events still being handled (discord.py runs each listener as its own task) finish
        # before the database closes, so no connection outlives the test's event loop.
        handling = [t for t in asyncio.all_tasks() if t.get_name().startswith("discord.py: ") and not t.done()]
        if handling:
            await asyncio.wait(handling, timeout=WAIT)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await app.close()
        await fake.stop()
        discord.http.Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = old_base, old_gateway
