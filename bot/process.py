"""``community-bot run``: the real bot, every enabled adapter in one process."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Callable, Coroutine
from typing import Any

from bot.app import App
from bot.core.clock import SystemClock
from bot.core.config import Config, Secrets
from bot.core.runtime import Runtime
from rituals.scheduler import build_scheduler
from storage.db import Database

log = logging.getLogger("bot.process")

# An adapter starter: given the app and the secrets, registers its outbox and runs until cancelled.
AdapterStarter = Callable[[Runtime, Config, Secrets], Coroutine[Any, Any, None]]


def adapter_starters(config: Config) -> dict[str, AdapterStarter]:
    """The enabled platforms' starters, imported only when enabled."""
    starters: dict[str, AdapterStarter] = {}
    if config.telegram.enabled:
        from adapters.telegram.adapter import run_telegram

        starters["telegram"] = run_telegram
    if config.discord.enabled:
        from adapters.discord.adapter import run_discord

        starters["discord"] = run_discord
    return starters


async def run_service(config: Config, secrets: Secrets) -> None:
    starters = adapter_starters(config)
    if not starters:
        log.warning("no platform is enabled in the config: set telegram.enabled or discord.enabled to true")
        return
    db = Database(config.bot.database_url)
    app = App(config, db, SystemClock())
    await app.start()
    scheduler = build_scheduler(app.rt, app.rituals, config.bot.tick)
    scheduler.start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
        except NotImplementedError:  # pragma: no cover - Windows
            pass
    tasks: list[asyncio.Task[None]] = [asyncio.create_task(start(app.rt, config, secrets), name=name) for name, start in starters.items()]
    stopper = asyncio.create_task(stop.wait())
    try:
        done, _ = await asyncio.wait([*tasks, stopper], return_when=asyncio.FIRST_COMPLETED)
        for t in done:
            if t is not stopper and t.exception():
                log.error("adapter %s stopped: %s", t.get_name(), t.exception())
    finally:
        for t in [*tasks, stopper]:
            t.cancel()
        await asyncio.gather(*tasks, stopper, return_exceptions=True)
        scheduler.shutdown(wait=False)
        await app.close()
