"""Attacker's checklist, text the platforms refuse: a lone surrogate in a name must not silence the bot.

A member can carry a lone surrogate in their name (a JSON ``\\udXXX`` escape);
Telegram and Discord refuse any request that holds one, so their welcome, and any
combined post naming them, failed. Both adapters clean what they send (as the
database layer cleans what it stores), through the real clients against the fakes.
"""

from __future__ import annotations

from bot.core import actions as a
from bot.core.ids import ChatRef
from bot.core.richtext import markup
from bot.core.sendable import sendable
from tests.discord.conftest import dbot  # noqa: F401  (fixture)
from tests.discord.fakes import GUILD_ID
from tests.discord.harness import DiscordHarness
from tests.telegram.conftest import GROUP, TelegramBot, telegram_bot  # noqa: F401  (fixture)

NAME = "Ann\udc80 Smith"
SHOWN = "Ann\ufffd Smith"


def test_sendable_replaces_one_for_one() -> None:
    assert sendable(NAME) == SHOWN and len(sendable(NAME)) == len(NAME)
    assert sendable("plain ascii") == "plain ascii" and sendable("a\x00b") == "ab"
    assert sendable("😀 Ann") == "😀 Ann"


def _welcome() -> a.SendMessage:
    chat = ChatRef("telegram", str(GROUP))
    return a.SendMessage(chat, markup("Welcome, {a} and {b}!", a=NAME, b="Bob"), buttons=((a.Button(NAME, "x:1"),),))


async def test_telegram_sends_a_post_naming_them(telegram_bot: TelegramBot) -> None:  # noqa: F811
    tg = telegram_bot
    result = await tg.adapter.outbox.perform(_welcome())
    assert result.ok, result
    [call] = tg.fake.sent("sendMessage", GROUP)
    assert call["text"] == f"Welcome, {SHOWN} and Bob!"
    assert SHOWN in str(call["reply_markup"])
    answer = await tg.adapter.outbox.perform(a.AnswerButton("no-such-callback", NAME))
    assert not isinstance(answer, a.Failed) or "surrogate" not in answer.detail


async def test_discord_sends_a_post_naming_them(dbot: DiscordHarness) -> None:  # noqa: F811
    msg = a.SendMessage(ChatRef("discord", GUILD_ID), markup("Welcome, {a}!", a=NAME), buttons=((a.Button(NAME, "x:1"),),))
    result = await dbot.app.rt.perform("discord", msg)
    assert result.ok, result
    [sent] = dbot.sent()
    assert sent.body["content"] == f"Welcome, {SHOWN}!"
    assert "\udc80" not in str(sent.body) and SHOWN in str(sent.body["components"])
