"""Wiring: config + database + clock + outboxes -> a running core with every feature."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

from bot.core import priorities
from bot.core.clock import Clock
from bot.core.config import Config
from bot.core.context import Context
from bot.core.dispatch import CommandDispatch
from bot.core.events import Event
from bot.core.outbox import Outbox
from bot.core.runtime import Runtime
from handlers import (
    activity,
    admin,
    calendar,
    comeback,
    conduct,
    feedback,
    interests,
    levels,
    onboarding,
    pinned,
    polls,
    prompts,
    questions,
    recognition,
    rights,
    rubrics,
    spam,
    surveys,
)
from rituals.runner import RitualRunner
from storage.db import Database

# Each feature module has ``setup(rt)``; the order here does not matter, priorities do.
FEATURES: tuple[ModuleType, ...] = (
    spam, onboarding, rubrics, pinned, admin, activity, prompts, calendar, rights, polls, questions, surveys, feedback, recognition,
    conduct, comeback, levels, interests,
)  # fmt: skip


class App:
    """The core, ready to take events from adapters and ticks from the scheduler."""

    def __init__(
        self, config: Config, db: Database, clock: Clock, outboxes: dict[str, Outbox] | None = None, locales: Sequence[Path] = ()
    ) -> None:
        self.config = config
        self.db = db
        self.rt = Runtime(config, db, clock, outboxes)
        self.rt.add_handler(CommandDispatch(), priorities.COMMANDS)
        for feature in FEATURES:
            feature.setup(self.rt)
        for folder in locales:  # the wiring's own texts (the demo's transcript)
            self.rt.add_locales(folder)
        self.rt.start()
        self.rituals = RitualRunner(self.rt)

    async def start(self) -> None:
        """Create or upgrade the schema."""
        await self.db.upgrade()

    async def handle(self, event: Event) -> Context | None:
        return await self.rt.handle(event)

    async def tick(self) -> None:
        await self.rituals.tick()

    async def close(self) -> None:
        await self.rt.flush()
        await self.db.dispose()
