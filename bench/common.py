"""Shared helpers for the benchmark scripts: figures, JSON output, memory."""

from __future__ import annotations

import argparse
import json
import resource
import sys
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
