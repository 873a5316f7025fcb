"""Listening on Telegram through the real aiogram Bot: the pulse survey's buttons in a private chat, the
"why?" as plain text there, /feedback in the private chat, and a member who never started the bot."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import select

from storage.models.listening import FeedbackItem, SurveyAnswer
from tests.telegram.conftest import ANN, BOB, GROUP, OWNER, TelegramBot, telegram_bot_running
from tests.telegram.fake_api import parse_html

SETTINGS: dict[str, Any] = {"surveys": {"enabled": True, "sample": 1.0, "batch": 10}}


@pytest.fixture
async def tg(db_url: str) -> AsyncIterator[TelegramBot]:
    community = {"platform": "telegram", "chat_id": str(GROUP), "name": "Riverside Makers", "settings": SETTINGS}
    async with telegram_bot_running(db_url, {"communities": [community]}) as bot:
        yield bot


def texts_to(tg: TelegramBot, chat: int) -> list[str]:
    return [parse_html(c["text"]) for c in tg.fake.sent("sendMessage", chat) if c.status == 200]


async def test_the_survey_is_answered_with_its_buttons_and_the_why_in_the_private_chat(tg: TelegramBot) -> None:
    for user in (ANN, BOB, OWNER):
        await tg.send(tg.scene.message(GROUP, user, "Hello all"))
    await tg.tick()
    assert any("recommend Riverside Makers" in t for t in texts_to(tg, ANN))
    refused = [c for c in tg.fake.sent("sendMessage", BOB) if c.status == 403]
    assert len(refused) == 1  # Bob never started the bot: asked once, refused, not retried
    await tg.tick()
    assert len([c for c in tg.fake.sent("sendMessage", BOB) if c.status == 403]) == 1

    await tg.press(ANN, "4", chat_id=ANN)
    [answered] = [c for c in tg.fake.sent("answerCallbackQuery") if c.status == 200]
    assert answered
    [asked_why] = [c for c in tg.fake.sent("editMessageText", ANN) if c.status == 200]  # the question itself asks "why?"
    assert "main reason" in parse_html(asked_why["text"]) and "Skip" in str(asked_why["reply_markup"])
    assert "main reason" not in texts_to(tg, ANN)[-1]  # no second message
    await tg.send(tg.scene.message(ANN, ANN, "The evening meetups are too late for me"))
    assert "managers will read it" in texts_to(tg, ANN)[-1]

    async with tg.app.db.sessions() as s:
        (item,) = await s.scalars(select(FeedbackItem))
        rows = {r.user_id: r for r in await s.scalars(select(SurveyAnswer))}
    assert (item.source, item.text) == ("survey", "The evening meetups are too late for me")
    assert rows[str(ANN)].score == 4 and rows[str(BOB)].state == "dm_closed"
    assert tg.fake.violations == []


async def test_feedback_in_the_private_chat_is_thanked_there(tg: TelegramBot) -> None:
    await tg.send(tg.scene.message(GROUP, ANN, "Hello all"))
    await tg.send(tg.scene.message(ANN, ANN, "/feedback More evening meetups, please"))
    assert "reached the managers of Riverside Makers" in texts_to(tg, ANN)[-1]
    async with tg.app.db.sessions() as s:
        (item,) = await s.scalars(select(FeedbackItem))
    assert item.author_id == str(ANN) and item.text == "More evening meetups, please"
    assert tg.fake.violations == []
