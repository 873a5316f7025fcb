"""Members who only react are engaged, not gone: /stats counts them beside the posting members."""

from __future__ import annotations

from sqlalchemy import select

from bot.harness import LocalBot
from storage.models.recognition import ReactionDay
from tests.questions.conftest import texts


async def test_reactions_are_batched_and_shown_apart_from_posting(qbot: LocalBot) -> None:
    hello = await qbot.sim.post("town", "ann", "the workshop is open tonight")
    await qbot.sim.react(hello.id, "cat", "👍")
    await qbot.sim.react(hello.id, "cat", "❤️")
    await qbot.sim.react(hello.id, "bob", "🎉")
    await qbot.sim.post("town", "bob", "see you there")
    async with qbot.app.db.sessions() as s:
        assert list(await s.scalars(select(ReactionDay))) == []  # buffered: no write per reaction
    await qbot.app.rt.flush()
    async with qbot.app.db.sessions() as s:
        assert sorted((r.user_id, r.reactions) for r in await s.scalars(select(ReactionDay))) == [("bob", 1), ("cat", 2)]
    await qbot.sim.post("town", "mia", "/stats 7d")
    stats = texts(qbot)[-1]
    assert "Members who reacted: 2" in stats and "Engaged: reacted without posting: 1" in stats


async def test_forgetme_drops_buffered_and_written_reactions(qbot: LocalBot) -> None:
    hello = await qbot.sim.post("town", "ann", "hi")
    await qbot.sim.react(hello.id, "cat", "👍")
    await qbot.app.rt.flush()
    await qbot.sim.react(hello.id, "cat", "👏")
    await qbot.sim.post("town", "cat", "/forgetme")
    confirm = qbot.sim.bot_messages("town")[-1]
    await qbot.sim.press(confirm.id, confirm.buttons[0][0].data or "", "cat")
    await qbot.app.rt.flush()
    async with qbot.app.db.sessions() as s:
        assert list(await s.scalars(select(ReactionDay))) == []
