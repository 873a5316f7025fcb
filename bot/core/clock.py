"""Clocks: the system's, and a virtual one for the demo and tests."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""
        ...

    async def sleep(self, delta: timedelta) -> None:
        """Wait until this clock has moved on by ``delta`` (a lease's heartbeat waits so)."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    async def sleep(self, delta: timedelta) -> None:
        await asyncio.sleep(max(0.0, delta.total_seconds()))


class VirtualClock:
    """A clock that only moves when told to; ``sleep`` returns when ``advance`` or ``set`` passes its time."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("VirtualClock needs a timezone-aware start")
        self._now = start.astimezone(UTC)
        self._sleepers: list[tuple[datetime, asyncio.Future[None]]] = []

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> datetime:
        self._now += delta
        self._wake()
        return self._now

    def set(self, when: datetime) -> None:
        self._now = when.astimezone(UTC)
        self._wake()

    async def sleep(self, delta: timedelta) -> None:
        if delta <= timedelta(0):
            return
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        entry = (self._now + delta, fut)
        self._sleepers.append(entry)
        try:
            await fut
        finally:
            if entry in self._sleepers:
                self._sleepers.remove(entry)

    def _wake(self) -> None:
        due = [(t, f) for t, f in self._sleepers if t <= self._now]
        self._sleepers = [(t, f) for t, f in self._sleepers if t > self._now]
        for _, fut in due:
            if not fut.done():
                fut.set_result(None)
