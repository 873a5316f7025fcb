"""Attacker's checklist, unlisted chats: adding the bot to a group is not a way in.

Whether chats the config does not list are served is ``[unlisted] serve``; at
most ``max`` are, with a warning naming each one turned away; their own admins
are at most ``[unlisted] admins``; and rituals skip those quiet for longer than
``idle_after`` (``bench/unlisted.py`` measures the tick).
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.core.ids import ChatRef
from bot.harness import LocalBot, local_bot, local_config
from storage.models import Community
from tests.conftest import START


def _config(**unlisted: Any):  # type: ignore[no-untyped-def]
    return local_config(extra={"unlisted": unlisted} if unlisted else None)


async def _communities(bot: LocalBot) -> int:
    async with bot.app.db.sessions() as s:
        return int(await s.scalar(select(func.count()).select_from(Community)) or 0)


async def _stranger_chat(bot: LocalBot, chat: str) -> None:
    bot.sim.add_chat(chat, f"Stranger {chat}", admins=("eve",))
    await bot.sim.post(chat, "eve", "/settings")


@pytest.fixture
def people():  # type: ignore[no-untyped-def]
    def add(bot: LocalBot) -> None:
        bot.sim.add_user("mia", "Mia")
        bot.sim.add_user("eve", "Eve")

    return add


async def test_unlisted_chats_can_be_ignored(db_url: str, people, caplog: pytest.LogCaptureFixture) -> None:  # type: ignore[no-untyped-def]
    async with local_bot(_config(serve=False), db_url, START) as bot:
        people(bot)
        await bot.sim.post("town", "mia", "hello")  # the listed community is served
        before = await _communities(bot)
        with caplog.at_level(logging.WARNING):
            await _stranger_chat(bot, "evil")
            await bot.sim.post("evil", "eve", "/set language ru")
        assert bot.sim.bot_messages("evil") == []
        assert await _communities(bot) == before  # nothing stored about it
        warnings = [r.getMessage() for r in caplog.records if "not serving" in r.getMessage()]
        assert warnings == ["not serving local chat evil: it is not in the config and [unlisted] serve = false"]  # once


async def test_at_most_max_unlisted_chats_are_served(db_url: str, people, caplog: pytest.LogCaptureFixture) -> None:  # type: ignore[no-untyped-def]
    async with local_bot(_config(max=1), db_url, START) as bot:
        people(bot)
        await _stranger_chat(bot, "one")
        assert bot.sim.bot_messages("one")  # served, with [defaults]
        with caplog.at_level(logging.WARNING):
            await _stranger_chat(bot, "two")
        assert bot.sim.bot_messages("two") == []
        assert any("not serving local chat two" in r.getMessage() and "[unlisted] max = 1" in r.getMessage() for r in caplog.records)
        with caplog.at_level(logging.WARNING):
            for i in range(3, 15):
                await _stranger_chat(bot, f"c{i}")
        lines = [r.getMessage() for r in caplog.records if "not serving" in r.getMessage()]
        assert len(lines) == 2 and "(10 unlisted chats turned away so far)" in lines[-1]  # a clear line, then counts: no flood
        await bot.sim.post("town", "mia", "/settings")  # listed chats never count against the cap
        assert bot.sim.bot_messages("town")


async def test_an_unlisted_chats_admins_are_capped(db_url: str, people) -> None:  # type: ignore[no-untyped-def]
    async with local_bot(_config(admins="member"), db_url, START) as bot:
        people(bot)
        bot.sim.add_chat("club", "Club", admins=("eve",))
        await bot.sim.post("club", "eve", "/set language ru")
        assert bot.sim.bot_messages("club")[-1].text == "Sorry, only the community's managers can use /set."
        info = bot.app.rt.directory.cached(ChatRef("local", "club"))
        assert info is not None and not info.listed and info.settings.language == "en"  # unchanged
    async with local_bot(_config(admins="manager"), db_url, START) as bot:  # the default: they manage their own chat
        people(bot)
        bot.sim.add_chat("club", "Club", admins=("eve",))
        await bot.sim.post("club", "eve", "/set language ru")
        info = bot.app.rt.directory.cached(ChatRef("local", "club"))
        assert info is not None and info.settings.language == "ru"


async def test_rituals_skip_unlisted_chats_quiet_for_long(db_url: str, people) -> None:  # type: ignore[no-untyped-def]
    async with local_bot(_config(idle_after="3d"), db_url, START) as bot:
        people(bot)
        await bot.sim.post("town", "mia", "hello")
        for chat in ("a", "b", "c"):
            bot.sim.add_chat(chat, chat, admins=("eve",))
            await bot.sim.post(chat, "eve", "hi")
        await bot.tick()
        assert bot.app.rituals.last_tick_communities == 4
        bot.clock.advance(timedelta(days=4))
        await bot.tick()
        assert bot.app.rituals.last_tick_communities == 1  # only the listed one
        await bot.sim.post("b", "eve", "back again")
        await bot.tick()
        assert bot.app.rituals.last_tick_communities == 2
