"""Kudos: a short thank-you reply or the chosen reaction credits the person thanked, once per pair and day."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.harness import LocalBot
from handlers.recognition.lexicon import is_thanks
from storage.models.recognition import Kudos


async def kudos(bot: LocalBot) -> list[tuple[str, str]]:
    async with bot.app.db.sessions() as s:
        return [(k.giver_id, k.receiver_id) for k in await s.scalars(select(Kudos).order_by(Kudos.id))]


@pytest.mark.parametrize(
    "text",
    ["thanks!", "Thank you so much", "ok thx", "спасибо большое", "дякую!", "dzięki wielkie", "köszi", "grazie mille",
     "谢谢你", "gracias", "valeu", "Danke schön"],
)  # fmt: skip
def test_thanks_in_every_language(text: str) -> None:
    assert is_thanks(text)


@pytest.mark.parametrize(
    "text",
    ["no thanks", "nie, dzięki", "不用谢", "thanksgiving is soon", "I think this works, thanks", "",
     "here is a long answer about soldering irons, temperatures, flux and tips, thanks"],
)  # fmt: skip
def test_not_thanks(text: str) -> None:
    assert not is_thanks(text)


async def test_a_thank_you_reply_credits_the_person_replied_to_once_a_day(qbot: LocalBot) -> None:
    tip = await qbot.sim.post("town", "bob", "the town hall takes old batteries")
    await qbot.sim.post("town", "ann", "thanks!", reply_to=tip.id)
    await qbot.sim.post("town", "ann", "спасибо ещё раз", reply_to=tip.id)  # same pair, same day
    await qbot.sim.post("town", "cat", "that is a long way to walk for batteries though, isn't it", reply_to=tip.id)
    await qbot.sim.post("town", "bob", "thanks", reply_to=tip.id)  # oneself
    assert await kudos(qbot) == [("ann", "bob")]
    qbot.clock.advance(timedelta(days=1))
    await qbot.sim.post("town", "ann", "dzięki!", reply_to=tip.id)
    assert await kudos(qbot) == [("ann", "bob"), ("ann", "bob")]


async def test_the_reaction_credits_the_author_and_a_thanks_to_the_bot_counts_nothing(qbot: LocalBot) -> None:
    tip = await qbot.sim.post("town", "bob", "use flux")
    await qbot.sim.react(tip.id, "cat", "👍")
    await qbot.sim.react(tip.id, "cat", "🙏")
    await qbot.sim.react(tip.id, "bob", "🙏")
    await qbot.sim.post("town", "ann", "/helper on")
    [answer] = [m for m in qbot.sim.bot_messages("town")][-1:]
    await qbot.sim.post("town", "ann", "thanks", reply_to=answer.id)
    assert await kudos(qbot) == [("cat", "bob")]


async def test_kudos_can_be_turned_off(db_url: str) -> None:
    from bot.harness import local_bot, local_config
    from tests.conftest import START

    async with local_bot(local_config({"kudos": {"enabled": False}}), db_url, START) as b:
        for uid in ("ann", "bob"):
            b.sim.add_user(uid, uid.title())
            b.sim.chats["town"].members.add(uid)
        tip = await b.sim.post("town", "bob", "use flux")
        await b.sim.post("town", "ann", "thanks", reply_to=tip.id)
        await b.sim.react(tip.id, "ann", "🙏")
        assert await kudos(b) == []
