"""Participation levels (#21.3), in the spirit of Orbit's levels and Discourse's trust levels.

- ``earning``: which level a member's signals earn (days active, posts, replies to others, questions answered,
  answers that solved one, thanks received; never message counts alone), and what the next one asks;
- ``promotion``: promoted as soon as earned (an hourly batch, never per message), demoted only at the monthly
  review (one level at most), staff never leveled; a promotion told briefly (by DM to who said /spotlight off);
- ``showing``: the level as a Telegram member tag or the Discord role the managers mapped to it.

``/level`` shows a member theirs and what the next asks; ``/mydata`` shows it, ``/forgetme`` removes it (the tag
and the role too). A level of 1 or more takes a member out of the spam filter's newcomer sandbox.
Off by default (``levels.enabled``).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from babel.dates import format_date
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core import priorities
from bot.core.commands import Command, CommandFn, Where
from bot.core.community import CommunityInfo
from bot.core.context import Context
from bot.core.events import CommandInvoked, Event, MessagePosted
from bot.core.i18n import Translator
from bot.core.richtext import Rich, join, plain
from bot.core.router import Flow
from bot.core.runtime import MEMBER_FORGOTTEN, ForgottenMember, Runtime
from bot.core.settings.levels import SIGNALS
from handlers.levels.earning import TOP, earned, missing
from handlers.levels.promotion import MonthlyReview, Promotions, promote, window_signals
from handlers.levels.showing import Showing, hidden, level_name
from storage.repos.levels import LevelRepo, Signals, Standing

ICONS = {"days_active": "📅", "posts": "💬", "replies": "↩️", "answers": "❓", "solved": "✅", "kudos": "🙏"}


class StaffMark:
    """Remembers who acts as staff (the router's role: the platform's admins and the config's staff), so the
    hourly run can leave them out. An attribute test per message; a write only when it changes. Kept with
    levels off too, so that switching them on finds the staff already known (not promoted and named first)."""

    name = "levels_staff"
    events: tuple[type[Event], ...] = (MessagePosted,)
    where = Where.GROUP

    async def handle(self, ctx: Context, ev: MessagePosted, /) -> Flow | None:
        member = ctx.member
        if member is None or member.staff == ctx.role.is_staff:
            return None
        member.staff = ctx.role.is_staff
        await LevelRepo(ctx.session).mark_staff(ctx.here.id, member.user_id, member.staff)
        return None


def progress(t: Translator, signals: Signals) -> Rich:
    """What counted, one signal after another: "📅 days active 4 · 💬 posts 12 · ..."."""
    return plain(" · ".join(f"{ICONS[s]} {t.s(f'levels.signal.{s}')} {getattr(signals, s)}" for s in SIGNALS))


def still_needed(t: Translator, signals: Signals, level: int, info: CommunityInfo) -> Rich:
    rule = info.settings.levels.rules[level]
    parts = [f"{ICONS[s]} {t.s(f'levels.signal.{s}')} {have}/{need}" for s, have, need in missing(signals, rule)]
    return t.t("levels.next", level=level_name(t, level + 1), needed=" · ".join(parts))


def level_command(showing: Showing) -> CommandFn:
    async def command(ctx: Context, ev: CommandInvoked) -> None:
        """``/level``: mine, what counted over the window, and what the next level still asks (privately)."""
        info = ctx.here
        s = info.settings.levels
        t = ctx.translator_for(ev.user)
        if not s.enabled:
            await ctx.privately(ev, t.t("levels.off"))
            return
        if ctx.role.is_staff:
            await ctx.privately(ev, t.t("levels.staff"))
            return
        me = ev.user.ref.id
        repo = LevelRepo(ctx.session)
        level, _, _ = await repo.level_of(info.id, me)
        signals = (await window_signals(ctx, [me])).get(me, Signals())
        if earned(signals, s.rules) > level:  # earned since the last hourly run: no need to wait for it
            standing = Standing(me, level, False, ev.user.display_name)
            promoted = await promote(ctx, [standing], showing)
            level = promoted[0][1] if promoted else level
        lines = [
            t.t("levels.yours", level=level_name(t, level), community=info.name),
            t.t("levels.counted", days=str(s.window.days)),
            progress(t, signals),
            still_needed(t, signals, level, info) if level < TOP else t.t("levels.top"),
        ]
        await ctx.privately(ev, join(lines, blank_line=False))

    return command


async def my_levels(session: AsyncSession, platform: str, user_id: str, t: Translator) -> list[Rich]:
    """``/mydata``: the level held in each community, since when."""
    out: list[Rich] = []
    for held in await LevelRepo(session).held(platform, user_id):
        since = format_date(held.since, "medium", locale=t.locale) if isinstance(held.since, datetime) else "—"
        out.append(t.t("levels.mydata", community=held.community, level=level_name(t, held.level), since=since))
    return out


async def stats(session: AsyncSession, info: CommunityInfo, t: Translator, start: datetime, end: datetime) -> list[Rich]:
    """One line of /stats: members at each level now."""
    if not info.settings.levels.enabled:
        return []
    counts = await LevelRepo(session).distribution(info.id)
    shown = " · ".join(f"{level_name(t, lv)} {counts.get(lv, 0)}" for lv in range(1, TOP + 1))
    return [t.t("levels.stats", counts=shown)]


async def forgotten(ctx: Context, who: ForgottenMember) -> None:
    """``/forgetme``: the tag and the level roles come off the platform too (once the forgetting is committed)."""
    info = ctx.rt.directory.by_id(who.community_id)
    if info is None:
        return
    level, shown, _ = await LevelRepo(ctx.session).level_of(who.community_id, who.user_id)
    if level or shown:
        for action in hidden(info, who.user_id):
            ctx.after_commit(action)


def setup(rt: Runtime) -> None:
    showing = Showing()
    rt.add_handler(StaffMark(), priorities.ACTIVITY)
    rt.commands.add(Command("level", level_command(showing), "levels.cmd", where=Where.GROUP, usage_key="levels.usage"))
    rt.add_ritual(Promotions(showing))
    rt.add_ritual(MonthlyReview(showing))
    rt.add_mydata_section(my_levels)
    rt.add_stats_section(stats)
    rt.on(MEMBER_FORGOTTEN, forgotten)
    rt.add_locales(Path(__file__).parent / "locales")
