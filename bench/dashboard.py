"""How fast the managers' dashboard answers on a big community: 100,000 members and 10,000,000 activity rows.

Seeds the database as bench/stats.py does (members, per-member activity rows, the daily rollup) plus
``--cases`` moderation cases, starts the bot's own web server, signs in by the link ``/dashboard`` sends,
and times each page end to end over HTTP (server, queries, templates): median and maximum wall time, and
the process's CPU time (all threads: what a quiet machine would take). The target is under 200 ms a page.

    python bench/dashboard.py [--members 100000 --rows 10000000 --days 730 --cases 10000] [--json FILE]
"""

from __future__ import annotations

import sys as _sys
from pathlib import Path as _Path

_sys.path.insert(0, str(_Path(__file__).resolve().parents[1]))  # ``python bench/x.py`` from the project root

import asyncio
import re
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

import aiohttp

from bench.common import parser, peak_rss_mb, report
from bench.stats import NOW, seed
from bot.core.ids import ChatRef
from bot.harness import local_bot, local_config
from bot.web import serve

WEB = {"web": {"enabled": True, "public_url": "http://localhost", "listen_port": 0}}
PAGES = {
    "health": "",
    "moderation": "/moderation",
    "content": "/content",
    "settings": "/settings",
    "members": "/members",
    "member_search": "/members?q=Member%201000",
    "member": "/members/1000042",
}


def seed_cases(path: Path, community_id: int, cases: int) -> None:
    con = sqlite3.connect(path)
    rows = [
        (community_id, str(1_000_000 + i % 5000), f"Member {1_000_000 + i % 5000}", str(10_000 + i), None,
         f"win a prize today, write to me {i}", "classifier:0.93,lure:0.55", 0.93, "delete", 0, "open" if i % 10 == 0 else "confirmed",
         NOW.strftime("%Y-%m-%d %H:%M:%S.%f"))
        for i in range(cases)
    ]  # fmt: skip
    con.executemany(
        "INSERT INTO spam_records (community_id, user_id, display_name, message_id, place, text, reasons, score, action, shadow, "
        "status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    con.commit()
    con.close()


async def run(members: int, rows: int, days: int, cases: int, repeat: int) -> dict[str, float | int | str]:
    figures: dict[str, float | int | str] = {"members": members, "activity_rows": rows, "days": days, "cases": cases}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "dashboard.sqlite3"
        async with local_bot(local_config(extra=WEB), f"sqlite+aiosqlite:///{path}", NOW) as bot:
            info = await bot.app.rt.directory.resolve(ChatRef("local", "town"), NOW)
            bot.sim.add_user("mia", "Mia")
            bot.sim.chats["town"].members.add("mia")
            started = time.perf_counter()
            seed(path, info.id, members, rows, days)
            seed_cases(path, info.id, cases)
            figures["seed_s"] = round(time.perf_counter() - started, 1)
            await bot.sim.start_bot("mia")
            await bot.sim.post("town", "mia", "/dashboard")
            found = re.search(r"http://localhost(/dashboard/signin\?t=\S+)", bot.sim.dms("mia")[-1].text)
            assert found is not None, bot.sim.dms("mia")[-1].text
            runner = await serve(bot.app.rt, "127.0.0.1", 0)
            host, port = runner.addresses[0][:2]
            site = f"http://{host}:{port}"
            try:
                async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
                    async with http.get(site + found.group(1)) as r:
                        token = re.search(r'name="t" value="([^"]+)"', await r.text())
                    assert token is not None
                    async with http.post(site + "/dashboard/signin", data={"t": token.group(1)}) as r:
                        assert r.status == 200, await r.text()
                    for name, sub in PAGES.items():
                        times, cpu = [], []
                        for _ in range(repeat):
                            t0, c0 = time.perf_counter(), time.process_time()
                            async with http.get(f"{site}/dashboard/c/{info.id}{sub}") as r:
                                body = await r.read()
                                assert r.status == 200, (name, body[:300])
                            times.append((time.perf_counter() - t0) * 1000)
                            cpu.append((time.process_time() - c0) * 1000)
                        figures[f"{name}_median_ms"] = round(statistics.median(times), 1)
                        figures[f"{name}_max_ms"] = round(max(times), 1)
                        figures[f"{name}_cpu_median_ms"] = round(statistics.median(cpu), 1)
                        figures[f"{name}_kb"] = round(len(body) / 1024, 1)
            finally:
                await runner.cleanup()
    figures["slowest_page_median_ms"] = max(v for k, v in figures.items() if k.endswith("_median_ms") and "cpu" not in k)  # type: ignore[type-var]
    figures["peak_rss_mb"] = round(peak_rss_mb(), 1)
    return figures


def main() -> None:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--members", type=int, default=100_000)
    p.add_argument("--rows", type=int, default=10_000_000)
    p.add_argument("--days", type=int, default=730, help="how many days the activity spans (ending today)")
    p.add_argument("--cases", type=int, default=10_000)
    p.add_argument("--repeat", type=int, default=5)
    args = p.parse_args()
    report(asyncio.run(run(args.members, args.rows, args.days, args.cases, args.repeat)), args.json)


if __name__ == "__main__":
    main()
