"""Shared helpers for the benchmark scripts: figures, JSON output, memory."""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import sys
import time
from collections import deque
from collections.abc import Iterable
from pathlib import Path


def parser(description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--json", type=Path, help="also write the figures as one flat JSON object to this file")
    return p


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    idx = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[idx]


def peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux, bytes on macOS.
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def report(figures: dict[str, float | int | str], json_path: Path | None) -> None:
    width = max(len(k) for k in figures)
    for k, v in figures.items():
        shown = f"{v:,.3f}" if isinstance(v, float) else str(v)
        print(f"{k:<{width}}  {shown}")
    if json_path:
        json_path.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


def max_in_window(times: Iterable[float], period: float) -> int:
    """The most events in any ``period`` seconds (a window closed at its end, open at its start, as Telegram's)."""
    window: deque[float] = deque()
    best = 0
    for t in sorted(times):
        window.append(t)
        while window[0] <= t - period:
            window.popleft()
        best = max(best, len(window))
    return best


class ScaledTimer:
    """Monotonic time running ``scale`` times as fast as the wall clock (for the flow control and the fake alike)."""

    def __init__(self, scale: float) -> None:
        self.scale = scale
        self._start = time.monotonic()

    def now(self) -> float:
        return (time.monotonic() - self._start) * self.scale

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds / self.scale)
