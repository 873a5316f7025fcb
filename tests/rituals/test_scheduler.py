"""APScheduler really fires the ritual tick (real event loop, real scheduler; awaited, not slept on)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.harness import LocalBot
from rituals.scheduler import build_scheduler
from tests.rituals.conftest import local, sent


async def test_scheduler_fires_the_tick(bot: LocalBot) -> None:
    bot.clock.set(local(2026, 11, 30, 10, 1))  # the weekly prompt is due on the virtual clock
    runner = bot.app.rituals
    fired = asyncio.Event()
    real_tick = runner.tick

    async def tick() -> None:
        await real_tick()
        fired.set()

    runner.tick = tick  # type: ignore[method-assign]
    scheduler = build_scheduler(bot.app.rt, runner, timedelta(seconds=1))
    scheduler.start()
    try:
        await asyncio.wait_for(fired.wait(), timeout=10)
    finally:
        scheduler.shutdown(wait=False)
    assert len(sent(bot, "Question of the week")) == 1
