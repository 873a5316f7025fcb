"""The features end to end on Telegram: the real aiogram Bot over HTTP, the fake Bot API, the whole core.

Each scenario pushes updates as Telegram sends them and asserts on the requests
the fake received (every one of them checked against the Bot API spec).
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest

from bot.core.ids import ChatRef
from tests.telegram.conftest import ANN, BOB, GROUP, OWNER, TelegramBot, telegram_bot_running
from tests.telegram.fake_api import Call, parse_html

MAX = 444  # a spammer who joins and posts at once
DANA = 555  # a newcomer who started the bot before joining
LOG_TOPIC = "99"
SPAM = "💰💰 Earn $500 a day from home!!! Crypto signals, DM me now: t.me/max_profit_signals 💰💰"

SETTINGS: dict[str, Any] = {
    "log_place": LOG_TOPIC,
    "rubrics": {"rubrics": [{"tag": "question", "title": "Questions", "description": "Ask the community"}]},
    "pinned": {"mission": "We make and mend things together.", "rules": ["Be kind", "No ads <ever> & no spam"]},
    "rituals": {"weekly_prompt": {"weekday": "mon", "time": "10:00", "prompts": ["What are you making this week?"]}},
    "onboarding": {"farewell_question": True, "goodbye": True},
}


@pytest.fixture
async def tg(db_url: str) -> AsyncIterator[TelegramBot]:
    """One Telegram group with every feature configured; Olga (a Telegram admin) manages it."""
    community = {"platform": "telegram", "chat_id": str(GROUP), "name": "Riverside Makers", "settings": SETTINGS}
    async with telegram_bot_running(db_url, {"communities": [community]}) as bot:
        bot.fake.chats[GROUP]["is_forum"] = True  # a forum: the moderators' log is one of its topics
        bot.fake.topics[GROUP] = {int(LOG_TOPIC)}
        bot.fake.add_user(MAX, "Max Profit")
        bot.fake.add_user(DANA, "Dana <Dee> & co", username="dana", started=True)
        yield bot


def delivered(tg: TelegramBot, method: str = "sendMessage", chat_id: int | None = None) -> list[Call]:
    return [c for c in tg.fake.sent(method, chat_id) if c.status == 200]


def visible(call: Call, field: str = "text") -> str:
    return parse_html(call[field])


def command(text: str) -> str:
    """A command as members type it in groups with several bots: ``/name@bot args``."""
    name, _, args = text.partition(" ")
    return f"{name}@town_test_bot {args}".strip()


# ---- onboarding ------------------------------------------------------------------


async def test_a_join_gets_a_group_welcome_in_html_and_a_welcome_dm(tg: TelegramBot) -> None:
    await tg.send(tg.scene.join(GROUP, DANA))
    [welcome] = delivered(tg, chat_id=GROUP)
    assert welcome["parse_mode"] == "HTML"
    assert f'<a href="tg://user?id={DANA}">Dana &lt;Dee&gt; &amp; co</a>' in welcome["text"]  # a mention, the name escaped
    assert "Dana <Dee> & co" in visible(welcome) and "Riverside Makers" in visible(welcome)
    assert "?start=" not in welcome["text"]  # the DM went through: no deep link needed
    [dm] = delivered(tg, chat_id=DANA)
    assert "Be kind" in visible(dm) and "No ads <ever> & no spam" in visible(dm)
    assert dm["reply_markup"]["inline_keyboard"]  # rules, guide, events, stop


async def test_closed_dms_put_a_deep_link_in_the_welcome_and_start_delivers_the_dm(tg: TelegramBot) -> None:
    await tg.send(tg.scene.join(GROUP, BOB))  # Bob never started the bot
    [refused] = tg.fake.sent("sendMessage", BOB)
    assert refused.status == 403
    [welcome] = delivered(tg, chat_id=GROUP)
    link = re.search(r'href="https://t\.me/town_test_bot\?start=([A-Za-z0-9_-]+)"', welcome["text"])
    assert link is not None, welcome["text"]
    await tg.send(tg.scene.start(BOB, link.group(1)))
    [dm] = delivered(tg, chat_id=BOB)
    assert "Riverside Makers" in visible(dm) and dm["reply_markup"]["inline_keyboard"]


async def test_private_text_answers_the_farewell_question(tg: TelegramBot) -> None:
    await tg.send(tg.scene.join(GROUP, ANN))
    await tg.send(tg.scene.member_change(GROUP, ANN, "member", "left"))
    question = delivered(tg, chat_id=ANN)[-1]
    await tg.send(tg.scene.message(ANN, ANN, "Too many notifications for me"))  # plain text in the private chat
    thanks = delivered(tg, chat_id=ANN)[-1]
    assert thanks is not question and "thank" in visible(thanks).lower()


async def test_a_leave_reported_twice_is_said_goodbye_to_once(tg: TelegramBot) -> None:
    """Where the bot is admin Telegram reports a leave twice (chat_member, then the service message)."""
    await tg.send(tg.scene.join(GROUP, ANN))
    before_group, before_dm = len(delivered(tg, chat_id=GROUP)), len(delivered(tg, chat_id=ANN))
    await tg.send(tg.scene.member_change(GROUP, ANN, "member", "left"))
    service = {"message_id": 9001, "date": tg.scene.date(), "chat": tg.fake.chats[GROUP], "from": tg.fake.users[ANN]}
    await tg.send({"message": service | {"left_chat_member": tg.fake.users[ANN]}})
    goodbyes = [c for c in delivered(tg, chat_id=GROUP)[before_group:] if "Ann" in visible(c)]
    assert len(goodbyes) == 1
    assert len(delivered(tg, chat_id=ANN)[before_dm:]) == 1  # one farewell question

    # With delete_service_messages the second report's service message is still removed.
    tg.app.rt.directory.apply_overrides(tg.app.rt.directory.cached(CHAT_OF_GROUP), {"onboarding": {"delete_service_messages": True}})
    await tg.send(tg.scene.join(GROUP, ANN))
    await tg.send(tg.scene.member_change(GROUP, ANN, "member", "left"))
    await tg.send({"message": service | {"message_id": 9002, "left_chat_member": tg.fake.users[ANN]}})
    assert (GROUP, 9002) in tg.fake.deleted


# ---- spam --------------------------------------------------------------------------


async def test_newcomer_spam_is_deleted_banned_logged_and_undone_by_button(tg: TelegramBot) -> None:
    await tg.send(tg.scene.join(GROUP, MAX))
    spam = tg.scene.message(GROUP, MAX, SPAM)
    await tg.send(spam)
    message_id = spam["message"]["message_id"]
    assert (GROUP, message_id) in tg.fake.deleted
    [ban] = tg.fake.sent("banChatMember", GROUP)
    assert ban["user_id"] == str(MAX)
    [card] = [c for c in delivered(tg, chat_id=GROUP) if c.get("message_thread_id") == LOG_TOPIC]
    assert "Max Profit" in visible(card) and card["reply_markup"]["inline_keyboard"]
    await tg.press(OWNER, "Not spam")  # Olga is a Telegram admin: she may
    [unban] = tg.fake.sent("unbanChatMember", GROUP)
    assert unban["user_id"] == str(MAX) and unban.status == 200
    assert tg.fake.sent("answerCallbackQuery")
    restored = [c for c in delivered(tg, chat_id=GROUP) if "t.me/max_profit_signals" in visible(c) and c is not card]
    assert restored and restored[-1].get("message_thread_id") != LOG_TOPIC  # posted back where it was
    edited = [c for c in delivered(tg, "editMessageText", GROUP) if "Not spam" in visible(c)]
    assert edited, "the log card says what was decided"


async def test_a_press_whose_work_waits_for_the_send_limit_is_answered_at_once(tg: TelegramBot) -> None:
    """Telegram refuses an answer after about 15 s, and the moderator watches a spinner until it comes: a press
    whose work (the card's edit, the message put back) waits for the group's 20-a-minute limit is answered first."""
    await tg.send(tg.scene.join(GROUP, MAX))
    await tg.send(tg.scene.message(GROUP, MAX, SPAM))
    window = tg.adapter.flow._groups[GROUP]
    while window.wait(tg.fake.time.now()) == 0:  # the group at its limit
        await tg.adapter.bot.send_message(chat_id=GROUP, text="busy")
    pressed = tg.fake.time.now()
    await tg.press(OWNER, "Not spam")
    [answer] = tg.fake.sent("answerCallbackQuery")
    assert answer.status == 200 and answer.at == pressed  # before the paced edit, not a minute later
    assert [c for c in delivered(tg, "editMessageText", GROUP) if "Not spam" in visible(c)]  # the work still done
    assert [c for c in tg.fake.sent("unbanChatMember", GROUP) if c.status == 200]


CHAT_OF_GROUP = ChatRef("telegram", str(GROUP))
MODS = -1009876543210  # the moderators' own private group, the bot a member


async def test_the_moderators_log_can_be_a_separate_chat(db_url: str) -> None:
    """In an ordinary (non-forum) group the log goes to the moderators' own chat; their presses there act on the group."""
    settings = {**SETTINGS, "log_place": str(MODS)}
    community = {"platform": "telegram", "chat_id": str(GROUP), "name": "Riverside Makers", "settings": settings}
    async with telegram_bot_running(db_url, {"communities": [community]}) as tg:
        tg.fake.add_chat(MODS, "Riverside mods", kind="group")
        tg.fake.add_user(MAX, "Max Profit")
        await tg.send(tg.scene.join(GROUP, MAX))
        await tg.send(tg.scene.message(GROUP, MAX, SPAM))
        assert tg.fake.sent("banChatMember", GROUP)
        [card] = delivered(tg, chat_id=MODS)
        assert "Max Profit" in visible(card) and card.get("message_thread_id") is None
        await tg.press(BOB, "Not spam", chat_id=MODS)  # Bob is in the moderators' chat: that makes him a moderator
        [unban] = tg.fake.sent("unbanChatMember", GROUP)
        assert unban["user_id"] == str(MAX) and unban.status == 200
        assert [c for c in delivered(tg, "editMessageText", MODS) if "Not spam" in visible(c)]
        assert tg.app.rt.directory.cached(ChatRef("telegram", str(MODS))) is None  # not a community of its own


async def test_spam_in_an_article_or_a_quote_from_elsewhere_is_read_too(tg: TelegramBot) -> None:
    """A rich message (Bot API 10) has no ``text``; a quote from another chat shows words this message lacks."""
    await tg.send(tg.scene.join(GROUP, MAX))
    words = SPAM.split(" DM me")
    article = tg.scene.message(GROUP, MAX, "")
    del article["message"]["text"]
    article["message"]["rich_message"] = {
        "blocks": [
            {"type": "heading", "text": {"type": "bold", "text": words[0]}, "size": 1},
            {"type": "paragraph", "text": ["DM me", {"type": "url", "text": " now: t.me/max_profit_signals", "url": "https://t.me/max_profit_signals"}]},
        ]
    }
    await tg.send(article)
    assert (GROUP, article["message"]["message_id"]) in tg.fake.deleted
    await tg.send(tg.scene.join(GROUP, BOB))
    quoted = tg.scene.message(
        GROUP,
        BOB,
        "look",
        external_reply={"origin": {"type": "hidden_user", "sender_user_name": "X", "date": 1700000000}},
        quote={"text": SPAM, "position": 0},
    )
    await tg.send(quoted)
    assert (GROUP, quoted["message"]["message_id"]) in tg.fake.deleted


async def test_spam_command_as_a_reply_removes_the_message(tg: TelegramBot) -> None:
    offer = tg.scene.message(GROUP, ANN, "Great offer on watches, only today, visit my shop")
    await tg.send(offer)
    assert (GROUP, offer["message"]["message_id"]) not in tg.fake.deleted
    await tg.send(tg.scene.message(GROUP, OWNER, command("/spam"), reply_to_message=offer["message"]))
    assert (GROUP, offer["message"]["message_id"]) in tg.fake.deleted


# ---- rubrics ------------------------------------------------------------------------


async def test_a_rubric_post_is_indexed_and_found(tg: TelegramBot) -> None:
    post = tg.scene.message(GROUP, ANN, "#question who has a soldering iron to lend?")
    await tg.send(post)
    await tg.send(tg.scene.message(GROUP, BOB, command("/find #question")))
    [answer] = delivered(tg, chat_id=GROUP)
    assert "who has a soldering iron" in visible(answer) and "Ann" in visible(answer)
    assert f'href="https://t.me/c/{str(GROUP)[4:]}/{post["message"]["message_id"]}"' in answer["text"]


async def test_a_command_for_another_bot_is_not_indexed_as_a_rubric_post(tg: TelegramBot) -> None:
    """``/find@other_bot #question`` is for that bot: not a post of ours to index (the spam filter still reads it)."""
    await tg.send(tg.scene.message(GROUP, ANN, "/find@other_bot #question soldering"))
    await tg.send(tg.scene.message(GROUP, BOB, command("/find #question")))
    [answer] = delivered(tg, chat_id=GROUP)
    assert "soldering" not in visible(answer)


# ---- pinned documents ------------------------------------------------------------------


async def test_pinned_rules_are_published_then_edited_in_place_and_never_pinned_again(tg: TelegramBot) -> None:
    await tg.tick()
    [rules] = [c for c in delivered(tg, chat_id=GROUP) if "Be kind" in visible(c)]
    pins = tg.fake.sent("pinChatMessage", GROUP)
    rules_id = next(m["message_id"] for m in tg.fake.bot_messages(GROUP) if "Be kind" in m["text"])
    assert str(rules_id) in [p["message_id"] for p in pins] and rules["disable_notification"] == "true"
    sends = len(tg.fake.sent("sendMessage", GROUP))
    await tg.send(tg.scene.message(GROUP, OWNER, command("/doc set 1 **Our rules** — be excellent to each other")))
    [edit] = tg.fake.sent("editMessageText", GROUP)
    assert edit["message_id"] == str(rules_id) and "be excellent to each other" in visible(edit)
    after = [visible(c) for c in tg.fake.sent("sendMessage", GROUP)[sends:]]
    assert not [t for t in after if "excellent" in t]  # no new document: the confirmation and the log note only
    assert after[0].startswith("Saved: document #1") and "edited in place" in after[1]
    for _ in range(3):  # the pin checks come and go: the documents are there, nothing is pinned again
        tg.clock.advance(timedelta(minutes=15))
        await tg.tick()
    assert len(tg.fake.sent("pinChatMessage", GROUP)) == len(pins)
    assert len(tg.fake.sent("editMessageText", GROUP)) == 1


async def _pin_check(tg: TelegramBot) -> None:
    tg.clock.advance(timedelta(minutes=15))
    await tg.tick()


async def test_pinned_documents_come_back_on_telegram_after_all_pins_were_cleared_or_one_was_deleted(tg: TelegramBot) -> None:
    """Telegram lists no pins (``getChat`` shows the newest): an empty pin list and a deleted document still show (#17.5)."""
    await tg.tick()
    ours = [m["message_id"] for m in tg.fake.bot_messages(GROUP) if m["message_id"] in tg.fake.pinned[GROUP]]
    assert ours, "the documents were pinned"
    tg.fake.pinned[GROUP].clear()  # a moderator pressed "Unpin all messages"
    await _pin_check(tg)
    assert sorted(tg.fake.pinned[GROUP]) == sorted(ours)  # pinned again, the same messages (none posted twice)
    assert not [m for m in tg.fake.bot_messages(GROUP) if m["message_id"] not in ours and "Be kind" in m["text"]]

    rules_id = next(m["message_id"] for m in tg.fake.bot_messages(GROUP) if "Be kind" in m["text"])
    del tg.fake.messages[(GROUP, rules_id)]  # a moderator deleted the rules (Telegram tells the bot nothing)
    tg.fake.pinned[GROUP].remove(rules_id)
    await _pin_check(tg)
    [again] = [m for m in tg.fake.bot_messages(GROUP) if "Be kind" in m["text"]]
    assert again["message_id"] != rules_id and again["message_id"] in tg.fake.pinned[GROUP]  # posted again and pinned
    posts = len(tg.fake.sent("sendMessage", GROUP))
    await _pin_check(tg)
    assert len(tg.fake.sent("sendMessage", GROUP)) == posts  # and then left alone


# ---- rituals ---------------------------------------------------------------------------


async def test_the_weekly_prompt_is_posted_at_its_time(tg: TelegramBot) -> None:
    await tg.tick()  # 09:00: the documents, not the prompt yet
    assert not [c for c in delivered(tg, chat_id=GROUP) if "What are you making" in visible(c)]
    tg.clock.advance(timedelta(hours=1))
    await tg.tick()
    [prompt] = [c for c in delivered(tg, chat_id=GROUP) if "What are you making this week?" in visible(c)]
    assert prompt["parse_mode"] == "HTML"


async def test_event_added_and_rsvp_by_button(tg: TelegramBot) -> None:
    await tg.send(tg.scene.message(GROUP, OWNER, command("/event add 2026-12-03 18:00 Repair café | Library hall")))
    card = next(m for m in tg.fake.bot_messages(GROUP) if "Repair café" in m["text"] and m["reply_markup"])
    labels = [b["text"] for b in card["reply_markup"]["inline_keyboard"][0]]
    assert labels[0] == "✅ Going · 0"
    # #22.2: the time as date_time entities (each reader's own zone); the text inside names the community's zone
    assert '<tg-time unix="1796320800" format="wDt">Thu, Dec 3, 6:00 PM</tg-time>' in card["html"]
    assert '<tg-time unix="1796328000" format="t">8:00 PM, Coordinated Universal Time</tg-time>' in card["html"]
    assert '<tg-time unix="1796320800" format="r">' in card["html"]
    await tg.press(ANN, "✅ Going · 0")
    [answer] = tg.fake.sent("answerCallbackQuery")
    assert answer.status == 200
    card = next(m for m in tg.fake.bot_messages(GROUP) if m["message_id"] == card["message_id"])
    assert card["reply_markup"]["inline_keyboard"][0][0]["text"] == "✅ Going · 1"  # the card was edited in place


# ---- permissions --------------------------------------------------------------------------


async def test_a_manager_command_is_refused_to_a_member(tg: TelegramBot) -> None:
    await tg.send(tg.scene.message(GROUP, ANN, command("/event add 2026-12-03 18:00 My party")))
    assert [visible(c) for c in delivered(tg, chat_id=GROUP)] == ["Sorry, only the community's managers can use /event."]
    assert not [m for m in tg.fake.bot_messages(GROUP) if "My party" in m["text"]]


async def test_a_mute_for_a_message_handled_late_still_ends(db_url: str) -> None:
    """The second strike mutes for spam.mute_for (1h) from when the bot acts: a message handled two hours after it
    was posted (the bot was down) must not send an until_date in the past, which Telegram takes as forever."""
    spam = {"stop_phrases": ["cheap pills"], "ban_obvious_newcomer_spam": False}
    community = {"platform": "telegram", "chat_id": str(GROUP), "name": "Riverside Makers", "settings": {"spam": spam}}
    async with telegram_bot_running(db_url, {"communities": [community]}) as tg:
        late = tg.scene.date() - 2 * 3600
        for _ in range(2):  # the first strike explains, the second mutes
            await tg.send(tg.scene.message(GROUP, ANN, "cheap pills here", date=late))
        [mute] = tg.fake.sent("restrictChatMember", GROUP)
        ends = tg.fake.restricted[(GROUP, ANN)]
        assert ends is not None, f"muted forever (until_date {mute['until_date']})"
        assert ends - tg.scene.date() == pytest.approx(3600, abs=60)


async def test_a_welcome_too_old_for_telegram_to_delete_is_left_quietly(db_url: str, caplog: pytest.LogCaptureFixture) -> None:
    """Telegram deletes only messages younger than 48 hours: with clean_welcome, the welcome of a newcomer who came
    three days before the next is left, with no warning and nothing counted as undelivered in /stats."""
    community = {"platform": "telegram", "chat_id": str(GROUP), "name": "Riverside Makers"}  # clean_welcome is on by default
    async with telegram_bot_running(db_url, {"communities": [community]}) as tg:
        tg.fake.add_user(DANA, "Dana")
        await tg.send(tg.scene.join(GROUP, ANN))
        [first] = tg.fake.bot_messages(GROUP)
        tg.clock.advance(timedelta(days=3))
        with caplog.at_level(logging.WARNING):
            await tg.send(tg.scene.join(GROUP, BOB))
            await tg.send(tg.scene.join(GROUP, DANA))  # a day's welcome before it is cleaned up, as ever
        assert (GROUP, first["message_id"]) in {(GROUP, m["message_id"]) for m in tg.fake.bot_messages(GROUP)}
        assert len(tg.fake.deleted) == 1  # Bob's welcome went when Dana's came
        assert not [c for c in tg.fake.sent("deleteMessage") if c.status != 200]  # not even asked
        assert not [r for r in caplog.records if "DeleteMessage" in r.getMessage()]
        assert sum(tg.app.rt.undelivered.values()) == 0


async def test_a_log_chat_the_bot_is_not_in_is_named_at_start(db_url: str, caplog: pytest.LogCaptureFixture) -> None:
    import logging

    settings = {**SETTINGS, "log_place": "-1009999999999"}
    community = {"platform": "telegram", "chat_id": str(GROUP), "name": "Riverside Makers", "settings": settings}
    with caplog.at_level(logging.WARNING, logger="adapters.telegram"):
        async with telegram_bot_running(db_url, {"communities": [community]}) as tg:
            told = [visible(c) for c in delivered(tg, chat_id=GROUP) if "moderators' log" in visible(c)]
    assert len(told) == 1 and "-1009999999999" in told[0] and "Add me to that chat" in told[0]
    [warning] = [r.getMessage() for r in caplog.records if "cannot reach" in r.getMessage()]
    assert "Riverside Makers" in warning and "log_place" in warning
