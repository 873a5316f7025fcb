"""The inbox (bot/core/inbox.py) through the real aiogram client: an update Telegram was told we have
is handled even when the process dies first, and two processes given one update handle it once."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Any

import pytest
from aiogram.types import Update
from aiohttp import ClientSession
from sqlalchemy import func, select

from adapters.telegram.adapter import SECRET_HEADER, make_bot, serve_webhook
from bot.core.events import Event
from bot.core.inbox import LEASE
from storage.models.inbox import InboxUpdate
from tests.telegram.conftest import GROUP, TOKEN, TelegramBot, telegram_bot_running

MAX = 444
SPAM = "💰💰 Earn $500 a day from home!!! Crypto signals, DM me now: t.me/max_profit_signals 💰💰"
SECRET = "s3cret"


async def _post(url: str, body: dict[str, Any]) -> int:
    async with ClientSession() as http, http.post(url, json=body, headers={SECRET_HEADER: SECRET}) as resp:
        return resp.status


async def _hook(tg: TelegramBot) -> tuple[Any, str]:
    runner = await serve_webhook(tg.adapter, "127.0.0.1", 0, "/tg/hook", SECRET)
    host, port = runner.addresses[0][:2]
    return runner, f"http://{host}:{port}/tg/hook"


def _deleted(tg: TelegramBot, message_id: str) -> int:
    """Tries to delete the message (the fake never saw it posted: it came by webhook, so it answers 400)."""
    return len([c for c in tg.fake.sent("deleteMessage") if str(c["message_id"]) == message_id])


async def test_an_update_answered_200_is_handled_after_the_process_dies_before_handling_it(db_url: str) -> None:
    async with telegram_bot_running(db_url, poll=False) as first:
        first.fake.add_user(MAX, "Max Profit")
        dead = asyncio.Event()
        started = asyncio.Event()

        async def dies(update: Update) -> Event | None:
            """The process is gone mid-way: it never gets to act on what it took."""
            started.set()
            await dead.wait()
            return None

        first.adapter._event = dies  # type: ignore[method-assign]
        runner, url = await _hook(first)
        try:
            spam = first.scene.message(GROUP, MAX, SPAM)
            assert await _post(url, {"update_id": 6, **first.scene.join(GROUP, MAX)}) == 200
            assert await _post(url, {"update_id": 7, **spam}) == 200  # Telegram now forgets both
            await asyncio.wait_for(started.wait(), 10)
        finally:
            await runner.cleanup()
        first.adapter.inbox.close()  # its upkeep stops too (a dead process renews nothing)
        first.clock.advance(LEASE + timedelta(seconds=1))
        async with telegram_bot_running(db_url, poll=False, beside=first) as second:  # the restart
            await asyncio.wait_for(second.adapter.handled(7), 10)
            assert _deleted(second, str(spam["message"]["message_id"])) == 1
            assert len([c for c in second.fake.sent("banChatMember") if c.status == 200]) == 1
        dead.set()


async def test_two_processes_given_one_update_handle_it_once(db_url: str) -> None:
    async with telegram_bot_running(db_url, poll=False) as a, telegram_bot_running(db_url, poll=False, beside=a) as b:
        a.fake.add_user(MAX, "Max Profit")
        runner_a, url_a = await _hook(a)
        runner_b, url_b = await _hook(b)
        try:
            assert await _post(url_a, {"update_id": 8, **a.scene.join(GROUP, MAX)}) == 200
            spam = a.scene.message(GROUP, MAX, SPAM)
            body = {"update_id": 9, **spam}
            assert await asyncio.gather(_post(url_a, body), _post(url_b, body)) == [200, 200]  # redelivered elsewhere
            assert await _post(url_b, body) == 200  # and again, later
            await asyncio.wait_for(a.adapter.handled(9), 10)
            await asyncio.wait_for(b.adapter.handled(9), 10)
        finally:
            await runner_a.cleanup()
            await runner_b.cleanup()
        assert _deleted(a, str(spam["message"]["message_id"])) == 1
        assert len([c for c in a.fake.sent("banChatMember") if c.status == 200]) == 1
        assert a.adapter.redelivered + b.adapter.redelivered == 2


async def test_handled_updates_are_emptied_and_the_inbox_is_pruned(telegram_bot: TelegramBot) -> None:
    tg = telegram_bot
    await tg.send(tg.scene.message(GROUP, 222, "Hello, how do I join the Saturday build?"))
    await tg.adapter.inbox.flush()
    async with tg.app.db.sessions() as s:
        rows = (await s.execute(select(InboxUpdate.payload, InboxUpdate.handled_at))).all()
    assert rows and all(p is None and h is not None for p, h in rows)  # nobody's words kept once handled
    tg.clock.advance(timedelta(hours=2))
    await tg.adapter.inbox._maintain()
    async with tg.app.db.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(InboxUpdate)) == 0


async def test_a_second_copy_polling_the_token_is_named_once_as_an_error(db_url: str, caplog: pytest.LogCaptureFixture) -> None:
    """Two processes long-polling one token: Telegram ends the older poll with 409 each time the other asks.
    The bot says so once, as an error with the fix, not as a warning every five seconds."""
    async with telegram_bot_running(db_url) as tg:
        other = make_bot(TOKEN, tg.fake.url, tg.fake.time)  # another copy of the bot, polling too
        try:
            with caplog.at_level(logging.WARNING, logger="adapters.telegram"):
                for _ in range(6):
                    await asyncio.sleep(0.05)  # the bot's poll is waiting again
                    await other.get_updates(timeout=0)
                await asyncio.sleep(0.1)
        finally:
            await other.session.close()
        assert tg.fake.conflicts >= 3 and tg.adapter.conflicts == tg.fake.conflicts
    said = [r for r in caplog.records if r.name == "adapters.telegram"]
    errors = [r for r in said if r.levelno == logging.ERROR and "another process is long-polling" in r.getMessage()]
    assert len(errors) == 1 and "telegram.mode" in errors[0].getMessage()
    assert not [r for r in said if r.levelno == logging.WARNING and "getUpdates failed" in r.getMessage()]
