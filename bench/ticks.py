"""Ritual ticks: what one scheduler tick costs with many communities and every ritual registered.

``--communities`` communities on the local simulator (each with a manager, a few members, a
newcomer and an upcoming event) are ticked every ``--every`` seconds of virtual time for
``--ticks`` ticks, after a first tick that posts what is due at start (pinned documents, the
weekly report). Prints the steady tick's wall and CPU time (p50, p99), the ritual ``due``
checks and database statements per tick, and what the ticks posted.

    python bench/ticks.py [--communities 100] [--ticks 40] [--every 30] [--json FILE]
"""

from __future__ import annotations

import sys as _sys
from pathlib import Path as _Path

_sys.path.insert(0, str(_Path(__file__).resolve().parents[1]))  # ``python bench/x.py`` from the project root

import asyncio
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import event

from bench.common import parser, peak_rss_mb, percentile, report
from bot.core.config import parse_config
from bot.harness import local_bot

START = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)  # a Monday, the weekly report's hour


async def run(communities: int, ticks: int, every: float) -> dict[str, float | int]:
    config = parse_config(
        {
            "communities": [
                {"platform": "local", "chat_id": f"c{i}", "name": f"Community {i}", "managers": ["mia"]} for i in range(communities)
            ]
        }
    )
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.sqlite3'}"
        async with local_bot(config, url, START) as bot:
            sim, app = bot.sim, bot.app
            for uid in ("mia", "ann", "bob"):
                sim.add_user(uid, uid.title())
            for i in range(communities):
                chat = f"c{i}"
                sim.chats[chat].members.update({"mia", "ann", "bob"})
                await sim.post(chat, "ann", "hello")
                await sim.join(chat, "bob")
                await sim.post(chat, "mia", "/event add 2026-12-05 18:00 Repair café | Library hall")
            statements = 0

            def count(*_: object) -> None:
                nonlocal statements
                statements += 1

            event.listen(app.db.engine.sync_engine, "before_cursor_execute", count)
            await bot.tick()  # what is due at start: pinned documents, the weekly report
            posted_at_start = app.rituals.sent
            walls: list[float] = []
            cpus: list[float] = []
            statements = 0
            for _ in range(ticks):
                bot.clock.advance(timedelta(seconds=every))
                w, c = time.perf_counter(), time.process_time()
                await bot.tick()
                walls.append((time.perf_counter() - w) * 1000)
                cpus.append((time.process_time() - c) * 1000)
            return {
                "communities": communities,
                "rituals": len(app.rt.rituals),
                "ticks": ticks,
                "tick_wall_p50_ms": percentile(walls, 50),
                "tick_wall_p99_ms": percentile(walls, 99),
                "tick_cpu_p50_ms": percentile(cpus, 50),
                "tick_cpu_p99_ms": percentile(cpus, 99),
                "statements_per_tick": statements / ticks,
                "posted_at_start": posted_at_start,
                "posted_later": app.rituals.sent - posted_at_start,
                "failed": app.rituals.failed,
                "peak_rss_mb": peak_rss_mb(),
            }


def main() -> None:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--communities", type=int, default=100)
    p.add_argument("--ticks", type=int, default=40)
    p.add_argument("--every", type=float, default=30.0, help="virtual seconds between ticks (the scheduler's bot.tick)")
    args = p.parse_args()
    report(asyncio.run(run(args.communities, args.ticks, args.every)), args.json)


if __name__ == "__main__":
    main()
