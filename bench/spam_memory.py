"""Spam filter memory: the recent-message cache (what ``/spam`` as a reply learns from) and the duplicate watch.

Fills each with 20,000 messages of 4,000 characters (Russian text with emoji,
the costliest ordinary case: CPython keeps such a string at 4 bytes a
character) and measures what they hold with ``tracemalloc``:

* ``recent_full_texts_mb``: the cache as it was, the first 4,000 characters of every message;
* ``recent_mb``: the cache now, only what the filter reads (``normalize.cut``), bounded in bytes;
* ``duplicates_mb``: the duplicate watch, which keeps fingerprints (hashes) and sightings, no text.

    python bench/spam_memory.py [--json FILE]
"""

from __future__ import annotations

import sys as _sys
from pathlib import Path as _Path

_sys.path.insert(0, str(_Path(__file__).resolve().parents[1]))  # ``python bench/x.py`` from the project root

import argparse
import gc
import json
import random
import tracemalloc
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.core.ids import ChatRef, MessageRef
from handlers.spam.detectors import DuplicateWatch
from handlers.spam.memory import Recent, RecentMessages
from handlers.spam.normalize import normalize

N = 20_000
CHARS = 4_000
WORDS = [
    "привет",
    "заработал",
    "роутер",
    "паяльник",
    "встреча",
    "суббота",
    "спасибо",
    "вопрос",
    "ответ",
    "🎉",
    "😀",
    "сообщество",
    "мастерская",
]


def messages(n: int, rnd: random.Random) -> list[str]:
    out = []
    for i in range(n):
        words: list[str] = [str(i)]
        size = 0
        while size < CHARS:
            w = rnd.choice(WORDS)
            words.append(w)
            size += len(w) + 1
        out.append(" ".join(words)[:CHARS])
    return out


def held_mb(fill: Callable[[], object]) -> float:
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    kept = fill()
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del kept
    return (after - before) / 2**20


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    rnd = random.Random(5)
    texts = messages(N, rnd)
    chat = ChatRef("local", "town")
    refs = [MessageRef(chat, str(i)) for i in range(N)]

    def full() -> object:  # the old cache: Recent(user, name, text[:4000]) per message
        d: OrderedDict[MessageRef, tuple[str, str, str]] = OrderedDict()
        for ref, t in zip(refs, texts, strict=True):
            d[ref] = (f"u{ref.id}", "Member Name", t[:4000].encode().decode())  # (a fresh string, as a message is)
        return d

    def recent() -> object:
        r = RecentMessages()
        for ref, t in zip(refs, texts, strict=True):
            r.remember(ref, Recent.of(f"u{ref.id}", "Member Name", t))
        return r

    skeletons = [normalize(t).text for t in texts]
    start = datetime(2026, 12, 1, tzinfo=UTC)

    def duplicates() -> object:
        d = DuplicateWatch()
        for i, s in enumerate(skeletons):
            d.observe(s, 1, f"u{i}", start + timedelta(seconds=i))
        return d

    full_mb = held_mb(full)
    now_mb = held_mb(recent)
    dup_mb = held_mb(duplicates)
    figures = {
        "messages": N,
        "chars_per_message": CHARS,
        "recent_full_texts_mb": round(full_mb, 1),
        "recent_mb": round(now_mb, 1),
        "recent_max_mb": RecentMessages().max_bytes / 2**20,
        "duplicates_mb": round(dup_mb, 1),
    }
    for k, v in figures.items():
        print(f"{k:22} {v}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
