"""APScheduler wiring: a tick every ``bot.tick`` seconds, an activity flush every second, a clean-up daily."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.core.runtime import Runtime
from rituals import retention
from rituals.runner import RitualRunner

log = logging.getLogger("rituals.scheduler")


def build_scheduler(rt: Runtime, runner: RitualRunner, tick: timedelta) -> AsyncIOScheduler:
    """A scheduler that the caller starts inside its running event loop.

    ``max_instances=1`` and ``coalesce`` make a slow tick delay the next one
    instead of running two at once; the database, not the scheduler, knows
    what is due, so a missed tick loses nothing.
    """
    scheduler = AsyncIOScheduler(timezone="UTC")
    scheduler.add_job(
        runner.tick,
        IntervalTrigger(seconds=max(1, int(tick.total_seconds()))),
        id="rituals",
        max_instances=1,
        coalesce=True,
        misfire_grace_time=None,
    )
    scheduler.add_job(rt.flush, IntervalTrigger(seconds=1), id="flush", max_instances=1, coalesce=True, misfire_grace_time=None)
    first = datetime.now(UTC) + timedelta(minutes=10)  # not at start (a restart loop would prune each time), then daily
    scheduler.add_job(
        retention.prune, IntervalTrigger(hours=24), args=(rt,), id="retention", next_run_time=first, max_instances=1, coalesce=True
    )
    return scheduler


async def stop_scheduler(scheduler: AsyncIOScheduler, timeout: float = 10.0) -> None:
    """Stop starting jobs, let the ones running finish (up to ``timeout``), then shut down.

    APScheduler 3's asyncio executor cancels running jobs on shutdown and logs each as a failed job with a
    traceback; a tick in flight at SIGTERM is better finished (its claims are short) than cancelled."""
    scheduler.pause()
    executor = scheduler._lookup_executor("default")
    pending: set[asyncio.Future[object]] = getattr(executor, "_pending_futures", set())
    if pending:
        await asyncio.wait(list(pending), timeout=timeout)
    scheduler.shutdown(wait=False)
