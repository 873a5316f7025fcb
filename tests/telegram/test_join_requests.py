"""Join requests on Telegram: the rules by DM before entry, or the moderators' card (real aiogram, the fake Bot API).

Telegram lets the bot write to a person who asked to join for a few minutes, until the request is answered;
the fake refuses DMs outside that window and answers each request once, as Telegram does.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest

from tests.telegram.conftest import BOB, GROUP, TelegramBot, telegram_bot_running
from tests.telegram.fake_api import parse_html

MODS = -1009876543210  # the moderators' own chat
NEW = 666  # asks to join; never started the bot


def community(**onboarding: Any) -> dict[str, Any]:
    settings = {"log_place": str(MODS), "onboarding": {"rules_gate": True, **onboarding}, "pinned": {"rules": ["Be kind"]}}
    return {"communities": [{"platform": "telegram", "chat_id": str(GROUP), "name": "Riverside Makers", "settings": settings}]}


@pytest.fixture
async def gate(db_url: str) -> AsyncIterator[TelegramBot]:
    async with telegram_bot_running(db_url, community()) as tg:
        tg.fake.add_chat(MODS, "Riverside mods", kind="group")
        tg.fake.add_user(NEW, "Nina")
        yield tg


def dms(tg: TelegramBot, user: int) -> list[str]:
    return [parse_html(c["text"]) for c in tg.fake.sent("sendMessage", user) if c.status == 200]


async def test_the_rules_by_dm_before_entry_then_no_second_gate(gate: TelegramBot) -> None:
    tg = gate
    await tg.send(tg.scene.join_request(GROUP, NEW, bio="I fix bikes"))
    [dm] = dms(tg, NEW)  # written first, which Telegram allows only to someone who just asked to join
    assert "You asked to join Riverside Makers" in dm
    await tg.press(NEW, "I have read the rules", chat_id=NEW)
    [approve] = tg.fake.sent("approveChatJoinRequest")
    assert approve.status == 200 and approve["user_id"] == str(NEW)
    assert "Welcome to Riverside Makers" in dms(tg, NEW)[-1]
    await tg.send(tg.scene.join(GROUP, NEW))
    assert tg.fake.sent("restrictChatMember") == []  # the rules were accepted before entry: not gated again


async def test_a_request_left_unanswered_is_declined_when_the_gate_times_out(gate: TelegramBot) -> None:
    tg = gate
    await tg.send(tg.scene.join_request(GROUP, NEW))
    tg.clock.advance(timedelta(minutes=31))
    await tg.tick()
    await tg.tick()  # once only
    [decline] = tg.fake.sent("declineChatJoinRequest")
    assert decline.status == 200 and decline["user_id"] == str(NEW)


async def test_when_the_dm_fails_the_moderators_decide_from_a_card(gate: TelegramBot) -> None:
    tg = gate
    tg.fake.fail_next("sendMessage", 403)  # the DM to the requester is refused
    await tg.send(tg.scene.join_request(GROUP, NEW, bio="<b>crypto</b> signals"))
    [card] = [c for c in tg.fake.sent("sendMessage", MODS) if c.status == 200]
    text = parse_html(card["text"])
    assert "Nina asks to join" in text and "<b>crypto</b> signals" in text and "couldn't reach them" in text
    await tg.press(BOB, "Approve", chat_id=MODS)  # whoever is in the moderators' chat moderates
    assert [c.status for c in tg.fake.sent("approveChatJoinRequest")] == [200]
    edited = [parse_html(c["text"]) for c in tg.fake.sent("editMessageText", MODS) if c.status == 200]
    assert edited and "Nina was let in by Bob" in edited[-1]
    card_now = tg.fake.bot_messages(MODS)[-1]
    assert not (card_now.get("reply_markup") or {}).get("inline_keyboard")  # decided: no buttons left


async def test_the_moderators_mode_and_an_answer_given_elsewhere(db_url: str) -> None:
    async with telegram_bot_running(db_url, community(join_requests="moderators")) as tg:
        tg.fake.add_chat(MODS, "Riverside mods", kind="group")
        tg.fake.add_user(NEW, "Nina")
        await tg.send(tg.scene.join_request(GROUP, NEW))
        assert dms(tg, NEW) == []  # no DM in this mode
        tg.fake.join_requests.clear()  # an admin answered in Telegram meanwhile
        await tg.press(BOB, "Decline", chat_id=MODS)
        [decline] = tg.fake.sent("declineChatJoinRequest")
        assert decline.status == 400
        edited = [parse_html(c["text"]) for c in tg.fake.sent("editMessageText", MODS) if c.status == 200]
        assert "already been answered in Telegram" in edited[-1]


async def test_the_answer_gate_by_dm_lets_in_on_the_right_answer(db_url: str) -> None:
    gate = {"mode": "answer", "question": "What do we never post?", "answers": ["ads"]}
    async with telegram_bot_running(db_url, community(gate=gate)) as tg:
        tg.fake.add_user(NEW, "Nina")
        await tg.send(tg.scene.join_request(GROUP, NEW))
        assert "What do we never post?" in dms(tg, NEW)[0]
        await tg.send(tg.scene.message(NEW, NEW, "memes"))
        assert "Not quite" in dms(tg, NEW)[-1] and tg.fake.sent("approveChatJoinRequest") == []
        await tg.send(tg.scene.message(NEW, NEW, "  ADS "))
        assert [c.status for c in tg.fake.sent("approveChatJoinRequest")] == [200]
