"""The dashboard's frame: who is signed in, what they may open, forms that cannot be forged, pages in the
community's language.

Every page goes through ``Site.page`` (a GET) or ``Site.form`` (a POST): the session cookie is looked up on each
request (a session ends at sign-out or after ``SESSION_LASTS``), a community page opens only for a session that
manages that community (another's id answers 404, as if it did not exist), and every POST must carry the
session's CSRF token. Templates are Jinja2 with autoescaping on: a member's name or a spam text is shown, never run.
"""

from __future__ import annotations

import hmac
import json
import logging
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape

from bot.core.community import CommunityInfo
from bot.core.context import Context
from bot.core.events import ButtonPressed, Person, Role
from bot.core.i18n import Translator
from bot.core.ids import Platform, UserRef
from bot.core.runtime import Runtime
from bot.core.web import WEB_CALLBACK, WebRequest, WebResponse
from storage.repos.dashboard import DashboardRepo, SignedIn

log = logging.getLogger("handlers.admin.dashboard")

HERE = Path(__file__).parent
SESSION_LASTS = timedelta(hours=12)
COOKIE = "cb_dashboard"
BASE = "/dashboard"
HTML = "text/html; charset=utf-8"


@dataclass(slots=True)
class Page:
    """What a page handler gets: the request, the session, the community (None on the index) and its words."""

    rt: Runtime
    request: WebRequest
    who: SignedIn
    info: CommunityInfo | None
    t: Translator
    notes: Notes
    flash: tuple[str, bool] | None = None  # what the last change said, and whether it was refused

    @property
    def here(self) -> CommunityInfo:
        assert self.info is not None
        return self.info

    @property
    def via(self) -> str:
        """What the audit log says of where a change came from."""
        return f"dashboard {self.request.remote}".strip()

    @property
    def person(self) -> Person:
        return Person(UserRef(cast(Platform, self.who.platform), self.who.user_id), self.who.display_name)

    def back(self, page: str, text: str, refused: bool = False, anchor: str = "") -> WebResponse:
        """Back to a page of this community, saying how the change went."""
        path = community_path(self.here.id, page, note=self.notes.add(text, refused))
        return redirect(path + (f"#{anchor}" if anchor else ""))


class Notes:
    """What a change said, shown once on the page the browser is sent back to. Kept here rather than in the
    URL: a link that made the dashboard say anything would be a way to fool a manager."""

    LIMIT = 1000

    def __init__(self) -> None:
        self._notes: dict[str, tuple[str, bool]] = {}

    def add(self, text: str, refused: bool) -> str:
        while len(self._notes) >= self.LIMIT:
            self._notes.pop(next(iter(self._notes)))
        key = secrets.token_hex(8)
        self._notes[key] = (text, refused)
        return key

    def take(self, key: str) -> tuple[str, bool] | None:
        return self._notes.pop(key, None)


@asynccontextmanager
async def acting(page: Page) -> AsyncIterator[Context]:
    """A unit of work for a change made on the dashboard, as a manager of the page's community: committed at
    the end, then what it queued for the platform is performed (a press's answer comes back to the page)."""
    rt, info = page.rt, page.here
    event = ButtonPressed(info.chat, rt.now(), page.person, "dashboard", WEB_CALLBACK + secrets.token_hex(8), role=Role.MANAGER)
    async with rt.db.sessions() as session:
        ctx = Context(event, session, rt, info, page.t, role=Role.MANAGER)
        yield ctx
        await session.commit()
    rt.mark_changed(info.id)
    for action in ctx._after:
        await rt.perform(info.chat.platform, action, info.id)


PageFn = Callable[[Page], Awaitable["Rendered | WebResponse"]]


@dataclass(frozen=True, slots=True)
class Rendered:
    template: str
    values: Mapping[str, Any]
    status: int = 200


def redirect(location: str, cookies: tuple[str, ...] = ()) -> WebResponse:
    return WebResponse(303, b"", headers={"Location": location, "Cache-Control": "no-store"}, cookies=cookies)


