"""How much CPU the Telegram adapter spends per incoming message: JSON -> aiogram Update -> core event.

Run: python bench/telegram_translate.py [--json FILE]
"""

from __future__ import annotations

import sys as _sys
from pathlib import Path as _Path

_sys.path.insert(0, str(_Path(__file__).resolve().parents[1]))  # ``python bench/x.py`` from the project root

import argparse
import json
import time
from datetime import UTC, datetime

from aiogram.types import Update

from adapters.telegram.translate import Me, translate

ME = Me(5000001, "town_test_bot")
NOW = datetime(2026, 11, 30, 9, tzinfo=UTC)


def sample(i: int) -> dict:
    text = f"Anyone up for the #repair café on Saturday? https://example.org/e/{i} @olga"
    return {
        "update_id": i,
        "message": {
            "message_id": 1000 + i,
            "date": 1_790_000_000,
            "chat": {"id": -1001234567890, "type": "supergroup", "title": "Riverside Makers"},
            "from": {"id": 222 + i % 50, "is_bot": False, "first_name": "Ann", "language_code": "en"},
            "text": text,
            "entities": [
                {"type": "hashtag", "offset": 17, "length": 7},
                {"type": "url", "offset": 43, "length": len(f"https://example.org/e/{i}")},
            ],
        },
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--json", help="write the figures to this file")
    ap.add_argument("-n", type=int, default=20000)
    args = ap.parse_args()
    raw = [sample(i) for i in range(args.n)]
    t0 = time.process_time()
    updates = [Update.model_validate(r) for r in raw]
    t1 = time.process_time()
    events = [translate(u, ME, NOW) for u in updates]
    t2 = time.process_time()
    assert all(e is not None for e in events)
    figures = {
        "parse_us_per_update": round((t1 - t0) / args.n * 1e6, 2),
        "translate_us_per_update": round((t2 - t1) / args.n * 1e6, 2),
        "updates_per_s": round(args.n / (t2 - t0)),
    }
    for k, v in figures.items():
        print(f"{k}: {v}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(figures, fh)


if __name__ == "__main__":
    main()
