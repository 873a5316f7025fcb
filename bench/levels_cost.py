"""Participation levels' cost (#21.3): per message in the core, and per hourly run and monthly review.

The only per-message work is ``StaffMark``: an attribute test (a write only when someone starts or stops
acting as staff). Promotions are an hourly batch: who did something in the last two days, their signals
over the window in grouped queries, the promotions, the tags. The review reads every member holding a level.
Members get 90 days of seeded activity (posts on random days, replies, thanks received) in a SQLite file.

    python bench/levels_cost.py [--members N] [--json FILE]
"""

from __future__ import annotations

import sys as _sys
from pathlib import Path as _Path

_sys.path.insert(0, str(_Path(__file__).resolve().parents[1]))  # ``python bench/x.py`` from the project root

import asyncio
import random
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event

from bench.common import parser, report
from bot.core.context import Context
from bot.core.events import MessagePosted, Role
from bot.core.ids import ChatRef, MessageRef
from bot.core.ritual import Occurrence
from bot.harness import local_bot, local_config
from handlers.levels import StaffMark
from handlers.levels.promotion import MonthlyReview, Promotions
from handlers.levels.showing import Showing
from storage.models import Member
from storage.models.recognition import Kudos
from storage.repos.activity import ActivityRepo
from storage.repos.members import MemberState

START = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


async def seed(bot: Any, community_id: int, members: int, rng: random.Random) -> None:
    """90 days of activity: each member posts on 5 to 40 random days; a quarter of them were active today."""
    today = START.date()
    rows: list[tuple[int, date, str, int, int]] = []
    kudos: list[dict[str, Any]] = []
    for i in range(members):
        days = rng.sample(range(1, 90), rng.randint(5, 40)) + ([0] if i % 4 == 0 else [])
        for d in days:
            rows.append((community_id, today - timedelta(days=d), f"u{i}", rng.randint(1, 6), rng.randint(0, 3)))
        for k in range(rng.randint(0, 6)):  # from different members: one thank-you per pair and day
            at = START - timedelta(days=rng.randint(0, 80), minutes=k)
            kudos.append(
                {"community_id": community_id, "giver_id": f"u{(i + 1 + k) % members}", "receiver_id": f"u{i}",
                 "message_id": f"m{i}-{k}", "day": at.date(), "given_at": at}
            )  # fmt: skip
    async with bot.app.db.sessions() as s:
        s.add_all(Member(community_id=community_id, user_id=f"u{i}", display_name=f"Member {i}", message_count=50) for i in range(members))
        await ActivityRepo(s).add(rows)
        await s.execute(Kudos.__table__.insert(), kudos)
        await s.commit()


async def run(members: int) -> dict[str, float | int | str]:
    rng = random.Random(11)
    with tempfile.TemporaryDirectory() as tmp:
        config = local_config({"levels": {"enabled": True}, "kudos": {"spotlight": False, "leaders_nudge": False}})
        async with local_bot(config, f"sqlite+aiosqlite:///{Path(tmp) / 'levels.sqlite3'}", START) as bot:
            info = await bot.app.rt.directory.resolve(ChatRef("local", "town"), START)
            await seed(bot, info.id, members, rng)
            statements = 0

            def count(*_: object) -> None:
                nonlocal statements
                statements += 1

            event.listen(bot.app.db.engine.sync_engine, "before_cursor_execute", count)
            figures: dict[str, float | int | str] = {"members": members}
            showing = Showing()
            for name, ritual, at in (
                ("hourly", Promotions(showing), START + timedelta(hours=1)),
                ("hourly_again", Promotions(showing), START + timedelta(hours=2)),
                ("review", MonthlyReview(showing), datetime(2026, 12, 1, 9, 0, tzinfo=UTC)),
            ):
                statements = 0
                async with bot.app.db.sessions() as session:
                    ctx = bot.app.rituals._ctx(session, info, ritual, at)
                    c0, w0 = time.process_time(), time.perf_counter()
                    await ritual.run(ctx, Occurrence(f"bench:{name}", at))
                    await session.commit()
                    figures[f"{name}_cpu_ms"] = round((time.process_time() - c0) * 1000, 1)
                    figures[f"{name}_wall_ms"] = round((time.perf_counter() - w0) * 1000, 1)
                figures[f"{name}_statements"] = statements
            async with bot.app.db.sessions() as session:
                held = [lv for (lv,) in (await session.execute(Member.__table__.select().with_only_columns(Member.level))).all()]
            for lv in (1, 2, 3):
                figures[f"members_at_level_{lv}"] = held.count(lv)
            figures["tags_set"] = sum(1 for e in bot.sim.log if e.what == "tag")
            # Per message: the staff check with levels on, on a member whose role does not change.
            handler = StaffMark()
            ev = MessagePosted(info.chat, START, None, MessageRef(info.chat, "1"), "hi")  # type: ignore[arg-type]
            st = MemberState(info.id, "u1", None, None, START, 5)
            rounds = 200_000
            ctxs = [Context(ev, None, None, info, None, Role.MEMBER, st) for _ in range(1000)]  # type: ignore[arg-type]
            c0 = time.process_time()
            for _ in range(rounds // len(ctxs)):
                for ctx in ctxs:
                    await handler.handle(ctx, ev)
            figures["staff_check_cpu_us_per_message"] = round((time.process_time() - c0) / rounds * 1e6, 3)
    return figures


def main() -> None:
    p = parser(__doc__ or "")
    p.add_argument("--members", type=int, default=2_000)
    args = p.parse_args()
    report(asyncio.run(run(args.members)), args.json)


if __name__ == "__main__":
    main()
