"""The database goes away for a while and comes back: nothing crashes, nothing is lost.

SQLite: another connection holds the write lock (as a backup tool or a stuck
process would), so every write fails with "database is locked" while reads
still work. PostgreSQL: the database refuses new connections and every
session the bot holds is terminated (``pg_terminate_backend``), so reads fail
too. Members keep posting, someone joins, a manager issues a command and the
ritual ticks come while it lasts.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from bot.harness import LocalBot, local_bot, local_config
from storage.db import Database
from tests.conftest import START

SETTINGS = {"rituals": {"weekly_prompt": {"weekday": "mon", "time": "09:30", "prompts": ["What are you making this week?"]}}}


@asynccontextmanager
async def sqlite_locked(db: Database) -> AsyncIterator[None]:
    """Every write fails at once (busy timeout shortened for the test) until the lock is released."""
    event.listen(db.engine.sync_engine, "connect", lambda conn, _rec: conn.cursor().execute("PRAGMA busy_timeout=20"))
    await db.engine.dispose()  # pooled connections would keep the five-second timeout
    holder = sqlite3.connect(db.url.database or "", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        holder.execute("ROLLBACK")
        holder.close()


@asynccontextmanager
async def postgres_down(db: Database) -> AsyncIterator[None]:
    """No new connections, and the open ones terminated, until it is over."""
    name = db.url.database
    admin = create_async_engine(make_url(os.environ["TEST_POSTGRES_URL"]), isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as conn:
            await conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
            killed = await conn.scalar(
                text("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = :n"), {"n": name}
            )
            assert killed, "the bot held no connection: the outage would test nothing"
        yield
    finally:
        async with admin.connect() as conn:
            await conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
        await admin.dispose()


def outage(db: Database) -> Any:
    return sqlite_locked(db) if db.is_sqlite else postgres_down(db)


async def counts(bot: LocalBot) -> dict[str, tuple[int, int]]:
    """Per member: message_count and the messages of their activity days."""
    async with bot.app.db.engine.connect() as conn:
        members = dict((await conn.execute(text("SELECT user_id, message_count FROM members"))).all())
        days = dict((await conn.execute(text("SELECT user_id, sum(messages) FROM activity_days GROUP BY user_id"))).all())
    return {u: (members[u], int(days.get(u) or 0)) for u in members if members[u]}


def prompts(bot: LocalBot) -> int:
    return sum("What are you making this week?" in m.text for m in bot.sim.bot_messages("town"))


async def test_database_outage_loses_nothing_and_crashes_nothing(db_url: str, caplog: pytest.LogCaptureFixture) -> None:
    async with local_bot(local_config(SETTINGS), db_url, START) as bot:
        sim, clock = bot.sim, bot.clock
        for uid, name in (("mia", "Mia"), ("ann", "Ann"), ("bob", "Bob"), ("cy", "Cy")):
            sim.add_user(uid, name)
        for uid in ("ann", "bob"):
            sim.chats["town"].members.add(uid)
        await bot.tick()
        for i in range(3):
            await sim.post("town", "ann", f"morning {i}")
        await sim.post("town", "bob", "hello")
        await sim.post("town", "bob", "coffee?")

        clock.set(START + timedelta(minutes=20))
        caplog.clear()
        with caplog.at_level(logging.ERROR):
            async with outage(bot.app.db):
                for i in range(4):
                    await sim.post("town", "ann", f"during the outage {i}")
                await sim.post("town", "bob", "is the bot asleep?")
                await sim.join("town", "cy")  # needs a write: held until the database is back (tests/scale/test_outage_hold.py)
                await sim.post("town", "mia", "/event add 2026-12-03 18:00 Repair café")
                for minute in (30, 40):  # the prompt falls due in the middle of it
                    clock.set(START + timedelta(minutes=minute))
                    await bot.tick()
                assert prompts(bot) == 0
        errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
        assert not any(r.name == "bot.core.router" for r in errors), "an event was dropped instead of held"
        assert len(bot.app.rt.router.held) >= 1, "the join is held"
        assert any(r.name in ("rituals", "bot.core.runtime") for r in errors), "the failed tick work is logged"
        assert bot.app.rt.tracker._messages, "the counters of the outage are still buffered"

        clock.set(START + timedelta(minutes=50))
        await bot.tick()  # the first tick after: the missed prompt goes out (20 minutes late, within the grace period)
        assert prompts(bot) == 1
        for minute in (60, 70):
            clock.set(START + timedelta(minutes=minute))
            await bot.tick()
        assert prompts(bot) == 1

        await bot.app.rt.flush()
        assert await counts(bot) == {"ann": (7, 7), "bob": (3, 3)}  # before + during the outage: none lost
        await sim.join("town", "cy")  # the platform's next join works again
        await sim.post("town", "cy", "hi")
        await bot.app.rt.flush()
        assert (await counts(bot))["cy"] == (1, 1)
