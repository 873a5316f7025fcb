"""Log volume of an idle bot at INFO: lines an hour, with the logging ``community-bot run`` sets up.

The real APScheduler runs the real jobs (the ritual tick and the one-second activity flush) of an App on a
SQLite file with one configured community, nobody talking, for ``--seconds`` seconds with the tick at
``--tick`` seconds; the lines each kind of job run writes are counted and scaled to an hour at the default
tick (30s): ``lines_per_hour``. ``lines_per_hour_unquieted`` is the same with APScheduler's INFO lines left
in (what 0.1.0 wrote). Start-up lines (migrations, "running as") are counted once, apart.

    python bench/log_volume.py [--seconds 6] [--tick 1] [--json FILE]
"""

from __future__ import annotations

import sys as _sys
from pathlib import Path as _Path

_sys.path.insert(0, str(_Path(__file__).resolve().parents[1]))  # ``python bench/x.py`` from the project root

import asyncio
import logging
import tempfile
from collections import Counter
from datetime import timedelta
from pathlib import Path

from bench.common import parser, report
from bot import logs
from bot.app import App
from bot.core.clock import SystemClock
from bot.core.config import parse_config
from rituals.scheduler import build_scheduler, stop_scheduler
from storage.db import Database

DEFAULT_TICK = 30.0


class Counting(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


async def measure(seconds: float, tick: float, quiet: bool) -> dict[str, float]:
    handler = Counting()
    logs.configure("INFO", handler)
    if not quiet:
        for name in logs.CHATTY:
            logging.getLogger(name).setLevel(logging.NOTSET)
    with tempfile.TemporaryDirectory() as tmp:
        config = parse_config(
            {
                "bot": {"database_url": f"sqlite+aiosqlite:///{Path(tmp) / 'bot.sqlite3'}", "tick": f"{int(tick)}s"},
                "communities": [{"platform": "local", "chat_id": "makers", "name": "Makers", "managers": ["1"]}],
            }
        )
        app = App(config, Database(config.bot.database_url), SystemClock())
        await app.start()
        await app.tick()  # the first tick settles what was due before the bot existed: a start-up line each
        startup = len(handler.lines)
        runs: Counter[str] = Counter()
        scheduler = build_scheduler(app.rt, app.rituals, timedelta(seconds=tick))
        for job in scheduler.get_jobs():
            original = job.func

            async def counted(original=original, job_id=job.id):  # type: ignore[no-untyped-def]
                runs[job_id] += 1
                return await original()

            job.modify(func=counted)
        scheduler.start()
        await asyncio.sleep(seconds)
        await stop_scheduler(scheduler)
        await app.close()
    steady = handler.lines[startup:]
    if _sys.flags.verbose or "-v" in _sys.argv:
        print("\n".join(steady))
    per_run = len(steady) / max(1, sum(runs.values()))
    runs_per_hour = 3600 / DEFAULT_TICK + 3600 / 1.0  # the ritual tick and the flush
    return {
        "lines": len(steady),
        "job_runs": sum(runs.values()),
        "per_run": per_run,
        "per_hour": per_run * runs_per_hour,
        "startup": startup,
    }


def main() -> None:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--seconds", type=float, default=6.0)
    p.add_argument("--tick", type=float, default=1.0)
    p.add_argument("-v", "--verbose", action="store_true", help="print the steady-state lines")
    args = p.parse_args()
    quiet = asyncio.run(measure(args.seconds, args.tick, quiet=True))
    loud = asyncio.run(measure(args.seconds, args.tick, quiet=False))
    report(
        {
            "lines_per_hour": round(quiet["per_hour"], 1),
            "lines_per_hour_unquieted": round(loud["per_hour"], 1),
            "job_runs_measured": int(quiet["job_runs"]),
            "lines_measured": int(quiet["lines"]),
            "startup_lines": int(quiet["startup"]),
        },
        args.json,
    )


if __name__ == "__main__":
    main()
