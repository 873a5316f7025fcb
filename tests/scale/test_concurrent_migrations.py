"""Several processes start at once on one database: each runs the upgrade, one at a time, and all succeed.

On PostgreSQL the upgrade takes a transaction-scoped advisory lock first
(``storage.db.MIGRATION_LOCK``), so the others wait, then find the schema at head
and do nothing. Without it they create the same tables at once and all but one
fail (duplicate table / duplicate type). Real processes, because Alembic keeps
its migration context in module globals: upgrades inside one process cannot overlap.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from storage.db import Database, alembic_config
from storage.models import Base

ROOT = Path(__file__).resolve().parents[2]


async def test_concurrent_upgrades_all_succeed_and_migrate_once(db_url: str) -> None:
    procs = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tests.scale.upgrade_worker",
            db_url,
            cwd=ROOT,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        for _ in range(3)
    ]
    for p in procs:
        assert p.stdout is not None
        assert await asyncio.wait_for(p.stdout.readline(), 60) == b"ready\n"
    outcomes = await asyncio.wait_for(asyncio.gather(*(p.communicate(b"go\n") for p in procs)), 60)
    failures = [err.decode()[-600:] for p, (_, err) in zip(procs, outcomes, strict=True) if p.returncode != 0]
    assert failures == []
    db = Database(db_url)
    try:
        async with db.engine.connect() as conn:
            versions = (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalars().all()
            tables = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
    finally:
        await db.dispose()
    assert versions == [ScriptDirectory.from_config(alembic_config()).get_current_head()]  # at head, recorded once
    assert set(Base.metadata.tables) <= tables


async def test_a_starting_process_waits_out_another_upgrade_longer_than_the_busy_timeout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A schema upgrade on a busy machine outlasts the everyday busy timeout: the next process waits, not fails."""
    import sqlite3

    import storage.db

    monkeypatch.setattr(storage.db, "BUSY_TIMEOUT_MS", 100)
    path = tmp_path / "x.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA journal_mode=WAL")
    holder.execute("BEGIN IMMEDIATE")  # another process is mid-upgrade
    db = Database(f"sqlite+aiosqlite:///{path}")
    try:
        upgrade = asyncio.create_task(db.upgrade())
        await asyncio.sleep(0.6)  # six everyday timeouts
        assert not upgrade.done(), upgrade.exception() if upgrade.done() else None
        holder.execute("COMMIT")
        await asyncio.wait_for(upgrade, 60)
    finally:
        holder.close()
        await db.dispose()
