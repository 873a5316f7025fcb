"""The weekly report to the managers (with a chart) and the CSV export of the figures."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from bot.core.actions import Failed, FailReason, People, ResolvePeople, Result, SendFile
from bot.core.community import CommunityInfo
from bot.core.context import Context
from bot.core.events import CommandInvoked
from bot.core.i18n import Translator
from bot.core.ids import ChatRef, UserRef
from bot.core.ritual import Occurrence
from handlers.admin.analytics import render
from handlers.admin.metrics import Figures, compute
from handlers.admin.periods import last_full_week, parse_period, window
from rituals.dates import last_weekly_slot
from storage.repos.analytics import AnalyticsRepo, DayTotals

CHART_DAYS = 28


def chart_png(t: Translator, info: CommunityInfo, series: list[DayTotals]) -> bytes:
    """Daily active members and messages, as a PNG (matplotlib, no display needed)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # imported here: only reports need it
    from matplotlib.dates import date2num
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8, 3.6), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    days = date2num([r.day for r in series])
    ax.plot(days, [r.messages for r in series], color="#8fb3d9", label=t.s("admin.chart.messages"))
    ax.plot(days, [r.active for r in series], color="#1f4e79", linewidth=2, label=t.s("admin.chart.active"))
    ax.set_title(t.s("admin.chart.title", community=info.name))
    ax.xaxis_date()
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left")
    fig.autofmt_xdate()
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()


async def chart_series(ctx: Context, info: CommunityInfo, end: date) -> list[DayTotals]:
    w = window(end - timedelta(days=CHART_DAYS), end, info.tz)
    rows = {r.day: r for r in await AnalyticsRepo(ctx.session).daily(info.id, w.first, w.end)}
    days = (w.first + timedelta(days=i) for i in range(w.days))
    return [rows.get(d, DayTotals(d, 0, 0, 0)) for d in days]


class WeeklyReport:
    """Once a week per community: a DM to every manager named in the config, with the figures and a chart."""

    name = "weekly_report"

    async def due(self, ctx: Context) -> list[Occurrence]:
        info = ctx.community
        if info is None or not info.managers or not info.settings.admin.weekly_report:
            return []
        s = info.settings.admin
        day, at = last_weekly_slot(ctx.now, info.tz, s.report_weekday, s.report_time)
        return [Occurrence(f"weekly_report:{day.isoformat()}", at, {"day": day.isoformat()})]

    async def run(self, ctx: Context, occurrence: Occurrence) -> None:
        info = ctx.here
        day = date.fromisoformat(occurrence.data["day"])
        period = last_full_week(day - timedelta(days=day.weekday()), info.tz)
        figures = await compute(ctx.session, ctx.rt, info, period, ctx.now)
        text = render(ctx.t, info, figures, "admin.report.title")
        png = chart_png(ctx.t, info, await chart_series(ctx, info, period.current.end))
        caption = ctx.t.t("admin.chart.caption", days=CHART_DAYS)
        for manager in await people(ctx, info.chat, sorted(info.managers)):
            user = UserRef(info.chat.platform, manager)
            if (await ctx.direct(user, text)).ok:
                await ctx.perform(SendFile(user, f"activity-{period.current.last.isoformat()}.png", png, caption))


async def people(ctx: Context, chat: ChatRef, ids: list[str]) -> tuple[str, ...]:
    """The people the config's ids name (a Discord role id: its members)."""
    result = await ctx.perform(ResolvePeople(chat, tuple(ids)))
    return result.users if isinstance(result, People) else tuple(ids)


def metrics_csv(f: Figures) -> bytes:
    """One row per figure: machine-readable ids, the period's value and the previous period's."""
    rows: list[tuple[str, object, object]] = [
        ("new_members", f.new_members, f.new_members_prev),
        ("active_members", f.active, f.active_prev),
        ("avg_daily_active", round(f.dau, 2), round(f.dau_prev, 2)),
        ("weekly_active", f.wau, ""),
        ("monthly_active", f.mau, ""),
        ("wau_mau", _r(f.wau_mau), ""),
        ("dau_mau", _r(f.stickiness), ""),
        ("messages", f.messages, f.messages_prev),
        ("replies", f.replies, f.replies_prev),
        ("posts_per_active", _r(f.posts_per_active), ""),
        ("replies_per_active", _r(f.replies_per_active), ""),
    ]
    for a in f.activation:
        rows.append((f"activation_{a.days}d", _r(a.share), ""))
        rows.append((f"activation_{a.days}d_cohort", a.cohort, ""))
    rows += [(f"metric.{name}", _blank(v), _blank(p)) for name, (v, p) in f.extra.items()]
    rows += [(f"rubric.{tag}", n, "") for tag, n in f.rubrics]
    w, pw = f.period.current, f.period.previous
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["metric", "value", "previous", "first_day", "last_day", "previous_first_day", "previous_last_day"])
    for name, value, prev in rows:
        writer.writerow([name, value, prev, w.first.isoformat(), w.last.isoformat(), pw.first.isoformat(), pw.last.isoformat()])
    out.write("\n")
    writer.writerow(["day", "active_members", "messages", "replies"])
    for r in f.series:
        writer.writerow([r.day.isoformat(), r.active, r.messages, r.replies])
    return out.getvalue().encode("utf-8")


def _r(x: float | None) -> object:
    return "" if x is None else round(x, 4)


def _blank(x: int | float | None) -> object:
    return "" if x is None else x


async def export(ctx: Context, ev: CommandInvoked) -> None:
    """/export [period]: the figures as CSV, by DM to the manager (or here when DMs are closed)."""
    info = ctx.here
    period = parse_period(ev.args, ctx.now, info.tz)
    if period is None:
        await ctx.reply(ctx.t.t("admin.export.usage", given=ev.args.strip()))
        return
    figures = await compute(ctx.session, ctx.rt, info, period, ctx.now)
    w = period.current
    name = f"stats-{w.first.isoformat()}-{w.last.isoformat()}.csv"
    caption = ctx.t.t("admin.export.caption", community=info.name)
    data = metrics_csv(figures)
    result: Result = await ctx.perform(SendFile(ev.user.ref, name, data, caption))
    if isinstance(result, Failed) and result.reason is FailReason.DM_CLOSED:
        result = await ctx.perform(SendFile(ev.chat, name, data, caption))
    elif result.ok:
        await ctx.reply(ctx.t.t("admin.export.sent_dm"))
    if not result.ok:
        await ctx.reply(ctx.t.t("admin.export.failed"))
    ctx.audit("export", None, f"{w.first.isoformat()}..{w.last.isoformat()}")
