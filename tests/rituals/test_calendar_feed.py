"""Calendar feeds (#22.4) through the bot's own web server and a real HTTP client: the community's feed with its
series (RRULE, EXDATE, a moved occurrence with RECURRENCE-ID and SEQUENCE, VTIMEZONE), a member's own feed of
what they go to, ETags, resetting a link, /forgetme, and no /calendar while the server is off. Each feed is read
by icalendar and by vobject, a second parser written independently."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import aiohttp
import icalendar
import pytest
import vobject
from aiohttp import web
from multidict import CIMultiDict

from bot.harness import LocalBot, local_bot, local_config
from bot.web import serve
from storage.models.states import Rsvp
from storage.repos.calendar import RsvpRepo
from storage.repos.recurrence import OccurrenceRsvpRepo
from tests.rituals.conftest import BASE, MONDAY, people

WEB = {"web": {"enabled": True, "public_url": "https://bot.example.org", "listen_port": 0}}
LINK = re.compile(r"https://bot\.example\.org(/calendar/[A-Za-z0-9_-]{32}\.ics)")


@pytest.fixture
async def bot(db_url: str) -> AsyncIterator[LocalBot]:
    async with local_bot(local_config(BASE, extra=WEB), db_url, MONDAY) as b:
        people(b)
        for uid in ("ann", "bob"):
            await b.sim.start_bot(uid)
        yield b


@pytest.fixture
async def site(bot: LocalBot) -> AsyncIterator[str]:
    runner: web.AppRunner = await serve(bot.app.rt, "127.0.0.1", 0)
    host, port = runner.addresses[0][:2]
    yield f"http://{host}:{port}"
    await runner.cleanup()


async def links(bot: LocalBot, user: str, command: str = "/calendar") -> list[str]:
    await bot.sim.post("town", user, command)
    return LINK.findall(bot.sim.dms(user)[-1].text)


async def fetch(site: str, path: str, etag: str | None = None) -> tuple[int, bytes, CIMultiDict[str]]:
    async with aiohttp.ClientSession() as http, http.get(site + path, headers={"If-None-Match": etag} if etag else {}) as r:
        return r.status, await r.read(), CIMultiDict(r.headers)


def both_parsers(data: bytes) -> list[icalendar.Event]:
    """The VEVENTs, after checking the feed parses in icalendar and in vobject alike."""
    cal = icalendar.Calendar.from_ical(data)
    events = list(cal.walk("VEVENT"))
    other = vobject.readOne(data.decode())
    assert len(other.contents.get("vevent", [])) == len(events)
    return events


async def calendar(bot: LocalBot) -> None:
    await bot.sim.post("town", "mia", "/event add 2026-12-03 18:00 Repair café | Library hall")  # event 1
    await bot.sim.post("town", "mia", "/event add thu 19:00 repeat weekly x6 Office hours | Discord stage")  # event 2
    await bot.sim.post("town", "mia", "/event cancel 2 2026-12-10")
    await bot.sim.post("town", "mia", "/event move 2 2026-12-17 20:00")
    async with bot.app.db.sessions() as s:
        await RsvpRepo(s).set(1, "ann", "Ann", Rsvp.GOING, MONDAY)
        await OccurrenceRsvpRepo(s).set(2, "2026-12-24", "bob", "Bob", Rsvp.GOING, MONDAY)
        await s.commit()


async def test_the_community_feed_has_the_series_and_each_member_their_own(bot: LocalBot, site: str) -> None:
    await calendar(bot)
    everyone, ann = await links(bot, "ann")
    assert "do not share it" in bot.sim.dms("ann")[-1].text
    status, data, headers = await fetch(site, everyone)
    assert status == 200 and headers["Content-Type"] == "text/calendar; charset=utf-8"
    events = both_parsers(data)
    assert sorted(str(e["summary"]) for e in events) == ["Office hours", "Office hours", "Repair café"]
    series = next(e for e in events if "RRULE" in e)
    assert series["rrule"]["freq"] == ["WEEKLY"] and series["dtstart"].params["TZID"] == "Europe/Budapest"
    assert [d.dt for d in series["exdate"].dts] == [datetime(2026, 12, 10, 19, tzinfo=series.decoded("dtstart").tzinfo)]
    moved = next(e for e in events if "RECURRENCE-ID" in e)
    assert moved.decoded("dtstart").astimezone(UTC) == datetime(2026, 12, 17, 19, tzinfo=UTC) and int(moved["sequence"]) >= 1
    assert b"BEGIN:VTIMEZONE" in data and b"TZID:Europe/Budapest" in data

    _, mine, _ = await fetch(site, ann)
    assert [str(e["summary"]) for e in both_parsers(mine)] == ["Repair café"]
    _, bob = await links(bot, "bob")
    _, bobs, _ = await fetch(site, bob)
    [occurrence] = both_parsers(bobs)  # one occurrence of the series, with its own UID
    assert occurrence.decoded("dtstart").astimezone(UTC) == datetime(2026, 12, 24, 18, tzinfo=UTC)
    assert str(occurrence["uid"]).startswith("event-2-2026-12-24@") and "RRULE" not in occurrence

    status, _, cached = await fetch(site, everyone, headers["ETag"])
    assert status == 304 and cached["ETag"] == headers["ETag"]


async def test_a_reset_link_stops_working_and_forgetme_takes_the_link(bot: LocalBot, site: str) -> None:
    await calendar(bot)
    everyone, old = await links(bot, "ann")
    [new] = await links(bot, "ann", "/calendar reset")
    assert new != old and (await fetch(site, old))[0] == 404 and (await fetch(site, new))[0] == 200
    assert (await links(bot, "ann"))[1] == new  # asking again gives the same link

    await links(bot, "ann", "/calendar reset community")
    assert "only the community's managers" in bot.sim.bot_messages("town")[-1].text
    await bot.sim.start_bot("mia")
    [community] = await links(bot, "mia", "/calendar reset community")
    assert (await fetch(site, everyone))[0] == 404 and (await fetch(site, community))[0] == 200

    await bot.sim.post("town", "ann", "/mydata")
    assert "personal calendar link" in bot.sim.dms("ann")[-1].text
    await bot.sim.post("town", "ann", "/forgetme")
    ask = bot.sim.bot_messages("town")[-1]
    await bot.sim.press(ask.id, ask.buttons[0][0].data or "", "ann")
    assert (await fetch(site, new))[0] == 404


async def test_unknown_and_malformed_tokens_find_nothing(bot: LocalBot, site: str) -> None:
    for path in ("/calendar/" + "A" * 32 + ".ics", "/calendar/short.ics", "/calendar/../../etc/passwd", "/"):
        status, body, headers = await fetch(site, path)
        assert status == 404 and b"VCALENDAR" not in body and headers["X-Content-Type-Options"] == "nosniff"


async def test_without_the_web_server_there_is_no_calendar_command(db_url: str) -> None:
    async with local_bot(local_config(BASE), db_url, MONDAY) as bot:
        people(bot)
        assert bot.app.rt.commands.get("calendar") is None
        assert not bot.app.rt.web
