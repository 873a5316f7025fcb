"""Who administers a group, from ``getChatAdministrators``, cached briefly.

Asked once per chat per ``ttl`` (not per message); a ``chat_member`` update
that touches an admin drops the chat's entry so a promotion counts at once.
Concurrent lookups for one chat share one request.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError

from adapters.telegram.flow import FlowControl
from adapters.timing import Timer

log = logging.getLogger("adapters.telegram.admins")


@dataclass(frozen=True, slots=True)
class _Entry:
    admins: frozenset[int]
    expires: float


class AdminCache:
    def __init__(self, bot: Bot, flow: FlowControl, timer: Timer, ttl: float = 300.0, failure_ttl: float = 30.0) -> None:
        self.bot = bot
        self.flow = flow
        self.timer = timer
        self.ttl = ttl
        self.failure_ttl = failure_ttl
        self._entries: dict[int, _Entry] = {}
        self._locks: dict[int, asyncio.Lock] = {}
        self.fetches = 0

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
                members = await self.flow.call(chat_id, lambda: self.bot.get_chat_administrators(chat_id))
            except TelegramAPIError as exc:
                log.warning("cannot read the administrators of chat %s: %s", chat_id, exc.message)
                entry = _Entry(entry.admins if entry else frozenset(), self.timer.now() + self.failure_ttl)
            else:
                entry = _Entry(frozenset(m.user.id for m in members), self.timer.now() + self.ttl)
            self._entries[chat_id] = entry
            return entry.admins

    async def is_admin(self, chat_id: int, user_id: int) -> bool:
        return user_id in await self.admins(chat_id)

    def invalidate(self, chat_id: int) -> None:
        self._entries.pop(chat_id, None)
