"""The whole bot with one community, without the managers' weekly report (its chart would only slow these tests)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.harness import LocalBot, local_bot, local_config
from tests.conftest import START

QUIET: dict[str, Any] = {"admin": {"weekly_report": False}}


@pytest.fixture
async def bot(db_url: str) -> AsyncIterator[LocalBot]:
    async with local_bot(local_config(QUIET), db_url, START) as b:
        for uid, name in (("mia", "Mia (manager)"), ("ann", "Ann"), ("bob", "Bob")):
            b.sim.add_user(uid, name)
            b.sim.chats["town"].members.add(uid)
        yield b
