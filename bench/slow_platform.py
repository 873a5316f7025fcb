"""Slow platform benchmark: one group's send is held by the platform; how do other groups' events fare?

The Telegram outbox may hold a send for seconds (20 messages a minute into one group, 429
``retry_after``, 5xx retries). Here a newcomer joins group "slow" and every platform call about
that group waits ``--hold`` seconds (real time). While it waits, ``--events`` joins into group
"fast" arrive at once (as discord.py delivers them, each in its own task). Prints how long the
fast events took, how many were lost (rolled back), and how many database connections the
waiting event still held once they were done (-1: it was no longer waiting).

    python bench/slow_platform.py [--hold 8] [--events 10] [--db URL] [--json FILE]
"""

from __future__ import annotations

import sys as _sys
from pathlib import Path as _Path

_sys.path.insert(0, str(_Path(__file__).resolve().parents[1]))  # ``python bench/x.py`` from the project root

import asyncio
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select

from adapters.local.simulator import LocalPlatform
from bench.common import parser, percentile, report
from bot.app import App
from bot.core import actions as a
from bot.core.clock import VirtualClock
from bot.core.config import parse_config
from bot.core.ids import ChatRef, UserRef
from storage.db import Database
from storage.models import Member

START = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


class HeldPlatform:
    """The simulator's outbox; calls about the slow group (or its newcomer) wait ``hold`` seconds."""

    def __init__(self, sim: LocalPlatform, db: Database, hold: float) -> None:
        self.sim, self.db, self.hold = sim, db, hold
        self.waiting = asyncio.Event()

    async def perform(self, action: a.Action) -> a.Result:
        chat, user = getattr(action, "chat", None), getattr(action, "user", None)
        if (isinstance(chat, ChatRef) and chat.id == "slow") or (isinstance(user, UserRef) and user.id == "newbie"):
            self.waiting.set()
            await asyncio.sleep(self.hold)
        return await self.sim.perform(action)


async def run(url: str, hold: float, events: int) -> dict[str, float | int]:
    config = parse_config({"communities": [{"platform": "local", "chat_id": c, "name": c, "managers": ["mia"]} for c in ("slow", "fast")]})
    clock = VirtualClock(START)
    sim = LocalPlatform(clock)
    for c in ("slow", "fast"):
        sim.add_chat(c, c, admins=("mia",))
    db = Database(url)
    platform = HeldPlatform(sim, db, hold)
    app = App(config, db, clock, {"local": platform})
    await app.start()
    sim.connect(app.handle)
    sim.add_user("newbie", "Nora")
    ids = [f"u{i}" for i in range(events)]
    for uid in ids:
        sim.add_user(uid, uid)
    try:
        t0 = time.perf_counter()
        slow = asyncio.create_task(sim.join("slow", "newbie"))
        await platform.waiting.wait()

        async def timed(uid: str) -> float:
            s = time.perf_counter()
            await sim.join("fast", uid)
            return (time.perf_counter() - s) * 1000

        took = await asyncio.gather(*(timed(uid) for uid in ids))
        # The fast events are done; the slow one still waits on the platform: what does it hold?
        held = db.engine.pool.checkedout() if not slow.done() else -1  # type: ignore[attr-defined]
        await slow
        slow_ms = (time.perf_counter() - t0) * 1000
        async with db.sessions() as s:
            stored = await s.scalar(select(func.count()).select_from(Member).where(Member.user_id.in_(ids)))
        return {
            "hold_s": hold,
            "fast_events": events,
            "fast_event_p50_ms": percentile(took, 50),
            "fast_event_max_ms": max(took),
            "fast_events_lost": events - int(stored or 0),
            "router_errors": app.rt.router.errors,
            "slow_event_ms": slow_ms,
            "slow_sends": sum(1 for m in sim.messages.values() if m.author == "bot" and m.chat in ("slow", "dm:newbie")),
            "connections_held_while_waiting": held,
        }
    finally:
        await app.close()


def main() -> None:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--hold", type=float, default=8.0, help="seconds the platform holds the slow group's sends")
    p.add_argument("--events", type=int, default=10, help="joins into the fast group while it waits")
    p.add_argument("--db", help="database URL (default: a fresh SQLite file)")
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.db or f"sqlite+aiosqlite:///{Path(tmp) / 'bench.sqlite3'}"
        report(asyncio.run(run(url, args.hold, args.events)), args.json)


if __name__ == "__main__":
    main()
