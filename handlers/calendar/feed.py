"""Calendars people subscribe to (#22.4): an iCalendar feed per community and a personal one per member (the
events they said they would go to), served by the bot's web server behind unguessable tokens.

``/calendar`` gives a member both links privately; ``/calendar reset`` replaces their personal link (the old
one stops working), ``/calendar reset community`` (managers) the community's. The server is off by default
(``[web]`` in the config); without it ``/calendar`` is not offered and ``/events ics`` still sends the file.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.commands import Command, Where
from bot.core.community import CommunityInfo
from bot.core.context import Context
from bot.core.events import CommandInvoked, Role
from bot.core.runtime import Runtime
from bot.core.web import NOT_FOUND, WebRequest, WebResponse
from handlers.calendar import ics
from rituals.instances import Instance, between
from storage.models.feeds import COMMUNITY_FEED
from storage.models.rituals import CalendarEvent
from storage.models.states import Rsvp
from storage.repos.calendar import CalendarRepo
from storage.repos.feeds import FeedRepo
from storage.repos.recurrence import OccurrenceRsvpRepo, SeriesRepo

ICS_PAST = timedelta(days=30)
ICS_AHEAD = timedelta(days=366)
PATH = "/calendar/{token}.ics"
CACHE = "private, max-age=900"  # calendar apps poll every few hours; a quarter of an hour of staleness is fine


def setup(rt: Runtime) -> None:
    if not rt.config.web.enabled:
        return
    rt.commands.add(Command("calendar", calendar_command, "calendar.cmd.calendar", where=Where.GROUP, usage_key="calendar.feed.usage"))

    async def page(request: WebRequest) -> WebResponse:
        return await serve(rt, request)

    rt.web.add(PATH, page)


def _uid_domain(info: CommunityInfo) -> str:
    return f"{info.chat.platform}-{info.chat.id}.community-bot"


async def calendar_file(session: AsyncSession, info: CommunityInfo, now: datetime, member: str | None = None) -> tuple[bytes, int]:
    """The community's calendar as iCalendar (series with their rules), or only what ``member`` said they would
    go to (each occurrence on its own: a member may go to some of a series); and how many entries it has."""
    start, end = now - ICS_PAST, now + ICS_AHEAD
    events: list[CalendarEvent] = []
    series: list[ics.SeriesRows] = []
    mine: list[Instance] = []
    if member is not None:
        instances = await between(session, info.id, info.tz, start, end)
        answers = await OccurrenceRsvpRepo(session).answers(i.key for i in instances)
        mine = [i for i in instances if answers[i.key].get(member) == Rsvp.GOING]
    else:
        events = await CalendarRepo(session).between(info.id, start, end)
        repo = SeriesRepo(session)
        active = await repo.active(info.id, start, end)
        exceptions = await repo.exceptions(e.id for e, _ in active)
        series = [(e, rule, exceptions.get(e.id, {})) for e, rule in active]
    data = ics.export(
        events, series, instances=mine, tz=info.tz, name=info.name, uid_domain=_uid_domain(info), now=now,
        default_duration=info.settings.rituals.events.default_duration,
    )  # fmt: skip
    return data, len(events) + len(series) + len(mine)


def feed_url(rt: Runtime, token: str) -> str:
    return rt.config.web.public_url + PATH.replace("{token}", token)


async def serve(rt: Runtime, request: WebRequest) -> WebResponse:
    """GET /calendar/<token>.ics: the feed, with an ETag so a calendar app polling an unchanged feed gets a 304."""
    token = request.params.get("token", "")
    if not FeedRepo.looks_like(token):
        return NOT_FOUND
    async with rt.db.sessions() as session:
        feed = await FeedRepo(session).find(token)
        info = rt.directory.by_id(feed.community_id) if feed is not None else None
        if feed is None or info is None:
            return NOT_FOUND
        data, _ = await calendar_file(session, info, rt.clock.now(), None if feed.user_id == COMMUNITY_FEED else feed.user_id)
    etag = '"' + hashlib.sha256(data).hexdigest()[:32] + '"'
    headers = {"ETag": etag, "Cache-Control": CACHE}
    if request.headers.get("if-none-match") == etag:
        return WebResponse(304, headers=headers)
    return WebResponse(200, data, "text/calendar; charset=utf-8", headers)


async def calendar_command(ctx: Context, ev: CommandInvoked) -> None:
    """``/calendar`` (both links, privately), ``/calendar reset``, ``/calendar reset community`` (managers)."""
    info, args = ctx.here, ev.args.strip().lower().split()
    repo = FeedRepo(ctx.session)
    t = ctx.translator_for(ev.user)
    if args == ["reset", "community"]:
        if ctx.role.rank < Role.MANAGER.rank:
            await ctx.reply(ctx.t.t("core.not_allowed", command="calendar reset community"))
            return
        token = await repo.reset(info.id, COMMUNITY_FEED, ctx.now)
        ctx.audit("calendar feed reset")
        await ctx.privately(ev, t.t("calendar.feed.reset_community", url=feed_url(ctx.rt, token)))
    elif args == ["reset"]:
        token = await repo.reset(info.id, ev.user.ref.id, ctx.now)
        await ctx.privately(ev, t.t("calendar.feed.reset_done", url=feed_url(ctx.rt, token)))
    elif not args:
        everyone = await repo.token(info.id, COMMUNITY_FEED, ctx.now)
        mine = await repo.token(info.id, ev.user.ref.id, ctx.now)
        links = {"community": info.name, "everyone": feed_url(ctx.rt, everyone), "mine": feed_url(ctx.rt, mine)}
        await ctx.privately(ev, t.t("calendar.feed.links", **links))
    else:
        await ctx.reply(ctx.t.t("calendar.feed.usage"))
