"""The weekly rubric digest ritual: the week's posts by rubric, most replied first, posted once."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from bot.harness import LocalBot
from tests.conftest import START
from tests.rubrics.conftest import make_settings

SUNDAY_10 = START + timedelta(days=6, hours=1)  # START is Monday 09:00 UTC


def digests(bot: LocalBot) -> list[str]:
    return [m.text for m in bot.sim.messages.values() if m.author == "bot" and "This week in our hashtags" in m.text]


async def week_of_posts(bot: LocalBot) -> None:
    await bot.tick()  # last week's digest is long past: skipped, not posted late
    quiet = await bot.sim.post("town", "ann", "#question quiet one")
    bot.clock.advance(timedelta(hours=1))
    busy = await bot.sim.post("town", "bob", "#q busy one")
    await bot.sim.post("town", "ann", "#event Thursday repair café")
    for who in ("ann", "mia"):
        await bot.sim.post("town", who, "an answer", reply_to=busy.id)
    await bot.sim.post("town", "mia", "one answer", reply_to=quiet.id)
    await bot.sim.post("town", "mia", "#вопрос где паяльник?")


async def test_digest_is_posted_once_with_most_replied_first(rbot: LocalBot) -> None:
    await week_of_posts(rbot)
    rbot.clock.set(SUNDAY_10 - timedelta(minutes=1))
    await rbot.tick()
    assert digests(rbot) == []
    rbot.clock.set(SUNDAY_10)
    await rbot.tick()
    await rbot.tick()
    [digest] = digests(rbot)
    assert "4 posts" in digest
    assert digest.index("busy one") < digest.index("quiet one")
    assert digest.index("#question") < digest.index("#event") < digest.index("#вопрос")  # the registry's order
    assert "message " in digest  # links (textual on the local platform)


@pytest.mark.parametrize("rubric_settings", [make_settings(digest={"to": "managers", "weekday": "sat", "time": "18:00"})])
async def test_digest_can_go_to_the_managers(rbot: LocalBot, rubric_settings: dict[str, Any]) -> None:
    await week_of_posts(rbot)
    rbot.clock.set(START + timedelta(days=5, hours=9))  # Saturday 18:00
    await rbot.tick()
    assert [m.chat for m in rbot.sim.messages.values() if "This week in our hashtags" in m.text] == ["dm:mia"]


async def test_an_empty_week_posts_nothing(rbot: LocalBot) -> None:
    await rbot.tick()
    rbot.clock.set(SUNDAY_10)
    await rbot.tick()
    assert digests(rbot) == []


@pytest.mark.parametrize("rubric_settings", [make_settings(digest={"rank": "reactions"})])
async def test_the_digest_can_rank_by_reactions(rbot: LocalBot, rubric_settings: dict[str, Any]) -> None:
    await rbot.tick()
    liked = await rbot.sim.post("town", "ann", "#question liked one")
    replied = await rbot.sim.post("town", "bob", "#question replied one")
    await rbot.sim.post("town", "mia", "an answer", reply_to=replied.id)
    for who, emoji in (("mia", "👍"), ("bob", "❤️"), ("ann", "🎉")):
        await rbot.sim.react(liked.id, who, emoji)
    await rbot.sim.react(liked.id, "ann", "🎉", remove=True)  # taken back
    async with rbot.app.db.sessions() as s:
        from sqlalchemy import select

        from storage.models.rubrics import RubricPost

        counts = {p.excerpt: p.reactions for p in await s.scalars(select(RubricPost))}
    assert counts["#question liked one"] == 2 and counts["#question replied one"] == 0
    rbot.clock.set(SUNDAY_10)
    await rbot.tick()
    [digest] = digests(rbot)
    assert digest.index("liked one") < digest.index("replied one")  # most reacted to first, not most replied
