"""/warn: a moderator's strike on the spam ladder: educate, warn and mute, remove; logged; staff and the bot refused."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.harness import LocalBot, local_bot, local_config
from tests.conftest import START


@pytest.fixture
async def wbot(db_url: str) -> AsyncIterator[LocalBot]:
    cfg = local_config({"log_place": "mods", "pinned": {"rules": ["Be kind to each other", "No personal attacks"]}})
    async with local_bot(cfg, db_url, START) as b:
        for uid, name in (("mia", "Mia"), ("ann", "Ann"), ("bob", "Bob")):
            b.sim.add_user(uid, name)
            b.sim.chats["town"].members.add(uid)
        yield b


def texts(bot: LocalBot, place: str | None = None) -> list[str]:
    return [m.text for m in bot.sim.bot_messages("town") if m.place == place]


async def test_three_warnings_climb_the_ladder(wbot: LocalBot) -> None:
    sim = wbot.sim
    rude = await sim.post("town", "bob", "you are an idiot")
    await sim.post("town", "mia", "/warn 2", reply_to=rude.id)
    public = texts(wbot)[-1]
    assert public.startswith("Bob, a friendly reminder of our community's rules")
    assert "Rule 2: No personal attacks" in public
    assert not sim.messages[rude.id].deleted  # never deleted by /warn
    assert "strike 1, a reminder of the rules" in texts(wbot, "mods")[-1]
    again = await sim.post("town", "bob", "still an idiot")
    await sim.post("town", "mia", "/warn personal attacks", reply_to=again.id)
    assert "second reminder, and you cannot post for 1 hour" in texts(wbot)[-1]
    assert "Rule 2: No personal attacks" in texts(wbot)[-1]
    assert "bob" in sim.chats["town"].muted
    wbot.clock.advance(timedelta(hours=3))
    third = await sim.post("town", "bob", "whatever")
    await sim.post("town", "mia", "/warn shouting at newcomers", reply_to=third.id)
    assert "removed from the community" in texts(wbot)[-1]
    assert "Reason: shouting at newcomers" in texts(wbot)[-1]
    assert "bob" in sim.chats["town"].banned
    log = texts(wbot, "mods")
    assert len(log) == 3 and "strike 3, removed" in log[-1] and "Mia warned Bob (bob)" in log[-1]


async def test_refusals_and_usage(wbot: LocalBot) -> None:
    sim = wbot.sim
    msg = await sim.post("town", "bob", "hello")
    await sim.post("town", "ann", "/warn 1", reply_to=msg.id)
    assert "Bob" not in texts(wbot)[-1] and "bob" not in sim.chats["town"].muted
    refusal = texts(wbot)[-1]
    await sim.post("town", "mia", "/warn 1")
    assert texts(wbot)[-1].startswith("Reply to the member's message with /warn")
    boss = await sim.post("town", "mia", "hello all")
    await sim.post("town", "mia", "/warn 1", reply_to=boss.id)
    assert texts(wbot)[-1].startswith("I don't warn the community's moderators")
    mine = next(m for m in sim.bot_messages("town"))
    await sim.post("town", "mia", "/warn 1", reply_to=mine.id)
    assert texts(wbot)[-1] == "That message is mine: there is nobody to warn."
    assert texts(wbot, "mods") == []
    assert refusal


async def test_a_refused_mute_is_told_to_the_moderator_and_the_strike_stays(wbot: LocalBot) -> None:
    sim = wbot.sim
    rude = await sim.post("town", "bob", "you are an idiot")
    await sim.post("town", "mia", "/warn 2", reply_to=rude.id)
    sim.chats["town"].bot_is_admin = False
    await sim.post("town", "mia", "/warn 2", reply_to=rude.id)
    assert "The platform refused" in texts(wbot)[-1]
    assert "strike 2" in texts(wbot, "mods")[-1]


async def test_saved_replies_are_kept_posted_under_a_message_and_removed(wbot: LocalBot) -> None:
    sim = wbot.sim
    await sim.post("town", "mia", "/reply")
    assert "No saved replies yet" in texts(wbot)[-1]
    await sim.post("town", "mia", "/reply save offtopic Please keep *this* chat on topic: the #offtopic rubric is for the rest.")
    assert 'Saved as "offtopic"' in texts(wbot)[-1]
    drift = await sim.post("town", "bob", "anyone watching the match tonight?")
    await sim.post("town", "mia", "/reply offtopic", reply_to=drift.id)
    posted = sim.bot_messages("town")[-1]
    assert posted.reply_to == drift.id and posted.text.startswith("Please keep *this* chat on topic")
    await sim.post("town", "bob", "/reply offtopic", reply_to=drift.id)  # not a moderator
    assert [m.text for m in sim.bot_messages("town")].count(posted.text) == 1
    await sim.post("town", "mia", "/reply remove offtopic")
    await sim.post("town", "mia", "/reply offtopic", reply_to=drift.id)
    assert 'no saved reply called "offtopic"' in texts(wbot)[-1]
