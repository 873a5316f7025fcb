"""How fast is /find on a big rubric index, and how big is the index on disk?

Fills the rubric index of one community with ``--posts`` posts (default one
million) by bulk inserts straight into the bot's SQLite file (the handler
path would only measure the insert loop), then runs ``--queries`` /find
commands end to end through the local simulator (command dispatch, query,
rendering, the reply) and, separately, the repository query alone. Half the
queries are a tag alone, half a tag and a word (one in eleven of them a word nobody wrote, the
worst case); a fifth ask for a later page.

    python bench/rubric_find.py [--posts N] [--queries Q] [--json FILE]
"""

from __future__ import annotations

import sys as _sys
from pathlib import Path as _Path

_sys.path.insert(0, str(_Path(__file__).resolve().parents[1]))  # ``python bench/x.py`` from the project root

import argparse
import asyncio
import json
import random
import sqlite3
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy.dialects import sqlite
from sqlalchemy.schema import CreateIndex

from bot.harness import local_bot, local_config
from storage.models.rubrics import RubricPost
from storage.repos.rubrics import RubricRepo

START = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
TAGS = ["question", "intro", "event", "job", "вопрос", "kérdés", "pytanie", "问题", "domanda", "showcase"]
WEIGHTS = [30, 8, 10, 6, 12, 8, 8, 8, 5, 5]
# The model's secondary indexes: dropped for the bulk load, built afterwards (much faster than row by row).
SECONDARY = [str(CreateIndex(ix).compile(dialect=sqlite.dialect())) for ix in RubricPost.__table__.indexes]
TIME_FMT = "%Y-%m-%d %H:%M:%S.%f"  # how SQLAlchemy stores DateTime in SQLite


def vocabulary(rng: random.Random, size: int = 3000) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyzéóöüłąęśжзиклмн"
    return ["".join(rng.choice(letters) for _ in range(rng.randint(3, 10))) for _ in range(size)]


def rows(n: int, community_id: int, rng: random.Random, words: list[str]):  # type: ignore[no-untyped-def]
    """Posts over three years, Zipf-like word use, 5,000 authors."""
    span = timedelta(days=3 * 365).total_seconds()
    first = START - timedelta(days=3 * 365)
    cum = [sum(WEIGHTS[: i + 1]) for i in range(len(WEIGHTS))]
    zipf_cum: list[float] = []
    total = 0.0
    for i in range(len(words)):
        total += 1 / (i + 1)
        zipf_cum.append(total)
    for i in range(n):
        tag = rng.choices(TAGS, cum_weights=cum)[0]
        text = f"#{tag} " + " ".join(rng.choices(words, cum_weights=zipf_cum, k=rng.randint(6, 18)))
        at = first + timedelta(seconds=span * i / n)
        author = f"u{rng.randrange(5000)}"
        yield (
            community_id,
            tag,
            author,
            author.upper(),
            str(10_000_000 + i),
            None,
            at.strftime(TIME_FMT),
            text[:160],
            text[:160].casefold(),
            0,
        )


def bulk_fill(path: Path, n: int, community_id: int, seed: int) -> tuple[float, float]:
    rng = random.Random(seed)
    words = vocabulary(rng)
    started, cpu = time.perf_counter(), time.process_time()
    con = sqlite3.connect(path)
    # A bulk load, not the bot's way of writing: no journal, no fsync, a big cache for the index sorts.
    con.execute("PRAGMA journal_mode=DELETE")
    con.execute("PRAGMA synchronous=OFF")
    con.execute("PRAGMA cache_size=-262144")
    con.execute("PRAGMA temp_store=MEMORY")
    for ix in RubricPost.__table__.indexes:
        con.execute(f"DROP INDEX IF EXISTS {ix.name}")
    con.executemany(
        "INSERT INTO rubric_posts (community_id, tag, author_id, author_name, message_id, place, posted_at, excerpt, folded, replies)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows(n, community_id, rng, words),
    )
    con.commit()
    for create in SECONDARY:
        con.execute(create)
    con.execute("ANALYZE")
    con.commit()
    con.execute("PRAGMA journal_mode=WAL")  # back to the bot's setting
    con.close()
    return time.perf_counter() - started, time.process_time() - cpu


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def run(posts: int, queries: int, seed: int, keep: Path | None = None) -> dict[str, float]:
    rng = random.Random(seed + 1)
    words = vocabulary(random.Random(seed))[:300]  # words people search for: the commoner ones ...
    words += ["zzabsent"] * 30  # ... and one nobody wrote: the worst case, a scan of the whole search window
    settings = {"rubrics": {"rubrics": [{"tag": t} for t in TAGS], "hints": False}}
    with tempfile.TemporaryDirectory() as tmp:
        path = keep or Path(tmp) / "bench.sqlite3"
        async with local_bot(local_config(settings), f"sqlite+aiosqlite:///{path}", START) as bot:
            bot.sim.add_user("ann", "Ann")
            bot.sim.chats["town"].members.add("ann")
            await bot.sim.post("town", "ann", "hello")  # the community gets its row
            info = bot.app.rt.directory.cached(next(iter(bot.app.rt.directory._cache)))
            assert info is not None
            await bot.app.db.engine.dispose()  # let the bulk writer have the file
            fill_s, fill_cpu_s = bulk_fill(path, posts, info.id, seed)
            size = sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
            plan = [
                (rng.choice(TAGS), rng.choice(words) if rng.random() < 0.5 else "", rng.choice([0, 0, 0, 0, 1])) for _ in range(queries)
            ]
            end_to_end: dict[str, list[float]] = {"tag": [], "words": []}
            for tag, word, page in plan:
                t0 = time.perf_counter()
                msg = await bot.sim.post("town", "ann", f"/find #{tag} {word}".rstrip())
                reply = bot.sim.bot_messages("town")[-1]
                if page and reply.buttons:
                    await bot.sim.press(reply.id, reply.buttons[0][-1].data or "", "ann")
                end_to_end["words" if word else "tag"].append((time.perf_counter() - t0) * 1000)
                assert reply.reply_to == msg.id
            repo_ms: list[float] = []
            async with bot.app.db.sessions() as s:
                repo = RubricRepo(s)
                for tag, word, page in plan:
                    t0 = time.perf_counter()
                    await repo.find(info.id, tag, [word] if word else [], page * 5, 6)
                    repo_ms.append((time.perf_counter() - t0) * 1000)
    every = end_to_end["tag"] + end_to_end["words"]
    return {
        "posts": posts,
        "queries": queries,
        "fill_s": round(fill_s, 1),
        "fill_cpu_s": round(fill_cpu_s, 1),
        "db_mb": round(size / 1e6, 1),
        "bytes_per_post": round(size / max(posts, 1)),
        "p50_ms": round(statistics.median(every), 2),
        "p99_ms": round(pct(every, 0.99), 2),
        "tag_only_p99_ms": round(pct(end_to_end["tag"], 0.99), 2),
        "with_words_p99_ms": round(pct(end_to_end["words"], 0.99), 2),
        "repo_p50_ms": round(statistics.median(repo_ms), 2),
        "repo_p99_ms": round(pct(repo_ms, 0.99), 2),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--posts", type=int, default=1_000_000)
    ap.add_argument("--queries", type=int, default=400)
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--db", type=Path, help="build the database here and keep it (default: a temporary file)")
    ap.add_argument("--json", type=Path, help="write the figures to this file as one flat JSON object")
    args = ap.parse_args()
    figures = asyncio.run(run(args.posts, args.queries, args.seed, args.db))
    width = max(map(len, figures))
    for k, v in figures.items():
        print(f"{k:<{width}}  {v}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
