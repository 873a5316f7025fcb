""""You said, we did": on the first day of each month, what was done last month because members asked.

One occurrence per month (``said_we_did:<YYYY-MM>``) claimed in ``ritual_runs`` like every ritual, so a
restart neither repeats nor loses the post; a month with nothing done posts nothing.
"""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_skeleton

from bot.core.context import Context
from bot.core.richtext import Rich, join
from bot.core.ritual import Occurrence
from rituals.posting import post
from storage.repos.listening import FeedbackRepo

from .intake import author_value, excerpt
from .periods import month_before, month_start

MAX_ITEMS = 15


class SaidWeDid:
    name = "said_we_did"

    async def due(self, ctx: Context) -> list[Occurrence]:
        info = ctx.here
        s = info.settings.feedback
        if not (s.enabled and s.said_we_did):
            return []
        first = month_start(ctx.now.astimezone(info.tz).date())
        at = datetime.combine(first, s.said_we_did_time, info.tz)
        if at > ctx.now:
            first = month_before(first)
            at = datetime.combine(first, s.said_we_did_time, info.tz)
        return [Occurrence(f"{self.name}:{first.isoformat()[:7]}", at, {"month": first.isoformat()})]

    async def run(self, ctx: Context, occurrence: Occurrence) -> None:
        info = ctx.here
        this = date.fromisoformat(occurrence.data["month"])
        last = month_before(this)
        start, end = (datetime.combine(d, datetime.min.time(), info.tz) for d in (last, this))
        items = await FeedbackRepo(ctx.session).done_between(info.id, start, end)
        if not items:
            return
        t = ctx.t
        lines: list[Rich] = [t.t("feedback.monthly.title", month=format_skeleton("yMMMM", start, locale=t.locale), community=info.name)]
        for item in items[:MAX_ITEMS]:
            what = excerpt(item.reply or item.text, 200)
            if item.anonymous:
                lines.append(t.t("feedback.monthly.item_anonymous", what=what))
            else:
                lines.append(t.t("feedback.monthly.item", what=what, member=author_value(t, item, info.chat.platform)))
        if len(items) > MAX_ITEMS:
            lines.append(t.t("feedback.monthly.more", n=len(items) - MAX_ITEMS))
        lines.append(t.t("feedback.monthly.footer"))
        await post(ctx, join(lines, blank_line=False))
