"""The managers' dashboard: the bot's own web pages for the communities a person manages (``[web] enabled``).

Sign-in by a one-time link that ``/dashboard`` sends by DM (signin.py); each page is one module (health,
moderation, content, settings_page, members) rendered from templates/ in the community's language; site.py
holds what every page shares (the session, the community check, CSRF, rendering). Changes go through the same
code as the chat's commands and buttons, so a change here and one in the chat cannot differ; each is audited
with where it came from.
"""

from __future__ import annotations

from pathlib import Path

from bot.core.commands import Command
from bot.core.runtime import Runtime
from bot.core.web import WebRequest, WebResponse
from handlers.admin.dashboard import content, health, members, moderation, settings_page
from handlers.admin.dashboard.signin import SIGNIN_PATH, SignIn, dashboard_command
from handlers.admin.dashboard.site import BASE, HERE, Page, Rendered, Site, community_path, redirect

STATIC = {"dashboard.css": "text/css; charset=utf-8"}


def setup(rt: Runtime) -> None:
    rt.add_locales(HERE / "locales")  # its tables' names are in /mydata whether or not the server runs
    if not rt.config.web.enabled:
        return
    rt.commands.add(Command("dashboard", dashboard_command, "dash.cmd"))
    site = Site(rt)
    signin = SignIn(site)
    rt.web.add(SIGNIN_PATH, signin.link_page)
    rt.web.add(SIGNIN_PATH, signin.sign_in, "POST")
    rt.web.add(f"{BASE}/signout", site.form(signin.sign_out, community=False), "POST")
    rt.web.add(f"{BASE}/signed-out", signin.signed_out)
    rt.web.add(BASE, site.page(index, community=False))
    rt.web.add(f"{BASE}/static/{{name}}", static)
    rt.web.add(f"{BASE}/c/{{cid}}", site.page(health.health))
    rt.web.add(f"{BASE}/c/{{cid}}/moderation", site.page(moderation.moderation))
    rt.web.add(f"{BASE}/c/{{cid}}/cases/{{case}}", site.form(moderation.decide), "POST")
    rt.web.add(f"{BASE}/c/{{cid}}/content", site.page(content.content))
    rt.web.add(f"{BASE}/c/{{cid}}/settings", site.page(settings_page.settings_page))
    rt.web.add(f"{BASE}/c/{{cid}}/settings", site.form(settings_page.change), "POST")
    rt.web.add(f"{BASE}/c/{{cid}}/members", site.page(members.members))
    rt.web.add(f"{BASE}/c/{{cid}}/members/{{user}}", site.page(members.member))
    rt.web.add(f"{BASE}/c/{{cid}}/members/{{user}}/forget", site.form(members.forget_member), "POST")


async def index(page: Page) -> Rendered | WebResponse:
    """The communities of the session; straight to the one when there is only one."""
    if len(page.who.communities) == 1:
        return redirect(community_path(next(iter(page.who.communities))))
    return Rendered("index.html", {})


_FILES = {name: (Path(HERE / "static" / name).read_bytes(), kind) for name, kind in STATIC.items()}


async def static(request: WebRequest) -> WebResponse:
    found = _FILES.get(request.params.get("name", ""))
    if found is None:
        return WebResponse(404, b"Not found\n")
    return WebResponse(200, found[0], found[1], {"Cache-Control": "public, max-age=3600"})
