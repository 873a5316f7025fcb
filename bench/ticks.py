"""Ritual ticks: what one scheduler tick costs with many communities and every ritual registered.

``--communities`` communities on the local simulator (each with a manager, a few members, a
newcomer and an upcoming event) are ticked every ``--every`` seconds of virtual time for
``--ticks`` ticks, after a first tick that posts what is due at start (pinned documents, the
weekly report). ``--series N`` gives each community N weekly series besides (#22: 1,000
communities with 20 each must tick within the cost of the same communities without them).
Prints the steady tick's wall and CPU time (p50, p99), the ritual ``due`` checks and database
statements per tick, and what the ticks posted.

    python bench/ticks.py [--communities 100] [--ticks 40] [--every 30] [--series 0] [--json FILE]
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

from sqlalchemy import event, func, select

from bench.common import parser, peak_rss_mb, percentile, report
from bot.app import App
from bot.core.config import parse_config
from bot.harness import local_bot
from storage.models.recurrence import EventSeries
from storage.models.rituals import CalendarEvent

START = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)  # a Monday, the weekly report's hour


async def run(communities: int, ticks: int, every: float, series: int = 0) -> dict[str, float | int | str]:
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
                if i == 0:  # typed in the first community; the others get copies (typing 20,000 takes too long)
                    for n in range(series):  # weekly, on every day of the week at its own hour, for a year
                        day = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[n % 7]
                        await sim.post(chat, "mia", f"/event add {day} {8 + n % 12}:30 repeat weekly x52 Series {n} | Room {n}")
            if series:
                await copy_series(app, communities)
            async with app.db.sessions() as session:
                stored = int(await session.scalar(select(func.count()).select_from(EventSeries)) or 0)
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
                "series_per_community": series,
                "series_stored": stored,
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


async def copy_series(app: App, communities: int) -> None:
    """The first community's series, given to every other community (one transaction)."""
    async with app.db.sessions() as session:
        ids = {c.chat.id: c.id for c in app.rt.directory.all_cached()}
        first = ids["c0"]
        rows = list(await session.execute(select(CalendarEvent, EventSeries).join(EventSeries).where(CalendarEvent.community_id == first)))
        skip = {"id", "community_id"}
        for i in range(1, communities):
            for e, rule in rows:
                copy = CalendarEvent(**{c.key: getattr(e, c.key) for c in CalendarEvent.__table__.columns if c.key not in skip})
                copy.community_id = ids[f"c{i}"]
                session.add(copy)
                await session.flush()
                session.add(EventSeries(event_id=copy.id, rrule=rule.rrule, last_start=rule.last_start))
        await session.commit()


def main() -> None:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--communities", type=int, default=100)
    p.add_argument("--ticks", type=int, default=40)
    p.add_argument("--every", type=float, default=30.0, help="virtual seconds between ticks (the scheduler's bot.tick)")
    p.add_argument("--series", type=int, default=0, help="weekly series per community, besides its one-off event")
    args = p.parse_args()
    report(asyncio.run(run(args.communities, args.ticks, args.every, args.series)), args.json)


if __name__ == "__main__":
    main()
