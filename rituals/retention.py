"""The daily clean-up (``bot.keep_ritual_runs``, ``bot.keep_activity``): what grows with every day the bot runs is
trimmed, so a bot that runs for years needs no manual upkeep. Safe with several processes (deleting twice is
deleting once) and never re-runs an occurrence: the runner asks only about occurrences within the grace period,
far younger than what is kept."""

from __future__ import annotations

import logging

from bot.core.runtime import Runtime
from storage.repos import retention

log = logging.getLogger("rituals.retention")


async def prune(rt: Runtime) -> int:
    """Trim every community's old rows, one short transaction each; how many rows went (logged)."""
    cfg, now = rt.config.bot, rt.clock.now()
    runs_before, days_before = now - cfg.keep_ritual_runs, (now - cfg.keep_activity).date()
    try:
        async with rt.db.sessions() as session:
            ids = await retention.community_ids(session)
        gone = 0
        for cid in ids:
            async with rt.db.sessions() as session:
                gone += await retention.prune(session, cid, runs_before, days_before)
                await session.commit()
    except Exception:
        log.exception("the daily clean-up failed; it runs again tomorrow")
        return 0
    if gone:
        log.info("daily clean-up: %d old rows removed (ritual runs before %s, activity before %s)", gone, runs_before.date(), days_before)
    return gone
