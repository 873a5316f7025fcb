"""How long /stats takes on a big community: 100,000 members and 10,000,000 activity rows on SQLite.

Seeds the database directly with sqlite3 (executemany in big batches), fills the
daily rollup (totals and packed per-member columns) the way the tracker keeps it,
then times /stats end to end through the local simulator (router, unit of work,
queries, rendering), wall clock and the process's CPU time (what a quiet machine
would take), and checks the month's active members against a GROUP BY on the raw rows. Activity is
spread over ``--days`` days with a long tail: a few members post most days,
most rarely.

    python bench/stats.py [--members 100000 --rows 10000000 --days 730] [--json FILE]
"""

from __future__ import annotations

import sys as _sys
from pathlib import Path as _Path

_sys.path.insert(0, str(_Path(__file__).resolve().parents[1]))  # ``python bench/x.py`` from the project root

import asyncio
import sqlite3
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from bench.common import parser, peak_rss_mb, report
from bot.core.ids import ChatRef
from bot.harness import local_bot, local_config
from storage.repos.analytics import DayMembers

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
BATCH = 200_000
DAILY_COLUMNS = ("active", "messages", "replies", "member_ids", "messages_by", "replies_by")


def seed(path: Path, community_id: int, members: int, rows: int, days: int) -> None:
    rng = np.random.default_rng(7)
    ids = np.array([str(1_000_000 + i) for i in range(members)], dtype=object)
    con = sqlite3.connect(path)
    con.execute("PRAGMA synchronous=OFF")
    first_day = NOW.date() - timedelta(days=days - 1)
    joined = [NOW - timedelta(days=days) + timedelta(seconds=int(s)) for s in rng.integers(0, days * 86400, members)]
    con.executemany(
        "INSERT INTO members (community_id, user_id, display_name, is_bot, joined_at, message_count) VALUES (?, ?, ?, 0, ?, 0)",
        ((community_id, u, f"Member {u}", j.strftime("%Y-%m-%d %H:%M:%S.%f")) for u, j in zip(ids, joined, strict=True)),
    )
    row_of = dict(con.execute("SELECT user_id, id FROM members WHERE community_id = ?", (community_id,)).fetchall())
    member_ids = np.array([row_of[u] for u in ids], dtype=np.int64)
    weights = 1 / np.arange(1, members + 1) ** 0.7
    weights /= weights.sum()
    per_day = [rows // days + (1 if d < rows % days else 0) for d in range(days)]
    buf: list[tuple[int, str, str, int, int]] = []
    daily: list[tuple[int, str, int, int, int, bytes, bytes, bytes]] = []
    for d, n in enumerate(per_day):
        day = (first_day + timedelta(days=d)).isoformat()
        who = rng.choice(members, size=min(n, members), replace=False, p=weights)
        msgs = rng.geometric(0.4, size=len(who))
        reps = rng.binomial(msgs, 0.3)
        buf.extend(zip([community_id] * len(who), [day] * len(who), ids[who].tolist(), msgs.tolist(), reps.tolist(), strict=True))
        # What the tracker's flush keeps per day: totals and the packed per-member columns.
        order = np.argsort(member_ids[who])
        packed = DayMembers(member_ids[who][order], msgs[order].astype(np.int32), reps[order].astype(np.int32)).pack()
        daily.append((community_id, day, *(packed[k] for k in DAILY_COLUMNS)))  # type: ignore[arg-type]
        if len(buf) >= BATCH:
            con.executemany("INSERT INTO activity_days (community_id, day, user_id, messages, replies) VALUES (?, ?, ?, ?, ?)", buf)
            buf.clear()
    con.executemany("INSERT INTO activity_days (community_id, day, user_id, messages, replies) VALUES (?, ?, ?, ?, ?)", buf)
    con.executemany(
        "INSERT INTO activity_daily (community_id, day, active, messages, replies, member_ids, messages_by, replies_by) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        daily,
    )
    con.commit()
    con.execute("ANALYZE")
    con.close()


def truth(path: Path, community_id: int, first: str, end: str) -> int:
    """Distinct active members straight from activity_days, to check the figure /stats shows."""
    con = sqlite3.connect(path)
    q = "SELECT count(DISTINCT user_id) FROM activity_days WHERE community_id = ? AND day >= ? AND day < ?"
    n = con.execute(q, (community_id, first, end)).fetchone()[0]
    con.close()
    return int(n)


async def run(members: int, rows: int, days: int, repeat: int) -> dict[str, float | int | str]:
    figures: dict[str, float | int | str] = {"members": members, "activity_rows": rows, "days": days}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "stats.sqlite3"
        async with local_bot(local_config(), f"sqlite+aiosqlite:///{path}", NOW) as bot:
            info = await bot.app.rt.directory.resolve(ChatRef("local", "town"), NOW)
            bot.sim.add_user("mia", "Mia")
            bot.sim.chats["town"].members.add("mia")
            started = time.perf_counter()
            seed(path, info.id, members, rows, days)
            figures["seed_s"] = round(time.perf_counter() - started, 1)
            for period in ("7d", "30d", "week", "month"):
                times, cpu = [], []
                for _ in range(repeat):
                    t0, c0 = time.perf_counter(), time.process_time()
                    await bot.sim.post("town", "mia", f"/stats {period}")
                    times.append((time.perf_counter() - t0) * 1000)
                    cpu.append((time.process_time() - c0) * 1000)  # all threads of the process: a quiet machine's wall time
                text = bot.sim.bot_messages("town")[-1].text
                assert "Active members" in text, text
                figures[f"stats_{period}_median_ms"] = round(statistics.median(times), 1)
                figures[f"stats_{period}_max_ms"] = round(max(times), 1)
                figures[f"stats_{period}_cpu_median_ms"] = round(statistics.median(cpu), 1)
                figures[f"stats_{period}_cpu_max_ms"] = round(max(cpu), 1)
            # The last answer (month: October 2026, the last full one) against a GROUP BY on the raw rows.
            expected = truth(path, info.id, "2026-10-01", "2026-11-01")
            assert f"Active members: {expected:,} " in text, (expected, text)
    figures["peak_rss_mb"] = round(peak_rss_mb(), 1)
    return figures


def main() -> None:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--members", type=int, default=100_000)
    p.add_argument("--rows", type=int, default=10_000_000)
    p.add_argument("--days", type=int, default=730, help="how many days the activity spans (ending today)")
    p.add_argument("--repeat", type=int, default=5)
    args = p.parse_args()
    report(asyncio.run(run(args.members, args.rows, args.days, args.repeat)), args.json)


if __name__ == "__main__":
    main()
