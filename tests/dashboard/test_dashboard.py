"""The managers' dashboard (#23) through the bot's own web server and a real HTTP client: sign-in by a one-time
link, sessions, CSRF, one manager never seeing another community, settings validated and audited like /set,
a removal undone into the chat, members found and forgotten, and the safety headers."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.harness import LocalBot
from storage.models.core import AuditEntry, Member
from storage.models.dashboard import DashboardLink, DashboardSession
from tests.dashboard.conftest import HARBOUR, TOWN, Browser, link
from tests.spam.members import settle


async def test_a_manager_signs_in_by_the_link_once_and_a_preview_uses_nothing(bot: LocalBot, browsers: list[Browser]) -> None:
    path = await link(bot, "mia")
    assert path is not None
    assert "sent you a sign-in link" in bot.sim.bot_messages("town")[-1].text
    first, second = browsers
    preview = await first.get(path)  # a messenger's link preview fetches the page: the link still works after
    assert preview[0] == 200 and "Mia" in preview[1]
    await first.sign_in(path)
    status, page, r = await first.get("/dashboard")
    assert status == 200 and str(r.url).endswith(f"/dashboard/c/{TOWN}")  # one community: straight to it
    assert "Riverside Makers" in page and "Newcomers&#39; first steps" in page
    status, page, _ = await second.get(path)  # the same link again, another browser: used up
    assert status == 410 and "expired or was already used" in page
    async with bot.app.db.sessions() as s:
        rows = list(await s.scalars(select(DashboardLink)))
        assert len(rows) == 1 and rows[0].used_at is not None and path.split("t=")[1] not in rows[0].token_hash


async def test_a_link_expires_and_a_member_gets_none(bot: LocalBot, browsers: list[Browser]) -> None:
    assert await link(bot, "ann") is None
    assert "Only managers" in bot.sim.dms("ann")[-1].text
    path = await link(bot, "mia")
    assert path is not None
    bot.clock.advance(timedelta(minutes=11))
    assert (await browsers[0].get(path))[0] == 410


async def test_links_are_rate_limited(bot: LocalBot) -> None:
    for _ in range(5):
        assert await link(bot, "mia") is not None
    assert await link(bot, "mia") is None
    assert "several links in the last hour" in bot.sim.dms("mia")[-1].text


async def test_a_manager_of_one_community_never_sees_another(bot: LocalBot, browsers: list[Browser]) -> None:
    mia, ned = browsers
    await mia.sign_in(await link(bot, "mia") or "")
    await ned.sign_in(await link(bot, "ned", chat="harbour") or "")
    status, page, r = await ned.get("/dashboard")
    assert str(r.url).endswith(f"/dashboard/c/{HARBOUR}") and "Harbour Rowing" in page
    for sub in ("", "/moderation", "/content", "/settings", "/members", "/members/ann"):
        status, page, _ = await ned.get(f"/dashboard/c/{TOWN}{sub}")
        assert status == 404 and "Riverside" not in page and "Ann" not in page, sub
    _, mine, _ = await ned.get(f"/dashboard/c/{HARBOUR}/settings")
    status, _, _ = await ned.post(f"/dashboard/c/{TOWN}/settings", {"csrf": ned.csrf(mine), "key": "language", "value": "ru"})
    assert status == 404
    assert bot.app.rt.directory.by_id(TOWN).settings.language == "en"  # type: ignore[union-attr]
    status, _, _ = await mia.get(f"/dashboard/c/{TOWN}/members")
    assert status == 200


async def test_a_setting_is_validated_saved_and_audited(bot: LocalBot, browsers: list[Browser]) -> None:
    mia = browsers[0]
    await mia.sign_in(await link(bot, "mia") or "")
    _, page, _ = await mia.get(f"/dashboard/c/{TOWN}/settings")
    assert 'id="v-spam.threshold"' in page or 'id="v-language"' in page
    token = mia.csrf(page)
    status, page, _ = await mia.post(f"/dashboard/c/{TOWN}/settings", {"key": "language", "value": "ru"})  # no CSRF token
    assert status == 403
    status, page, _ = await mia.post(f"/dashboard/c/{TOWN}/settings", {"csrf": token, "key": "levels.window", "value": "soon"})
    assert status == 200 and "flash refused" in page
    status, page, _ = await mia.post(f"/dashboard/c/{TOWN}/settings", {"csrf": token, "key": "language", "value": "ru"})
    assert status == 200 and "Настройки" in page  # the page answers in the community's new language
    assert bot.app.rt.directory.by_id(TOWN).settings.language == "ru"  # type: ignore[union-attr]
    async with bot.app.db.sessions() as s:
        entry = (await s.scalars(select(AuditEntry).where(AuditEntry.action == "set language"))).one()
        assert entry.actor_id == "mia" and entry.after == '"ru"' and entry.via == "dashboard 127.0.0.1"
    assert "dashboard 127.0.0.1" in page  # the audit table shows where it came from


async def test_undo_on_the_dashboard_restores_the_message_in_the_chat(bot: LocalBot, browsers: list[Browser]) -> None:
    await settle(bot, "eve")
    removed = await bot.sim.post("town", "eve", "giveaway for everyone")
    assert bot.sim.messages[removed.id].deleted
    mia = browsers[0]
    await mia.sign_in(await link(bot, "mia") or "")
    _, page, _ = await mia.get(f"/dashboard/c/{TOWN}/moderation")
    assert "giveaway for everyone" in page and "Waiting for a moderator" in page
    case = page.split('id="case-')[1].split('"')[0]
    status, page, _ = await mia.post(f"/dashboard/c/{TOWN}/cases/{case}", {"csrf": mia.csrf(page), "op": "ns"})
    assert status == 200 and "Restored: not spam" in page
    restored = [m for m in bot.sim.bot_messages("town") if "giveaway for everyone" in m.text and m.place != "mods"]
    assert restored, "the restored message reached the chat"
    async with bot.app.db.sessions() as s:
        entry = (await s.scalars(select(AuditEntry).where(AuditEntry.action.like("case %")))).one()
        assert (entry.before, entry.after, entry.via) == ("open", "restored", "dashboard 127.0.0.1")
    status, page, _ = await mia.post(f"/dashboard/c/{TOWN}/cases/{case}", {"csrf": mia.csrf(page), "op": "ns"})
    assert "already" in page  # the card's own answer: decided once


async def test_members_are_found_shown_and_forgotten(bot: LocalBot, browsers: list[Browser]) -> None:
    mia = browsers[0]
    await mia.sign_in(await link(bot, "mia") or "")
    status, page, _ = await mia.get(f"/dashboard/c/{TOWN}/members?q=an")
    assert status == 200 and "Ann" in page and "Mia" not in page.split("<main")[1].split("</form>", 1)[1]
    _, page, _ = await mia.get(f"/dashboard/c/{TOWN}/members/ann")
    assert "Days with a message" in page and "members" in page
    status, page, _ = await mia.post(f"/dashboard/c/{TOWN}/members/ann/forget", {"csrf": mia.csrf(page)})
    assert "Tick the box" in page
    status, page, _ = await mia.post(f"/dashboard/c/{TOWN}/members/ann/forget", {"csrf": mia.csrf(page), "confirm": "ann"})
    assert "was forgotten" in page
    async with bot.app.db.sessions() as s:
        assert (await s.scalars(select(Member).where(Member.user_id == "ann"))).first() is None
        entry = (await s.scalars(select(AuditEntry).where(AuditEntry.action == "forget member"))).one()
        assert entry.actor_id == "mia" and "ann" not in (entry.before or "")


async def test_sign_out_ends_the_session_and_forgetme_takes_the_sessions(bot: LocalBot, browsers: list[Browser]) -> None:
    mia = browsers[0]
    await mia.sign_in(await link(bot, "mia") or "")
    _, page, _ = await mia.get(f"/dashboard/c/{TOWN}")
    status, page, _ = await mia.post("/dashboard/signout", {"csrf": mia.csrf(page)})
    assert status == 200 and "signed out" in page
    assert (await mia.get(f"/dashboard/c/{TOWN}"))[0] == 401
    await bot.sim.command_in_dm("mia", "/mydata")
    assert "dashboard sessions" in bot.sim.dms("mia")[-1].text
    await bot.sim.command_in_dm("mia", "/forgetme")
    button = bot.sim.dms("mia")[-1]
    await bot.sim.press(button.id, "forget:mia", "mia")
    async with bot.app.db.sessions() as s:
        assert not list(await s.scalars(select(DashboardSession))) and not list(await s.scalars(select(DashboardLink)))


async def test_pages_carry_the_safety_headers_and_the_cookie_is_http_only(bot: LocalBot, browsers: list[Browser]) -> None:
    mia = browsers[0]
    path = await link(bot, "mia") or ""
    _, page, r = await mia.get(path)
    csp = r.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and r.headers["Referrer-Policy"] == "no-referrer"
    token = page.split('name="t" value="')[1].split('"')[0]
    _, _, r = await mia.post("/dashboard/signin", {"t": token}, follow=False)
    cookie = r.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/dashboard" in cookie
    assert r.headers["Location"] == "/dashboard" and "t=" not in r.headers["Location"]


async def test_every_page_renders(bot: LocalBot, browsers: list[Browser]) -> None:
    await bot.sim.post("town", "mia", "/event add 2026-12-03 18:00 Repair café | Library hall")
    mia = browsers[0]
    await mia.sign_in(await link(bot, "mia") or "")
    for sub in ("", "/moderation", "/content", "/settings", "/members", "/members/ann"):
        status, page, _ = await mia.get(f"/dashboard/c/{TOWN}{sub}")
        assert status == 200, (sub, page[:500])
    assert "Repair café" in (await mia.get(f"/dashboard/c/{TOWN}/content"))[1]
    assert (await mia.get("/dashboard/static/dashboard.css"))[0] == 200


async def test_retention_follows_each_weeks_newcomers(bot: LocalBot) -> None:
    """Two newcomers join in one week; one of them posts again in their second week, neither later. The weeks are
    one grid ending now (here four weeks after they joined), so each cohort's weeks are the same for everyone."""
    from handlers.admin.dashboard.health import _retention
    from storage.repos.dashboard import DashboardFigures

    for uid in ("kim", "lou"):
        bot.sim.add_user(uid, uid.title())
        await bot.sim.join("town", uid)
        await bot.sim.post("town", uid, "hello, glad to be here")
    bot.clock.advance(timedelta(days=8))
    await bot.sim.post("town", "kim", "back with a question about the lathe")
    bot.clock.advance(timedelta(days=20))
    await bot.app.rt.flush()
    async with bot.app.db.sessions() as s:
        rows = await _retention(s, DashboardFigures(s), TOWN, bot.clock.now())
    joined = [(n, shares) for _, n, shares in rows if n]
    assert joined == [(2, [1.0, 0.5, 0.0, 0.0])]
