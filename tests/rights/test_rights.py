"""The bot tells the managers which of its own rights are missing and what breaks without them."""

from __future__ import annotations

import discord

from bot.core.events import BotStatusChanged
from bot.core.ids import ChatRef
from bot.harness import local_bot, local_config
from tests.conftest import START
from tests.discord.fakes import BOT_INVITE_PERMISSIONS, GENERAL
from tests.discord.harness import discord_bot, discord_config

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
