"""Join wave benchmark: 10,000 joins into one community through the local simulator.

Prints the core's wall time, the group messages the wave produced, the welcome
DMs sent at once and those deferred until the member pressed Start (a share of
the members have DMs closed), and peak memory. Fails loudly if any DM is lost.

    python bench/join_wave.py [--joins 10000] [--json FILE]
"""

from __future__ import annotations

import sys as _sys
from pathlib import Path as _Path

_sys.path.insert(0, str(_Path(__file__).resolve().parents[1]))  # ``python bench/x.py`` from the project root

import argparse
import asyncio
import json
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.core.ids import ChatRef
from bot.harness import local_bot, local_config
from handlers.onboarding.deeplink import payload_for

START = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
GAP = timedelta(milliseconds=20)  # 50 joins a second: a link shared somewhere big
TICK = timedelta(seconds=30)
CLOSED_EVERY = 3  # every third member has DMs closed (Telegram: never started the bot)


async def run(joins: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.sqlite3'}"
        async with local_bot(local_config(), url, START) as bot:
            sim = bot.sim
            ids = [f"u{i}" for i in range(joins)]
            for i, uid in enumerate(ids):
                sim.add_user(uid, f"Member {i}", dm_open=i % CLOSED_EVERY != 0)
            core = 0.0
            cpu0 = time.process_time()
            next_tick = START + TICK
            for uid in ids:
                t0 = time.perf_counter()
                await sim.join("town", uid)
                if bot.clock.now() >= next_tick:
                    await bot.tick()
                    next_tick += TICK
                core += time.perf_counter() - t0
                bot.clock.advance(GAP)
            bot.clock.advance(timedelta(minutes=2))
            t0 = time.perf_counter()
            await bot.tick()
            core += time.perf_counter() - t0
            sent_at_join = sum(1 for m in sim.messages.values() if m.chat.startswith("dm:"))
            group_messages = len(sim.bot_messages("town", include_deleted=True))

            town = bot.app.rt.directory.cached(ChatRef("local", "town"))
            assert town is not None
            closed = [uid for i, uid in enumerate(ids) if i % CLOSED_EVERY == 0]
            t0 = time.perf_counter()
            for uid in closed:
                await sim.start_bot(uid, payload_for(town.id))
            start_s = time.perf_counter() - t0
            core += start_s
            cpu = time.process_time() - cpu0  # the whole process: core, SQLite thread and the simulator
            lost = [uid for uid in ids if not any("glad you're here" in m.text for m in sim.dms(uid))]
            refused = sum(1 for e in sim.log if e.what == "dm (closed)")
            return {
                "joins": joins,
                "core_wall_s": round(core, 3),
                "join_wall_s": round(core - start_s, 3),
                "joins_per_s": round(joins / (core - start_s), 1),
                "process_cpu_s": round(cpu, 3),
                "start_wall_s": round(start_s, 3),
                "group_messages": group_messages,
                "dm_sent_at_join": sent_at_join,
                "dm_refused": refused,
                "dm_deferred_then_sent": len(closed),
                "dm_lost": len(lost),
                "handler_errors": bot.app.rt.router.errors,
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--joins", type=int, default=10_000)
    parser.add_argument("--json", type=Path, help="write the figures to this file as one JSON object")
    args = parser.parse_args()
    figures = asyncio.run(run(args.joins))
    for k, v in figures.items():
        print(f"{k:>24}: {v}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    if figures["dm_lost"] or figures["handler_errors"]:
        sys.exit("FAILED: a welcome DM was lost or a handler failed")


if __name__ == "__main__":
    main()
