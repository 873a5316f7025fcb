"""Discord's rate limits: the fake's buckets and global limit, and the bot's pacing through the real discord.py client."""

from __future__ import annotations

import json

import aiohttp

from bot.core import actions as a
from bot.core.ids import ChatRef
from tests.discord.fakes import GENERAL, GUILD_ID, FakeDiscord
from tests.discord.harness import DiscordHarness
from tests.discord.ratelimits import DISCORD, Limit, RateLimits

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
