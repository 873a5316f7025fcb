"""Command menus: ``setMyCommands`` per scope and language, from the core's registry and catalogs.

Members see member commands; administrators also see manager commands; the
private chat lists what works there. Each catalog language is published with
its Telegram language code (so a member's app shows their language), and each
configured group also gets chat scopes in the community's own language.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import (
    BotCommand,
    BotCommandScopeAllChatAdministrators,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    BotCommandScopeChatAdministrators,
)

from bot.core.commands import Command, Where
from bot.core.events import Role
from bot.core.i18n import DEFAULT_LANGUAGE, Translator
from bot.core.runtime import Runtime

log = logging.getLogger("adapters.telegram.commands")

Scope = (
    BotCommandScopeAllGroupChats
    | BotCommandScopeAllChatAdministrators
    | BotCommandScopeAllPrivateChats
    | BotCommandScopeChat
    | BotCommandScopeChatAdministrators
)


@dataclass(frozen=True, slots=True)
class Menu:
    scope: Scope
    language_code: str | None
    commands: tuple[BotCommand, ...]


def telegram_language(lang: str) -> str:
    """Catalog language -> Telegram's two-letter code (``zh_Hans`` -> ``zh``)."""
    return lang.split("_")[0].lower()


def _listed(commands: list[Command], t: Translator, private: bool) -> tuple[BotCommand, ...]:
    unwanted = Where.GROUP if private else Where.PRIVATE
    return tuple(
        BotCommand(command=c.name, description=t.s(c.description_key)[:256] or c.name) for c in commands if c.where is not unwanted
    )


def menus(rt: Runtime) -> list[Menu]:
    """Every menu to publish: global scopes per language, then each Telegram community's chat scopes."""
    members = rt.commands.for_role(Role.MEMBER)
    staff = rt.commands.for_role(Role.MANAGER)
    out: list[Menu] = []
    for lang in sorted(rt.catalogs.languages):
        t = rt.catalogs.translator(lang)
        codes: list[str | None] = [telegram_language(lang)]
        if lang == DEFAULT_LANGUAGE:
            codes.insert(0, None)  # the fallback for every language without its own menu
        for code in codes:
            out.append(Menu(BotCommandScopeAllGroupChats(), code, _listed(members, t, private=False)))
            out.append(Menu(BotCommandScopeAllChatAdministrators(), code, _listed(staff, t, private=False)))
            out.append(Menu(BotCommandScopeAllPrivateChats(), code, _listed(members, t, private=True)))
    for c in rt.config.communities:
        if c.platform != "telegram":
            continue
        t = rt.catalogs.translator(c.settings.language)
        out.append(Menu(BotCommandScopeChat(chat_id=int(c.chat_id)), None, _listed(members, t, private=False)))
        out.append(Menu(BotCommandScopeChatAdministrators(chat_id=int(c.chat_id)), None, _listed(staff, t, private=False)))
    return out


async def publish(bot: Bot, rt: Runtime) -> int:
    """Publish every menu; a refusal is logged and the others still go. Returns how many were set."""
    done = 0
    for menu in menus(rt):
        try:
            await bot.set_my_commands(list(menu.commands), scope=menu.scope, language_code=menu.language_code)
            done += 1
        except TelegramAPIError as exc:
            log.warning("setMyCommands %s/%s refused: %s", menu.scope.type, menu.language_code, exc.message)
    return done
