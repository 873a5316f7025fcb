"""A bot on the simulator with its web server, two communities with a manager each, and browsers-as-clients
that sign in by the link ``/dashboard`` sends."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass

import aiohttp
import pytest
from aiohttp import web

from bot.core.config import parse_config
from bot.harness import LocalBot, local_bot
from bot.web import serve
from tests.conftest import START

LINK = re.compile(r"http://localhost(/dashboard/signin\?t=[A-Za-z0-9_-]{43})")
TOWN, HARBOUR = 1, 2  # community ids, in the config's order once each has had an event


def config(settings: dict[str, object] | None = None) -> dict[str, object]:
    base = {"log_place": "mods", "spam": {"stop_phrases": ["giveaway"]}, **(settings or {})}
    return {
        "web": {"enabled": True, "public_url": "http://localhost", "listen_port": 0},
        "communities": [
            {"platform": "local", "chat_id": "town", "name": "Riverside Makers", "managers": ["mia"], "settings": base},
            {"platform": "local", "chat_id": "harbour", "name": "Harbour Rowing", "managers": ["ned"], "settings": base},
        ],
    }


@pytest.fixture
async def bot(db_url: str) -> AsyncIterator[LocalBot]:
    async with local_bot(parse_config(config(), "<test>"), db_url, START, admins=()) as b:
        for uid, name in (("mia", "Mia"), ("ned", "Ned"), ("ann", "Ann")):
            b.sim.add_user(uid, name)
            await b.sim.start_bot(uid)
        b.sim.chats["town"].members.update({"mia", "ann"})
        b.sim.chats["harbour"].members.add("ned")
        await b.sim.post("town", "ann", "good morning")  # both communities get their rows, town first
        await b.sim.post("harbour", "ned", "morning all")
        yield b


@pytest.fixture
async def site(bot: LocalBot) -> AsyncIterator[str]:
    runner: web.AppRunner = await serve(bot.app.rt, "127.0.0.1", 0)
    host, port = runner.addresses[0][:2]
    yield f"http://{host}:{port}"
    await runner.cleanup()


async def link(bot: LocalBot, user: str, chat: str = "town") -> str | None:
    """Ask for a sign-in link in ``chat`` as ``user``; the link's path and query, None when none came."""
    before = len(bot.sim.dms(user))
    await bot.sim.post(chat, user, "/dashboard")
    dms = bot.sim.dms(user)[before:]
    found = LINK.findall(dms[-1].text) if dms else []
    return found[0] if found else None


@dataclass
class Browser:
    """An HTTP client with its own cookie jar, as one browser is."""

    site: str
    http: aiohttp.ClientSession

    async def get(self, path: str) -> tuple[int, str, aiohttp.ClientResponse]:
        async with self.http.get(self.site + path, allow_redirects=True) as r:
            return r.status, await r.text(), r

    async def post(self, path: str, data: dict[str, str], follow: bool = True) -> tuple[int, str, aiohttp.ClientResponse]:
        async with self.http.post(self.site + path, data=data, allow_redirects=follow) as r:
            return r.status, await r.text(), r

    async def sign_in(self, path: str) -> None:
        status, page, _ = await self.get(path)
        assert status == 200, page
        token = re.search(r'name="t" value="([^"]+)"', page)
        assert token is not None
        status, page, _ = await self.post("/dashboard/signin", {"t": token.group(1)})
        assert status == 200, page

    def csrf(self, page: str) -> str:
        found = re.search(r'name="csrf" value="([^"]+)"', page)
        assert found is not None
        return found.group(1)


@pytest.fixture
async def browsers(site: str) -> AsyncIterator[list[Browser]]:
    made: list[Browser] = []

    def new() -> Browser:
        b = Browser(site, aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)))  # unsafe: cookies for an IP
        made.append(b)
        return b

    yield [new(), new()]
    for b in made:
        await b.http.close()
