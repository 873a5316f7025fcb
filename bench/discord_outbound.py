"""Outbound load through the real Discord adapter (discord.py) against the strict fake Discord: zero 429s, nothing lost.

The fake keeps Discord's rate limits (``tests/discord/ratelimits.py``: per-route buckets such as 5
messages per 5 s per channel, and the global 50 requests a second), answering 429 where Discord would.
The bot must pace itself so the fake never has to.

The load, all dispatched over the gateway at once, as after an outage: a join wave of ``--joins``
members (a welcome DM each, and the server's welcome, combined once the wave is recognised), and in
each of ``--channels`` text channels ``--posts`` members posting without the channel's required hashtag
(each is answered with a reply), plus ``--busy`` more posts into one channel (more replies than its
bucket lets through in 5 s). It runs in real time: discord.py sleeps on the wall clock.

Prints the 429s the fake answered (``http_429``, by scope), replies and DMs expected and delivered,
``lost_messages`` (must be 0), and delivery times from each post or join to its answer's arrival at the
fake (``p50_s``, ``p99_s``, ``max_s``), the most requests the fake saw in any second, and the pacing wait.

``--unpaced`` turns the bot's global pacing off, to show what discord.py's per-route buckets alone let through.

    python bench/discord_outbound.py [--channels 100] [--posts 2] [--busy 12] [--joins 100] [--unpaced] [--json FILE]
"""

from __future__ import annotations

import sys as _sys
from pathlib import Path as _Path

_sys.path.insert(0, str(_Path(__file__).resolve().parents[1]))  # ``python bench/x.py`` from the project root

import asyncio
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from bench.common import max_in_window, parser, peak_rss_mb, percentile, report
from tests.conftest import START
from tests.discord.fakes import GUILD_ID
from tests.discord.harness import DiscordHarness, discord_bot, discord_config
from tests.discord.ratelimits import RateLimits

MESSAGES = "/channels/{channel_id}/messages"
FIRST_CHANNEL = 921_000_000_000_000_000
FIRST_MEMBER = 961_000_000_000_000_000
IDLE = 3.0  # seconds without a new request: the burst is over
GIVE_UP = 300.0


async def settle(h: DiscordHarness) -> None:
    """Until no request has arrived for ``IDLE`` seconds (or ``GIVE_UP`` passed)."""
    start = time.monotonic()
    seen, quiet_since = -1, time.monotonic()
    while time.monotonic() - start < GIVE_UP:
        await asyncio.sleep(0.2)
        if len(h.fake.requests) != seen:
            seen, quiet_since = len(h.fake.requests), time.monotonic()
        elif time.monotonic() - quiet_since >= IDLE:
            return


