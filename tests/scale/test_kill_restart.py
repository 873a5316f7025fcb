"""SIGKILL at random points of a scripted week, restart, and count the posts.

The worker (``tests/scale/week_worker.py``) writes every post to an fsync'ed log
before the core hears that it was sent. Here it is killed a few times at
seeded, random moments and restarted until the week is done. A kill comes right
after the n-th post the parent reads (n drawn from the seed), wherever the
process has got to by then: often between a ritual's post and the commit that
marks it sent, the narrowest window there is.

What must hold afterwards:

* Nothing lost: every ritual post of the week (pinned documents, the weekly
  prompt, campaign steps, event reminders to the group and by DM, newcomers of
  the week) is in the log at least as often as a run without kills posts it.
* Nothing repeated, except inside the runner's documented at-least-once window
  (``CLAIM_LEASE`` in rituals/runner.py): an occurrence posted and then killed
  before its claim was marked sent is posted again by a later tick (not at
  once: the claim is still fresh when the restarted process reruns the same tick). So a post
  may have one extra copy for each copy of it that was made in a step the kill
  cut short; nothing else appears twice, nothing unexpected appears at all.
* The database agrees: no occurrence is left claimed or failed.
"""

from __future__ import annotations

import asyncio
import random
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from sqlalchemy import text

from storage.db import Database
from tests.scale.week_worker import read_log

ROOT = Path(__file__).resolve().parents[2]
KILLS = 3
SEED = 5

# (op, chat, how the post starts): how many times the week posts it without kills.
RITUAL_POSTS: dict[tuple[str, str, str], int] = {
    ("send", "town", "Welcome to Riverside Makers\n"): 1,  # pinned document 1: mission and rules
    ("send", "town", "How we do things here"): 1,  # pinned document 2: the hashtags
    ("send", "town", "Events in November 2026"): 1,  # pinned document 3: the calendar
    ("pin", "town", ""): 3,  # each document pinned once
    ("send", "town", "💬 Question of the week"): 1,
    ("dm", "dm:bob", "How are your first days"): 2,  # campaign day 1 and day 3 (Ann posted her #intro: skipped)
    ("send", "town", "⏰ Repair café starts in 24 hours"): 1,
    ("dm", "dm:ann", "⏰ Reminder: Repair café starts in 24 hours"): 1,
    ("dm", "dm:bob", "⏰ Reminder: Repair café starts in 24 hours"): 1,
    ("send", "town", "⏰ Repair café starts in 1 hour"): 1,
    ("dm", "dm:ann", "⏰ Reminder: Repair café starts in 1 hour"): 1,
    ("dm", "dm:bob", "⏰ Reminder: Repair café starts in 1 hour"): 1,
    ("send", "town", "👋 Newcomers of the week"): 1,
    ("dm", "dm:ann", "Thanks for signing up for Repair café! How was it?"): 1,  # the question after the event
    ("dm", "dm:bob", "Thanks for signing up for Repair café! How was it?"): 1,
}
POSTS = ("send", "dm", "pin")


def label(record: dict[str, Any]) -> tuple[str, str, str]:
    for op, chat, start in RITUAL_POSTS:
        if record["op"] == op and record["chat"] == chat and record.get("text", "").startswith(start):
            return op, chat, start
    return record["op"], record["chat"], record.get("text", "")[:60]


def cut_short(records: list[dict[str, Any]]) -> set[int]:
    """Positions of the records made in a step that a kill interrupted (no ``step`` line after them before a restart)."""
    out: set[int] = set()
    pending: list[int] = []
    for i, r in enumerate(records):
        if r["k"] == "act":
            pending.append(i)
        elif r["k"] in ("step", "done"):
            pending.clear()
        elif r["k"] == "start":
            out.update(pending)
            pending.clear()
    return out


async def live_through_the_week(db_url: str, log: Path, seed: int) -> int:
    """Run the worker until it reports ``done``, killing it ``KILLS`` times; returns the kills made."""
    rng = random.Random(seed)
    kills = 0
    incarnation = 0
    stderr = log.with_suffix(".stderr")
    while True:
        target = rng.randint(1, 6) if kills < KILLS else None
        with stderr.open("a") as err:
            proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "tests.scale.week_worker", db_url, str(log), str(incarnation),
                cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=err,
            )  # fmt: skip
            assert proc.stdout is not None
            armed, seen, finished = incarnation > 0, 0, False
            while line := await proc.stdout.readline():
                finished = finished or line.startswith(b'{"k": "done"')
                armed = armed or b'"kind": "armed"' in line
                seen += armed and line.startswith(b'{"k": "act"')
                if target is not None and seen >= target and not finished:
                    proc.kill()  # SIGKILL: no finally, no flush, no goodbye
                    kills += 1
                    break
            rc = await proc.wait()
        if rc == -9:
            incarnation += 1
            continue
        assert rc == 0 and finished, f"the worker failed (rc={rc}):\n{stderr.read_text()[-3000:]}"
        return kills


async def test_killed_and_restarted_the_week_posts_everything_once(db_url: str, tmp_path: Path) -> None:
    log = tmp_path / "posts.log"
    kills = await live_through_the_week(db_url, log, SEED)
    assert kills == KILLS

    records = read_log(log)
    assert sum(r["k"] == "start" for r in records) == KILLS + 1
    armed = next(i for i, r in enumerate(records) if r.get("kind") == "armed")
    interrupted = cut_short(records)
    copies: Counter[tuple[str, str, str]] = Counter()
    cut: Counter[tuple[str, str, str]] = Counter()
    for i, r in enumerate(records[armed:], armed):
        if r["k"] == "act" and r["op"] in POSTS:
            copies[label(r)] += 1
            cut[label(r)] += i in interrupted
    unexpected = set(copies) - set(RITUAL_POSTS)
    assert not unexpected, f"posts no run of the week makes: {unexpected}"
    for post, expected in RITUAL_POSTS.items():
        assert copies[post] >= expected, f"lost: {post} posted {copies[post]} times, expected {expected}"
        assert copies[post] - expected <= cut[post], f"repeated outside the claim window: {post} posted {copies[post]} times"

    db = Database(db_url)
    try:
        async with db.engine.connect() as conn:
            runs = (await conn.execute(text("SELECT key, status FROM ritual_runs"))).all()
    finally:
        await db.dispose()
    statuses = Counter(status for _, status in runs)
    assert set(statuses) <= {"sent", "skipped"}, [tuple(r) for r in runs if r[1] not in ("sent", "skipped")]
    print(f"kills={kills} copies={dict(copies)} cut_short={dict(+cut)} runs={statuses}")  # shown with -s
