"""Communities as the core sees them: id, chat, effective settings, staff lists.

Effective settings = ``[defaults]`` of the config, then the community's own
config table, then overrides that managers set with commands (stored in the
database). Resolved once and cached. A change made here is cached once committed (``adopt``);
one made by another process is seen at this process's next tick: ``load_all`` asks, in one
indexed query, which communities' settings changed in the last ``SETTINGS_LOOKBACK`` and
rebuilds those whose change it has not seen yet.

Chats the config does not list are served only as ``[unlisted]`` says: not at
all, or up to ``max`` of them (a warning names the first one turned away, then counts), with
their admins' role capped. Rituals skip an unlisted community idle for longer
than ``idle_after``, so the tick's cost follows the active communities.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.actions import Buttons, SendMessage
from bot.core.config import Config, deep_merge
from bot.core.ids import ChatRef
from bot.core.richtext import Rich
from bot.core.settings import CommunitySettings
from storage.repos.communities import CommunityRepo

log = logging.getLogger("bot.core.community")

# How far back each tick looks for settings changes: covers clocks this far apart between processes,
# and a change committed this long after it was stamped. Rows changed within it are read again each tick.
SETTINGS_LOOKBACK = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class CommunityInfo:
    id: int
    chat: ChatRef
    name: str
    settings: CommunitySettings
    tz: ZoneInfo
    main_place: str | None = None
    managers: frozenset[str] = frozenset()
    moderators: frozenset[str] = frozenset()
    listed: bool = True  # False: a chat the config does not list, served with [defaults]

    @property
    def log_chat(self) -> tuple[ChatRef, str | None] | None:
        """Where the moderators' log goes: ``(chat, place)``, or None when there is no log.

        ``log_place`` is a place of the community's own chat (a Discord channel, a Telegram forum topic) or,
        on Telegram, a separate chat of the moderators (a chat id: ``-100...``), the bot a member there.
        """
        place = self.settings.log_place
        if not place:
            return None
        if self.chat.platform == "telegram" and _CHAT_ID.match(place):
            return ChatRef("telegram", place), None
        return self.chat, place

    def to_log(self, text: Rich, buttons: Buttons = (), silent: bool = True) -> SendMessage | None:
        """The message that posts ``text`` to the moderators' log; None without a log."""
        where = self.log_chat
        return None if where is None else SendMessage(where[0], text, place=where[1], buttons=buttons, silent=silent)


_CHAT_ID = re.compile(r"-\d+")


