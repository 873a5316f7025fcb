"""Reactions on Telegram through the real aiogram Bot and the fake Bot API: asked for, admin-only, counted."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiogram.types import Update
from sqlalchemy import select

from adapters.telegram.translate import ALLOWED_UPDATES, Me, translate
from bot.core.events import ReactionAdded, ReactionRemoved, ReactionsCounted
from storage.models.recognition import ReactionDay
from tests.conftest import START
from tests.telegram.conftest import ANN, BOB, GROUP, TelegramBot, telegram_bot_running
from tests.telegram.fake_api import FakeTelegram, parse_html
from tests.telegram.updates import Scene

SETTINGS = {"rubrics": {"rubrics": [{"tag": "question", "title": "Questions"}]}}


@pytest.fixture
async def tg(db_url: str) -> AsyncIterator[TelegramBot]:
    community = {"platform": "telegram", "chat_id": str(GROUP), "name": "Riverside Makers", "settings": SETTINGS}
    async with telegram_bot_running(db_url, {"communities": [community]}) as bot:
        yield bot


async def reaction_rows(tg: TelegramBot) -> list[tuple[str, int]]:
    await tg.app.rt.flush()
    async with tg.app.db.sessions() as s:
        return sorted((r.user_id, r.reactions) for r in await s.scalars(select(ReactionDay)))


def test_reactions_translate_to_added_removed_and_anonymous_counts() -> None:
    fake = FakeTelegram()
    fake.add_chat(GROUP, "Riverside Makers")
    fake.add_user(ANN, "Ann")
    scene = Scene(fake)
    me = Me(5000001, "town_test_bot")

    def tr(update: dict) -> object:
        return translate(Update.model_validate({"update_id": 1, **update}), me, START)

    added = tr(scene.reaction(GROUP, ANN, 77, new=("👍", "🔥"), old=("👍",)))
    assert isinstance(added, ReactionAdded) and added.emoji == ("🔥",) and added.message.id == "77" and added.user.ref.id == str(ANN)
    removed = tr(scene.reaction(GROUP, ANN, 77, new=(), old=("🔥",)))
    assert isinstance(removed, ReactionRemoved) and removed.emoji == ("🔥",)
    counted = tr(scene.reaction_count(GROUP, 77, {"❤️": 3}))
    assert isinstance(counted, ReactionsCounted) and counted.counts == (("❤️", 3),)


async def test_the_bot_asks_for_reactions_and_counts_them_without_a_query_each(tg: TelegramBot) -> None:
    post = tg.scene.message(GROUP, ANN, "the workshop is open tonight")
    await tg.send(post)
    polls = [c for c in tg.fake.calls if c.method == "getUpdates"]
    assert {"message_reaction", "message_reaction_count"} <= set(polls[-1]["allowed_updates"]) <= set(ALLOWED_UPDATES)
    await tg.send(tg.scene.reaction(GROUP, BOB, post["message"]["message_id"], new=("👍",)))
    await tg.send(tg.scene.reaction_count(GROUP, post["message"]["message_id"], {"❤️": 2}))
    assert await reaction_rows(tg) == [(str(BOB), 1)]


async def test_no_reactions_reach_a_bot_that_is_not_an_admin(tg: TelegramBot) -> None:
    tg.fake.admins[GROUP].remove(tg.fake.bot_user["id"])
    post = tg.scene.message(GROUP, ANN, "hello")
    await tg.send(post)
    await tg.fake.push(tg.scene.reaction(GROUP, BOB, post["message"]["message_id"], new=("👍",)))
    await tg.send(tg.scene.message(GROUP, ANN, "anyone here?"))  # handled after the reaction, had it come
    assert await reaction_rows(tg) == []


async def test_the_askers_check_mark_solves_a_question_on_telegram(tg: TelegramBot) -> None:
    question = tg.scene.message(GROUP, ANN, "#question who has a drill?")
    await tg.send(question)
    answer = tg.scene.message(GROUP, BOB, "I do", reply_to_message=question["message"])
    await tg.send(answer)
    await tg.send(tg.scene.reaction(GROUP, ANN, answer["message"]["message_id"], new=("✅",)))
    [thanks] = [c for c in tg.fake.sent("sendMessage", GROUP) if c.status == 200]
    assert "Solved, thanks to Bob" in parse_html(thanks["text"])


async def test_a_thank_you_reply_credits_the_person_thanked_on_telegram(tg: TelegramBot) -> None:
    from storage.models.recognition import Kudos

    answer = tg.scene.message(GROUP, BOB, "the town hall takes old batteries")
    await tg.send(answer)
    await tg.send(tg.scene.message(GROUP, ANN, "спасибо!", reply_to_message=answer["message"]))
    await tg.send(tg.scene.message(GROUP, ANN, "thanks again", reply_to_message=answer["message"]))  # one per pair and day
    await tg.send(tg.scene.message(GROUP, BOB, "thanks me", reply_to_message=answer["message"]))  # not oneself
    async with tg.app.db.sessions() as s:
        given = [(k.giver_id, k.receiver_id) for k in await s.scalars(select(Kudos))]
    assert given == [(str(ANN), str(BOB))]
    assert tg.fake.violations == []
