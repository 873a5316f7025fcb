"""A community with pinned documents configured, on the local simulator."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.harness import LocalBot, local_bot, local_config
from tests.conftest import START

PINNED: dict[str, Any] = {
    "log_place": "modlog",
    "pinned": {
        "mission": "We repair, build and teach.",
        "audience": "Makers and the curious.",
        "rules": ["Be kind", "No selling"],
        "consequences": "A reminder, then a mute.",
        "contact": "Mia",
        "traditions": ["Show-and-tell on Fridays"],
    },
}


@pytest.fixture
async def pbot(db_url: str) -> AsyncIterator[LocalBot]:
    """The bot with the pinned documents configured and a moderators' log place."""
    async with local_bot(local_config(PINNED), db_url, START) as b:
        b.sim.add_user("mia", "Mia")
        b.sim.add_user("ann", "Ann")
        b.sim.add_user("bob", "Bob", dm_open=False)
        b.sim.chats["town"].members.update({"mia", "ann", "bob"})
        yield b
