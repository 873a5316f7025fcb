"""Core throughput: simulated messages through the local adapter, every handler and SQLite.

20,000 messages from 2,000 members (by default) go through the local simulator,
the full handler chain and a real SQLite file, one after another on one core.
Prints messages/s, p50/p99 per-message latency (wall and CPU) and peak memory.

    python bench/core_throughput.py [--messages N] [--members N] [--levels] [--json FILE]
"""

from __future__ import annotations

import sys as _sys
from pathlib import Path as _Path

_sys.path.insert(0, str(_Path(__file__).resolve().parents[1]))  # ``python bench/x.py`` from the project root

import asyncio
import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import parser, peak_rss_mb, percentile, report
from bot.harness import local_bot, local_config

WORDS = [
    "hello",
    "thanks",
    "question",
    "meetup",
    "workshop",
    "repair",
    "printer",
    "bike",
    "solder",
    "welding",
    "radio",
    "library",
    "friday",
    "tomorrow",
    "anyone",
    "help",
    "idea",
    "photo",
    "project",
    "coffee",
    "great",
    "weekend",
    "class",
    "code",
    "python",
    "board",
    "sensor",
]


def _texts(rng: random.Random, n: int) -> list[str]:
    out = []
    for i in range(n):
        words = rng.choices(WORDS, k=rng.randint(3, 25))
        if i % 50 == 0:
            words.insert(0, "#question")
        elif i % 97 == 0:
            words.insert(0, "#intro")
        out.append(" ".join(words).capitalize() + rng.choice([".", "!", "?", ""]))
    return out


async def run(messages: int, members: int, db_path: Path, levels: bool = False) -> dict[str, float | int | str]:
    rng = random.Random(7)
    start = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    settings = {"levels": {"enabled": True}} if levels else {}
    # Members who have been around for a while (not newcomers in the spam sandbox).
    async with local_bot(local_config(settings), f"sqlite+aiosqlite:///{db_path}", start) as bot:
        sim = bot.sim
        for i in range(members):
            uid = f"u{i}"
            sim.add_user(uid, f"Member {i}")
            sim.chats["town"].members.add(uid)
        texts = _texts(rng, messages)
        authors = [f"u{rng.randrange(members)}" for _ in range(messages)]
        # Warm-up: every member is met once (first contact loads or creates their row).
        for i in range(members):
            await sim.post("town", f"u{i}", "hi")
        await bot.app.rt.flush()
        bot.clock.advance(timedelta(days=3))
        sim.log.clear()
        wall: list[float] = []
        cpu: list[float] = []
        t0 = time.perf_counter()
        c0 = time.process_time()
        for text, author in zip(texts, authors, strict=True):
            bot.clock.advance(timedelta(milliseconds=50))
            w = time.perf_counter()
            c = time.thread_time()
            await sim.post("town", author, text)
            cpu.append((time.thread_time() - c) * 1000)
            wall.append((time.perf_counter() - w) * 1000)
        await bot.app.rt.flush()
        elapsed = time.perf_counter() - t0
        cpu_total = time.process_time() - c0
        errors = bot.app.rt.router.errors
    return {
        "messages": messages,
        "members": members,
        "messages_per_s": round(messages / elapsed, 1),
        "cpu_messages_per_s": round(messages / cpu_total, 1),
        "p50_ms": round(percentile(wall, 50), 3),
        "p99_ms": round(percentile(wall, 99), 3),
        "p50_cpu_main_thread_ms": round(percentile(cpu, 50), 3),
        "p99_cpu_main_thread_ms": round(percentile(cpu, 99), 3),
        "handler_errors": errors,
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }


def main() -> None:
    p = parser(__doc__ or "")
    p.add_argument("--messages", type=int, default=20_000)
    p.add_argument("--members", type=int, default=2_000)
    p.add_argument("--all-cores", action="store_true", help="do not pin the process to one core")
    p.add_argument("--levels", action="store_true", help="with participation levels on (levels.enabled)")
    args = p.parse_args()
    if not args.all_cores and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # the target is "on one core"
    with tempfile.TemporaryDirectory() as tmp:
        figures = asyncio.run(run(args.messages, args.members, Path(tmp) / "bench.sqlite3", args.levels))
    report(figures, args.json)


if __name__ == "__main__":
    main()
