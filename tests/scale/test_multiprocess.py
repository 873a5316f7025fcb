"""Several bot processes on one database: every ritual occurrence is posted exactly once."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

from storage.db import Database

ROOT = Path(__file__).resolve().parents[2]


async def test_two_processes_post_each_occurrence_exactly_once(db_url: str) -> None:
    db = Database(db_url)
    await db.upgrade()  # as a deployment would, before starting the workers
    await db.dispose()
    communities, ticks = 12, 8
    procs = [
        await asyncio.create_subprocess_exec(
            sys.executable, "-m", "tests.scale.worker", db_url, str(communities), str(ticks), cwd=ROOT, stdout=asyncio.subprocess.PIPE
        )
        for _ in range(2)
    ]
    outputs = [await p.communicate() for p in procs]
    assert [p.returncode for p in procs] == [0, 0]
    posts = [post for out, _ in outputs for post in json.loads(out)]
    # Ticks at 09:00, 09:05, ... 09:35 see occurrences 08:40 .. 09:30: 6 per community,
    # each posted by exactly one of the two processes.
    assert len(posts) == len(set(posts)) == communities * 6
