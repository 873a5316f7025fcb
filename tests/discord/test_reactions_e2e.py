"""Reactions on Discord through the real discord.py client and the fake gateway: counted, and the asker's ✅."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from bot.core.events import ReactionAdded, ReactionRemoved
from storage.models.recognition import ReactionDay
from tests.conftest import START
from tests.discord.conftest import ANN, BOB
from tests.discord.fakes import GENERAL, GUILD_ID
from tests.discord.harness import DiscordHarness, discord_bot, discord_config

SETTINGS = {"rubrics": {"rubrics": [{"tag": "question", "title": "Questions"}]}}


@pytest.fixture
async def h(db_url: str) -> AsyncIterator[DiscordHarness]:
    async with discord_bot(discord_config(SETTINGS), db_url, START) as harness:
        harness.add_member(ANN, "Ann")
        harness.add_member(BOB, "Bob")
        yield harness


async def react(h: DiscordHarness, user_id: str, message: dict, emoji: str, *, remove: bool = False) -> None:
    before = len(h.events)
    await h.fake.dispatch(*h.fake.reaction(user_id, message, emoji, remove=remove))
    await h.until(lambda: len(h.events) > before, "the core to handle the reaction")


async def test_reactions_arrive_as_events_and_are_counted(h: DiscordHarness) -> None:
    assert h.fake.identify is not None and h.fake.identify["intents"] & (1 << 10)  # asked for GUILD_MESSAGE_REACTIONS
    post = await h.post(ANN, "the workshop is open tonight")
    await react(h, BOB, post, "👍")
    await react(h, BOB, post, "👍", remove=True)
    added, removed = h.events[-2:]
    assert isinstance(added, ReactionAdded) and added.emoji == ("👍",) and added.message.place == GENERAL
    assert added.message_author is not None and added.message_author.id == ANN and added.user.display_name == "Bob"
    assert isinstance(removed, ReactionRemoved) and removed.user.ref.id == BOB
    await h.app.rt.flush()
    async with h.app.db.sessions() as s:
        assert [(r.user_id, r.reactions) for r in await s.scalars(select(ReactionDay))] == [(BOB, 1)]


async def test_the_askers_check_mark_solves_a_question_on_discord(h: DiscordHarness) -> None:
    question = await h.post(ANN, "#question who has a drill?")
    reply = {
        "message_reference": {"message_id": question["id"], "channel_id": GENERAL, "guild_id": GUILD_ID},
        "referenced_message": question,
    }
    answer = await h.post(BOB, "I do", type=19, **reply)
    await react(h, ANN, answer, "✅")
    thanks = await h.until(lambda: [r for r in h.sent() if "Solved" in str(r.body)], "the thank-you")
    assert f"<@{BOB}>" in thanks[-1].body["content"]  # a mention of the one who answered
