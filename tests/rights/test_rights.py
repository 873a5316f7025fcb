"""The bot tells the managers which of its own rights are missing and what breaks without them."""

from __future__ import annotations

from typing import Any

import discord

from bot.core import actions as a
from bot.core.events import BotStatusChanged
from bot.core.ids import ChatRef, MessageRef
from bot.harness import local_bot, local_config
from tests.conftest import START
from tests.discord.fakes import BOT_ID, BOT_INVITE_PERMISSIONS, BOT_ROLE, GENERAL, GUILD_ID, LOG, PIN_MESSAGES
from tests.discord.harness import DiscordHarness, discord_bot, discord_config

CHAT = ChatRef("discord", GUILD_ID)

OLD_INVITE = 1374389627910  # docs/discord.md before #16: no Attach Files, no Pin Messages


def status(**rights: bool) -> BotStatusChanged:
    values = {"can_delete": True, "can_restrict": True, "can_pin": True, **rights}
    return BotStatusChanged(ChatRef("local", "town"), START, is_admin=True, is_member=True, **values)


async def test_a_missing_right_is_named_with_what_breaks_once_per_change(db_url: str) -> None:
    async with local_bot(local_config(), db_url, START) as bot:
        await bot.app.handle(status(can_pin=False))
        [told] = bot.sim.bot_messages("town")
        assert "Pin messages" in told.text and "cannot be pinned" in told.text and "Delete messages" not in told.text
        await bot.app.handle(status(can_pin=False))  # the same again (a restart of the adapter): not repeated
        assert len(bot.sim.bot_messages("town")) == 1
        await bot.app.handle(status(can_pin=False, can_delete=False))
        assert "Delete messages" in bot.sim.bot_messages("town")[-1].text
        await bot.app.handle(status())  # all granted: nothing to say
        assert len(bot.sim.bot_messages("town")) == 2


async def test_in_the_communitys_language_and_in_the_moderators_log(db_url: str) -> None:
    async with local_bot(local_config({"language": "ru", "log_place": "mods"}), db_url, START) as bot:
        await bot.app.handle(status(can_restrict=False))
        [told] = bot.sim.bot_messages("town")
        assert told.place == "mods" and "Ограничение и блокировка участников" in told.text


async def test_discord_with_the_old_invite_url_hears_about_pins_and_files(db_url: str) -> None:
    async with discord_bot(discord_config(), db_url, START, bot_permissions=OLD_INVITE) as dbot:
        [told] = [m for m in dbot.fake.posted if "missing some permissions" in m["content"] or m.get("embeds")]
        text = told["content"] + " ".join(e.get("description", "") for e in told.get("embeds") or [])
        assert told["channel_id"] == GENERAL
        assert "Pin messages" in text and "Attach files" in text and "Delete messages" not in text
        assert dbot.fake.violations == []


async def test_discord_with_todays_invite_url_says_nothing(db_url: str) -> None:
    assert discord.Permissions(BOT_INVITE_PERMISSIONS).pin_messages and discord.Permissions(BOT_INVITE_PERMISSIONS).attach_files
    async with discord_bot(discord_config(), db_url, START) as dbot:
        assert not [m for m in dbot.fake.posted if "missing" in (m["content"] or "")]


# ---- Discord: Pin Messages, per channel (#18.6) --------------------------------------------------------

MANAGE_MESSAGES = 1 << 13
OTHER = "920000000000000042"  # a channel a feature pins in (a prompt's, say)


def told_about_pins(dbot: DiscordHarness) -> list[dict[str, Any]]:
    return [m for m in dbot.fake.posted if "missing some permissions" in m["content"] and "Pin messages" in m["content"]]


async def pin(dbot: DiscordHarness, channel: str) -> a.Result:
    msg = dbot.fake.message(channel, BOT_ID, "our rules")
    return await dbot.app.rt.perform("discord", a.PinMessage(MessageRef(CHAT, msg["id"], channel)))


