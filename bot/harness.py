"""Build a whole bot on the local simulator: used by the demo, the benchmarks and the tests."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from adapters.local.simulator import LocalPlatform
from bot.app import App
from bot.core.clock import VirtualClock
from bot.core.config import Config, parse_config
from bot.core.outbox import Outbox
from storage.db import Database

COMMUNITY = "town"


def local_config(
    settings: Mapping[str, Any] | None = None,
    *,
    chat_id: str = COMMUNITY,
    name: str = "Riverside Makers",
    managers: tuple[str, ...] = ("mia",),
    extra: Mapping[str, Any] | None = None,
) -> Config:
    """A config with one community on the local platform."""
    data: dict[str, Any] = {
        "communities": [
            {"platform": "local", "chat_id": chat_id, "name": name, "managers": list(managers), "settings": dict(settings or {})}
        ]
    }
    data.update(extra or {})
    return parse_config(data, "<local>")


@dataclass
class LocalBot:
    app: App
    sim: LocalPlatform
    clock: VirtualClock

    async def tick(self) -> None:
        await self.app.rituals.tick(self.clock.now())


@asynccontextmanager
async def local_bot(
    config: Config, db_url: str, start: datetime, admins: tuple[str, ...] = ("mia",), locales: Sequence[Path] = ()
) -> AsyncIterator[LocalBot]:
    clock = VirtualClock(start)
    sim = LocalPlatform(clock)
    for c in config.communities:
        if c.platform == "local":
            sim.add_chat(c.chat_id, c.name or c.chat_id, admins=admins)
    async with bot_on(sim, config, db_url, clock, locales=locales) as bot:
        yield bot


@asynccontextmanager
async def bot_on(
    sim: LocalPlatform,
    config: Config,
    db_url: str,
    clock: VirtualClock,
    *,
    outbox: Outbox | None = None,
    locales: Sequence[Path] = (),
) -> AsyncIterator[LocalBot]:
    """A bot process on an existing simulated platform (a restart keeps the platform and its history);
    ``outbox`` stands between the core and the platform when given (a journal, an injected fault)."""
    app = App(config, Database(db_url), clock, {"local": outbox or sim}, locales)
    app.rt.deep_links["local"] = sim.deep_link
    await app.start()
    sim.connect(app.handle)
    try:
        yield LocalBot(app, sim, clock)
    finally:
        await app.close()
