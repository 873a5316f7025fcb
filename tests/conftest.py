"""Shared fixtures: a real SQLite file, the local simulator and a virtual clock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from adapters.local.harness import LocalBot, local_bot, local_config

# Monday 30 November 2026, 09:00 UTC
START = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}"


@pytest.fixture
async def bot(db_url: str) -> AsyncIterator[LocalBot]:
    """The whole bot with one community ("town", manager "mia") and default settings."""
    async with local_bot(local_config(), db_url, START) as b:
        b.sim.add_user("mia", "Mia (manager)")
        b.sim.add_user("ann", "Ann", language="en")
        b.sim.add_user("bob", "Bob")
        for uid in ("mia", "ann", "bob"):
            b.sim.chats["town"].members.add(uid)
        yield b
