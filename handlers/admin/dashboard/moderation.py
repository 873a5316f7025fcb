"""Moderation: the cases (what was removed, why, the score, who decided), one-click decisions, appeals,
shadow mode's results and the strike list.

A decision made here is the same press a moderator makes on the log card: it goes through the router as a
``ButtonPressed`` of the spam feature's review buttons (``sp:<op>:<case>``, handlers/spam/review.py), so it
restores the message in the chat, lifts the mute, learns, and closes the card exactly as the card would;
what the card's toast would say comes back as the page's message.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from bot.core.events import ButtonPressed, Role
from bot.core.web import WEB_CALLBACK, WebResponse
from handlers.admin.dashboard.site import Page, Rendered, community_path, redirect
from storage.models.states import SpamStatus
from storage.repos.dashboard import DashboardFigures
from storage.repos.housekeeping import AuditRepo
from storage.repos.spam import SpamRepo
from storage.repos.strikes import StrikeQueries

REVIEW_BUTTONS = "sp"  # the spam feature's review buttons
OPS = {"ns": "dash.case.restore", "ok": "dash.case.confirm", "ban": "dash.case.ban", "apy": "dash.case.approve", "apn": "dash.case.reject"}
WAITING = (SpamStatus.OPEN, SpamStatus.APPEALED)
SHOWN = 50


def ops_for(status: SpamStatus) -> list[str]:
    """The decisions a case still takes (as its log card offers them)."""
    if status == SpamStatus.APPEALED:
        return ["apy", "apn"]
    if status == SpamStatus.OPEN:
        return ["ns", "ok", "ban"]
    if status == SpamStatus.CONFIRMED:
        return ["ns"]
    return []


async def moderation(page: Page) -> Rendered:
    rt, info = page.rt, page.here
    now = rt.now()
    async with rt.db.sessions() as session:
        figures = DashboardFigures(session)
        waiting = await figures.cases(info.id, WAITING, SHOWN)
        recent = [c for c in await figures.cases(info.id, None, SHOWN) if c.status not in WAITING]
        counts = await figures.case_counts(info.id, now - timedelta(days=30))
        strikes = await StrikeQueries(session).current(info.id, now, info.settings.spam.strike_decay, limit=SHOWN)
    cases = [(c, ops_for(c.status), info.tz) for c in [*waiting, *recent]]
    return Rendered("moderation.html", {"cases": cases, "ops_labels": OPS, "counts": sorted(counts.items()), "strikes": strikes})


async def decide(page: Page) -> WebResponse:
    """One decision on one case, as the card's button would make it; audited with where it came from."""
    rt, info, who = page.rt, page.here, page.who
    op = page.request.form.get("op", "")
    raw = page.request.params.get("case", "")
    if op not in OPS or not raw.isdigit():
        return redirect(community_path(info.id, "moderation"))
    async with rt.db.sessions() as session:
        case = await SpamRepo(session).record(int(raw))
        before = str(case.status) if case is not None and case.community_id == info.id else None
    if before is None:
        return page.back("moderation", page.t.s("dash.case.gone"), refused=True)
    callback = WEB_CALLBACK + secrets.token_hex(8)
    await rt.handle(ButtonPressed(info.chat, rt.now(), page.person, f"{REVIEW_BUTTONS}:{op}:{raw}", callback, role=Role.MANAGER))
    answer = rt.web.answers.pop(callback, "")
    async with rt.db.sessions() as session:
        case = await SpamRepo(session).record(int(raw))
        after = str(case.status) if case is not None else None
        if after != before:
            AuditRepo(session).add(info.id, who.user_id, f"case {raw} {op}", before, after, rt.now(), page.via)
            await session.commit()
    return page.back("moderation", answer or page.t.s("dash.done"), anchor=f"case-{raw}")
