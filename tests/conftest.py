"""Shared fixtures: a real SQLite file, the local simulator and a virtual clock."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import settings
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from bot.harness import LocalBot, local_bot, local_config

# Property tests are reproducible by default, so a run on CI fails only for a change, never for a new draw;
# HYPOTHESIS_PROFILE=explore draws fresh, larger samples when hunting for bugs.
settings.register_profile("default", derandomize=True, database=None)
settings.register_profile("explore", max_examples=500)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say once when the platforms' published specifications were absent, so a pass is read for what it is."""
    from tests.discord.spec import SPEC_PRESENT as discord_spec
    from tests.telegram.fake_api import SPEC_PRESENT as telegram_spec

    if not (telegram_spec and discord_spec):
        terminalreporter.write_line(
            "note: the platform specifications (../shared/specs/) are not beside the repository: the fakes checked "
            "requests with aiogram's models and discord.py's routes only, and the checks of the spec checkers were skipped",
            yellow=True,
        )


# Monday 30 November 2026, 09:00 UTC
START = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


# Every test that takes ``db_url`` (and so the ``bot`` fixture) runs on SQLite and, when
# TEST_POSTGRES_URL names a server (.ci/run starts one), on PostgreSQL too.
BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_POSTGRES_URL") else [])


@pytest.fixture(params=BACKENDS)
async def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}"
        return
    admin_url = make_url(os.environ["TEST_POSTGRES_URL"])
    name = f"t_{uuid.uuid4().hex[:16]}"
    admin = create_async_engine(admin_url, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


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
