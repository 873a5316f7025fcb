"""The running bot: services shared by every event, and the feature registry."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bot.actions import Action, Failed, FailReason, Result, Unsupported
from bot.clock import Clock
from bot.commands import ButtonRegistry, CommandRegistry
from bot.community import CommunityDirectory
from bot.config import Config
from bot.events import Event
from bot.i18n import Catalogs
from bot.outbox import Outbox
from bot.ritual import Ritual
from bot.router import Handler, Router
from bot.tracking import MemberTracker
from storage.db import Database

log = logging.getLogger("bot.runtime")

CORE_LOCALES = Path(__file__).parent / "locales"


@dataclass(frozen=True, slots=True)
class _Registered:
    priority: int
    order: int
    handler: Handler


class Runtime:
    """Holds what every handler shares. Features register into it, then ``start`` builds the router."""

    def __init__(self, config: Config, db: Database, clock: Clock, outboxes: dict[str, Outbox] | None = None) -> None:
        self.config = config
        self.db = db
        self.clock = clock
        self.outboxes: dict[str, Outbox] = dict(outboxes or {})
        self.directory = CommunityDirectory(config)
        self.tracker = MemberTracker(db.dialect)
        self.commands = CommandRegistry()
        self.buttons = ButtonRegistry()
        self.rituals: list[Ritual] = []
        self.locale_folders: list[Path] = [CORE_LOCALES]
        self._handlers: list[_Registered] = []
        self._catalogs: Catalogs | None = None
        self._router: Router | None = None
        self.action_failures = 0

    # ---- registration (features call these in their ``setup``) ----
    def add_handler(self, handler: Handler, priority: int) -> None:
        self._handlers.append(_Registered(priority, len(self._handlers), handler))

    def add_ritual(self, ritual: Ritual) -> None:
        self.rituals.append(ritual)

    def add_locales(self, folder: Path) -> None:
        self.locale_folders.append(folder)

    def start(self) -> None:
        self._catalogs = Catalogs(self.locale_folders)
        ordered = sorted(self._handlers, key=lambda r: (r.priority, r.order))
        self._router = Router(self, [r.handler for r in ordered])

    # ---- services ----
    @property
    def catalogs(self) -> Catalogs:
        if self._catalogs is None:
            raise RuntimeError("Runtime.start() was not called")
        return self._catalogs

    @property
    def router(self) -> Router:
        if self._router is None:
            raise RuntimeError("Runtime.start() was not called")
        return self._router

    def now(self) -> datetime:
        return self.clock.now()

    async def handle(self, event: Event):  # type: ignore[no-untyped-def]
        return await self.router.dispatch(event)

    async def perform(self, platform: str, action: Action) -> Result:
        outbox = self.outboxes.get(platform)
        if outbox is None:
            return Unsupported(f"no outbox for {platform}")
        try:
            result = await outbox.perform(action)
        except Exception as exc:  # an outbox must not raise, but one bug must not stop the bot
            log.exception("outbox raised on %s", type(action).__name__)
            result = Failed(FailReason.UNAVAILABLE, type(exc).__name__)
        if isinstance(result, Failed):
            self.action_failures += 1
        return result

    async def flush(self) -> None:
        """Write buffered member counts and activity."""
        if not len(self.tracker):
            return
        batch = self.tracker.take()
        async with self.db.sessions() as session:
            try:
                await self.tracker.write(session, batch)
                await session.commit()
            except Exception:
                await session.rollback()
                self.tracker.restore(batch)
                log.exception("could not write activity counters; they stay buffered")
