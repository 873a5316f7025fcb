"""Join anniversaries (#21.2): a short post on the day, naming members who joined on this day in an earlier
year with their years, never those who said /spotlight off, once per day."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from bot.harness import LocalBot
from storage.models import Member
from tests.conftest import START
from tests.questions.conftest import texts


async def joined(bot: LocalBot, user: str, years: int) -> None:
    await bot.sim.post("town", user, "hello")
    await bot.app.rt.flush()
    async with bot.app.db.sessions() as s:
        when = START.replace(year=START.year - years)
        await s.execute(update(Member).where(Member.user_id == user).values(joined_at=when))
        await s.commit()


async def test_anniversaries_are_named_once_on_the_day(qbot: LocalBot) -> None:
    await joined(qbot, "ann", 1)
    await joined(qbot, "bob", 3)
    await joined(qbot, "cat", 2)
    await qbot.sim.post("town", "cat", "/spotlight off")
    qbot.clock.advance(timedelta(hours=3, minutes=5))  # 12:05 on the day
    await qbot.tick()
    await qbot.tick()
    [post] = [t for t in texts(qbot) if "Anniversaries today" in t]
    assert "Bob: 3 years with us" in post and "Ann: 1 year with us" in post and "Cat" not in post
    assert post.index("Bob:") < post.index("Ann:")  # longest first
    qbot.clock.advance(timedelta(hours=6))
    await qbot.tick()
    assert len([t for t in texts(qbot) if "Anniversaries today" in t]) == 1
    qbot.clock.advance(timedelta(days=1))
    await qbot.tick()
    assert len([t for t in texts(qbot) if "Anniversaries today" in t]) == 1  # nobody's day tomorrow
