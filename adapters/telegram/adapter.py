"""The Telegram adapter at run time: getMe, command menus, then long polling or a webhook server.

``TelegramAdapter`` holds the pieces (outbox, flow control, admin cache) and
feeds each update through ``translate`` into the core. ``run_telegram`` is
what ``bot.process`` starts for ``telegram.enabled = true``.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import aiohttp
from aiogram import Bot
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramAPIError,
    TelegramConflictError,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.types import Update
from aiohttp import web
from pydantic import ValidationError

from adapters.telegram import commands, flow, presses
from adapters.telegram.admins import AdminCache
from adapters.telegram.flow import FlowControl
from adapters.telegram.lanes import Lanes, lane_of
from adapters.telegram.links import deep_link
from adapters.telegram.outbox import TelegramOutbox
from adapters.telegram.translate import ALLOWED_UPDATES, PLATFORM, Me, translate
from adapters.telegram.uploads import TypedUploadSession
from adapters.timing import Timer
from bot.core.actions import SendMessage
from bot.core.config import Config, Secrets
from bot.core.events import ButtonPressed, CommandInvoked, Event, MemberJoined, MemberLeft, MessageEdited, MessagePosted, Role
from bot.core.failure import Failure
from bot.core.ids import ChatRef
from bot.core.inbox import Inbox
from bot.core.runtime import Runtime

# The webhook's limits: Telegram's updates are a few kilobytes and arrive at once.
WEBHOOK_MAX_BODY = 1 << 20  # bytes
WEBHOOK_READ_TIMEOUT = 10.0  # seconds to deliver the body once the headers are in
WEBHOOK_IDLE_TIMEOUT = 15.0  # seconds a connection may sit idle (or unfinished) before it is closed
log = logging.getLogger("adapters.telegram")

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
JOIN_ECHO = timedelta(minutes=10)  # a second report of the same join within this is an echo
INBOX_RETRY = (1.0, 2.0, 5.0)  # seconds between tries to store updates while the database is away
CONFLICT_REMINDER = 600.0  # seconds between errors while another copy of the bot polls the same token
_ROLE_EVENTS = (MessagePosted, MessageEdited, CommandInvoked, ButtonPressed)


def make_bot(token: str, api_base: str, timer: Timer | None = None) -> Bot:
    """aiogram's Bot talking to ``api_base`` (Telegram, a self-hosted Bot API server, or a test fake).

    Its session paces every request (``flow.install``): rate limits, 429 waits and retries on ``timer``.
    """
    bot = Bot(token, session=TypedUploadSession(api=TelegramAPIServer.from_base(api_base)))
    flow.install(bot, FlowControl(timer))
    return bot


class TelegramAdapter:
    def __init__(self, rt: Runtime, bot: Bot, config: Config) -> None:
        self.rt = rt
        self.bot = bot
        self.config = config
        self.flow = flow.flow_of(bot)  # made with the Bot (make_bot); its timer is the adapter's too
        self.timer = self.flow.timer
        self.admins = AdminCache(bot, self.timer, ttl=config.telegram.admin_cache.total_seconds())
        self.outbox = TelegramOutbox(bot, rt.clock)
        self.me: Me | None = None
        self._member_updates: set[str] = set()  # chats that send chat_member updates (the bot is admin there)
        self._recent_joins: dict[tuple[str, str], datetime] = {}  # (chat, user) -> when: one join, one event
        self._handled = asyncio.Condition()
        self.inbox = Inbox(rt.db, PLATFORM, rt.clock)
        self._upkeep: asyncio.Task[None] | None = None
        self.last_update_id = -1
        self.update_errors = 0
        self.conflicts = 0  # long polls Telegram ended for another copy of the bot (409)
        self._conflict_told: float | None = None
        self.lanes = Lanes()
        self._in_hand: set[int] = set()  # update ids queued in a lane or being handled

    async def start(self) -> None:
        """Who am I, register the outbox and the deep-link hook, publish command menus."""
        user = await self.bot.get_me()
        self.me = Me(user.id, user.username or "")
        rt = self.rt
        rt.outboxes[PLATFORM] = self.outbox
        await self._learn_usernames()
        await self._check_log_chats()
        self._install_deep_links()
        await commands.publish(self.bot, rt, self.admins.admins)
        try:
            await self._replay(await self.inbox.orphans())
        except Exception as exc:  # the upkeep looks again soon
            log.warning("could not look for updates left by a stopped process: %r", exc)
        self._upkeep = asyncio.create_task(self.inbox.run(self._replay))

    @property
    def redelivered(self) -> int:
        """Deliveries of updates already taken (by this process or another): dropped, not handled twice."""
        return self.inbox.repeated

    async def _learn_usernames(self) -> None:
        """Public usernames of the configured groups, for the outbox's message links (``t.me/<name>/<id>``)."""
        for c in self.config.communities:
            if c.platform != "telegram":
                continue
            try:
                chat = await self.bot.get_chat(int(c.chat_id))
            except TelegramAPIError as exc:
                log.warning("cannot read chat %s (is the bot in it?): %s", c.chat_id, exc.message)
                continue
            if chat.username:
                self.outbox.usernames[c.chat_id] = chat.username

    async def _check_log_chats(self) -> None:
        """A moderators' log in a separate chat (``log_place`` = a chat id) needs the bot in that chat: said at start,
        in the log and in the group, or every alert, spam card and appeal meant for the moderators is lost."""
        for c in self.config.communities:
            place = c.settings.log_place or ""
            if c.platform != "telegram" or not place.startswith("-") or not place[1:].isdigit():
                continue  # no log, or a topic of the group itself
            try:
                await self.bot.get_chat(int(place))
            except TelegramAPIError as exc:
                log.warning(
                    "the moderators' log of %s is the chat %s, which the bot cannot reach (%s): add the bot to that chat, "
                    "or set log_place to a topic of the group", c.name or c.chat_id, place, exc.message,
                )  # fmt: skip
                t = self.rt.catalogs.translator(c.settings.language)
                text = t.t("core.log_chat_unreachable", chat=place)
                try:
                    await self.outbox.perform(SendMessage(ChatRef(PLATFORM, c.chat_id), text, place=c.main_place))
                except Exception as err:  # the group itself may be out of reach too: the warning above stays
                    log.info("could not tell %s about its log chat: %r", c.chat_id, err)

    def _install_deep_links(self) -> None:
        """Give the core Telegram's deep links (``rt.deep_links``); message links are the outbox's own."""
        assert self.me is not None
        username = self.me.username

        def link(payload: str) -> str | None:
            try:
                return deep_link(username, payload)
            except ValueError:
                log.warning("no deep link for payload %r: Telegram allows 1-64 of A-Z a-z 0-9 _ -", payload)
                return None

        self.rt.deep_links[PLATFORM] = link

    def close(self) -> None:
        """Take the deep-link hook back: a stopped adapter must not answer for it."""
        self.rt.deep_links.pop(PLATFORM, None)
        self.inbox.close()
        if self._upkeep is not None and not self._upkeep.done():
            self._upkeep.cancel()  # stop() lets it finish its writes; here it is too late for them

    # ---- one update ----
    async def feed(self, update: Update) -> Any:
        """Take one update and hand it to the core at once (no lane). Never raises: a bad update is logged and skipped."""
        if not await self.take([update]):
            return None
        self._in_hand.add(update.update_id)
        return await self._process(update)

    async def take(self, updates: list[Update], raw: list[str] | None = None) -> list[Update]:
        """Store updates in the inbox; the ones new to every process, which this one must handle.

        Telegram delivers again what it thinks was not received (a webhook answered late, a lost
        getUpdates answer, a restart): those are dropped here. Raises when the database cannot
        store them, and then nothing may be confirmed to Telegram.
        """
        rows = [(u.update_id, raw[n] if raw else u.model_dump_json(exclude_none=True)) for n, u in enumerate(updates)]
        fresh = await self.inbox.take(rows)
        seen = [u.update_id for u in updates if u.update_id not in fresh]
        if seen:
            log.debug("updates %s delivered again; ignored", seen)
            async with self._handled:
                self.last_update_id = max(self.last_update_id, *seen)
                self._handled.notify_all()
        return [u for u in updates if u.update_id in fresh]

    async def dispatch(self, update: Update) -> None:
        """Queue a taken update in its chat's lane (see ``lanes``)."""
        self._in_hand.add(update.update_id)
        await self.lanes.submit(lane_of(update), lambda: self._process(update))

    async def _replay(self, rows: list[tuple[int, str]]) -> None:
        """Handle what a process that died had taken and not finished (see ``Inbox.orphans``)."""
        if rows:
            log.info("handling %d updates taken over from a process that stopped", len(rows))
        for update_id, payload in rows:
            try:
                update = Update.model_validate_json(payload, context={"bot": self.bot})
            except ValidationError:
                log.warning("stored update %s is not readable; skipped", update_id)
                self.inbox.handled(update_id)
                continue
            await self.dispatch(update)

    async def _process(self, update: Update) -> Any:
        try:
            event = await self._event(update)
            if event is None:
                return None
            with presses.handling(update.callback_query.id if update.callback_query is not None else None):
                return await self.rt.handle(event)
        except Exception:
            self.update_errors += 1
            log.exception("update %s could not be handled", update.update_id)
            return None
        finally:
            self.inbox.handled(update.update_id)
            async with self._handled:
                self._in_hand.discard(update.update_id)
                self.last_update_id = max(self.last_update_id, update.update_id)
                self._handled.notify_all()

    async def _event(self, update: Update) -> Event | None:
        assert self.me is not None, "start() first"
        if update.chat_member is not None:
            cm = update.chat_member
            self._member_updates.add(str(cm.chat.id))
            if {cm.old_chat_member.status, cm.new_chat_member.status} & {"administrator", "creator"}:
                self.admins.invalidate(cm.chat.id)
        if update.my_chat_member is not None:
            self.admins.invalidate(update.my_chat_member.chat.id)
        event = translate(update, self.me, self.rt.now())
        if isinstance(event, MemberJoined):
            if event.service_message is not None and event.chat.id in self._member_updates:
                return None  # this chat sends chat_member updates: they say it (and more precisely)
            if self._seen_join(event):
                return None  # the same join told twice (service message and chat_member update)
        elif isinstance(event, MemberLeft):
            self._recent_joins.pop((event.chat.id, event.member.ref.id), None)
        if isinstance(event, _ROLE_EVENTS) and not event.chat.private and event.role is Role.MEMBER:
            user = event.author if isinstance(event, MessagePosted | MessageEdited) else event.user
            if not user.is_bot and await self.admins.is_admin(int(event.chat.id), int(user.ref.id)):
                event = replace(event, role=Role.MANAGER)
        return event

    def _seen_join(self, event: MemberJoined) -> bool:
        key = (event.chat.id, event.member.ref.id)
        seen = self._recent_joins.get(key)
        if seen is not None and abs(event.at - seen) < JOIN_ECHO:
            return True
        if len(self._recent_joins) > 10_000:
            self._recent_joins.clear()
        self._recent_joins[key] = event.at
        return False

    async def handled(self, update_id: int) -> None:
        """Wait until the update ``update_id`` (and every one before it) has been handled."""
        async with self._handled:
            await self._handled.wait_for(lambda: self.last_update_id >= update_id and not any(i <= update_id for i in self._in_hand))

    # ---- long polling ----
    async def poll(self, timeout: int = 30) -> None:
        """Long polling until cancelled. Each chat's updates in order, chats side by side (``lanes``).

        An answer's updates are confirmed to Telegram (the next call's ``offset``) once they are in
        the inbox, so a crash loses none (a restart handles what was taken and not finished) and a
        chat still being handled keeps no other waiting: the next long poll goes out at once. While
        the database cannot store them, nothing is confirmed and Telegram keeps them.
        """
        await self.bot.delete_webhook(drop_pending_updates=False)
        offset: int | None = None
        failures = 0
        try:
            while True:
                try:
                    updates = await self.bot.get_updates(
                        offset=offset, timeout=timeout, allowed_updates=list(ALLOWED_UPDATES), request_timeout=timeout + 15
                    )
                except ClientDecodeError as exc:
                    # One update this aiogram cannot read must not block the others: read them one by one.
                    updates = self._salvage(exc.data)
                except TelegramConflictError as exc:
                    self._conflict(exc)
                    await self.timer.sleep(5)
                    continue
                except TelegramAPIError as exc:
                    log.warning("getUpdates failed (%s); trying again", exc.message)
                    await self.timer.sleep(5)
                    continue
                if not updates:
                    continue
                try:
                    fresh = await self.take(updates)
                except Exception as exc:
                    if not failures:
                        log.warning("cannot store updates (%r); Telegram keeps them until the database is back", exc)
                    await self.timer.sleep(INBOX_RETRY[min(failures, len(INBOX_RETRY) - 1)])
                    failures += 1
                    continue
                if failures:
                    log.info("storing updates again after %d failed tries", failures)
                    failures = 0
                offset = max(u.update_id for u in updates) + 1
                for update in fresh:
                    await self.dispatch(update)
        finally:
            await self.stop()

    def _conflict(self, exc: TelegramConflictError) -> None:
        """Telegram ended this long poll for a newer one: another copy of the bot polls the same token. Said
        once as an error with the fix, then once every ``CONFLICT_REMINDER`` with how often it happened (the
        two copies take turns, each getting some updates: left alone it would be a warning every few seconds)."""
        now = self.timer.now()
        self.conflicts += 1
        if self._conflict_told is not None and now - self._conflict_told < CONFLICT_REMINDER:
            return
        first = self._conflict_told is None
        self._conflict_told = now
        log.error(
            "Telegram: another process is long-polling this bot's token (%s; %d times so far). Only one process may "
            "poll per token: stop the other copy of the bot, or run several processes with telegram.mode = \"webhook\" "
            "behind one URL%s",
            exc.message, self.conflicts, "" if first else " (still happening)",
        )  # fmt: skip

    async def stop(self, grace: float = 10.0) -> None:
        """Let the lanes finish what they hold (up to ``grace`` seconds), then stop them."""
        try:
            async with asyncio.timeout(grace):
                await self.lanes.drain()
        except TimeoutError:
            log.warning("stopping with %d updates not handled", self.lanes.pending)
        await self.lanes.close()
        if self._upkeep is not None:
            self.inbox.close()
            try:
                async with asyncio.timeout(grace):
                    await self._upkeep
            except TimeoutError:
                self._upkeep.cancel()
            self._upkeep = None

    def _salvage(self, data: Any) -> list[Update]:
        raw = data.get("result") if isinstance(data, dict) else None
        out: list[Update] = []
        for item in raw if isinstance(raw, list) else []:
            try:
                out.append(Update.model_validate(item, context={"bot": self.bot}))
            except ValidationError:
                update_id = item.get("update_id") if isinstance(item, dict) else None
                if not isinstance(update_id, int):
                    continue
                log.warning("update %s is not readable; skipped", update_id)
                out.append(Update(update_id=update_id))  # an empty update: translates to nothing, moves the offset
        return out

    # ---- webhook ----
    def webhook_app(self, path: str, secret: str) -> web.Application:
        """An aiohttp app taking Telegram's POSTs on ``path``; the secret token header must match.

        Exposure (see SECURITY.md): it listens on loopback unless the config says otherwise, behind
        the reverse proxy that terminates TLS; the secret is checked before the body is read; a body
        over ``WEBHOOK_MAX_BODY`` is refused (413) and one not delivered within ``WEBHOOK_READ_TIMEOUT``
        is dropped (408); the secret itself is never logged (the access log is off).
        """

        async def receive(request: web.Request) -> web.Response:
            given = request.headers.get(SECRET_HEADER, "")
            if not hmac.compare_digest(given.encode(), secret.encode()):
                log.warning("webhook call without the right secret token from %s", request.remote)
                return web.Response(status=401)
            if (request.content_length or 0) > WEBHOOK_MAX_BODY:
                log.warning("webhook body of %s bytes refused (limit %s)", request.content_length, WEBHOOK_MAX_BODY)
                return web.Response(status=413)
            try:
                async with asyncio.timeout(WEBHOOK_READ_TIMEOUT):
                    body = await request.read()
            except TimeoutError:
                log.warning("webhook client from %s too slow to send its body; dropped", request.remote)
                return web.Response(status=408)
            except web.HTTPRequestEntityTooLarge:
                return web.Response(status=413)
            try:
                update = Update.model_validate_json(body, context={"bot": self.bot})
            except Exception:
                log.warning("webhook body is not an update; ignored")
                return web.Response(status=400)
            try:
                fresh = await self.take([update], [body.decode()])
            except Exception as exc:
                log.warning("cannot store update %s (%r); Telegram will deliver it again", update.update_id, exc)
                return web.Response(status=503)
            for taken in fresh:
                await self.dispatch(taken)  # answered once stored: Telegram waits for nobody's flow control
            return web.Response(status=200)

        webapp = web.Application(client_max_size=WEBHOOK_MAX_BODY)
        webapp.router.add_post(path, receive)
        return webapp

    async def register_webhook(self, url: str, secret: str) -> None:
        await self.bot.set_webhook(url=url, secret_token=secret, allowed_updates=list(ALLOWED_UPDATES), drop_pending_updates=False)


