"""run_telegram, the entry point bot/process.py starts, against the fake Bot API."""

from __future__ import annotations

import asyncio
from pathlib import Path

from pydantic import SecretStr

from adapters.telegram.adapter import TelegramAdapter, make_bot, run_telegram
from adapters.telegram.outbox import TelegramOutbox
from bot.app import App
from bot.core import actions as a
from bot.core.clock import VirtualClock
from bot.core.config import Secrets
from bot.core.ids import ChatRef, MessageRef
from bot.core.richtext import markup, message_link
from storage.db import Database
from tests.conftest import START
from tests.telegram.conftest import ANN, GROUP, TOKEN, telegram_config
from tests.telegram.fake_api import FakeTelegram
from tests.telegram.updates import Scene


async def test_run_telegram_polls_and_answers(tmp_path: Path) -> None:
    fake = FakeTelegram()
    await fake.start()
    fake.add_chat(GROUP, "Riverside Makers")
    fake.add_user(ANN, "Ann", started=True)
    config = telegram_config(fake.url)
    app = App(config, Database(f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}"), VirtualClock(START), {})
    await app.start()
    task = asyncio.create_task(run_telegram(app.rt, config, Secrets(telegram_token=SecretStr(TOKEN))))
    try:
        await fake.wait_for("deleteWebhook")  # polling mode clears any webhook first
        assert isinstance(app.rt.outboxes["telegram"], TelegramOutbox)
        await fake.push(Scene(fake).message(GROUP, ANN, "/help"))
        await fake.wait_for("sendMessage")
        assert fake.texts(GROUP)[0].startswith("What I can do here")
        wanted = {"chat_member", "my_chat_member", "callback_query", "chat_join_request"}
        assert wanted <= set(fake.sent("getUpdates")[0]["allowed_updates"])
        assert fake.commands  # menus published at start
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await fake.close()
        await app.close()
    assert not fake.violations


async def test_deep_links_are_handed_to_the_core_and_taken_back_and_message_links_use_the_username(tmp_path: Path) -> None:
    fake = FakeTelegram()
    await fake.start()
    config = telegram_config(fake.url)
    app = App(config, Database(f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}"), VirtualClock(START), {})
    fake.add_chat(GROUP, "Riverside Makers", username="riverside_makers")
    bot = make_bot(TOKEN, fake.url, fake.time)
    adapter = TelegramAdapter(app.rt, bot, config)
    ref = MessageRef(ChatRef("telegram", str(GROUP)), "55", place="3")
    try:
        await adapter.start()
        assert app.rt.deep_link("telegram", "w7") == "https://t.me/town_test_bot?start=w7"
        assert app.rt.deep_link("telegram", "not a payload!") is None  # Telegram would refuse it: no link
        text = markup("See {link}", link=message_link(ref, "open", "message 55"))
        assert (await app.rt.perform("telegram", a.SendMessage(ref.chat, text))).ok
        # the public username, learnt from getChat, makes a link that works for non-members too
        assert fake.sent("sendMessage")[-1]["text"] == 'See <a href="https://t.me/riverside_makers/3/55">open</a>'
    finally:
        adapter.close()
        await bot.session.close()
        await fake.close()
        await app.db.dispose()
    assert "telegram" not in app.rt.deep_links


def test_the_documented_config_is_valid() -> None:
    import re
    import tomllib

    from bot.core.config import parse_config

    doc = (Path(__file__).parents[2] / "docs" / "telegram.md").read_text(encoding="utf-8")
    block = re.search(r"```toml\n(.*?)```", doc, re.S)
    assert block is not None
    config = parse_config(tomllib.loads(block.group(1)), "docs/telegram.md")
    assert config.telegram.enabled and config.communities[0].chat_id == "-1001234567890"
