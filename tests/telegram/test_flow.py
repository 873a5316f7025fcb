"""Pacing is the Bot's own (a request middleware installed by ``make_bot``): a call made straight on the Bot keeps the limits."""

from __future__ import annotations

import pytest
from aiogram import Bot

from adapters.telegram import flow
from adapters.telegram.adapter import make_bot
from adapters.telegram.flow import FlowControl
from tests.telegram.conftest import ANN, GROUP, TOKEN, TelegramBot


async def test_a_direct_call_waits_for_the_groups_window_and_draws_no_429(telegram_bot: TelegramBot) -> None:
    tg = telegram_bot
    start = tg.fake.time.now()
    for n in range(21):  # one over Telegram's 20 a minute into a group
        await tg.adapter.bot.send_message(chat_id=GROUP, text=f"line {n}")
    assert tg.fake.throttled == 0
    assert tg.fake.time.now() - start >= 60.0
    assert tg.adapter.flow.waited >= 59.0


async def test_a_direct_call_rides_out_a_429_and_a_500(telegram_bot: TelegramBot) -> None:
    tg = telegram_bot
    tg.fake.fail_next("sendMessage", 429)
    tg.fake.fail_next("getChat", 500)
    retries = tg.adapter.flow.retries
    sent = await tg.adapter.bot.send_message(chat_id=ANN, text="hello")
    assert sent.text == "hello"
    assert (await tg.adapter.bot.get_chat(GROUP)).id == GROUP
    assert tg.adapter.flow.retries == retries + 2


def test_methods_say_their_chat_and_whether_they_post() -> None:
    from aiogram.methods import DeleteMessage, GetMe, SendMessage

    assert flow.chat_of(SendMessage(chat_id=GROUP, text="x")) == GROUP
    assert flow.chat_of(GetMe()) is None
    assert SendMessage in flow.MESSAGES and DeleteMessage not in flow.MESSAGES  # deletions never wait behind sends


async def test_a_bot_is_paced_once_and_one_made_elsewhere_is_refused() -> None:
    bot = make_bot(TOKEN, "http://127.0.0.1:9")
    try:
        with pytest.raises(ValueError, match="paced already"):
            flow.install(bot, FlowControl())
    finally:
        await bot.session.close()
    plain = Bot(TOKEN)
    try:
        with pytest.raises(ValueError, match="make_bot"):
            flow.flow_of(plain)
    finally:
        await plain.session.close()
