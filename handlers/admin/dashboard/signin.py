"""``/dashboard``: a one-time sign-in link, sent by DM, for the communities where the asker is a manager.

The link holds a random token (only its hash is stored), is good once and for ``LINK_LASTS``; opening it shows
a page with a *Sign in* button, so a messenger's link preview (which fetches the page) cannot use it up. The
link is never logged: it goes out in the DM only.
"""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta

from bot.core.context import Context
from bot.core.events import CommandInvoked, Person, Role
from bot.core.roles import named
from bot.core.web import WebRequest, WebResponse
from handlers.admin.dashboard.site import BASE, SESSION_LASTS, Page, Site, new_secret, redirect
from storage.repos.dashboard import DashboardRepo

log = logging.getLogger("handlers.admin.dashboard")

LINK_LASTS = timedelta(minutes=10)
LINKS_PER_HOUR = 5  # a person asking more often waits: each link is a way in, and each DM a message
SIGNIN_PATH = f"{BASE}/signin"


def managed(ctx: Context, person: Person) -> list[int]:
    """The communities the person manages: the one they asked in (the platform's admins count there), and every
    community of that platform whose config names them a manager."""
    ids = {i.id for i in ctx.rt.directory.all_cached() if i.chat.platform == person.ref.platform and named(i, person) is Role.MANAGER}
    if ctx.community is not None and ctx.role.rank >= Role.MANAGER.rank:
        ids.add(ctx.community.id)
    return sorted(ids)


async def dashboard_command(ctx: Context, ev: CommandInvoked) -> None:
    t = ctx.translator_for(ev.user)
    communities = managed(ctx, ev.user)
    if not communities:
        key = "dash.signin.not_manager_dm" if ev.chat.private else "dash.signin.not_manager"
        await ctx.privately(ev, t.t(key))
        return
    repo = DashboardRepo(ctx.session)
    user = ev.user.ref
    if await repo.links_since(user.platform, user.id, ctx.now - timedelta(hours=1)) >= LINKS_PER_HOUR:
        await ctx.privately(ev, t.t("dash.signin.too_many"))
        return
    token = secrets.token_urlsafe(32)
    repo.add_link(token, user.platform, user.id, ev.user.display_name, communities, ctx.now, LINK_LASTS)
    url = f"{ctx.rt.config.web.public_url}{SIGNIN_PATH}?t={token}"
    text = t.t("dash.signin.link", url=url, minutes=int(LINK_LASTS.total_seconds() // 60))
    sent = await ctx.direct(ev.user, text)
    if ev.chat.private:
        return
    key = "dash.signin.sent_dm" if sent.ok else "dash.signin.open_dm"
    await ctx.reply(ctx.t.t(key), delete_after=timedelta(minutes=2))


# ---- the web side: the link's page, the sign-in itself, sign-out ----
class SignIn:
    def __init__(self, site: Site) -> None:
        self.site = site
        self.rt = site.rt

    async def link_page(self, request: WebRequest) -> WebResponse:
        """The page the link opens: a button that signs in (the GET alone uses nothing up)."""
        token = request.query.get("t", "")
        async with self.rt.db.sessions() as session:
            link = await DashboardRepo(session).link(token, self.rt.now()) if token else None
        if link is None:
            return self.site.refused(request, 410, "dash.signin.expired")
        t = self.site.translator(None, None)
        values: dict[str, object] = {"who": None, "info": None, "communities": [], "token": token, "name": link.display_name}
        return self.site.render(t, "signin.html", values)

    async def sign_in(self, request: WebRequest) -> WebResponse:
        token = request.form.get("t", "")
        now = self.rt.now()
        session_token, csrf = new_secret(), new_secret()
        async with self.rt.db.sessions() as session:
            repo = DashboardRepo(session)
            link = await repo.redeem(token, now) if token else None
            if link is None:
                await session.rollback()
                return self.site.refused(request, 410, "dash.signin.expired")
            language = next((i.settings.language for i in map(self.rt.directory.by_id, link.communities) if i is not None), None)
            repo.open(session_token, csrf, link, language, now, SESSION_LASTS)
            await repo.prune(now - timedelta(days=7))
            await session.commit()
        log.info("a manager signed in to the dashboard (%s, %d communities)", link.platform, len(link.communities))
        return redirect(BASE, (self.site.cookie(request, session_token, SESSION_LASTS),))

    async def sign_out(self, page: Page) -> WebResponse:
        async with self.rt.db.sessions() as session:
            await DashboardRepo(session).end(page.who.id, self.rt.now())
            await session.commit()
        return redirect(f"{BASE}/signed-out", (self.site.cleared(page.request),))

    async def signed_out(self, request: WebRequest) -> WebResponse:
        return self.site.refused(request, 200, "dash.signed_out_now")
