"""A community with a moderators' log, three members and the local simulator (questions and kudos)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.harness import LocalBot, local_bot, local_config
from tests.conftest import START

SETTINGS = {"log_place": "mods"}


@pytest.fixture
async def qbot(db_url: str) -> AsyncIterator[LocalBot]:
    async with local_bot(local_config(SETTINGS), db_url, START) as b:
        for uid, name in (("mia", "Mia"), ("ann", "Ann"), ("bob", "Bob"), ("cat", "Cat")):
            b.sim.add_user(uid, name)
            b.sim.chats["town"].members.add(uid)
        yield b


def texts(bot: LocalBot, place: str | None = None) -> list[str]:
    """The bot's messages in the chat (in one place, when given)."""
    return [m.text for m in bot.sim.bot_messages("town") if place is None or m.place == place]
