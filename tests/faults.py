"""What goes wrong with a fake platform's next request: the fault schedule both fakes share.

A ``FaultPlan`` answers, for each request the fake receives, "which fault, if
any?": first the faults queued for that method (``fail_next``), then, once
``randomly(...)`` armed it, a seeded draw. A fake applies the fault it is given
(``tests.telegram.fake_api``, ``tests.discord.fakes``); the plan only decides.

Where the fault happens relative to processing matters, and a ``Fault`` says it:

- ``after=False`` (the default): the request fails BEFORE the fake processes it. Nothing
  happened on the platform, so the client's retry makes it happen exactly once.
- ``after=True``: the fake processes the request, then the answer is lost (500 or a dropped
  connection). The client cannot tell this from the first kind; a retry of a non-idempotent
  call (sending a message) posts it twice. Neither Bot API nor Discord offers an idempotency
  key, so the adapters retry anyway: delivery is at-least-once, and these faults are kept out
  of the exactly-once claim (``tests/scale/test_platform_faults.py`` measures the window).

A random schedule never fails one method more than ``max_in_a_row`` times in a row: the
adapters give up after a few attempts (by design), and the point is to test recovery, not
that budget.
"""

from __future__ import annotations

import asyncio
import random
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

from aiohttp import web


@dataclass(frozen=True)
class Fault:
    """One failure. ``status`` None and not ``hang``: the connection drops without an answer."""

    status: int | None = 500
    hang: bool = False  # hold the request past the client's timeout, then drop it (never processed)
    after: bool = False  # process first, then lose the answer (see the module docstring)
    retry_after: float = 1.0  # seconds, for a 429
    description: str = "Internal Server Error"

    @property
    def kind(self) -> str:
        if self.hang:
            return "timeout"
        return "drop" if self.status is None else str(self.status)


RATE_LIMITED = Fault(429, retry_after=2.0, description="Too Many Requests")
SERVER_ERRORS = (Fault(500), Fault(502, description="Bad Gateway"), Fault(503, description="Service Unavailable"))
DROPPED = Fault(None)
TIMEOUT = Fault(None, hang=True)
# Everything that fails before processing: the mix the exactly-once scenarios draw from.
BEFORE = (RATE_LIMITED, *SERVER_ERRORS, DROPPED, TIMEOUT)
# Processed, then the answer is lost: the at-least-once window.
AFTER = (Fault(500, after=True), Fault(None, after=True))


@dataclass
class FaultPlan:
    queued: dict[str, deque[Fault]] = field(default_factory=lambda: defaultdict(deque))
    injected: list[tuple[str, Fault]] = field(default_factory=list)  # (method, fault), in the order they happened
    _rng: random.Random | None = None
    _rate: float = 0.0
    _kinds: Sequence[Fault] = ()
    _applies: Callable[[str], bool] = lambda _method: True
    _max_in_a_row: int = 2
    _in_a_row: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def fail_next(self, method: str, fault: Fault, times: int = 1) -> None:
        """The next ``times`` requests of ``method`` fail with ``fault``."""
        self.queued[method].extend([fault] * times)

    def randomly(
        self,
        seed: int,
        rate: float,
        kinds: Sequence[Fault] = BEFORE,
        applies: Callable[[str], bool] = lambda _method: True,
        max_in_a_row: int = 2,
    ) -> None:
        """From now on each request of a method ``applies`` accepts fails with probability ``rate``."""
        self._rng = random.Random(seed)
        self._rate, self._kinds, self._applies, self._max_in_a_row = rate, tuple(kinds), applies, max_in_a_row

    def stop(self) -> None:
        """No more random faults (queued ones still apply)."""
        self._rng = None

    def next(self, method: str) -> Fault | None:
        """The fault for this request of ``method``, or None to answer it normally."""
        fault: Fault | None = None
        if self.queued.get(method):
            fault = self.queued[method].popleft()
        elif self._rng is not None and self._applies(method) and self._in_a_row[method] < self._max_in_a_row:
            fault = self._rng.choice(self._kinds) if self._rng.random() < self._rate else None
        if fault is None:
            self._in_a_row[method] = 0
            return None
        self._in_a_row[method] += 1
        self.injected.append((method, fault))
        return fault

    def count(self, kind: str | None = None) -> int:
        return sum(1 for _, f in self.injected if kind is None or f.kind == kind)


async def answer(
    request: web.Request,
    fault: Fault | None,
    process: Callable[[], Awaitable[web.StreamResponse]],
    error: Callable[[Fault], web.StreamResponse],
    released: asyncio.Event,
) -> web.StreamResponse:
    """A fake's answer under ``fault``: failed before ``process`` (nothing done), after it (done, answer lost), or plain.

    ``error`` makes the platform's own error answer for a status (429 included); hangs and dropped
    connections are the same everywhere. A hang ends when ``released`` is set (the fake stops).
    """
    if fault is not None and not fault.after:
        return await _fail(request, fault, error, released)
    response = await process()
    if fault is not None:  # processed, and now the answer is lost
        return await _fail(request, fault, error, released)
    return response


async def _fail(
    request: web.Request, fault: Fault, error: Callable[[Fault], web.StreamResponse], released: asyncio.Event
) -> web.StreamResponse:
    if fault.hang:
        await released.wait()  # past any client timeout: the client gives up first
    if fault.status is None or fault.hang:
        if request.transport is not None:  # (after a hang the client has usually hung up already)
            request.transport.close()  # the client sees the connection drop mid-request
        return web.StreamResponse(status=500)
    return error(fault)
