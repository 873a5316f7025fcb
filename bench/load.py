"""Load through the whole core, on SQLite and (with --postgres URL) PostgreSQL.

Scenarios: steady chat in 100 communities in one process; a join wave of
10,000 members into one community. Prints messages/s, joins/s, p50/p99
latency, peak memory, and how many actions the bot asked of the platform.

    python bench/load.py [--messages N] [--communities N] [--joins N] [--postgres URL] [--json FILE]
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
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from bench.common import parser, peak_rss_mb, percentile, report
from bot.core.config import parse_config
from bot.harness import local_bot

START = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
WORDS = [
    "hello",
    "thanks",
    "question",
    "meetup",
    "repair",
    "printer",
    "bike",
    "solder",
    "radio",
    "friday",
    "anyone",
    "help",
    "idea",
    "photo",
    "project",
    "coffee",
]


async def _fresh_pg(url: str) -> tuple[str, str]:
    admin_url = make_url(url)
    name = f"bench_{uuid.uuid4().hex[:10]}"
    engine = create_async_engine(admin_url, isolation_level="AUTOCOMMIT")
    async with engine.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    await engine.dispose()
    return admin_url.set(database=name).render_as_string(hide_password=False), name


async def _drop_pg(url: str, name: str) -> None:
    engine = create_async_engine(make_url(url), isolation_level="AUTOCOMMIT")
    async with engine.connect() as conn:
        await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    await engine.dispose()


async def chat_load(db_url: str, messages: int, communities: int, members: int) -> dict[str, float]:
    rng = random.Random(11)
    config = parse_config(
        {"communities": [{"platform": "local", "chat_id": f"c{i}", "name": f"Community {i}"} for i in range(communities)]}
    )
    async with local_bot(config, db_url, START) as bot:
        sim = bot.sim
        for i in range(members):
            sim.add_user(f"u{i}", f"Member {i}")
            for c in range(communities):
                if i % communities == c or i % 7 == 0:
                    sim.chats[f"c{c}"].members.add(f"u{i}")
        plan = []
        for _ in range(messages):
            c = rng.randrange(communities)
            candidates = [u for u in range(c, members, communities)]
            plan.append((f"c{c}", f"u{rng.choice(candidates)}", " ".join(rng.choices(WORDS, k=rng.randint(3, 20)))))
        # First contact: every member posts once in each of their communities (loads or creates their rows).
        t_first = time.perf_counter()
        first = 0
        for c in range(communities):
            for user in sorted(sim.chats[f"c{c}"].members & sim.users.keys()):
                await sim.post(f"c{c}", user, "hello")
                first += 1
        await bot.app.rt.flush()
        first_rate = first / (time.perf_counter() - t_first)
        bot.clock.advance(timedelta(days=2))
        lat: list[float] = []
        t0 = time.perf_counter()
        for chat, user, words in plan:
            bot.clock.advance(timedelta(milliseconds=20))
            w = time.perf_counter()
            await sim.post(chat, user, words)
            lat.append((time.perf_counter() - w) * 1000)
        await bot.app.rt.flush()
        elapsed = time.perf_counter() - t0
        return {
            "first_contact_messages_per_s": round(first_rate, 1),
            "messages_per_s": round(messages / elapsed, 1),
            "message_p50_ms": round(percentile(lat, 50), 3),
            "message_p99_ms": round(percentile(lat, 99), 3),
            "handler_errors": bot.app.rt.router.errors,
        }


async def join_wave(db_url: str, joins: int) -> dict[str, float]:
    config = parse_config({"communities": [{"platform": "local", "chat_id": "wave", "name": "Wave"}]})
    async with local_bot(config, db_url, START) as bot:
        sim = bot.sim
        for i in range(joins):
            sim.add_user(f"j{i}", f"Newcomer {i}", dm_open=i % 3 != 0)
        lat: list[float] = []
        t0 = time.perf_counter()
        for i in range(joins):
            bot.clock.advance(timedelta(milliseconds=30))
            w = time.perf_counter()
            await sim.join("wave", f"j{i}")
            lat.append((time.perf_counter() - w) * 1000)
        await bot.tick()
        elapsed = time.perf_counter() - t0
        actions = [e for e in sim.log if e.kind == "action"]
        return {
            "joins_per_s": round(joins / elapsed, 1),
            "join_p50_ms": round(percentile(lat, 50), 3),
            "join_p99_ms": round(percentile(lat, 99), 3),
            "join_wave_group_messages": sum(1 for e in actions if e.what == "send"),
            "join_wave_dms": sum(1 for e in actions if e.what == "dm"),
            "handler_errors": bot.app.rt.router.errors,
        }


async def run(args) -> dict[str, float | int | str]:  # type: ignore[no-untyped-def]
    figures: dict[str, float | int | str] = {"messages": args.messages, "communities": args.communities, "joins": args.joins}
    backends = [("sqlite", None)] + ([("postgresql", args.postgres)] if args.postgres else [])
    for backend, pg in backends:
        with tempfile.TemporaryDirectory() as tmp:
            for name, scenario in (("chat", chat_load), ("wave", join_wave)):
                if pg:
                    url, dbname = await _fresh_pg(pg)
                else:
                    url, dbname = f"sqlite+aiosqlite:///{Path(tmp) / (name + '.sqlite3')}", ""
                try:
                    if scenario is chat_load:
                        res = await chat_load(url, args.messages, args.communities, args.members)
                    else:
                        res = await join_wave(url, args.joins)
                finally:
                    if pg:
                        await _drop_pg(pg, dbname)
                for k, v in res.items():
                    figures[f"{backend}_{k}" if k != "handler_errors" else f"{backend}_{name}_handler_errors"] = v
    figures["peak_rss_mb"] = round(peak_rss_mb(), 1)
    return figures


def main() -> None:
    p = parser(__doc__ or "")
    p.add_argument("--messages", type=int, default=20_000)
    p.add_argument("--communities", type=int, default=100)
    p.add_argument("--members", type=int, default=5_000)
    p.add_argument("--joins", type=int, default=10_000)
    p.add_argument("--postgres", default=os.environ.get("TEST_POSTGRES_URL"), help="a PostgreSQL server URL (postgresql+asyncpg://...)")
    args = p.parse_args()
    report(asyncio.run(run(args)), args.json)


if __name__ == "__main__":
    main()
