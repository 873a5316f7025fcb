"""The LLM's second opinion (#19.6) against a fake OpenAI-compatible server: it may only veto a removal."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from aiohttp import web

from bot.core.settings.spam import SpamLlmConfig
from bot.harness import local_bot, local_config
from handlers.spam.second import SecondOpinion
from tests.conftest import START

SPAM = "💰💰 Earn $500 a day from home!!! Crypto signals, DM me now: t.me/max_profit_signals 💰💰"


class FakeLLM:
    """Answers what ``reply`` says: a word, ``"slow"``, ``"error"``, ``"garbage"`` or ``"nojson"``."""

    def __init__(self) -> None:
        self.reply = "HAM"
        self.bodies: list[dict[str, Any]] = []

    async def handle(self, request: web.Request) -> web.StreamResponse:
        body = await request.json()
        self.bodies.append(body)
        if self.reply == "slow":
            await asyncio.sleep(2)
        if self.reply == "error":
            return web.json_response({"error": {"message": "overloaded"}}, status=503)
        if self.reply == "nojson":
            return web.Response(text="<html>proxy</html>")
        if self.reply == "garbage":
            return web.json_response({"choices": [{"message": {"content": "I think this might be a message."}}]})
        return web.json_response({"choices": [{"message": {"role": "assistant", "content": self.reply}}]})


@pytest.fixture
async def llm() -> AsyncIterator[tuple[FakeLLM, str]]:
    fake = FakeLLM()
    app = web.Application()
    app.router.add_post("/v1/chat/completions", fake.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield fake, f"http://127.0.0.1:{port}/v1"
    await runner.cleanup()


def _cfg(url: str, **extra: Any) -> SpamLlmConfig:
    return SpamLlmConfig.model_validate({"enabled": True, "url": url, "model": "tiny", "timeout": "1s", **extra})


async def test_answers_timeouts_nonsense_and_the_budget(llm: tuple[FakeLLM, str]) -> None:
    fake, url = llm
    second = SecondOpinion(_cfg(url, monthly_requests=6), key="k")
    assert await second.vetoes("selling my bike", START)
    body = fake.bodies[-1]
    assert body["store"] is False and body["model"] == "tiny" and body["messages"][1]["content"] == "selling my bike"
    fake.reply = "SPAM"
    assert not await second.vetoes("x", START)
    for reply in ("slow", "error", "garbage", "nojson"):  # none of these keeps a message: the filter decides alone
        fake.reply = reply
        assert not await second.vetoes("x", START)
    assert second.stats == {"asked": 6, "vetoed": 1, "failed": 3, "nonsense": 1, "over_budget": 0}
    fake.reply = "HAM"
    asked = len(fake.bodies)
    assert not await second.vetoes("x", START)  # the month's budget is spent: not even asked
    assert len(fake.bodies) == asked and second.stats["over_budget"] == 1
    assert await second.vetoes("x", START + timedelta(days=31))  # a new month


async def test_a_veto_keeps_a_newcomers_message_for_the_moderators(llm: tuple[FakeLLM, str], db_url: str) -> None:
    fake, url = llm
    config = local_config({"log_place": "mods", "spam": {"second_opinion": True}}).model_copy(update={"spam_llm": _cfg(url)})
    async with local_bot(config, db_url, START) as b:
        b.sim.add_user("max", "Max")
        await b.sim.join("town", "max")
        kept = await b.sim.post("town", "max", SPAM)
        assert not b.sim.messages[kept.id].deleted and "max" not in b.sim.chats["town"].banned
        card = [m for m in b.sim.bot_messages("town") if m.place == "mods"][-1]
        assert "second opinion" in card.text
        fake.reply = "SPAM"
        b.sim.add_user("rex", "Rex")
        await b.sim.join("town", "rex")
        gone = await b.sim.post("town", "rex", SPAM.replace("max", "rex"))
        assert b.sim.messages[gone.id].deleted
        assert json.dumps(fake.bodies).count("Earn $500") == 2