class CommunityDirectory:
    """Communities by chat, cached. A new community's row is committed in its own short
    transaction, so a rolled-back event never leaves a cached id without its row."""

    def __init__(self, config: Config, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.config = config
        self.sessions = sessions
        self._cache: dict[ChatRef, CommunityInfo] = {}
        self._by_id: dict[int, CommunityInfo] = {}
        self._log_homes: dict[ChatRef, ChatRef] = {}  # a moderators' separate chat -> the community it logs
        # The same from the config file, known before a community is first resolved (read once: asked per event).
        self._configured_log_homes = {
            ChatRef("telegram", c.settings.log_place): ChatRef("telegram", c.chat_id)
            for c in config.communities
            if c.platform == "telegram" and c.settings.log_place and _CHAT_ID.match(c.settings.log_place)
        }
        self._unlisted = 0  # unlisted communities served
        self._turned_away: set[ChatRef] = set()  # logged once each (bounded)
        self._last_row = 0  # rows up to this id are loaded
        self._seen: dict[int, datetime] = {}  # community id -> its latest activity
        self._seen_loaded = False
        self._base: dict[ChatRef, dict[str, Any]] = {}
        self._defaults: dict[str, Any] | None = None
        self._settings_at: dict[int, datetime | None] = {}  # community id -> the settings change its cached info shows
        self._refreshed: list[int] = []  # communities rebuilt from another process's change, since ``take_refreshed``

    def cached(self, chat: ChatRef) -> CommunityInfo | None:
        return self._cache.get(chat)

    def admit(self, chat: ChatRef) -> bool:
        """Whether to serve this chat: listed ones always; unlisted ones as ``[unlisted]`` says."""
        if chat in self._cache or self.config.community(chat.platform, chat.id) is not None:
            return True
        u = self.config.unlisted
        if u.serve and self._unlisted < u.max:
            return True
        if chat not in self._turned_away and len(self._turned_away) < 100_000:
            self._turned_away.add(chat)
            n = len(self._turned_away)
            if n == 1 or n in (10, 100, 1_000, 10_000, 100_000):  # one clear line, then a count now and then, not a flood
                why = "[unlisted] serve = false" if not u.serve else f"[unlisted] max = {u.max} unlisted chats are served already"
                more = f" ({n} unlisted chats turned away so far)" if n > 1 else ""
                log.warning("not serving %s chat %s: it is not in the config and %s%s", chat.platform, chat.id, why, more)
        return False

    def seen(self, community_id: int, at: datetime) -> None:
        """Something happened in the community (an event): its rituals run again if they were skipped."""
        if at > self._seen.get(community_id, at - timedelta(seconds=1)):
            self._seen[community_id] = at

    def idle(self, info: CommunityInfo, now: datetime) -> bool:
        """An unlisted community with no activity for ``idle_after``: rituals skip it."""
        if info.listed:
            return False
        last = self._seen.get(info.id)
        return last is None or now - last > self.config.unlisted.idle_after

    def all_cached(self) -> list[CommunityInfo]:
        return list(self._cache.values())

    def by_id(self, community_id: int) -> CommunityInfo | None:
        return self._by_id.get(community_id)

    def log_home(self, chat: ChatRef) -> ChatRef | None:
        """The community whose moderators' log is this separate chat, if any (never a community itself)."""
        return self._log_homes.get(chat) or self._configured_log_homes.get(chat)

    def base_settings(self, chat: ChatRef) -> dict[str, Any]:
        """The config file's settings for the chat, as JSON data (computed once per chat: read it, don't change it)."""
        got = self._base.get(chat)
        if got is None:
            own = self.config.community(chat.platform, chat.id)
            if own is None:  # every unlisted chat shares [defaults]
                if self._defaults is None:
                    self._defaults = self.config.defaults.model_dump(mode="json")
                return self._defaults
            got = self._base[chat] = own.settings.model_dump(mode="json")
        return got

    async def resolve(self, chat: ChatRef, now: datetime, title: str = "") -> CommunityInfo:
        info = self._cache.get(chat)
        if info is not None:
            return info
        own = self.config.community(chat.platform, chat.id)
        name = (own.name if own and own.name else title)[:256]
        try:
            async with self.sessions() as session:
                row = await CommunityRepo(session).get_or_create(chat.platform, chat.id, name, now)
                await session.commit()
        except IntegrityError:  # another process created it first
            async with self.sessions() as session:
                row = await CommunityRepo(session).get_or_create(chat.platform, chat.id, name, now)
                await session.commit()
        info = self._build(row.id, chat, row.title, row.settings or {})
        self._keep(info)
        self._settings_at[info.id] = row.settings_changed_at
        self.seen(info.id, now)
        return info

    def _keep(self, info: CommunityInfo) -> None:
        if info.chat not in self._cache and not info.listed:
            self._unlisted += 1
        self._cache[info.chat] = info
        self._by_id[info.id] = info
        self._log_homes = {log: home for log, home in self._log_homes.items() if home != info.chat}
        where = info.log_chat
        if where is not None and where[0] != info.chat:
            self._log_homes[where[0]] = info.chat

    def _build(self, community_id: int, chat: ChatRef, title: str, overrides: dict[str, Any]) -> CommunityInfo:
        own = self.config.community(chat.platform, chat.id)
        base = self.base_settings(chat)
        try:
            settings = CommunitySettings.model_validate(deep_merge(base, overrides))
        except ValidationError:
            # Overrides written by an older version that no longer validate: fall back, never crash.
            settings = CommunitySettings.model_validate(base)
        return CommunityInfo(
            id=community_id,
            chat=chat,
            name=(own.name if own and own.name else title) or chat.id,
            settings=settings,
            tz=ZoneInfo(settings.timezone),
            main_place=own.main_place if own else None,
            managers=frozenset(own.managers) if own else frozenset(),
            moderators=frozenset(own.moderators) if own else frozenset(),
            listed=own is not None,
        )

    def preview(self, info: CommunityInfo, overrides: dict[str, Any]) -> CommunityInfo:
        """The community as these overrides would make it; not cached (``adopt`` it once they are committed)."""
        return self._build(info.id, info.chat, info.name, overrides)

    def adopt(self, info: CommunityInfo, changed_at: datetime | None = None) -> None:
        """Serve this rebuilt community from now on: call it after its overrides are committed, so that the
        cache never shows settings the database does not hold (a rolled-back change is not kept)."""
        self._keep(info)
        if changed_at is not None:
            self._settings_at[info.id] = changed_at

    def apply_overrides(self, info: CommunityInfo, overrides: dict[str, Any]) -> CommunityInfo:
        """Rebuild a community's settings and cache them (the overrides are committed already)."""
        new = self.preview(info, overrides)
        self.adopt(new)
        return new

    def take_refreshed(self) -> list[int]:
        """The communities rebuilt from other processes' settings changes since the last call."""
        out, self._refreshed = self._refreshed, []
        return out

    async def load_all(self, now: datetime) -> list[CommunityInfo]:
        """Every community served: those in the config and those the bot met (also through other processes).

        Only rows added since the last call are read, so a tick costs no scan of every community.
        """
        for c in self.config.communities:
            chat = ChatRef(c.platform, c.chat_id)
            if chat not in self._cache:
                await self.resolve(chat, now, c.name)
        async with self.sessions() as session:
            repo = CommunityRepo(session)
            rows = await repo.newer_than(self._last_row)
            changed = await repo.settings_changed_since(now - SETTINGS_LOOKBACK)
            if not self._seen_loaded:  # once per process: when each community was last active
                self._seen_loaded = True
                for community_id, at in (await repo.last_activity()).items():
                    self.seen(community_id, at)
        for row in rows:
            self._last_row = max(self._last_row, row.id)
            chat = ChatRef(row.platform, row.chat_id)  # type: ignore[arg-type]
            if chat not in self._cache and self.admit(chat):
                self._keep(self._build(row.id, chat, row.title, row.settings or {}))
                self._settings_at[row.id] = row.settings_changed_at
        for community_id, overrides, at in changed:
            info = self._by_id.get(community_id)
            if info is not None and self._settings_at.get(community_id) != at:
                self._keep(self._build(info.id, info.chat, info.name, overrides))
                self._settings_at[community_id] = at
                self._refreshed.append(community_id)
        return list(self._cache.values())
