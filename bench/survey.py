"""A pulse survey to many members (#20): paced within Telegram's limits, and what an answer costs the core.

Two measurements:

1. **Pacing.** ``--members`` members of one Telegram group (all of whom started the bot) are asked the
   recommend question through the real aiogram Bot against the fake Bot API, which answers 429 as Telegram
   does (about 30 messages a second per bot). Ritual ticks hand the DMs over a batch at a time until
   everyone in the sample is asked. Figures: DMs sent, ``fake_429_count`` (must be 0), the highest rate
   the fake saw in any second, and the (scaled) time the survey took.
2. **An answer's cost.** In the simulator (no HTTP), the same number of members press a score button;
   ``answer_cpu_*_ms`` is the process CPU time per press, the whole core included (the unit of work, the
   database write, the thanks and the "why?" that edit the question, the low scores' alerts to the log);
   ``answer_loop_thread_cpu_p50_ms`` is the event loop's thread alone (SQLite runs in aiosqlite's thread);
   ``answer_core_cpu_*_ms`` the whole process less the simulator's own work as the platform (its outbox
   performing the edit and the answer), i.e. the core with its database work.

    python bench/survey.py [--members 10000] [--time-scale 10] [--json FILE]
"""

from __future__ import annotations

import sys as _sys
from pathlib import Path as _Path

_sys.path.insert(0, str(_Path(__file__).resolve().parents[1]))  # ``python bench/x.py`` from the project root

import asyncio
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, insert, select

from adapters.telegram.adapter import TelegramAdapter, make_bot
from bench.common import ScaledTimer, max_in_window, parser, peak_rss_mb, percentile, report
from bot.app import App
from bot.core.actions import Action, Result
from bot.core.clock import VirtualClock
from bot.core.config import parse_config
from bot.core.ids import ChatRef
from bot.harness import local_bot, local_config
from storage.db import Database
from storage.models import Member
from storage.models.listening import SurveyAnswer
from tests.conftest import START
from tests.telegram.fake_api import FakeTelegram

GROUP = -1003000000000
SURVEY = {"surveys": {"enabled": True, "sample": 1.0, "batch": 500, "ask_why": True}}
FIRST_USER = 5_000_000


async def add_members(app: App, chat: ChatRef, users: list[str]) -> None:
    """Members the bot already knows (as if each had posted once), written in one batch."""
    community_id = (await app.rt.directory.resolve(chat, START)).id
    async with app.db.sessions() as s, s.begin():
        rows = [{"community_id": community_id, "user_id": u, "display_name": f"Member {u}", "is_bot": False} for u in users]
        await s.execute(insert(Member), rows)


async def asked(app: App) -> int:
    async with app.db.sessions() as s:
        return int(await s.scalar(select(func.count()).select_from(SurveyAnswer)) or 0)


async def pacing(db_url: str, members: int, scale: float) -> dict[str, float | int]:
    timer = ScaledTimer(scale)
    fake = FakeTelegram(time=timer)
    await fake.start()
    fake.add_chat(GROUP, "Riverside Makers")
    users = [FIRST_USER + i for i in range(members)]
    for u in users:
        fake.add_user(u, f"Member {u}", started=True)
    community = {"platform": "telegram", "chat_id": str(GROUP), "name": "Riverside Makers", "settings": SURVEY}
    config = parse_config({"telegram": {"enabled": True, "api_base": fake.url}, "communities": [community]}, "<bench>")
    clock = VirtualClock(START)
    app = App(config, Database(db_url), clock, {})
    await app.start()
    bot = make_bot("123456:BENCH-token", fake.url, timer)
    adapter = TelegramAdapter(app.rt, bot, config)
    await adapter.start()
    await add_members(app, ChatRef("telegram", str(GROUP)), [str(u) for u in users])
    first = len(fake.calls)
    t0, wall0 = timer.now(), time.perf_counter()
    ticks = 0
    try:
        while await asked(app) < members and ticks < 10 * members:
            await app.rituals.tick(clock.now())
            await app.rt.flush()
            ticks += 1
        elapsed, wall = timer.now() - t0, time.perf_counter() - wall0
    finally:
        adapter.close()
        await bot.session.close()
        await fake.close()
        await app.close()
    sends = [c for c in fake.calls[first:] if c.method == "sendMessage"]
    sent = [c for c in sends if c.status == 200]
    return {
        "members": members,
        "time_scale": scale,
        "dms_sent": len(sent),
        "ticks": ticks,
        "survey_s": round(elapsed, 1),
        "wall_s": round(wall, 1),
        "dms_per_s": round(len(sent) / elapsed, 1) if elapsed else 0.0,
        "max_messages_per_s": max_in_window((c.at for c in sent), 1.0),
        "fake_429_count": fake.throttled,
        "failed_sends": len(sends) - len(sent),
    }


