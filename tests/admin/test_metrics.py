"""Every figure on a seeded history with known answers (worked out by hand from seed.py).

Now is Monday 30 Nov 2026 09:00 UTC. /stats 7d covers Nov 24-30, compared with Nov 17-23;
the 30-day window is Nov 1-30.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.tracking import Batch
from bot.harness import LocalBot
from handlers.admin.metrics import Figures, compute
from handlers.admin.periods import parse_period
from storage.models import ActivityDay, Member
from storage.models.admin import ActivityDaily
from storage.repos.analytics import DayMembers
from tests.admin.seed import ACTIVITY, seed


async def figures(bot: LocalBot, arg: str = "7d") -> Figures:
    rt = bot.app.rt
    async with rt.db.sessions() as s:
        info = rt.directory.cached(next(iter(rt.directory._cache)))
        assert info is not None
        period = parse_period(arg, bot.clock.now(), info.tz)
        assert period is not None
        return await compute(s, rt, info, period, bot.clock.now())


async def test_core_figures_of_the_last_7_days(bot: LocalBot) -> None:
    await seed(bot)
    f = await figures(bot)
    assert (f.period.current.first, f.period.current.last) == (date(2026, 11, 24), date(2026, 11, 30))
    assert (f.period.previous.first, f.period.previous.last) == (date(2026, 11, 17), date(2026, 11, 23))
    # New members: cat, dan, ivy (hal is a bot); before: eve, jon, kim, lou.
    assert (f.new_members, f.new_members_prev) == (3, 4)
    # Activation: of eve, jon, kim, lou (joined Nov 17-23 09:00) eve and kim posted within 7 days;
    # of mo, pat, nia (joined Nov 10-16 09:00) only mo posted within 14 days.
    a7, a14 = f.activation
    assert (a7.days, a7.cohort, a7.posted) == (7, 4, 2)
    assert (a14.days, a14.cohort, a14.posted) == (14, 3, 1)
    # Active: ann, bob, cat, pat, dan, lou; before: ann, eve, bob, kim.
    assert (f.active, f.active_prev) == (6, 4)
    assert (f.messages, f.messages_prev) == (21, 5)
    assert (f.replies, f.replies_prev) == (7, 1)
    assert [d.active for d in f.series] == [2, 2, 1, 2, 0, 1, 1]
    assert f.dau == pytest.approx(9 / 7) and f.dau_prev == pytest.approx(4 / 7)
    # WAU = this week's 6; MAU adds eve, kim, fay, mo; gus (October) is out.
    assert (f.wau, f.mau) == (6, 10)
    assert f.wau_mau == pytest.approx(0.6)
    assert f.stickiness == pytest.approx((15 / 30) / 10)  # 15 member-days in November's 30 days
    assert f.posts_per_active == pytest.approx(3.5) and f.replies_per_active == pytest.approx(7 / 6)
    # Top five by messages (ties by id: cat, dan before lou); leaders need 3 replies: only bob.
    assert f.top == [("Ann", 10), ("Bob", 6), ("Pat", 2), ("Cat", 1), ("Dan", 1)]
    assert f.leaders == [("Bob", 5)]


async def test_last_full_week_and_30_days(bot: LocalBot) -> None:
    await seed(bot)
    week = await figures(bot, "week")  # Nov 23-29: today's 2 messages of ann are not in it
    assert (week.period.current.first, week.period.current.last) == (date(2026, 11, 23), date(2026, 11, 29))
    assert (week.active, week.messages, week.wau) == (6, 19, 6)
    month = await figures(bot, "30d")  # Nov 1-30 against Oct 2-31
    assert (month.active, month.mau, month.messages, month.active_prev, month.messages_prev) == (10, 10, 30, 1, 1)
    assert month.wau == 6


async def test_calendar_month(bot: LocalBot) -> None:
    await seed(bot)
    bot.clock.set(datetime(2026, 12, 2, 12, tzinfo=UTC))
    f = await figures(bot, "month")  # November against October
    assert (f.period.current.first, f.period.current.last) == (date(2026, 11, 1), date(2026, 11, 30))
    assert (f.active, f.messages, f.active_prev, f.messages_prev) == (10, 30, 1, 1)
    assert f.new_members == 10  # mo, pat, nia, eve, jon, kim, lou, cat, dan, ivy (not hal, a bot)


@pytest.mark.parametrize("arg", ["yesterday", "0d", "400d", "7 days please"])
def test_unknown_periods_are_refused(arg: str) -> None:
    assert parse_period(arg, datetime(2026, 11, 30, tzinfo=UTC), UTC) is None  # type: ignore[arg-type]


async def test_registered_metrics_are_asked_for_both_periods(bot: LocalBot) -> None:
    asked: list[tuple[int, datetime, datetime]] = []

    async def photos(session: AsyncSession, community_id: int, start: datetime, end: datetime) -> int:
        asked.append((community_id, start, end))
        return 12 if start.day == 24 else 8

    async def broken(session: AsyncSession, community_id: int, start: datetime, end: datetime) -> int:
        raise RuntimeError("a bug in another feature")

    bot.app.rt.add_metric("photos", photos)
    bot.app.rt.add_metric("broken", broken)
    cid = await seed(bot)
    f = await figures(bot)
    assert f.extra["photos"] == (12, 8) and f.extra["broken"] == (None, None)
    assert asked == [(cid, datetime(2026, 11, 24, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC)),
                     (cid, datetime(2026, 11, 17, tzinfo=UTC), datetime(2026, 11, 24, tzinfo=UTC))]  # fmt: skip
    with pytest.raises(ValueError):
        bot.app.rt.add_metric("broken", broken)


async def test_the_daily_rollup_matches_the_activity_rows(bot: LocalBot) -> None:
    cid = await seed(bot)
    rt = bot.app.rt
    async with rt.db.sessions() as s:  # more counts for a member already active that day: one active member still
        await rt.tracker.write(s, Batch({}, {(cid, date(2026, 11, 24), "ann"): [4, 1], (cid, date(2026, 11, 24), "eve"): [1, 0]}))
        await s.commit()
        a = ActivityDay
        truth = {
            d: (n, m, r)
            for d, n, m, r in await s.execute(
                select(a.day, func.count(), func.sum(a.messages), func.sum(a.replies)).where(a.community_id == cid).group_by(a.day)
            )
        }
        rows = list(await s.scalars(select(ActivityDaily)))
        rollup = {r.day: (r.active, r.messages, r.replies) for r in rows}
        # The packed per-member columns are the same rows as activity_days, member by member.
        user_of = {i: u for i, u in await s.execute(select(Member.id, Member.user_id))}
        packed = set()
        for r in rows:
            m = DayMembers.unpack(r.member_ids, r.messages_by, r.replies_by)
            assert list(m.ids) == sorted(m.ids)
            packed |= {(r.day, user_of[int(i)], int(n), int(k)) for i, n, k in zip(m.ids, m.messages, m.replies, strict=True)}
        raw = {(d, u, n, k) for d, u, n, k in await s.execute(select(a.day, a.user_id, a.messages, a.replies).where(a.community_id == cid))}
    assert rollup == truth
    assert rollup[date(2026, 11, 24)] == (3, 12, 3)  # ann 5+4, bob 2, eve 1
    assert packed == raw and len(raw) == len(ACTIVITY) + 1


async def test_live_messages_reach_the_figures(bot: LocalBot) -> None:
    hello = await bot.sim.post("town", "ann", "hello")
    await bot.sim.post("town", "bob", "hi ann", reply_to=hello.id)
    await bot.sim.post("town", "bob", "and again", reply_to=hello.id)
    await bot.app.rt.flush()
    f = await figures(bot)
    assert (f.active, f.messages, f.replies) == (2, 3, 2)
    assert f.series[-1].active == 2
