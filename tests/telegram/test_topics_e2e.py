"""A forum topic per event on Telegram through the real aiogram Bot (#22.5): createForumTopic when the event is
added, the first message in it, closeForumTopic after the event; without can_manage_topics the manager is told.
The fake refuses what Telegram refuses: no forum, no right, a topic closed twice."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest

from tests.telegram.conftest import GROUP, OWNER, TelegramBot, telegram_bot_running
from tests.telegram.fake_api import parse_html

SETTINGS: dict[str, Any] = {"rituals": {"events": {"topic_per_event": True, "ask_after": False}}}


@pytest.fixture
async def tg(db_url: str) -> AsyncIterator[TelegramBot]:
    community = {"platform": "telegram", "chat_id": str(GROUP), "name": "Riverside Makers", "settings": SETTINGS}
    async with telegram_bot_running(db_url, {"communities": [community]}) as bot:
        bot.fake.chats[GROUP]["is_forum"] = True
        bot.fake.topics[GROUP] = set()
        yield bot


def ok(tg: TelegramBot, method: str) -> list[Any]:
    return [c for c in tg.fake.sent(method, GROUP) if c.status == 200]


async def test_an_event_gets_its_topic_and_the_topic_closes_after_it(tg: TelegramBot) -> None:
    tg.fake.bot_rights[GROUP] = {"can_manage_topics": True}
    await tg.send(tg.scene.message(GROUP, OWNER, "/event add 2026-12-03 18:00 [workshop] Repair café | Library hall"))
    [created] = ok(tg, "createForumTopic")
    assert created["name"] == "🛠️ Workshop · Repair café"
    [(_, thread)] = [k for k in tg.fake.topic_names]
    [first] = [c for c in ok(tg, "sendMessage") if int(c.params.get("message_thread_id", 0)) == thread]
    assert "questions, lifts, and photos afterwards" in parse_html(first["text"])
    tg.clock.advance(timedelta(days=3, hours=12))  # Thursday 20:00 has passed, and the half hour after it
    await tg.tick()
    await tg.tick()
    [closed] = ok(tg, "closeForumTopic")
    assert int(closed["message_thread_id"]) == thread and (GROUP, thread) in tg.fake.closed_topics
    assert tg.fake.violations == []


async def test_without_the_right_the_manager_is_told_and_nothing_breaks(tg: TelegramBot) -> None:
    tg.fake.bot_rights[GROUP] = {"can_manage_topics": False}
    await tg.send(tg.scene.message(GROUP, OWNER, "/event add 2026-12-03 18:00 Repair café | Library hall"))
    assert [c.status for c in tg.fake.sent("createForumTopic", GROUP)] == [400]
    texts = [parse_html(c["text"]) for c in ok(tg, "sendMessage")]
    assert any("Repair café" in t for t in texts)  # the event's card went out anyway
    assert any("couldn't open a topic for this event" in t for t in texts)


async def test_the_bot_made_admin_without_the_topics_right_says_so(tg: TelegramBot) -> None:
    upd = tg.scene.member_change(GROUP, OWNER, "member", "administrator", by=OWNER)["chat_member"]
    upd["new_chat_member"]["user"] = upd["old_chat_member"]["user"] = tg.fake.bot_user
    upd["chat"]["is_forum"] = True
    upd["new_chat_member"]["can_manage_topics"] = False
    await tg.send({"my_chat_member": upd})
    [told] = [t for t in tg.fake.texts(GROUP) if "missing some rights" in t]
    assert "Manage topics" in told and "Pin messages" not in told
