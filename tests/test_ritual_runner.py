"""The ritual runner: each occurrence once, late ones skipped, failures retried, restarts safe."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.core.actions import SendMessage
from bot.core.context import Context
from bot.core.richtext import plain
from bot.core.ritual import Occurrence
from bot.harness import local_bot, local_config
from storage.models import RitualRun
from tests.conftest import START


class Hourly:
    """Posts on the hour; fails once at 11:00 when told to."""

    name = "hourly"

    def __init__(self, fail_at: set[int] | None = None) -> None:
        self.fail_at = set(fail_at or ())

    async def due(self, ctx: Context) -> list[Occurrence]:
        now = ctx.now
        top = now.replace(minute=0, second=0, microsecond=0)
        return [Occurrence(f"hourly:{(top - timedelta(hours=h)).isoformat()}", top - timedelta(hours=h)) for h in range(12)]

    async def run(self, ctx: Context, occ: Occurrence) -> None:
        if occ.due_at.hour in self.fail_at:
            self.fail_at.discard(occ.due_at.hour)
            raise RuntimeError("platform down")
        assert ctx.community is not None
        await ctx.perform(SendMessage(ctx.community.chat, plain(f"post {occ.due_at:%H:%M}")))


async def _sent(db_url: str) -> list[tuple[str, str]]:
    from storage.db import Database

    db = Database(db_url)
    async with db.sessions() as s:
        q = select(RitualRun).where(RitualRun.ritual == Hourly.name).order_by(RitualRun.due_at)  # features add their own rituals
        rows = [(r.key[-14:-9], r.status) for r in await s.scalars(q)]
    await db.dispose()
    return rows


async def test_each_occurrence_once_across_a_restart(db_url: str) -> None:
    posts: list[str] = []
    for _restart in range(2):
        async with local_bot(local_config(), db_url, START) as bot:
            bot.app.rt.add_ritual(Hourly())
            for _ in range(3):
                await bot.tick()
            posts += [m.text for m in bot.sim.bot_messages("town")]
    # 09:00 is due at START; grace is 6 h, so 03:00..08:00 are posted once, older ones skipped.
    assert posts == sorted(set(posts), key=posts.index)
    assert sorted(posts) == [f"post {h:02d}:00" for h in range(3, 10)]
    rows = await _sent(db_url)
    assert sum(1 for _, s in rows if s == "sent") == 7 and sum(1 for _, s in rows if s == "skipped") == 5


async def test_a_failed_post_is_retried_at_the_next_tick(db_url: str) -> None:
    async with local_bot(local_config(), db_url, START.replace(hour=11)) as bot:
        ritual = Hourly(fail_at={11})
        bot.app.rt.add_ritual(ritual)
        await bot.tick()
        texts = [m.text for m in bot.sim.bot_messages("town")]
        assert "post 11:00" not in texts and bot.app.rituals.failed == 1
        bot.clock.advance(timedelta(minutes=1))
        await bot.tick()
        texts = [m.text for m in bot.sim.bot_messages("town")]
        assert texts.count("post 11:00") == 1


async def test_a_claim_left_by_a_killed_process_is_posted_after_the_lease(db_url: str) -> None:
    from rituals.runner import CLAIM_LEASE

    async with local_bot(local_config(), db_url, START) as bot:
        ritual = Hourly()
        bot.app.rt.add_ritual(ritual)
        info = (await _communities(bot))[0]
        occ = (await _due(bot, ritual, info))[0]
        # A process claimed 09:00 and died before posting.
        assert await bot.app.rituals._claim(info, ritual, occ, bot.clock.now(), "claimed")
        await bot.tick()
        assert "post 09:00" not in [m.text for m in bot.sim.bot_messages("town")]
        bot.clock.advance(CLAIM_LEASE + timedelta(seconds=1))
        await bot.tick()
        await bot.tick()
        assert [m.text for m in bot.sim.bot_messages("town")].count("post 09:00") == 1


async def _communities(bot):  # type: ignore[no-untyped-def]
    return await bot.app.rt.directory.load_all(bot.clock.now())


async def _due(bot, ritual, info):  # type: ignore[no-untyped-def]
    async with bot.app.db.sessions() as s:
        return await ritual.due(bot.app.rituals._ctx(s, info, ritual, bot.clock.now()))
