"""Keeping each platform's adapter running: retry what a wait can fix, stop with a clear reason otherwise.

A network blip at boot (no route yet, the Bot API or Discord briefly down) is retried with a bounded,
logged backoff; a bad token or a missing permission is not (waiting will not fix it): the adapter stops
with a message saying what to change, and the other platform keeps running. ``bot.process`` turns the
outcomes into the exit status, so systemd's ``Restart=on-failure`` sees a failure as one.
"""

from __future__ import annotations

import asyncio
import enum
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.core.failure import Failure

log = logging.getLogger("bot.supervise")




class Outcome(enum.Enum):
    FATAL = "fatal"  # retrying cannot fix it (bad token, refused intents): exit status 78
    GAVE_UP = "gave up"  # still failing after every retry (network): exit status 69, restart may help


# Explains an adapter's exception; None: not recognised (handled by ``default_failure``).
Explain = Callable[[BaseException], Failure | None]


@dataclass(frozen=True, slots=True)
class Backoff:
    """Waits between attempts (about four minutes in all); a run that lasted ``healthy_after`` seconds
    starts the count again, so a blip on day three gets the full budget."""

    delays: tuple[float, ...] = (1, 2, 5, 10, 30, 60, 60, 60)
    healthy_after: float = 300.0
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep


def default_failure(exc: BaseException) -> Failure:
    """Network-level errors are worth a retry; anything unrecognised too (logged with its traceback)."""
    if isinstance(exc, OSError | TimeoutError):
        return Failure(True, f"network error: {exc or type(exc).__name__}")
    return Failure(True, f"unexpected error: {type(exc).__name__}: {exc}")


async def supervise(name: str, run: Callable[[], Awaitable[None]], explain: Explain, backoff: Backoff) -> Outcome:
    """Run ``run()`` until cancelled, restarting it after retryable failures; the outcome when it gives up."""
    attempt = 0
    while True:
        began = time.monotonic()
        try:
            await run()
            failure = Failure(True, "the connection ended unexpectedly")
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            failure = explain(exc) or default_failure(exc)
            if failure.reason.startswith("unexpected error"):
                log.error("%s: %s", name, failure.reason, exc_info=exc)
        if not failure.retry:
            log.error("%s stopped: %s", name, failure.reason)
            return Outcome.FATAL
        if time.monotonic() - began >= backoff.healthy_after:
            attempt = 0
        if attempt >= len(backoff.delays):
            log.error("%s stopped: still failing after %d attempts (%s)", name, attempt + 1, failure.reason)
            return Outcome.GAVE_UP
        delay = backoff.delays[attempt]
        attempt += 1
        log.warning("%s: %s; trying again in %gs (retry %d of %d)", name, failure.reason, delay, attempt, len(backoff.delays))
        await backoff.sleep(delay)
