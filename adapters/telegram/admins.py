"""Who administers a group, from ``getChatAdministrators``, cached briefly.

Asked once per chat per ``ttl`` (not per message); a ``chat_member`` update
that touches an admin drops the chat's entry so a promotion counts at once.
Concurrent lookups for one chat share one request. An answer this aiogram cannot read (a self-hosted Bot API
server one version behind leaves out a field it requires) still names the user ids: they are read from the raw
answer and cached like any other, with one warning, instead of failing every message of the chat.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

from aiogram import Bot
from aiogram.exceptions import ClientDecodeError, TelegramAPIError

from adapters.timing import Timer

log = logging.getLogger("adapters.telegram.admins")


@dataclass(frozen=True, slots=True)
class _Entry:
    admins: frozenset[int]
    expires: float


class AdminCache:
    def __init__(self, bot: Bot, timer: Timer, ttl: float = 300.0, failure_ttl: float = 30.0) -> None:
        self.bot = bot
        self.timer = timer
        self.ttl = ttl
        self.failure_ttl = failure_ttl
        self._entries: dict[int, _Entry] = {}
        self._locks: dict[int, asyncio.Lock] = {}
        self.fetches = 0
        self._told_unreadable = False

    async def admins(self, chat_id: int) -> frozenset[int]:
        """User ids of the chat's owner and administrators (empty if Telegram would not say)."""
        entry = self._entries.get(chat_id)
        if entry is not None and entry.expires > self.timer.now():
            return entry.admins
        async with self._locks.setdefault(chat_id, asyncio.Lock()):
            entry = self._entries.get(chat_id)
            if entry is not None and entry.expires > self.timer.now():
                return entry.admins
            self.fetches += 1
            try:
                members = await self.bot.get_chat_administrators(chat_id)
            except TelegramAPIError as exc:
                log.warning("cannot read the administrators of chat %s: %s", chat_id, exc.message)
                entry = _Entry(entry.admins if entry else frozenset(), self.timer.now() + self.failure_ttl)
            except ClientDecodeError as exc:
                ids = _raw_user_ids(exc.data)
                self._tell_unreadable(chat_id, ids is not None)
                ttl = self.ttl if ids is not None else self.failure_ttl
                entry = _Entry(ids if ids is not None else entry.admins if entry else frozenset(), self.timer.now() + ttl)
            else:
                entry = _Entry(frozenset(m.user.id for m in members), self.timer.now() + self.ttl)
            self._entries[chat_id] = entry
            return entry.admins

    async def is_admin(self, chat_id: int, user_id: int) -> bool:
        return user_id in await self.admins(chat_id)

    def invalidate(self, chat_id: int) -> None:
        self._entries.pop(chat_id, None)

    def _tell_unreadable(self, chat_id: int, salvaged: bool) -> None:
        if self._told_unreadable:
            return
        self._told_unreadable = True
        how = "read the user ids from the raw answer" if salvaged else "using the configured roles only"
        log.warning(
            "getChatAdministrators of chat %s answered in a form this aiogram cannot read (is the Bot API server older?); %s",
            chat_id,
            how,
        )


def _raw_user_ids(data: Any) -> frozenset[int] | None:
    """The user ids in a raw ``getChatAdministrators`` answer, or None when it has no such list."""
    result = data.get("result") if isinstance(data, dict) else None
    if not isinstance(result, list):
        return None
    ids = [m.get("user", {}).get("id") for m in result if isinstance(m, dict) and isinstance(m.get("user"), dict)]
    return frozenset(i for i in ids if isinstance(i, int))
