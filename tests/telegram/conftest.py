"""The ``telegram_bot`` fixture: the whole bot, its real aiogram Bot talking HTTP to a fake Bot API server.

Scenarios push updates into the fake (``await tg.send(tg.scene.message(...))``),
the adapter's long-polling loop fetches them with ``getUpdates`` and feeds the
core, and ``send`` returns once the core has handled the update. Assertions
read the requests the fake received (``tg.fake.sent(...)``, ``tg.fake.texts(...)``).
Every request is checked against the Bot API spec; any violation fails the test.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import pytest

from adapters.telegram.adapter import TelegramAdapter, make_bot
from bot.app import App
from bot.core.clock import VirtualClock
from bot.core.config import deep_merge, parse_config
from storage.db import Database
from tests.conftest import START
from tests.telegram.fake_api import FakeTelegram
from tests.telegram.updates import Scene

GROUP = -1001234567890
OWNER = 111  # the group's creator: an admin on Telegram, not a manager in the config
ANN = 222  # a member who started the bot
BOB = 333  # a member who never started the bot
TOKEN = "123456:TEST-token-for-the-fake"


@dataclass
class TelegramBot:
    fake: FakeTelegram
    app: App
    adapter: TelegramAdapter
    clock: VirtualClock
    scene: Scene
    group: int = GROUP

    async def send(self, update: dict[str, Any]) -> None:
        """Push an update through getUpdates and wait until the core has handled it."""
        update_id = await self.fake.push(update)
        await asyncio.wait_for(self.adapter.handled(update_id), 10)

    async def press(self, user_id: int, label: str, chat_id: int | None = None) -> None:
        """Press the button called ``label`` on the latest bot message in the chat that has it."""
        chat = self.group if chat_id is None else chat_id
        for message in reversed(self.fake.bot_messages(chat)):
            for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
                for button in row:
                    if button["text"] == label and "callback_data" in button:
                        await self.send(self.scene.callback(chat, user_id, message["message_id"], button["callback_data"]))
                        return
        raise AssertionError(f"no button {label!r} in chat {chat}")

    async def tick(self) -> None:
        """Run the rituals that are due at the virtual clock's time (advance ``clock`` first)."""
        await self.app.rituals.tick(self.clock.now())


def telegram_config(api_base: str, extra: Mapping[str, Any] | None = None) -> Any:
    data: dict[str, Any] = {
        "telegram": {"enabled": True, "api_base": api_base},
        "communities": [{"platform": "telegram", "chat_id": str(GROUP), "name": "Riverside Makers"}],
    }
    return parse_config(deep_merge(data, extra or {}), "<telegram test>")


@asynccontextmanager
async def telegram_bot_running(
    db_url: str,
    extra_config: Mapping[str, Any] | None = None,
    *,
    poll: bool = True,
    client_timeout: float | None = None,
    beside: TelegramBot | None = None,
) -> AsyncIterator[TelegramBot]:
    """The bot on a fake Bot API server; ``poll=False`` leaves updates to the caller (webhook tests).

    ``beside``: a second process of the same bot, on the same fake server and database (and clock).

    ``client_timeout``: seconds before aiogram gives up on a request (its default is 60), for tests whose
    fake holds requests past it.
    """
    if beside is None:
        fake = FakeTelegram()
        await fake.start()
        fake.add_chat(GROUP, "Riverside Makers")
        fake.add_user(OWNER, "Olga", username="olga", started=True)
        fake.add_user(ANN, "Ann", username="ann", started=True)
        fake.add_user(BOB, "Bob <b>&", language="hu")
        fake.admins[GROUP] = [OWNER, fake.bot_user["id"]]
        fake.members[GROUP] |= {ANN, BOB}  # the group's members (the bot may give one a menu of their own)
        clock = VirtualClock(START)
        fake.unix = lambda: clock.now().timestamp()  # Telegram's clock is the bot's: one "now" for dates and until_date
    else:
        fake, clock = beside.fake, beside.clock
    config = telegram_config(fake.url, extra_config)
    bot = make_bot(TOKEN, fake.url, fake.time)
    if client_timeout is not None:
        bot.session.timeout = client_timeout
    app = App(config, Database(db_url), clock, {})
    await app.start()
    adapter = TelegramAdapter(app.rt, bot, config)
    poller: asyncio.Task[None] | None = None
    try:
        await adapter.start()
        if poll:
            poller = asyncio.create_task(adapter.poll(timeout=5))
        yield TelegramBot(fake, app, adapter, clock, Scene(fake))
        assert not fake.violations, f"requests that break the Bot API spec: {fake.violations}"
    finally:
        if poller is not None:
            poller.cancel()
            await asyncio.gather(poller, return_exceptions=True)
        await adapter.stop(grace=5)  # webhook tests queue updates in lanes too
        adapter.close()
        await bot.session.close()
        if beside is None:
            await fake.close()
        await app.close()


@pytest.fixture
async def telegram_bot(db_url: str) -> AsyncIterator[TelegramBot]:
    """The whole bot with one Telegram group (owner Olga is a Telegram admin; Ann started the bot, Bob did not)."""
    async with telegram_bot_running(db_url) as tg:
        yield tg
