"""Join anniversaries (#21.2): once a day, a short post naming the members who joined on this day in an earlier
year ("Ann: 1 year, Bob: 3 years"), never those who asked not to be named (``/spotlight off``). Members present
before the bot came have no join date and are never named."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from bot.core.context import Context
from bot.core.people import mentions
from bot.core.richtext import join
from bot.core.ritual import Occurrence
from rituals.dates import last_daily_slot
from rituals.posting import post
from storage.repos.kudos import KudosRepo
from storage.repos.members import MemberRepo

YEARS = 20  # anniversaries looked for, up to this many years back
SHOWN = 20  # members named in one day's post


class Anniversaries:
    name = "anniversaries"

    async def due(self, ctx: Context) -> list[Occurrence]:
        info = ctx.here
        s = info.settings.kudos
        if not s.enabled or not s.anniversaries:
            return []
        day, at = last_daily_slot(ctx.now, info.tz, s.anniversary_time)
        return [Occurrence(f"{self.name}:{day.isoformat()}", at, {"day": day.isoformat()})]

    async def run(self, ctx: Context, occurrence: Occurrence) -> None:
        info = ctx.here
        day = date.fromisoformat(str(occurrence.data["day"]))
        spans = []
        for years in range(1, YEARS + 1):
            try:
                then = day.replace(year=day.year - years)
            except ValueError:  # 29 February in a year that has none
                continue
            start = datetime.combine(then, datetime.min.time(), info.tz)
            spans.append((years, start, start + timedelta(days=1)))
        found = await MemberRepo(ctx.session).joined_within(info.id, [(s, e) for _, s, e in spans])
        hidden = await KudosRepo(ctx.session).opted_out(info.id)
        named: list[tuple[str, int]] = []
        for user_id, joined in found:
            if user_id in hidden:
                continue
            held = next((y for y, s, e in spans if s <= joined < e), None)
            if held is not None:
                named.append((user_id, held))
        if not named:
            return
        named.sort(key=lambda p: (-p[1], p[0]))
        named = named[:SHOWN]
        people = await mentions(ctx, [u for u, _ in named])
        t = ctx.t
        lines = [t.t("anniversary.line", member=people[u], n=y) for u, y in named]
        await post(ctx, join([t.t("anniversary.title"), join(lines, blank_line=False), t.t("anniversary.footer", community=info.name)]))
