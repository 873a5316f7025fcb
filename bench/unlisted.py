"""Unlisted chats: what 1,500 chats the config does not list cost the ritual tick.

``--chats`` chats not in the config each get one message (so the bot meets them and, when it serves
them, makes a community with ``[defaults]``); one listed community is busy as usual. Then the
chats stay quiet for ``--quiet-days``: the first tick after that, and ``--ticks`` idle ticks
``--every`` virtual seconds apart, are timed. Prints the first tick, the idle tick's p50 and p99 (wall, ms), how many
communities exist and how many the tick looked at.

    python bench/unlisted.py [--chats 1500] [--ticks 20] [--every 30] [--cap N] [--quiet-days D] [--json FILE]

Measured on the shared 2-core machine (loaded: figures vary by a factor of two), 1,500 chats, 10 idle ticks:

    before [unlisted] (all served)   quiet 2 d: first tick 60.0 s, idle p50 10.3 s; quiet 15 d: 91.8 s, 8.1 s
    after, --cap 5000 (all served)   quiet 2 d: first tick 61.9 s, idle p50 1.25 s; quiet 15 d: 0.19 s, 5.5 ms
    after, default max = 500         quiet 2 d: 501 served, first tick 29.9 s, idle p50 0.87 s

A first tick over recently active communities is still dominated by the weekly rituals recording
their missed slots as skipped, one claim per community and ritual.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import parser, percentile, report
from bot.core.config import parse_config
from bot.harness import local_bot

START = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


async def run(chats: int, ticks: int, every: float, cap: int | None, quiet_days: float) -> dict[str, float | int]:
    data: dict[str, Any] = {"communities": [{"platform": "local", "chat_id": "home", "name": "Home", "managers": ["mia"]}]}
    if cap is not None:
        data["unlisted"] = {"max": cap}  # (before the [unlisted] section existed: leave --cap out)
    config = parse_config(data)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.sqlite3'}"
        async with local_bot(config, url, START) as bot:
            sim, app = bot.sim, bot.app
            for uid in ("mia", "ann"):
                sim.add_user(uid, uid.title())
            sim.chats["home"].members.update({"mia", "ann"})
            await sim.post("home", "ann", "hello")
            t0 = time.perf_counter()
            for i in range(chats):
                sim.add_chat(f"u{i}", f"Unlisted {i}", admins=("ann",))
                await sim.post(f"u{i}", "ann", "hi, bot")
            await app.rt.flush()  # the chats' activity counters: setup, not the tick
            setup_s = time.perf_counter() - t0
            bot.clock.advance(timedelta(days=quiet_days))
            await sim.post("home", "ann", "the listed community is busy as usual")
            w = time.perf_counter()
            await bot.tick()
            first_ms = (time.perf_counter() - w) * 1000
            walls: list[float] = []
            for _ in range(ticks):
                bot.clock.advance(timedelta(seconds=every))
                w = time.perf_counter()
                await bot.tick()
                walls.append((time.perf_counter() - w) * 1000)
            served = len(app.rt.directory.all_cached())
            looked = getattr(app.rituals, "last_tick_communities", served)
            return {
                "unlisted_chats": chats,
                "quiet_days": quiet_days,
                "communities_served": served,
                "communities_ticked": looked,
                "setup_s": setup_s,
                "first_tick_ms": first_ms,
                "idle_tick_p50_ms": percentile(walls, 50),
                "idle_tick_p99_ms": percentile(walls, 99),
            }


def main() -> None:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--chats", type=int, default=1500)
    p.add_argument("--ticks", type=int, default=20)
    p.add_argument("--every", type=float, default=30.0)
    p.add_argument("--cap", type=int, default=None, help="[unlisted] max (default: the config's default)")
    p.add_argument("--quiet-days", type=float, default=15.0, help="how long the unlisted chats stay quiet before the timed ticks")
    args = p.parse_args()
    report(asyncio.run(run(args.chats, args.ticks, args.every, args.cap, args.quiet_days)), args.json)


if __name__ == "__main__":
    main()
