"""Outbound load through the real Telegram adapter (aiogram) against the rate-limiting fake Bot API: zero 429s.

100 groups (``--groups``) each get ``--joins`` members joining (a welcome in the group and a
welcome DM each) and one member asking ``/find #question`` (a reply); then one busy group
gets ``--busy`` more questions, more replies than Telegram allows into a group in a minute.
All of it is queued at once and fetched by the adapter's long polling, as after an outage.
The fake answers 429 with ``retry_after`` as Telegram does (over 20 messages a minute into
one group, over 30 a second overall); the adapter's flow control must pace the burst so
the fake never has to.

Time: flow control and fake share one monotonic clock that runs ``--time-scale`` times as
fast as the wall clock (default 2, so the busy group's minute of pacing takes 30 s; 1 is
plain real time). Rates and ``elapsed_s`` are on that clock; ``wall_s`` is the wall clock.

Prints messages sent, elapsed seconds, messages/s, the highest per-group per-minute and
overall per-second rates the fake saw (sliding windows over its arrival log), and
``fake_429_count`` (must be 0). Meanwhile ``--spam`` newcomers post scam into the busy group while its
replies wait for Telegram's limit: ``spam_delete_p50_s`` / ``_p99_s`` / ``_max_s`` are the times from each
scam's arrival to its deletion (p99 must stay under 1 s: deletions never queue behind messages).

    python bench/outbound.py [--groups 100] [--joins 2] [--busy 25] [--spam 10] [--time-scale 2] [--json FILE]
"""

from __future__ import annotations

import sys as _sys
from pathlib import Path as _Path

_sys.path.insert(0, str(_Path(__file__).resolve().parents[1]))  # ``python bench/x.py`` from the project root

import asyncio
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from bench.common import ScaledTimer, max_in_window, parser, peak_rss_mb, percentile, report
from tests.telegram.fake_api import FakeTelegram
from tests.telegram.fleet import SPAM, Fleet, fleet
from tests.telegram.updates import Scene

SENDS = ("sendMessage", "sendPhoto", "sendDocument")  # what Telegram's message limits count
RUBRICS = {"rubrics": {"rubrics": [{"tag": "question", "title": "Questions", "description": "Ask the community"}]}}


async def spam_during(
    fake: FakeTelegram, scene: Scene, timer: ScaledTimer, chat_id: int, count: int, gap: float
) -> tuple[dict[int, float], int]:
    """Newcomers post scam into the busy group while its replies are paced: (message id -> when it arrived, last update id)."""
    arrived: dict[int, float] = {}
    last = 0
    for i in range(count):
        await timer.sleep(gap)
        user = 7_000_000 + i  # (5_000_001 is the bot itself)
        fake.add_user(user, f"Spammer {i}")
        update = scene.message(chat_id, user, SPAM)
        arrived[update["message"]["message_id"]] = timer.now()
        last = await fake.push(update)
    return arrived, last


async def burst(db_url: str, groups: int, joins: int, busy: int, scale: float, spam: int = 10) -> dict[str, float | int]:
    timer = ScaledTimer(scale)
    async with fleet(db_url, groups, timer, RUBRICS) as f:
        fake, scene, adapter = f.fake, f.scene, f.adapter
        last = 0
        for g, chat_id in enumerate(f.chats):  # the whole burst is waiting before the bot fetches any of it
            for j in range(joins):
                user = 1_000_000 + g * 100 + j
                fake.add_user(user, f"Newcomer {g}.{j}", started=True)
                last = await fake.push(scene.join(chat_id, user))
            last = await fake.push(scene.message(chat_id, Fleet.owner(g), "/find@town_test_bot #question"))
        busy_chat = f.chats[0]
        for _ in range(busy):  # one group asks more than Telegram lets the bot answer within a minute
            last = await fake.push(scene.message(busy_chat, Fleet.owner(0), "/find@town_test_bot #question"))
        f.poll()
        first = len(fake.calls)
        t0, wall0 = timer.now(), time.perf_counter()
        arrived, last_spam = await spam_during(fake, scene, timer, busy_chat, spam, gap=3.0)
        await adapter.handled(max(last, last_spam))
        await f.app.rt.flush()
        elapsed, wall = timer.now() - t0, time.perf_counter() - wall0
        handler_errors = f.app.rt.router.errors
    deleted_at = {int(c["message_id"]): c.at for c in fake.calls[first:] if c.method == "deleteMessage" and c.status == 200}
    latency = [deleted_at[m] - t for m, t in arrived.items() if m in deleted_at]
    sends = [c for c in fake.calls[first:] if c.method in SENDS]
    sent = [c for c in sends if c.status == 200]
    per_group: dict[str, list[float]] = defaultdict(list)
    for c in sent:
        if int(c["chat_id"]) < 0:
            per_group[c["chat_id"]].append(c.at)
    return {
        "groups": groups,
        "updates": groups * (joins + 1) + busy,
        "time_scale": scale,
        "messages_sent": len(sent),
        "group_messages_sent": sum(len(v) for v in per_group.values()),
        "dms_sent": sum(1 for c in sent if int(c["chat_id"]) > 0),
        "elapsed_s": round(elapsed, 2),
        "wall_s": round(wall, 2),
        "messages_per_s": round(len(sent) / elapsed, 1),
        "max_group_messages_per_min": max((max_in_window(v, 60.0) for v in per_group.values()), default=0),
        "max_messages_per_s": max_in_window((c.at for c in sent), 1.0),
        "fake_429_count": fake.throttled,
        "spam_posted": len(arrived),
        "spam_deleted": len(latency),
        "spam_delete_p50_s": round(percentile(latency, 50), 3),
        "spam_delete_p99_s": round(percentile(latency, 99), 3),
        "spam_delete_max_s": round(max(latency, default=0.0), 3),
        "failed_sends": len(sends) - len(sent),
        "flow_wait_s": round(adapter.flow.waited, 2),
        "update_errors": adapter.update_errors,
        "handler_errors": handler_errors,
    }


async def run(groups: int, joins: int, busy: int, scale: float, spam: int) -> dict[str, float | int | str]:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'outbound.sqlite3'}"
        figures: dict[str, float | int | str] = dict(await burst(url, groups, joins, busy, scale, spam))
    figures["peak_rss_mb"] = round(peak_rss_mb(), 1)
    return figures


def main() -> None:
    p = parser(__doc__ or "")
    p.add_argument("--groups", type=int, default=100)
    p.add_argument("--joins", type=int, default=2, help="members joining each group (each: a welcome and a DM)")
    p.add_argument("--busy", type=int, default=25, help="extra questions into one group (over its 20 a minute)")
    p.add_argument("--time-scale", type=float, default=2.0, help="how much faster than the wall clock time runs (1: real time)")
    p.add_argument("--spam", type=int, default=10, help="scam messages posted into the busy group while it is paced")
    args = p.parse_args()
    figures = asyncio.run(run(args.groups, args.joins, args.busy, args.time_scale, args.spam))
    report(figures, args.json)
    if figures["fake_429_count"]:
        sys.exit("Telegram had to say 429: the flow control let too much through")
    if figures["spam_deleted"] != figures["spam_posted"]:
        sys.exit("spam was left in the chat")
    if float(figures["spam_delete_p99_s"]) >= 1.0:
        print("target missed: spam deletion p99 is not under 1 s (see spam_delete_p99_s)", file=sys.stderr)


if __name__ == "__main__":
    main()
