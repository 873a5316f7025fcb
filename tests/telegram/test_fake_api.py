"""The fake's own checks must catch what Telegram would refuse, or the end-to-end tests prove nothing.

The request checks (spec) first, then the server's refusals, each through the real aiogram client."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError, TelegramRetryAfter
from aiogram.types import BotCommand, BotCommandScopeChatMember

from adapters.telegram.outbox import MUTED
from tests.telegram.conftest import ANN, BOB, GROUP, OWNER, TOKEN, TelegramBot
from tests.telegram.fake_api import CALLBACK_TTL, JOIN_REQUEST_DM_WINDOW, SPEC_PRESENT, check_request, parse_html

# Object fields are checked only against the published spec (aiogram's models stand in for names and scalars).
needs_spec = pytest.mark.skipif(not SPEC_PRESENT, reason="the Bot API spec is not beside the repository")


def test_a_good_request_passes() -> None:
    markup = json.dumps({"inline_keyboard": [[{"text": "Undo", "callback_data": "spam:undo:1"}]]})
    params = {"chat_id": "-100123", "text": "<b>hi</b> &amp; bye", "parse_mode": "HTML", "reply_markup": markup}
    assert check_request("sendMessage", params) == []


@pytest.mark.parametrize(
    ("method", "params", "complaint"),
    [
        ("sendMesage", {"chat_id": "1", "text": "x"}, "no such method"),
        ("sendMessage", {"text": "x"}, "chat_id: required"),
        ("sendMessage", {"chat_id": "1", "text": "x", "parse_mod": "HTML"}, "unknown field"),
        ("sendMessage", {"chat_id": "1", "text": "x", "message_thread_id": "one"}, "expected Integer"),
        ("sendMessage", {"chat_id": "1", "text": "x", "disable_notification": "yes"}, "expected Boolean"),
        ("sendMessage", {"chat_id": "1", "text": "<b>x", "parse_mode": "HTML"}, "unclosed tag"),
        ("sendMessage", {"chat_id": "1", "text": "a < b", "parse_mode": "HTML"}, "unescaped"),
        ("sendMessage", {"chat_id": "1", "text": "<b><i>x</b></i>", "parse_mode": "HTML"}, "unexpected end tag"),
        ("sendMessage", {"chat_id": "1", "text": "x" * 4097}, "1-4096"),
        pytest.param(
            "sendMessage",
            {"chat_id": "1", "text": "x", "reply_markup": '{"inline_keyboard": [[{"text": 1}]]}'},
            "expected String",
            marks=needs_spec,
        ),
        pytest.param("setMyCommands", {"commands": "[]", "scope": '{"type": "chat"}'}, "matches none", marks=needs_spec),
        pytest.param(
            "restrictChatMember", {"chat_id": "1", "user_id": "2", "permissions": '{"can_fly": true}'}, "not a field", marks=needs_spec
        ),
    ],
)
def test_what_telegram_would_refuse_is_caught(method: str, params: dict[str, str], complaint: str) -> None:
    errors = check_request(method, params)
    assert any(complaint in e for e in errors), errors


def test_html_entities_are_unescaped() -> None:
    assert parse_html('<a href="https://x.org/?a=1&amp;b">&lt;&#65;&gt;</a>') == "<A>"


# ---- the server refuses what Telegram refuses (through the real aiogram client) -----------------------------


@pytest.fixture
async def raw_bot(telegram_bot: TelegramBot) -> AsyncIterator[Bot]:
    """An aiogram Bot on the fake without the adapter's pacing: the fake's own limits answer."""
    bot = Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(telegram_bot.fake.url)))
    try:
        yield bot
    finally:
        await bot.session.close()


async def test_a_thread_must_be_a_topic_of_that_chat(telegram_bot: TelegramBot) -> None:
    tg = telegram_bot
    tg.fake.topics[GROUP] = {7}
    await tg.adapter.bot.send_message(chat_id=GROUP, text="in the topic", message_thread_id=7)
    with pytest.raises(TelegramBadRequest, match="message thread not found"):
        await tg.adapter.bot.send_message(chat_id=GROUP, text="nowhere", message_thread_id=8)


async def test_a_private_chat_exists_after_start_or_for_a_while_after_a_join_request(telegram_bot: TelegramBot) -> None:
    tg, bot = telegram_bot, telegram_bot.adapter.bot
    with pytest.raises(TelegramForbiddenError, match="can't initiate conversation"):
        await bot.send_message(chat_id=BOB, text="hello")
    tg.fake.join_requests[(GROUP, BOB)] = tg.fake.time.now()  # Bob asked to join: the bot may write, for 5 minutes
    await bot.send_message(chat_id=BOB, text="your request")
    await tg.fake.time.sleep(JOIN_REQUEST_DM_WINDOW + 1)
    with pytest.raises(TelegramForbiddenError):
        await bot.send_message(chat_id=BOB, text="too late")
    await tg.send(tg.scene.start(BOB))  # Bob pressed Start
    await bot.send_message(chat_id=BOB, text="welcome")


async def test_an_end_under_30_seconds_or_over_366_days_ahead_is_forever(telegram_bot: TelegramBot) -> None:
    tg, bot = telegram_bot, telegram_bot.adapter.bot
    now = tg.scene.date()
    for ahead, lasting in ((10, False), (3600, True), (400 * 86400, False), (-60, False)):
        await bot.restrict_chat_member(chat_id=GROUP, user_id=BOB, permissions=MUTED, until_date=now + ahead)
        assert (tg.fake.restricted[(GROUP, BOB)] is not None) is lasting, ahead
    await bot.ban_chat_member(chat_id=GROUP, user_id=ANN, until_date=now + 20)
    assert tg.fake.banned[(GROUP, ANN)] is None


async def test_an_edit_that_changes_nothing_is_not_modified(telegram_bot: TelegramBot) -> None:
    bot = telegram_bot.adapter.bot
    sent = await bot.send_message(chat_id=GROUP, text="rules")
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_text(chat_id=GROUP, message_id=sent.message_id, text="rules")


async def test_a_button_press_is_answered_once_and_only_while_fresh(telegram_bot: TelegramBot) -> None:
    tg, bot = telegram_bot, telegram_bot.adapter.bot
    tg.fake.callbacks["fresh"] = tg.fake.callbacks["stale"] = tg.fake.time.now()
    assert await bot.answer_callback_query(callback_query_id="fresh")
    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await bot.answer_callback_query(callback_query_id="fresh")  # answered already
    await tg.fake.time.sleep(CALLBACK_TTL + 1)
    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await bot.answer_callback_query(callback_query_id="stale")


async def test_get_chat_shows_only_the_newest_pin(telegram_bot: TelegramBot) -> None:
    bot = telegram_bot.adapter.bot
    first, second = [await bot.send_message(chat_id=GROUP, text=t) for t in ("one", "two")]
    for m in (second, first):
        await bot.pin_chat_message(chat_id=GROUP, message_id=m.message_id)
    chat = await bot.get_chat(GROUP)
    assert chat.pinned_message is not None and chat.pinned_message.message_id == first.message_id


async def test_admins_cannot_be_restricted_nor_the_owner_banned(telegram_bot: TelegramBot) -> None:
    tg, bot = telegram_bot, telegram_bot.adapter.bot
    tg.fake.admins[GROUP].append(ANN)
    with pytest.raises(TelegramBadRequest, match="user is an administrator of the chat"):
        await bot.restrict_chat_member(chat_id=GROUP, user_id=ANN, permissions=MUTED)
    with pytest.raises(TelegramBadRequest, match="can't remove chat owner"):
        await bot.ban_chat_member(chat_id=GROUP, user_id=OWNER)


async def test_a_message_older_than_48_hours_is_not_deleted(telegram_bot: TelegramBot) -> None:
    tg, bot = telegram_bot, telegram_bot.adapter.bot
    old = tg.scene.message(GROUP, ANN, "from the day before yesterday", date=tg.scene.date() - 49 * 3600)
    young = tg.scene.message(GROUP, ANN, "from this morning", date=tg.scene.date() - 3 * 3600)
    for update in (old, young):
        await tg.send(update)
    with pytest.raises(TelegramBadRequest, match="message can't be deleted"):
        await bot.delete_message(chat_id=GROUP, message_id=old["message"]["message_id"])
    ids = [old["message"]["message_id"], young["message"]["message_id"]]
    assert await bot.delete_messages(chat_id=GROUP, message_ids=ids)  # the old one is skipped
    assert tg.fake.deleted == [(GROUP, young["message"]["message_id"])]


async def test_over_the_send_limits_telegram_says_how_long_to_wait(telegram_bot: TelegramBot, raw_bot: Bot) -> None:
    tg = telegram_bot
    for n in range(tg.fake.per_group_minute):
        await raw_bot.send_message(chat_id=GROUP, text=f"line {n}")
    with pytest.raises(TelegramRetryAfter) as group:
        await raw_bot.send_message(chat_id=GROUP, text="one too many")
    assert 1 <= group.value.retry_after <= 60
    for n in range(tg.fake.per_second):  # 30 a second overall, whatever the chats
        tg.fake.add_user(9000 + n, f"user {n}", started=True)
    with pytest.raises(TelegramRetryAfter) as overall:
        for n in range(tg.fake.per_second):
            await raw_bot.send_message(chat_id=9000 + n, text="hi")
    assert overall.value.retry_after == 1


async def test_a_members_command_menu_needs_a_group_the_bot_is_in_and_a_user_in_it(telegram_bot: TelegramBot) -> None:
    bot = telegram_bot.adapter.bot
    menu = [BotCommand(command="help", description="Help")]
    assert await bot.set_my_commands(menu, scope=BotCommandScopeChatMember(chat_id=GROUP, user_id=ANN))
    with pytest.raises(TelegramBadRequest, match="user not found"):
        await bot.set_my_commands(menu, scope=BotCommandScopeChatMember(chat_id=GROUP, user_id=777))
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await bot.set_my_commands(menu, scope=BotCommandScopeChatMember(chat_id=-100999, user_id=ANN))
