"""Time for the adapters' waits (rate limits, retry backoff), injected so tests run them on a fake clock."""

from __future__ import annotations

import asyncio
import time
from typing import Protocol


class Timer(Protocol):
    def now(self) -> float: ...

    async def sleep(self, seconds: float) -> None: ...


class RealTimer:
    def now(self) -> float:
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)
