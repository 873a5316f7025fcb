"""Discord's rate limits: the fake's buckets and global limit, and the bot's pacing through the real discord.py client."""

from __future__ import annotations

import asyncio
import json

import aiohttp

from bot.core import actions as a
from bot.core.ids import ChatRef
from bot.core.richtext import plain
from tests.conftest import START
from tests.discord.fakes import GENERAL, GUILD_ID, FakeDiscord
from tests.discord.harness import DiscordHarness, discord_bot, discord_config
from tests.discord.ratelimits import DISCORD, Limit, RateLimits
from tests.faults import Fault

CHAT = ChatRef("discord", GUILD_ID)
POST = "POST /channels/{channel_id}/messages"


def strict(sizes: dict[str, Limit] | None = None) -> RateLimits:
    """Discord's sizes, some routes smaller so a test reaches them quickly."""
    return RateLimits({**DISCORD, **(sizes or {})})


async def perform(h: DiscordHarness, action: a.Action) -> a.Result:
    return await h.app.rt.perform("discord", action)


async def test_the_fake_answers_with_discord_rate_limit_headers_and_429s() -> None:
    fake = FakeDiscord(limits=RateLimits({POST: Limit(2, 5.0)}, global_per_second=2))
    url = await fake.start()
    try:
        async with aiohttp.ClientSession() as http:

            async def post(channel: str) -> aiohttp.ClientResponse:
                async with http.post(f"{url}/api/v10/channels/{channel}/messages", json={"content": "hi"}) as r:
                    await r.read()
                    return r

            first, second, third = [await post(GENERAL) for _ in range(3)]
            assert first.status == 200 and first.headers["X-RateLimit-Limit"] == "2"
            assert first.headers["X-RateLimit-Remaining"] == "1" and second.headers["X-RateLimit-Remaining"] == "0"
            assert 4.0 < float(second.headers["X-RateLimit-Reset-After"]) <= 5.0 and second.headers["X-RateLimit-Bucket"]
            assert float(second.headers["X-RateLimit-Reset"]) > 1e9  # epoch seconds
            assert third.status == 429 and third.headers["X-RateLimit-Scope"] == "user" and int(third.headers["Retry-After"]) >= 4
            body = json.loads(await third.text())
            assert body["global"] is False and 4.0 < body["retry_after"] <= 5.0 and body["message"]
            other = await post("920000000000000077")  # another channel: another bucket, but the global limit (2 a second) is reached
            assert other.status == 429 and other.headers["X-RateLimit-Global"] == "true" and other.headers["X-RateLimit-Scope"] == "global"
            assert json.loads(await other.text())["global"] is True
        assert fake.limits.throttled == {"user": 1, "global": 1} and fake.limits.http_429 == 2
    finally:
        await fake.stop()


async def test_a_post_that_empties_its_bucket_is_not_posted_twice(db_url: str) -> None:
    """discord.py sleeps out an emptied bucket before ``send`` returns; the 30 s limit (here 0.3 s) around the
    whole call took that sleep for a hung request and posted the message again."""
    async with discord_bot(discord_config(), db_url, START, request_timeout=0.3, limits=strict({POST: Limit(2, 1.0)})) as h:
        for text in ("one", "two"):
            assert (await perform(h, a.SendMessage(CHAT, plain(text)))).ok
        assert [m["content"] for m in h.fake.posted] == ["one", "two"]
        assert h.fake.limits.http_429 == 0 and len(h.sent()) == 2


async def test_a_long_retry_after_is_waited_out_once(db_url: str) -> None:
    """A 429 whose ``retry_after`` (1 s) is longer than the time limit (0.3 s): waited out, then sent once more."""
    async with discord_bot(discord_config(), db_url, START, request_timeout=0.3, limits=strict()) as h:
        h.fake.faults.fail_next(POST, Fault(429, retry_after=1.0, description="Too Many Requests"))
        loop = asyncio.get_running_loop()
        t0 = loop.time()
        assert (await perform(h, a.SendMessage(CHAT, plain("welcome")))).ok
        assert loop.time() - t0 >= 1.0
        assert [m["content"] for m in h.fake.posted] == ["welcome"]
        assert len(h.sent()) == 2  # the refused one and the one after the wait: no early retry
        assert h.fake.limits.http_429 == 0  # no request into the still-limited bucket
        assert h.fake.violations == []


async def test_a_burst_over_many_channels_stays_under_the_global_limit(db_url: str) -> None:
    """discord.py keeps per-route buckets but not the global 50 a second: 120 posts into 120 channels at once."""
    async with discord_bot(discord_config(), db_url, START, limits=strict()) as h:
        channels = [str(921000000000000000 + i) for i in range(120)]
        results = await asyncio.gather(*(perform(h, a.SendMessage(CHAT, plain(f"hi {c}"), place=c)) for c in channels))
        assert all(r.ok for r in results)
        assert sorted(m["channel_id"] for m in h.fake.posted) == sorted(channels)
        assert h.fake.limits.throttled == {}