async def test_discord_refuses_a_pin_without_pin_messages_even_with_manage_messages(db_url: str) -> None:
    without = BOT_INVITE_PERMISSIONS & ~PIN_MESSAGES
    assert without & MANAGE_MESSAGES
    async with discord_bot(discord_config(), db_url, START, bot_permissions=without) as dbot:
        result = await pin(dbot, GENERAL)
        assert isinstance(result, a.Failed) and result.reason is a.FailReason.FORBIDDEN and "Pin Messages" in result.detail
        (put,) = dbot.fake.calls("PUT", "/channels/{channel_id}/messages/pins/{message_id}")
        assert put.status == 403 and dbot.fake.pins.get(GENERAL) in (None, [])
        await dbot.fake.overwrite(GENERAL, BOT_ROLE, allow=PIN_MESSAGES)  # a manager grants it in #general only
        assert (await pin(dbot, GENERAL)).ok
        assert dbot.fake.violations == []


async def test_a_channel_overwrite_that_takes_pinning_away_in_the_main_channel_is_told_at_start(db_url: str) -> None:
    """The server's role may pin; the main channel's overwrite denies it: the start check looks at the channel."""
    fake_overwrites = {GENERAL: [{"id": BOT_ROLE, "type": 0, "allow": "0", "deny": str(PIN_MESSAGES)}]}
    async with discord_bot(discord_config(), db_url, START, overwrites=fake_overwrites) as dbot:
        await dbot.until(lambda: told_about_pins(dbot), "the managers to hear that pinning is missing")
        [told] = told_about_pins(dbot)
        assert told["channel_id"] == GENERAL and "Attach files" not in told["content"]


async def test_a_pin_refused_where_a_feature_needs_it_is_told_to_the_managers(db_url: str) -> None:
    config = discord_config({"log_place": LOG})
    async with discord_bot(config, db_url, START) as dbot:
        assert not told_about_pins(dbot)  # pinning is allowed in the main channel
        await dbot.fake.add_channel(OTHER, "prompts")
        await dbot.fake.overwrite(OTHER, BOT_ROLE, deny=PIN_MESSAGES)
        result = await pin(dbot, OTHER)
        assert isinstance(result, a.Failed) and result.reason is a.FailReason.FORBIDDEN
        await dbot.until(lambda: told_about_pins(dbot), "the managers to hear that pinning is missing")
        [told] = told_about_pins(dbot)
        assert told["channel_id"] == LOG
        await pin(dbot, OTHER)  # refused again: said once
        await dbot.until(lambda: len(dbot.fake.calls("PUT", "/channels/{channel_id}/messages/pins/{message_id}")) == 2, "the pin")
        assert len(told_about_pins(dbot)) == 1
        assert dbot.fake.violations == []


# ---- Discord: the moderators' log channel (#18) -------------------------------------------------------

SEND_MESSAGES = 1 << 11


async def test_a_log_channel_the_bot_cannot_post_to_is_told_in_the_main_channel_at_start(db_url: str) -> None:
    """Every alert would be lost in a log the bot cannot post to; the warning itself goes where it is seen."""
    fake_overwrites = {LOG: [{"id": BOT_ROLE, "type": 0, "allow": "0", "deny": str(SEND_MESSAGES)}]}
    async with discord_bot(discord_config({"log_place": LOG}), db_url, START, overwrites=fake_overwrites) as dbot:
        told = lambda: [m for m in dbot.fake.posted if "moderators' log channel" in (m["content"] or "")]  # noqa: E731
        await dbot.until(told, "the managers to hear that the log channel is closed to the bot")
        [message] = told()
        assert message["channel_id"] == GENERAL and "Pin messages" not in message["content"]
        assert dbot.fake.violations == []


async def test_a_log_channel_the_bot_can_post_to_says_nothing(db_url: str) -> None:
    async with discord_bot(discord_config({"log_place": LOG}), db_url, START) as dbot:
        assert not [m for m in dbot.fake.posted if "missing" in (m["content"] or "")]
