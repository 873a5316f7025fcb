"""Members: search by name, one member's participation and strikes, what the bot stores about them (what
``/mydata`` lists, table by table) and forgetting them here. Counts only: the bot keeps no message texts
(but a moderation case's), so none are shown."""

from __future__ import annotations

from bot.core.web import WebResponse
from handlers.admin.dashboard.site import Page, Rendered, acting
from handlers.admin.privacy import erase
from storage import forget
from storage.repos.dashboard import DashboardFigures
from storage.repos.strikes import StrikeQueries

SHOWN = 50
QUERY_LONGEST = 100


async def members(page: Page) -> Rendered:
    query = page.request.query.get("q", "").strip()[:QUERY_LONGEST]
    async with page.rt.db.sessions() as session:
        found = await DashboardFigures(session).members(page.here.id, query, SHOWN)
    return Rendered("members.html", {"query": query, "found": found, "tz": page.here.tz})


async def member(page: Page) -> Rendered:
    info, user_id = page.here, page.request.params.get("user", "")
    now = page.rt.now()
    async with page.rt.db.sessions() as session:
        figures = DashboardFigures(session)
        row = await figures.member(info.id, user_id)
        if row is None:
            return Rendered("message.html", {"message": page.t.s("dash.not_found")}, status=404)
        days, replies = await figures.activity(info.id, user_id)
        queries = StrikeQueries(session)
        strikes = await queries.of(info.id, user_id, now, info.settings.spam.strike_decay)
        cases = await queries.records(info.id, user_id, limit=10)
        stored = [(page.t.s(rule.label), n) for rule, n in await forget.inventory(session, _subject(page, user_id)) if n]
    values = {"m": row, "days": days, "replies": replies, "strikes": strikes.count if strikes else 0, "cases": cases, "stored": stored}
    return Rendered("member.html", {**values, "tz": info.tz})


def _subject(page: Page, user_id: str) -> forget.Subject:
    return forget.Subject(page.here.chat.platform, user_id, (page.here.id,))


async def forget_member(page: Page) -> WebResponse:
    """Forget the member in this community (a manager acting on a request made to them); audited."""
    user_id = page.request.params.get("user", "")
    if page.request.form.get("confirm") != user_id:  # the form's check box names the member
        return page.back(f"members/{user_id}", page.t.s("dash.member.confirm_needed"), refused=True)
    async with acting(page) as ctx:
        await erase(ctx, _subject(page, user_id), by=page.who.user_id, action="forget member", via=page.via)
    return page.back("members", page.t.s("dash.member.forgotten"))
