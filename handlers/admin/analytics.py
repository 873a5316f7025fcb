"""/stats: the community's health figures for a period, in the chat (managers only)."""

from __future__ import annotations

from datetime import date

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

from bot.core.community import CommunityInfo
from bot.core.context import Context
from bot.core.events import CommandInvoked
from bot.core.i18n import Translator
from bot.core.richtext import Rich, join
from handlers.admin.metrics import Figures, compute
from handlers.admin.periods import parse_period

DASH = "—"


def day(t: Translator, d: date) -> str:
    return format_date(d, format="medium", locale=t.locale)


def number(t: Translator, value: int | float | None) -> str:
    if value is None:
        return DASH
    return format_decimal(round(value, 1) if isinstance(value, float) else value, format="#,##0.#", locale=t.locale)


def share(t: Translator, value: float | None) -> str:
    return DASH if value is None else format_percent(value, format="#,##0%", locale=t.locale)


def change(t: Translator, now: int | float | None, before: int | float | None) -> str:
    """``+12%``, ``−5%``, ``±0%``; a dash when there is nothing to compare with."""
    if now is None or before is None or before == 0:
        return DASH
    delta = (now - before) / before
    if round(delta, 2) == 0:
        return "±" + format_percent(0, format="0%", locale=t.locale)
    return ("+" if delta > 0 else "") + format_percent(delta, format="#,##0%", locale=t.locale)


def _names(t: Translator, people: list[tuple[str, int]]) -> str:
    return ", ".join(f"{name} ({number(t, n)})" for name, n in people) if people else t.s("admin.stats.nobody")


def render(t: Translator, info: CommunityInfo, f: Figures, title_key: str = "admin.stats.title") -> Rich:
    w = f.period.current
    lines = [
        t.t(title_key, community=info.name, first=day(t, w.first), last=day(t, w.last)),
        t.t("admin.stats.new_members", value=number(t, f.new_members), change=change(t, f.new_members, f.new_members_prev)),
    ]
    a7, a14 = f.activation
    if a7.cohort or a14.cohort:
        lines.append(
            t.t("admin.stats.activation", week=share(t, a7.share), week_n=a7.cohort, fortnight=share(t, a14.share), fortnight_n=a14.cohort)
        )
    else:
        lines.append(t.t("admin.stats.activation_none"))
    lines += [
        t.t("admin.stats.active", value=number(t, f.active), change=change(t, f.active, f.active_prev)),
        t.t("admin.stats.dau", value=number(t, f.dau), change=change(t, f.dau, f.dau_prev)),
        t.t("admin.stats.wau_mau", wau=number(t, f.wau), mau=number(t, f.mau), ratio=share(t, f.wau_mau)),
        t.t("admin.stats.stickiness", value=share(t, f.stickiness)),
        t.t("admin.stats.messages", value=number(t, f.messages), change=change(t, f.messages, f.messages_prev)),
        t.t("admin.stats.replies", value=number(t, f.replies), change=change(t, f.replies, f.replies_prev)),
        t.t("admin.stats.per_active", posts=number(t, f.posts_per_active), replies=number(t, f.replies_per_active)),
    ]
    for name, (value, before) in f.extra.items():
        if not value and not before:
            continue  # a feature with nothing to show (not used here, or a quiet period)
        shown = share(t, value) if name.endswith("_share") else number(t, value)  # type: ignore[arg-type]
        lines.append(t.t("admin.stats.metric", label=t.s(f"metric.{name}"), value=shown, change=change(t, value, before)))
        if name == "rubric_posts" and f.rubrics:
            lines.append(t.t("admin.stats.by_rubric", items=", ".join(f"#{tag} {number(t, n)}" for tag, n in f.rubrics)))
    lines += [t.t("admin.stats.top", names=_names(t, f.top)), t.t("admin.stats.leaders", names=_names(t, f.leaders))]
    return join(lines, blank_line=False)


async def stats(ctx: Context, ev: CommandInvoked) -> None:
    info = ctx.here
    period = parse_period(ev.args, ctx.now, info.tz)
    if period is None:
        await ctx.reply(ctx.t.t("admin.stats.usage", given=ev.args.strip()))
        return
    # Activity still buffered in memory is counted at the next flush (every tick): at most a minute behind.
    figures = await compute(ctx.session, ctx.rt, info, period, ctx.now)
    text = render(ctx.t, info, figures)
    w = period.current
    sections = [line for section in ctx.rt.stats_sections for line in await section(ctx.session, info, ctx.t, w.start, w.stop)]
    if sections:
        text = join([text, *sections], blank_line=False)
    if lost := ctx.rt.undelivered[info.id]:
        text = join([text, ctx.t.t("admin.stats.undelivered", value=number(ctx.t, lost))], blank_line=False)
    await ctx.reply(text)
