"""``community-bot run`` start-up against the local fakes: retries for what waiting fixes, a clear reason and a
non-zero exit for what it does not, and one platform failing never stops the other."""

from __future__ import annotations

import asyncio
import functools
import logging
import socket
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import aiohttp
import discord
import pytest
import yarl
from discord.gateway import DiscordWebSocket
from pydantic import SecretStr

from adapters.telegram import adapter as telegram_adapter
from adapters.telegram.flow import FlowControl
from bot.core.config import Config, Secrets, WebConfig, deep_merge, parse_config
from bot.process import EXIT_CONFIG, EXIT_OK, EXIT_UNAVAILABLE, run_service
from bot.supervise import Backoff
from tests.discord.fakes import GUILD_ID, FakeDiscord
from tests.faults import DROPPED
from tests.telegram.conftest import GROUP, TOKEN
from tests.telegram.fake_api import FakeTelegram

WAIT = 20.0


@pytest.fixture(autouse=True)
def no_flow_waits(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Telegram flow control's own retry waits, zeroed: the supervisor's backoff is what is tested here."""
    monkeypatch.setattr(telegram_adapter, "FlowControl", functools.partial(FlowControl, backoff=0.0))


class Waits:
    """A Backoff's sleep that records the waits and returns at once."""

    def __init__(self) -> None:
        self.slept: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.slept.append(seconds)
        await asyncio.sleep(0)


def config_for(tmp_path: Path, *, telegram: str | None = None, discord_on: bool = False) -> Config:
    data: dict[str, Any] = {"bot": {"database_url": f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}", "tick": "1h"}, "communities": []}
    if telegram is not None:
        data = deep_merge(data, {"telegram": {"enabled": True, "api_base": telegram}})
        data["communities"].append({"platform": "telegram", "chat_id": str(GROUP), "name": "Riverside Makers"})
    if discord_on:
        data = deep_merge(data, {"discord": {"enabled": True}})
        data["communities"].append({"platform": "discord", "chat_id": GUILD_ID, "name": "Riverside Makers"})
    return parse_config(data, "<startup test>")


def closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"


@asynccontextmanager
async def fake_discord(token: str = "discord-token") -> AsyncIterator[FakeDiscord]:
    fake = FakeDiscord(token=token)
    url = await fake.start()
    old_base, old_gateway = discord.http.Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    discord.http.Route.BASE = url + "/api/v10"
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url.replace("http", "ws") + "/gateway")
    try:
        yield fake
    finally:
        await fake.stop()
        discord.http.Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = old_base, old_gateway


@contextmanager
def logged(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    with caplog.at_level(logging.INFO):
        yield caplog


async def test_a_refused_telegram_token_stops_with_the_variable_and_where_to_get_one(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    fake = FakeTelegram(token=TOKEN)
    await fake.start()
    waits = Waits()
    try:
        with logged(caplog):
            status = await asyncio.wait_for(
                run_service(
                    config_for(tmp_path, telegram=fake.url), Secrets(telegram_token=SecretStr("123:wrong")), backoff=Backoff(sleep=waits)
                ),
                WAIT,
            )
    finally:
        await fake.close()
    assert status == EXIT_CONFIG
    assert waits.slept == []  # no retry: waiting does not fix a token
    errors = " ".join(r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR)
    assert "401 Unauthorized" in errors and "TELEGRAM_BOT_TOKEN" in errors and "BotFather" in errors
    assert "123:wrong" not in caplog.text


async def test_an_unreachable_bot_api_is_retried_with_bounded_logged_backoff_then_fails(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    waits = Waits()
    with logged(caplog):
        status = await asyncio.wait_for(
            run_service(
                config_for(tmp_path, telegram=closed_port_url()),
                Secrets(telegram_token=SecretStr(TOKEN)),
                backoff=Backoff(delays=(1, 2, 5), sleep=waits),
            ),
            WAIT,
        )
    assert status == EXIT_UNAVAILABLE  # non-zero: systemd's Restart=on-failure restarts it
    assert waits.slept == [1, 2, 5]
    retries = [r.getMessage() for r in caplog.records if "trying again" in r.getMessage()]
    assert len(retries) == 3 and "retry 1 of 3" in retries[0]
    assert any("still failing after 4 attempts" in r.getMessage() for r in caplog.records)


async def test_a_network_blip_at_boot_is_ridden_out(tmp_path: Path) -> None:
    fake = FakeTelegram(token=TOKEN)
    await fake.start()
    fake.add_chat(GROUP, "Riverside Makers")
    fake.faults.fail_next("getMe", DROPPED, times=6)  # more than the flow control's own four attempts
    waits = Waits()
    stop = asyncio.Event()
    config = config_for(tmp_path, telegram=fake.url)
    service = asyncio.create_task(run_service(config, Secrets(telegram_token=SecretStr(TOKEN)), backoff=Backoff(sleep=waits), stop=stop))
    try:
        await fake.wait_for("deleteWebhook", timeout=WAIT)  # polling starts: it is running
        assert waits.slept == [1]
    finally:
        stop.set()
        status = await asyncio.wait_for(service, WAIT)
        await fake.close()
    assert status == EXIT_OK


async def test_one_platform_failing_leaves_the_other_running(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    tg = FakeTelegram(token=TOKEN)
    await tg.start()
    tg.add_chat(GROUP, "Riverside Makers")
    stop = asyncio.Event()
    async with fake_discord(token="the-right-one"):
        secrets = Secrets(telegram_token=SecretStr(TOKEN), discord_token=SecretStr("a-revoked-one"))
        with logged(caplog):
            service = asyncio.create_task(
                run_service(config_for(tmp_path, telegram=tg.url, discord_on=True), secrets, backoff=Backoff(sleep=Waits()), stop=stop)
            )
            try:
                for _ in range(200):
                    if any("Discord is not running; Telegram keeps running" in r.getMessage() for r in caplog.records):
                        break
                    await asyncio.sleep(0.05)
                await tg.wait_for("deleteWebhook", timeout=WAIT)  # Telegram starts polling all the same
                assert not service.done()
            finally:
                stop.set()
                status = await asyncio.wait_for(service, WAIT)
    await tg.close()
    errors = " ".join(r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR)
    assert "Discord rejected the bot token" in errors and "DISCORD_BOT_TOKEN" in errors
    assert "Discord is not running; Telegram keeps running" in errors
    assert status == EXIT_OK


async def test_every_platform_refused_exits_78(tmp_path: Path) -> None:
    async with fake_discord(token="the-right-one"):
        status = await asyncio.wait_for(
            run_service(config_for(tmp_path, discord_on=True), Secrets(discord_token=SecretStr("wrong")), backoff=Backoff(sleep=Waits())),
            WAIT,
        )
    assert status == EXIT_CONFIG


async def test_a_chat_the_config_does_not_list_is_named_at_start(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    from datetime import UTC, datetime

    from storage.db import Database
    from storage.repos.communities import CommunityRepo

    config = config_for(tmp_path, telegram="http://127.0.0.1:9")
    db = Database(config.bot.database_url)
    await db.upgrade()
    async with db.session() as session:
        await CommunityRepo(session).get_or_create("telegram", "-1007777", "Wrong Id Group", datetime.now(UTC))
        await session.commit()
    await db.dispose()
    fake = FakeTelegram(token=TOKEN)
    await fake.start()
    config = config_for(tmp_path, telegram=fake.url)
    stop = asyncio.Event()
    with logged(caplog):
        service = asyncio.create_task(
            run_service(config, Secrets(telegram_token=SecretStr(TOKEN)), backoff=Backoff(sleep=Waits()), stop=stop)
        )
        try:
            await fake.wait_for("deleteWebhook", timeout=WAIT)
        finally:
            stop.set()
            await asyncio.wait_for(service, WAIT)
            await fake.close()
    [notice] = [r.getMessage() for r in caplog.records if "not listed under [[communities]]" in r.getMessage()]
    assert "-1007777 (Wrong Id Group)" in notice and str(GROUP) not in notice


async def test_the_web_server_starts_with_the_bot_and_a_taken_port_is_named(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    fake = FakeTelegram(token=TOKEN)
    await fake.start()
    base = config_for(tmp_path, telegram=fake.url)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        config = base.model_copy(update={"web": WebConfig(enabled=True, listen_port=port, public_url="https://bot.example.org")})
        with logged(caplog):
            secrets = Secrets(telegram_token=SecretStr(TOKEN))
            status = await asyncio.wait_for(run_service(config, secrets, backoff=Backoff(sleep=Waits())), WAIT)
    assert status == EXIT_CONFIG
    [why] = [r.getMessage() for r in caplog.records if "web.listen_port" in r.getMessage()]
    assert f"127.0.0.1:{port}" in why and "choose a free port" in why

    free = closed_port_url().rsplit(":", 1)[1]
    config = base.model_copy(update={"web": WebConfig(enabled=True, listen_port=int(free), public_url="https://bot.example.org")})
    stop = asyncio.Event()
    service = asyncio.create_task(run_service(config, Secrets(telegram_token=SecretStr(TOKEN)), backoff=Backoff(sleep=Waits()), stop=stop))
    try:
        await fake.wait_for("deleteWebhook", timeout=WAIT)
        async with aiohttp.ClientSession() as http, http.get(f"http://127.0.0.1:{free}/calendar/{'A' * 32}.ics") as r:
            assert r.status == 404  # the server is up; an unknown feed is not found
    finally:
        stop.set()
        await asyncio.wait_for(service, WAIT)
        await fake.close()