async def serve_webhook(adapter: TelegramAdapter, host: str, port: int, path: str, secret: str) -> web.AppRunner:
    """Start the webhook server; returns the runner (``runner.addresses`` tells the bound port)."""
    # An idle or half-sent connection is closed after WEBHOOK_IDLE_TIMEOUT (aiohttp's default keeps one an hour).
    runner = web.AppRunner(adapter.webhook_app(path, secret), access_log=None, shutdown_timeout=5.0, keepalive_timeout=WEBHOOK_IDLE_TIMEOUT)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    return runner


TOKEN_HELP = (
    "Telegram rejected the bot token ({status}). The environment variable {var} (telegram.token_env) must hold the "
    "token @BotFather gave you: open https://t.me/BotFather, send /mybots, pick the bot and press API Token "
    "(after /revoke the old one stops working), export it again and start the bot."
)


def explain_failure(exc: BaseException, config: Config) -> Failure | None:
    """What ``bot.supervise`` needs to know: a refused token is fatal, Telegram's outages are retried."""
    var = config.telegram.token_env
    if isinstance(exc, TelegramUnauthorizedError):
        return Failure(False, TOKEN_HELP.format(status="401 Unauthorized", var=var))
    if isinstance(exc, TelegramNotFound):
        return Failure(
            False,
            TOKEN_HELP.format(status="404 Not Found: not a bot token", var=var)
            + f" (If the token is right, telegram.api_base = {config.telegram.api_base!r} is not a Bot API server.)",
        )
    if isinstance(exc, TelegramConflictError):
        return Failure(True, f"Telegram: {exc.message} (another copy of the bot may be running with this token)")
    if isinstance(exc, TelegramNetworkError | TelegramServerError | TelegramRetryAfter | aiohttp.ClientError):
        return Failure(True, f"Telegram is unreachable or failing: {getattr(exc, 'message', None) or exc!r}")
    if isinstance(exc, RuntimeError) and str(exc).startswith("telegram."):
        return Failure(False, str(exc))
    return None


async def run_telegram(rt: Runtime, config: Config, secrets: Secrets) -> None:
    """Run the Telegram adapter until cancelled (``bot.process`` starts this)."""
    if secrets.telegram_token is None:
        raise RuntimeError("telegram.token_env: no token was loaded")
    tg = config.telegram
    bot = make_bot(secrets.telegram_token.get_secret_value(), tg.api_base)
    adapter = TelegramAdapter(rt, bot, config)
    try:
        await adapter.start()
        assert adapter.me is not None
        log.info("Telegram: running as @%s in %s mode", adapter.me.username, tg.mode)
        if tg.mode == "polling":
            await adapter.poll()
            return
        if secrets.telegram_webhook_secret is None:
            raise RuntimeError("telegram.webhook.secret_env: no webhook secret was loaded")
        secret = secrets.telegram_webhook_secret.get_secret_value()
        runner = await serve_webhook(adapter, tg.webhook.listen_host, tg.webhook.listen_port, tg.webhook.path, secret)
        try:
            await adapter.register_webhook(tg.webhook.public_url, secret)
            await asyncio.Event().wait()  # until cancelled
        finally:
            await runner.cleanup()
            await adapter.stop()
    finally:
        adapter.close()
        await bot.session.close()
