"""Wiring: config + database + clock + outboxes -> a running core with every feature."""

from __future__ import annotations

from types import ModuleType

from bot import priorities
from bot.clock import Clock
from bot.config import Config
from bot.dispatch import CommandDispatch
from bot.outbox import Outbox
from bot.runtime import Runtime
from handlers import activity, admin, onboarding, pinned, rubrics, spam
from rituals import calendar, weekly_prompt
from rituals.runner import RitualRunner
from storage.db import Database

# Each feature module has ``setup(rt)``; the order here does not matter, priorities do.
FEATURES: tuple[ModuleType, ...] = (spam, onboarding, rubrics, pinned, admin, activity, weekly_prompt, calendar)


class App:
    """The core, ready to take events from adapters and ticks from the scheduler."""

    def __init__(self, config: Config, db: Database, clock: Clock, outboxes: dict[str, Outbox] | None = None) -> None:
        self.config = config
        self.db = db
        self.rt = Runtime(config, db, clock, outboxes)
        self.rt.add_handler(CommandDispatch(), priorities.COMMANDS)
        for feature in FEATURES:
            feature.setup(self.rt)
        self.rt.start()
        self.rituals = RitualRunner(self.rt)

    async def start(self) -> None:
        """Create or upgrade the schema."""
        await self.db.upgrade()

    async def handle(self, event):  # type: ignore[no-untyped-def]
        return await self.rt.handle(event)

    async def tick(self) -> None:
        await self.rituals.tick()

    async def close(self) -> None:
        await self.rt.flush()
        await self.db.dispose()
