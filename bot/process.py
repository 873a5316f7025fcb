"""``community-bot run``: the real bot, every enabled adapter in one process.

Each platform runs under ``bot.supervise``: network failures are retried with a bounded backoff, and one
platform stopping never stops the other. The process exits only on a signal (status 0) or when every
platform has stopped: status 78 (EX_CONFIG) when retrying cannot help (a refused token; the systemd unit
does not restart on it), 69 (EX_UNAVAILABLE) when the network stayed down (the unit restarts it).
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any, Literal

from aiohttp import web

from bot.app import App
from bot.core.clock import SystemClock
from bot.core.config import Config, Secrets
from bot.core.runtime import Runtime
from bot.supervise import Backoff, Failure, Outcome, supervise
from bot.unlisted import log_unlisted
from bot.web import serve as serve_web
from rituals.scheduler import build_scheduler, stop_scheduler
from storage.db import Database

log = logging.getLogger("bot.process")

EXIT_OK = 0
EXIT_UNAVAILABLE = 69  # sysexits.h: the network or a service stayed down; a restart may help
EXIT_CONFIG = 78  # sysexits.h: configuration error (bad token...); restarting will not help

# An adapter starter: given the app and the secrets, registers its outbox and runs until cancelled.
AdapterStarter = Callable[[Runtime, Config, Secrets], Coroutine[Any, Any, None]]


@dataclass(frozen=True, slots=True)
class PlatformRunner:
    start: AdapterStarter
    explain: Callable[[BaseException, Config], Failure | None]


def adapter_starters(config: Config) -> dict[str, PlatformRunner]:
    """The enabled platforms' starters, imported only when enabled."""
    starters: dict[str, PlatformRunner] = {}
    if config.telegram.enabled:
        from adapters.telegram import adapter as telegram

        starters["telegram"] = PlatformRunner(telegram.run_telegram, telegram.explain_failure)
    if config.discord.enabled:
        from adapters.discord import adapter as discord

        starters["discord"] = PlatformRunner(discord.run_discord, discord.explain_failure)
    return starters


async def start_web(rt: Runtime, config: Config) -> web.AppRunner | Literal[False] | None:
    """The web server when ``[web] enabled`` (None when not); False when it cannot listen (logged, naming the field)."""
    w = config.web
    if not w.enabled:
        return None
    try:
        runner = await serve_web(rt, w.listen_host, w.listen_port)
    except OSError as exc:
        why = exc.strerror or exc
        fix = "choose a free port, or stop what holds it"
        log.error("web.listen_port: cannot listen on %s:%s (%s): %s", w.listen_host, w.listen_port, why, fix)
        return False
    log.info("web server listening on %s:%s; members reach it at %s", w.listen_host, w.listen_port, w.public_url)
    return runner


async def run_service(config: Config, secrets: Secrets, *, backoff: Backoff | None = None, stop: asyncio.Event | None = None) -> int:
    """Run until a signal (or ``stop``) or until every platform has stopped; the exit status."""
    backoff = backoff or Backoff()
    starters = adapter_starters(config)
    if not starters:
        log.error("no platform is enabled in the config: set telegram.enabled or discord.enabled to true")
        return EXIT_CONFIG
    db = Database(config.bot.database_url)
    app = App(config, db, SystemClock())
    await app.start()
    await log_unlisted(config, db)
    site = await start_web(app.rt, config)
    if site is False:
        await app.close()
        return EXIT_CONFIG
    scheduler = build_scheduler(app.rt, app.rituals, config.bot.tick)
    scheduler.start()
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError):  # pragma: no cover - Windows, or not the main thread
            pass

    def supervised(name: str, runner: PlatformRunner) -> asyncio.Task[Outcome]:
        run = lambda: runner.start(app.rt, config, secrets)  # noqa: E731
        explain = lambda exc: runner.explain(exc, config)  # noqa: E731
        return asyncio.create_task(supervise(name.capitalize(), run, explain, backoff), name=name)

    tasks = {name: supervised(name, runner) for name, runner in starters.items()}
    stopper = asyncio.create_task(stop.wait())
    outcomes: dict[str, Outcome] = {}
    try:
        pending: set[asyncio.Task[Any]] = {*tasks.values(), stopper}
        while len(outcomes) < len(tasks) and not stop.is_set():
            done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
            for name, task in tasks.items():
                if task in done:
                    outcomes[name] = task.result()
                    still = [n for n in tasks if n not in outcomes]
                    if still:
                        log.error("%s is not running; %s keeps running", name.capitalize(), ", ".join(n.capitalize() for n in still))
    finally:
        for t in [*tasks.values(), stopper]:
            t.cancel()
        await asyncio.gather(*tasks.values(), stopper, return_exceptions=True)
        await stop_scheduler(scheduler)
        if site is not None:
            await site.cleanup()
        await app.close()
    if stop.is_set() and len(outcomes) < len(tasks):
        return EXIT_OK
    return EXIT_UNAVAILABLE if Outcome.GAVE_UP in outcomes.values() else EXIT_CONFIG