async def burst(db_url: str, channels: int, posts: int, busy: int, joins: int, unpaced: bool = False) -> dict[str, float | int]:
    places = [str(FIRST_CHANNEL + i) for i in range(channels)]
    rubric = {"tag": "question", "title": "Questions", "description": "Ask the community", "required_in": places}
    config = discord_config({"rubrics": {"rubrics": [rubric]}})
    async with discord_bot(config, db_url, START, limits=RateLimits(), request_timeout=30.0) as h:
        fake = h.fake
        if unpaced:
            h.bridge.outbox.pace.gap = 0.0  # discord.py's own pacing only (per-route buckets)
        for i, place in enumerate(places):
            await fake.add_channel(place, f"room-{i}")
        while not all(h.client.get_channel(int(p)) is not None for p in places):
            await asyncio.sleep(0.05)
        members = [str(FIRST_MEMBER + i) for i in range(max(posts, busy + posts) + joins)]
        for i, uid in enumerate(members):
            fake.add_user(uid, f"Member {i}")
        posters, joiners = members[: max(posts, busy + posts)], members[len(members) - joins :]
        first = len(fake.requests)
        cause: dict[str, float] = {}  # a post's id or a joiner's id -> when it was dispatched
        t0 = time.monotonic()
        for uid in joiners:
            cause[uid] = time.monotonic()
            await fake.dispatch("GUILD_MEMBER_ADD", {**fake.member(uid), "guild_id": GUILD_ID})
        triggers = [(place, posters[j]) for place in places for j in range(posts)]
        triggers += [(places[0], posters[posts + j]) for j in range(busy)]
        for place, uid in triggers:
            member = {k: v for k, v in fake.member(uid).items() if k != "user"}
            msg = fake.message(place, uid, "hello, anyone around?", guild_id=GUILD_ID, member=member)
            cause[msg["id"]] = time.monotonic()
            await fake.dispatch("MESSAGE_CREATE", msg)
        await settle(h)
        h.clock.advance(timedelta(seconds=61))  # the join wave's window has passed: its combined welcome
        await h.app.rituals.tick(h.clock.now())
        await settle(h)
        elapsed = time.monotonic() - t0 - IDLE
        done = [r for r in fake.requests[first:] if r.ok]
        posted = [r for r in done if r.method == "POST" and r.template == MESSAGES]
        delivered: dict[str, float] = {}
        for r in posted:
            channel = r.path.split("/")[2]
            ref = (r.body or {}).get("message_reference") or {}
            key = str(ref.get("message_id")) if ref else fake.dm_channels.get(channel)
            if key in cause and key not in delivered:
                delivered[key] = r.at - cause[key]
        replies = [m for m in cause if m not in joiners]
        dms = [u for u in joiners if u in delivered]
        latency = list(delivered.values())
        lost = len(cause) - len(delivered)
        figures: dict[str, float | int] = {
            "channels": channels,
            "joins": joins,
            "replies_expected": len(replies),
            "replies_delivered": sum(1 for m in replies if m in delivered),
            "dms_expected": len(joiners),
            "dms_delivered": len(dms),
            "server_welcomes": sum(
                1 for r in posted if r.path.split("/")[2] not in fake.dm_channels and not (r.body or {}).get("message_reference")
            ),
            "lost_messages": lost,
            "http_429": fake.limits.http_429,
            "http_429_global": fake.limits.throttled["global"],
            "http_429_route": fake.limits.throttled["user"] + fake.limits.throttled["shared"],
            "requests": len(fake.requests) - first,
            "max_requests_per_s": max_in_window((r.at for r in fake.requests[first:] if "/interactions/" not in r.path), 1.0),
            "elapsed_s": round(elapsed, 2),
            "p50_s": round(percentile(latency, 50), 3),
            "p99_s": round(percentile(latency, 99), 3),
            "max_s": round(max(latency, default=0.0), 3),
            "pace_wait_s": round(h.bridge.outbox.pace.waited, 2),
            "retries": h.bridge.outbox.retry.retries,
            "handler_errors": h.app.rt.router.errors,
        }
        return figures


async def run(channels: int, posts: int, busy: int, joins: int, unpaced: bool) -> dict[str, float | int | str]:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'discord_outbound.sqlite3'}"
        figures: dict[str, float | int | str] = dict(await burst(url, channels, posts, busy, joins, unpaced))
    figures["peak_rss_mb"] = round(peak_rss_mb(), 1)
    return figures


def main() -> None:
    p = parser(__doc__ or "")
    p.add_argument("--channels", type=int, default=100, help="text channels, each with a required hashtag")
    p.add_argument("--posts", type=int, default=2, help="untagged posts into each channel (each answered)")
    p.add_argument("--busy", type=int, default=12, help="extra posts into one channel (over its 5 messages per 5 s)")
    p.add_argument("--joins", type=int, default=100, help="members joining at once (a welcome DM each)")
    p.add_argument("--unpaced", action="store_true", help="without the bot's global pacing: what discord.py alone does")
    args = p.parse_args()
    figures = asyncio.run(run(args.channels, args.posts, args.busy, args.joins, args.unpaced))
    report(figures, args.json)
    if figures["http_429"]:
        sys.exit("Discord had to say 429: the bot let too much through")
    if figures["lost_messages"]:
        sys.exit("messages were lost")


if __name__ == "__main__":
    main()
