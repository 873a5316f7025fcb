"""A bot with surveys and the feedback inbox, a moderators' log place, and members the bot knows."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import pytest

from bot.harness import LocalBot, local_bot, local_config
from tests.conftest import START

LOG = "log"  # the moderators' log: a place of the community's own chat
MEMBERS = (("ann", "Ann", "en"), ("bob", "Bob", None), ("chen", "Chen", "ru"))
MakeBot = Callable[..., Any]


@pytest.fixture
def make_bot(db_url: str) -> MakeBot:
    """``async with make_bot(surveys={...}) as bot``: mia manages; ann, bob and chen have each posted once."""

    @asynccontextmanager
    async def make(**settings: Any) -> AsyncIterator[LocalBot]:
        async with local_bot(local_config({"log_place": LOG, **settings}), db_url, START) as b:
            b.sim.add_user("mia", "Mia")
            for uid, name, lang in MEMBERS:
                b.sim.add_user(uid, name, language=lang)
                b.sim.chats["town"].members.add(uid)
                await b.sim.post("town", uid, f"Hello, {name} here")
            await b.app.rt.flush()
            yield b

    return make


def log_posts(bot: LocalBot) -> list[str]:
    return [m.text for m in bot.sim.bot_messages("town") if m.place == LOG]


def question(bot: LocalBot, user: str, prefix: str = "svy:") -> Any:
    """The latest DM to ``user`` with survey buttons."""
    found = [m for m in bot.sim.dms(user) if any((b.data or "").startswith(prefix) for row in m.buttons for b in row)]
    assert found, f"no survey DM for {user}"
    return found[-1]


def button(msg: Any, label: str) -> str:
    return next(b.data for row in msg.buttons for b in row if b.label == label)