async def answering(db_url: str, members: int) -> dict[str, float | int]:
    config = local_config(SURVEY)
    async with local_bot(config, db_url, START) as b:
        users = [f"m{i}" for i in range(members)]
        for u in users:
            b.sim.add_user(u, f"Member {u}")
            b.sim.chats["town"].members.add(u)
        await add_members(b.app, ChatRef("local", "town"), users)
        while await asked(b.app) < members:
            await b.tick()
        questions = {
            m.chat[3:]: m
            for m in b.sim.messages.values()
            if m.chat.startswith("dm:") and m.buttons and (m.buttons[0][0].data or "").startswith("svy:")
        }
        costs: list[float] = []
        own: list[float] = []  # this thread only: without SQLite's work in aiosqlite's thread
        core: list[float] = []  # without the simulator's own work as the platform (its outbox)
        platform = [0.0]
        perform = b.sim.perform

        async def timed(action: Action) -> Result:
            p0 = time.process_time()
            try:
                return await perform(action)
            finally:
                platform[0] += time.process_time() - p0

        b.sim.perform = timed  # type: ignore[method-assign]
        for i, u in enumerate(users):
            q = questions[u]
            score = str(i % 11)
            data = next(btn.data or "" for row in q.buttons for btn in row if btn.label == score)
            c0, o0, platform[0] = time.process_time(), time.thread_time(), 0.0
            await b.sim.press(q.id, data, u)
            costs.append((time.process_time() - c0) * 1000)
            own.append((time.thread_time() - o0) * 1000)
            core.append(costs[-1] - platform[0] * 1000)
        await b.app.rt.flush()
        async with b.app.db.sessions() as s:
            scored = int(await s.scalar(select(func.count()).select_from(SurveyAnswer).where(SurveyAnswer.score.is_not(None))) or 0)
    total = sum(costs) / 1000
    return {
        "answers": scored,
        "answers_per_s_cpu": round(len(costs) / total, 1) if total else 0.0,
        "answer_cpu_p50_ms": round(percentile(costs, 50), 3),
        "answer_cpu_p99_ms": round(percentile(costs, 99), 3),
        "answer_cpu_mean_ms": round(sum(costs) / len(costs), 3) if costs else 0.0,
        "answer_loop_thread_cpu_p50_ms": round(percentile(own, 50), 3),
        "answer_core_cpu_p50_ms": round(percentile(core, 50), 3),
        "answer_core_cpu_p99_ms": round(percentile(core, 99), 3),
    }


async def run(members: int, scale: float) -> dict[str, float | int | str]:
    with tempfile.TemporaryDirectory() as tmp:
        figures: dict[str, float | int | str] = dict(await pacing(f"sqlite+aiosqlite:///{Path(tmp) / 'a.sqlite3'}", members, scale))
        figures.update(await answering(f"sqlite+aiosqlite:///{Path(tmp) / 'b.sqlite3'}", members))
    figures["peak_rss_mb"] = round(peak_rss_mb(), 1)
    return figures


def main() -> None:
    p = parser(__doc__ or "")
    p.add_argument("--members", type=int, default=10_000)
    p.add_argument("--time-scale", type=float, default=10.0, help="how much faster than the wall clock time runs (1: real time)")
    args = p.parse_args()
    figures = asyncio.run(run(args.members, args.time_scale))
    report(figures, args.json)
    if figures["fake_429_count"]:
        sys.exit("Telegram had to say 429: the survey went out faster than the platform allows")
    if figures["dms_sent"] != args.members or figures["answers"] != args.members:
        sys.exit("not every member was asked, or not every answer was kept")
    if float(figures["answer_core_cpu_p50_ms"]) >= 1.0:
        print("target missed: an answer costs the core 1 ms of CPU or more (see answer_core_cpu_p50_ms)", file=sys.stderr)


if __name__ == "__main__":
    main()
