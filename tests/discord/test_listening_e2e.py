"""Listening on Discord through the real discord.py client: the pulse survey's buttons pressed in a DM
(no guild in the interaction), the "why?" as a DM, and /feedback as a slash command that leaves no message."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from storage.models.listening import FeedbackItem, SurveyAnswer
from tests.conftest import START
from tests.discord.conftest import ANN, MIA
from tests.discord.fakes import GENERAL, LOG, MANAGER_ROLE
from tests.discord.harness import DiscordHarness, discord_bot, discord_config

SETTINGS = {"log_place": LOG, "surveys": {"enabled": True, "sample": 1.0, "batch": 10}}


@pytest.fixture
async def lbot(db_url: str) -> AsyncIterator[DiscordHarness]:
    async with discord_bot(discord_config(SETTINGS, managers=[MANAGER_ROLE]), db_url, START) as h:
        h.add_member(ANN, "Ann")
        h.add_member(MIA, "Mia", roles=[MANAGER_ROLE])
        yield h


def dm_messages(h: DiscordHarness, user: str) -> list[dict]:
    channels = {c for c, u in h.fake.dm_channels.items() if u == user}
    return [m for m in h.fake.messages.values() if m["channel_id"] in channels]


def custom_ids(message: dict) -> dict[str, str]:
    return {b["label"]: b["custom_id"] for row in message.get("components") or [] for b in row["components"] if "custom_id" in b}


async def test_the_survey_buttons_work_in_a_dm_and_the_why_is_read_there(lbot: DiscordHarness) -> None:
    await lbot.post(ANN, "Hello all")
    await lbot.post(MIA, "Morning")
    await lbot.app.tick()
    question = next(m for m in dm_messages(lbot, ANN) if "recommend Riverside Makers" in m["content"])
    pressed = await lbot.press(ANN, question, custom_ids(question)["2"])
    assert lbot.answered(pressed)  # no "This interaction failed"
    assert "main reason" in dm_messages(lbot, ANN)[-1]["content"]
    alert = next(m for m in lbot.fake.messages.values() if m["channel_id"] == LOG)
    assert f"<@{ANN}> gave Riverside Makers 2 out of 10" in alert["content"]
    assert f"<@{MANAGER_ROLE}>" not in alert["content"]  # a role named in the config is no user to mention
    await lbot.dm(ANN, "Nobody answered my question about the laser cutter")
    await lbot.until(lambda: "managers will read it" in dm_messages(lbot, ANN)[-1]["content"], "the thanks for the why")
    async with lbot.app.db.sessions() as s:
        (item,) = await s.scalars(select(FeedbackItem))
        (answer,) = [a for a in await s.scalars(select(SurveyAnswer)) if a.user_id == ANN]
    assert (item.source, item.text, answer.score) == ("survey", "Nobody answered my question about the laser cutter", 2)
    assert lbot.fake.violations == []


async def test_feedback_as_a_slash_command_is_thanked_to_the_member_alone(lbot: DiscordHarness) -> None:
    await lbot.post(ANN, "Hello all")
    interaction = await lbot.slash(ANN, "feedback", "More evening meetups, please")
    (callback,) = lbot.answered(interaction)
    assert callback.body["type"] == 4 and callback.body["data"]["flags"] & 64  # only Ann sees the thanks
    assert "#1" in callback.body["data"]["content"]
    assert not lbot.fake.calls("DELETE", "/channels/{channel_id}/messages/{message_id}")
    async with lbot.app.db.sessions() as s:
        (item,) = await s.scalars(select(FeedbackItem))
    assert item.author_id == ANN and item.text == "More evening meetups, please"
    assert not any("More evening" in m["content"] for m in lbot.fake.messages.values() if m["channel_id"] == GENERAL)
    assert lbot.fake.violations == []

