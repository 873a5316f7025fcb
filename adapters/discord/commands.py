"""Slash commands: one ``app_command`` per command in the core's registry, synced per guild.

Each takes one free-text option, ``args``, that the core parses as it does a
Telegram ``/name args``. Manager commands are hidden by default from members
without Manage Server, moderator commands from those without Timeout Members
(server admins can change that in Server Settings > Integrations); the core
still checks the role on every use. Descriptions come from the catalogs, in
every language the bot speaks.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine, Iterable
from pathlib import Path
from typing import Any

import discord
from discord import app_commands

from bot.core.commands import Command
from bot.core.events import Role
from bot.core.i18n import DEFAULT_LANGUAGE, Catalogs

DESCRIPTION_LIMIT = 100
ADAPTER_LOCALES = Path(__file__).parent / "locales"

# Discord's locales for the languages the bot has catalogs for.
LANGUAGES: dict[str, str] = {
    discord.Locale.american_english.value: "en",
    discord.Locale.british_english.value: "en",
    discord.Locale.russian.value: "ru",
    discord.Locale.hungarian.value: "hu",
    discord.Locale.polish.value: "pl",
    discord.Locale.chinese.value: "zh_Hans",
    discord.Locale.italian.value: "it",
    discord.Locale.ukrainian.value: "uk",
}

# Commands that act on another message (Telegram: sent as a reply). Discord has no replies to slash
# commands; these also appear as message commands (right-click a message > Apps), which hand the core
# the message as ``reply_to``. Discord allows 5 message commands per guild.
MESSAGE_COMMANDS = ("spam", "notspam", "report")
MENU_NAME_LIMIT = 32

Invoke = Callable[[discord.Interaction, str, str, discord.Message | None], Awaitable[None]]


def _fit(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= DESCRIPTION_LIMIT else text[: DESCRIPTION_LIMIT - 1] + "…"


class CatalogTranslator(app_commands.Translator):
    """Looks up ``locale_str(..., key=...)`` in the bot's catalogs; no translation means Discord shows English."""

    def __init__(self, *catalogs: Catalogs) -> None:
        self.catalogs = catalogs

    def text(self, key: str, language: str) -> str | None:
        for cats in self.catalogs:
            lang = cats.languages.get(language)
            msg = lang.messages.get(key) if lang is not None else None
            if isinstance(msg, str):
                return _fit(cats.translator(language).s(key))
        return None

    async def translate(
        self, string: app_commands.locale_str, locale: discord.Locale, context: app_commands.TranslationContext
    ) -> str | None:
        key = string.extras.get("key")
        language = LANGUAGES.get(locale.value)
        if not isinstance(key, str) or language is None or language == DEFAULT_LANGUAGE:
            return None
        text = self.text(key, language)
        if text is not None and key.startswith("discord.menu."):
            return text[:MENU_NAME_LIMIT]  # a message command's name
        return text


def default_permissions(role: Role) -> discord.Permissions | None:
    if role >= Role.MANAGER:
        return discord.Permissions(manage_guild=True)
    if role >= Role.MODERATOR:
        return discord.Permissions(moderate_members=True)
    return None


def slash_commands(commands: Iterable[Command], translator: CatalogTranslator, invoke: Invoke) -> list[app_commands.Command]:
    """The registry as slash commands; each callback hands (interaction, name, args) to ``invoke``."""
    args_text = translator.text("discord.args", DEFAULT_LANGUAGE) or "args"

    async def callback(interaction: discord.Interaction, args: str = "") -> None:
        name = interaction.command.name if interaction.command is not None else ""
        await invoke(interaction, name, args, None)

    app_commands.describe(args=app_commands.locale_str(args_text, key="discord.args"))(callback)
    out: list[app_commands.Command] = []
    for cmd in commands:
        english = translator.text(cmd.description_key, DEFAULT_LANGUAGE) or cmd.name
        slash: app_commands.Command[Any, ..., None] = app_commands.Command(
            name=cmd.name,
            description=app_commands.locale_str(english, key=cmd.description_key),
            callback=callback,
        )
        slash.default_permissions = default_permissions(cmd.permission)
        slash.guild_only = True
        out.append(slash)
    return out


def message_commands(commands: Iterable[Command], translator: CatalogTranslator, invoke: Invoke) -> list[app_commands.ContextMenu]:
    """``MESSAGE_COMMANDS`` that the registry has, as message context menus named from ``discord.menu.<name>``."""
    out: list[app_commands.ContextMenu] = []
    for cmd in commands:
        if cmd.name not in MESSAGE_COMMANDS:
            continue
        key = f"discord.menu.{cmd.name}"
        english = (translator.text(key, DEFAULT_LANGUAGE) or cmd.name)[:MENU_NAME_LIMIT]

        menu = app_commands.ContextMenu(name=app_commands.locale_str(english, key=key), callback=_menu_callback(invoke, cmd.name))
        menu.default_permissions = default_permissions(cmd.permission)
        menu.guild_only = True
        out.append(menu)
    return out


def _menu_callback(invoke: Invoke, name: str) -> Callable[[discord.Interaction, discord.Message], Coroutine[Any, Any, None]]:
    """discord.py reads a context menu's type from its callback's annotations: exactly (interaction, message)."""

    async def callback(interaction: discord.Interaction, message: discord.Message) -> None:
        await invoke(interaction, name, "", message)

    return callback


async def build_tree(client: discord.Client, commands: Iterable[Command], catalogs: Catalogs, invoke: Invoke) -> app_commands.CommandTree:
    """A command tree holding the registry's commands, translated from the core's and the adapter's catalogs."""
    tree = app_commands.CommandTree(client)
    translator = CatalogTranslator(catalogs, Catalogs([ADAPTER_LOCALES]))
    await tree.set_translator(translator)
    commands = list(commands)
    for slash in slash_commands(commands, translator, invoke):
        tree.add_command(slash)
    for menu in message_commands(commands, translator, invoke):
        tree.add_command(menu)
    return tree


async def sync_guild(tree: app_commands.CommandTree, guild: discord.abc.Snowflake) -> int:
    """Publish the commands to one guild (instant, unlike global commands); returns how many."""
    tree.copy_global_to(guild=guild)
    synced = await tree.sync(guild=guild)
    return len(synced)
