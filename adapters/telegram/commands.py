"""Command menus: ``setMyCommands`` per scope and language, from the core's registry and catalogs.

Members see member commands; administrators also see manager commands; the
private chat lists what works there. Each catalog language is published with
its Telegram language code (so a member's app shows their language), and each
configured group also gets chat scopes in the community's own language. A
manager or moderator the config names by user id who is no Telegram admin of
the group gets their own menu there (``BotCommandScopeChatMember``): managers
the administrators' commands, moderators the moderators'. Telegram shows the
narrowest scope that has a menu, so a named admin is left to the
administrators' menu (a chat-member menu would replace it, a moderator's
shorter). The menus are set at start: someone named who joins later sees theirs
after the next start.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
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
    BotCommandScopeChatMember,
)

from bot.core.commands import Command, Where
from bot.core.config import CommunityConfig
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
    | BotCommandScopeChatMember
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


def named_staff(c: CommunityConfig) -> dict[int, Role]:
    """User ids the community's config names as managers or moderators (the higher list wins), by Telegram id."""
    out = {int(uid): Role.MODERATOR for uid in c.moderators if uid.isdigit()}
    out.update({int(uid): Role.MANAGER for uid in c.managers if uid.isdigit()})
    return out


def menus(rt: Runtime, admins: Mapping[int, frozenset[int]] | None = None) -> list[Menu]:
    """Every menu to publish: global scopes per language, then each Telegram community's chat scopes and the
    menus of its named staff who are not among its ``admins`` (chat id -> the group's admin user ids)."""
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
        chat_admins = (admins or {}).get(int(c.chat_id), frozenset())
        for user_id, role in sorted(named_staff(c).items()):
            if user_id not in chat_admins:
                scope = BotCommandScopeChatMember(chat_id=int(c.chat_id), user_id=user_id)
                out.append(Menu(scope, None, _listed(rt.commands.for_role(role), t, private=False)))
    return out


async def publish(bot: Bot, rt: Runtime, admins_of: Callable[[int], Awaitable[frozenset[int]]] | None = None) -> int:
    """Publish every menu; a refusal is logged and the others still go. Returns how many were set.

    ``admins_of`` tells a group's admins (asked only of groups whose config names staff)."""
    admins: dict[int, frozenset[int]] = {}
    if admins_of is not None:
        for c in rt.config.communities:
            if c.platform == "telegram" and named_staff(c):
                admins[int(c.chat_id)] = await admins_of(int(c.chat_id))
    done = 0
    for menu in menus(rt, admins):
        try:
            await bot.set_my_commands(list(menu.commands), scope=menu.scope, language_code=menu.language_code)
            done += 1
        except TelegramAPIError as exc:
            where = f" (chat {menu.scope.chat_id}, user {menu.scope.user_id})" if isinstance(menu.scope, BotCommandScopeChatMember) else ""
            log.warning("setMyCommands %s/%s refused%s: %s", menu.scope.type, menu.language_code, where, exc.message)
    return done
