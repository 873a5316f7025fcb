"""Many Telegram groups on one fake Bot API server, the whole bot on them: for benches and scale tests.

``fleet(db_url, groups, timer)`` starts the fake (its limits and clock on ``timer``), one group per
community (an owner who started the bot; the bot an admin), the app, the real aiogram Bot and the
adapter; ``Fleet.poll()`` starts long polling (push a backlog first to have it waiting, as after an
outage). Everything stops at the end.

``Ledger`` records every action the bot performed and its result (it wraps the outbox), and
``Ledger.account`` says what became of each message the bot decided to send: delivered (the fake
holds it), failed with a WARNING naming the chat and the action, refused because the person never
started the bot (the fallbacks' case), or lost.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from adapters.telegram.adapter import TelegramAdapter, make_bot
from adapters.timing import Timer
from bot.app import App
from bot.core import actions as a
from bot.core.clock import VirtualClock
from bot.core.config import parse_config
from storage.db import Database
from tests.conftest import START
from tests.telegram.fake_api import FakeTelegram
from tests.telegram.updates import Scene

FIRST_GROUP = -1002000000000
FIRST_OWNER = 10_000
SPAM = "💰💰 Earn $500 a day from home!!! Crypto signals, DM me now: t.me/max_profit_signals 💰💰"
SENDS = (a.SendMessage, a.SendDirect, a.SendFile, a.SendPoll)  # the actions that post a message
EXPECTED = (a.FailReason.DM_CLOSED, a.FailReason.NOT_FOUND)  # refusals with fallbacks: neither logged nor counted


@dataclass
class Fleet:
    fake: FakeTelegram
    app: App
    adapter: TelegramAdapter
    scene: Scene
    chats: list[int]
    _poller: asyncio.Task[None] | None = None

    @staticmethod
    def owner(group: int) -> int:
        return FIRST_OWNER + group

    def poll(self) -> None:
        self._poller = asyncio.create_task(self.adapter.poll(timeout=1))


@asynccontextmanager
async def fleet(db_url: str, groups: int, timer: Timer, settings: Mapping[str, Any] | None = None) -> AsyncIterator[Fleet]:
    fake = FakeTelegram(time=timer)
    await fake.start()
    bot_id = fake.bot_user["id"]
    chats, communities = [], []
    for g in range(groups):
        chat_id = FIRST_GROUP - g
        fake.add_chat(chat_id, f"Group {g}")
        fake.add_user(Fleet.owner(g), f"Owner {g}", started=True)
        fake.admins[chat_id] = [Fleet.owner(g), bot_id]
        chats.append(chat_id)
        communities.append({"platform": "telegram", "chat_id": str(chat_id), "name": f"Group {g}", "settings": dict(settings or {})})
    config = parse_config({"telegram": {"enabled": True, "api_base": fake.url}, "communities": communities}, "<fleet>")
    clock = VirtualClock(START)
    fake.unix = lambda: clock.now().timestamp()
    app = App(config, Database(db_url), clock, {})
    await app.start()
    bot = make_bot("123456:BENCH-token", fake.url, timer)
    adapter = TelegramAdapter(app.rt, bot, config)
    f = Fleet(fake, app, adapter, Scene(fake), chats)
    try:
        await adapter.start()
        yield f
    finally:
        if f._poller is not None:
            f._poller.cancel()
            await asyncio.gather(f._poller, return_exceptions=True)
        adapter.close()
        await bot.session.close()
        await fake.close()
        await app.close()


class Warnings(logging.Handler):
    """The WARNING (and worse) lines the bot logs, as text."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())

    @classmethod
    @asynccontextmanager
    async def caught(cls) -> AsyncIterator[Warnings]:
        handler = cls()
        root = logging.getLogger()
        root.addHandler(handler)
        try:
            yield handler
        finally:
            root.removeHandler(handler)


@dataclass
class Ledger:
    """Every action the bot performed through the Telegram outbox, with its result (None: not answered yet)."""

    entries: list[list[Any]] = field(default_factory=list)

    @classmethod
    def on(cls, adapter: TelegramAdapter) -> Ledger:
        ledger = cls()
        inner = adapter.outbox.perform

        async def perform(action: a.Action) -> a.Result:
            entry: list[Any] = [action, None]
            ledger.entries.append(entry)
            entry[1] = await inner(action)
            return entry[1]

        adapter.outbox.perform = perform  # type: ignore[method-assign]
        return ledger

    def account(self, fake: FakeTelegram, warnings: Warnings) -> dict[str, int]:
        """What became of each message the bot decided to send, and whether every failure was logged."""
        posted = {(m["chat"]["id"], m["message_id"]) for m in fake.posted}
        decided = delivered = failed_logged = dm_closed = lost = unlogged = 0
        for action, result in self.entries:
            failed = isinstance(result, a.Failed) and result.reason not in EXPECTED
            logged = failed and _logged(action, warnings)
            unlogged += failed and not logged
            if not isinstance(action, SENDS):
                continue
            decided += 1
            if isinstance(result, a.Done) and all((int(m.chat.id), int(m.id)) in posted for m in result.messages):
                delivered += 1
            elif isinstance(result, a.Failed) and result.reason is a.FailReason.DM_CLOSED:
                dm_closed += 1
            elif logged:
                failed_logged += 1
            else:
                lost += 1
        return {
            "messages_decided": decided,
            "delivered": delivered,
            "failed_logged": failed_logged,
            "dm_closed": dm_closed,
            "lost": lost,
            "failures_unlogged": unlogged,
        }


def _logged(action: a.Action, warnings: Warnings) -> bool:
    """The outbox's WARNING for a failure names the action and its chat: '... SendMessage (chat=telegram:-100...)'."""
    says = f"{type(action).__name__} (chat={a.target_of(action)})"
    return any(says in line for line in warnings.lines)