def community_path(community_id: int, page: str = "", **query: str) -> str:
    path = f"{BASE}/c/{community_id}" + (f"/{page}" if page else "")
    return path + (f"?{urlencode(query)}" if query else "")


class Site:
    def __init__(self, rt: Runtime) -> None:
        self.rt = rt
        self.env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(default=True), auto_reload=False)
        self.env.globals["community_path"] = community_path
        self.env.filters["json"] = lambda v: json.dumps(v, ensure_ascii=False)
        self.notes = Notes()

    # ---- the cookie ----
    def cookie(self, request: WebRequest, token: str, lasts: timedelta) -> str:
        secure = request.secure or self.rt.config.web.public_url.startswith("https://")
        attrs = f"Path={BASE}; HttpOnly; SameSite=Lax; Max-Age={int(lasts.total_seconds())}" + ("; Secure" if secure else "")
        return f"{COOKIE}={token}; {attrs}"

    def cleared(self, request: WebRequest) -> str:
        return self.cookie(request, "", timedelta(0))

    async def session_of(self, request: WebRequest) -> SignedIn | None:
        token = request.cookies.get(COOKIE, "")
        if not token:
            return None
        async with self.rt.db.sessions() as session:
            return await DashboardRepo(session).signed_in(token, self.rt.now())

    # ---- rendering ----
    def translator(self, who: SignedIn | None, info: CommunityInfo | None) -> Translator:
        if info is not None:
            return self.rt.catalogs.translator(info.settings.language)
        return self.rt.catalogs.translator(who.language if who else None)

    def render(self, t: Translator, template: str, values: Mapping[str, Any], status: int = 200) -> WebResponse:
        body = self.env.get_template(template).render({"t": t, **values})
        headers = {"Cache-Control": "no-store", "Content-Language": t.language}
        return WebResponse(status, body.encode(), HTML, headers)

    def answer(self, page: Page, out: Rendered | WebResponse) -> WebResponse:
        if isinstance(out, WebResponse):
            return out
        communities = [i for i in (self.rt.directory.by_id(c) for c in sorted(page.who.communities)) if i is not None]
        values = {"who": page.who, "info": page.info, "communities": communities, "flash": page.flash, "csrf": page.who.csrf, **out.values}
        return self.render(page.t, out.template, values, out.status)

    def refused(self, request: WebRequest, status: int, key: str) -> WebResponse:
        t = self.translator(None, None)
        return self.render(t, "message.html", {"who": None, "info": None, "communities": [], "message": t.s(key)}, status)

    # ---- the two kinds of route ----
    async def _open(self, request: WebRequest, community: bool) -> Page | WebResponse:
        who = await self.session_of(request)
        if who is None:
            return self.refused(request, 401, "dash.signed_out")
        info = None
        if community:
            raw = request.params.get("cid", "")
            cid = int(raw) if raw.isdigit() else -1
            info = self.rt.directory.by_id(cid) if cid in who.communities else None
            if info is None:  # another community's pages do not exist for this session
                return self.refused(request, 404, "dash.not_found")
        flash = self.notes.take(request.query.get("note", ""))
        return Page(self.rt, request, who, info, self.translator(who, info), self.notes, flash)

    def page(self, fn: PageFn, community: bool = True) -> Callable[[WebRequest], Awaitable[WebResponse]]:
        async def serve(request: WebRequest) -> WebResponse:
            opened = await self._open(request, community)
            if isinstance(opened, WebResponse):
                return opened
            return self.answer(opened, await fn(opened))

        return serve

    def form(self, fn: PageFn, community: bool = True) -> Callable[[WebRequest], Awaitable[WebResponse]]:
        async def serve(request: WebRequest) -> WebResponse:
            opened = await self._open(request, community)
            if isinstance(opened, WebResponse):
                return opened
            if not hmac.compare_digest(request.form.get("csrf", ""), opened.who.csrf):
                log.warning("a dashboard form without its session's token was refused")
                return self.refused(request, 403, "dash.forged")
            return self.answer(opened, await fn(opened))

        return serve


def new_secret() -> str:
    return secrets.token_urlsafe(32)
