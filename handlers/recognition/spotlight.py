"""Recognition in public, monthly: the contributor spotlight and the managers' leaders nudge (#21.2, #21.4).

On the 1st of each month (``kudos.spotlight_time``, the community's clock) the spotlight names the members
who helped most the month before: questions answered, answers that solved one, thanks received (never
message counts). Members who said ``/spotlight off``, who left, and bots are never named; with nobody to
name nothing is posted. The leaders nudge goes to the moderators' log at the same time: members who
helped and are not helpers yet, with the command that makes them one.

Each is one occurrence a month (``<name>:<yyyy-mm-01>``): the ritual runner's claim makes it happen once
across restarts and processes; a month missed beyond the rituals' grace is skipped, not posted late.
"""

from __future__ import annotations

from datetime import date, datetime, time

from babel.dates import format_date

from bot.core.context import Context
from bot.core.events import CommandInvoked
from bot.core.people import mentions
from bot.core.richtext import Rich, join
from bot.core.ritual import Occurrence
from rituals.dates import last_monthly_slot, previous_month, wall_to_utc
from rituals.posting import post
from storage.repos.kudos import Contribution, KudosRepo
from storage.repos.questions import QuestionRepo

LEADERS = 3  # at most this many members suggested to the managers a month


def month_range(ctx: Context, first: date) -> tuple[datetime, datetime]:
    """The month before the one that starts on ``first``, as UTC instants from local midnight to local midnight."""
    tz = ctx.here.tz
    return wall_to_utc(previous_month(first), time(0), tz), wall_to_utc(first, time(0), tz)


def month_name(ctx: Context, first: date) -> str:
    """The month before ``first`` as the community's language names it ("November 2026", "ноябрь 2026")."""
    return format_date(previous_month(first), "LLLL y", locale=ctx.t.locale)


async def helped(ctx: Context, first: date) -> list[Contribution]:
    """Who helped in the month before ``first``, most helpful first, among people still here."""
    info = ctx.here
    repo = KudosRepo(ctx.session)
    start, end = month_range(ctx, first)
    found = [c for c in await repo.contributions(info.id, start, end) if c.score > 0]
    here = await repo.still_here(info.id, [c.user_id for c in found])
    return [c for c in found if c.user_id in here]


def monthly(name: str, ctx: Context) -> list[Occurrence]:
    """This month's occurrence of a monthly ritual: the latest 1st of a month at ``kudos.spotlight_time``."""
    first, slot = last_monthly_slot(ctx.now, ctx.here.tz, ctx.here.settings.kudos.spotlight_time)
    return [Occurrence(f"{name}:{first.isoformat()}", slot, {"month": first.isoformat()})]


async def lines(ctx: Context, found: list[Contribution]) -> Rich:
    """One line a member: who, and what they did (answers, solved, thanks)."""
    people = await mentions(ctx, [c.user_id for c in found])
    rows = [ctx.t.t("spotlight.line", member=people[c.user_id], answers=c.answers, solved=c.solved, kudos=c.kudos) for c in found]
    return join(rows, blank_line=False)


class MonthlySpotlight:
    name = "spotlight"

    async def due(self, ctx: Context) -> list[Occurrence]:
        s = ctx.here.settings.kudos
        if not s.enabled or not s.spotlight:
            return []
        return monthly(self.name, ctx)

    async def run(self, ctx: Context, occurrence: Occurrence) -> None:
        info = ctx.here
        first = date.fromisoformat(str(occurrence.data["month"]))
        hidden = await KudosRepo(ctx.session).opted_out(info.id)
        named = [c for c in await helped(ctx, first) if c.user_id not in hidden][: info.settings.kudos.spotlight_size]
        if not named:
            return  # nobody to thank in public this month: silence, rather than an empty ceremony
        head = ctx.t.t("spotlight.post", month=month_name(ctx, first))
        await post(ctx, join([head, await lines(ctx, named), ctx.t.t("spotlight.footer")]))


class LeadersNudge:
    name = "leaders_nudge"

    async def due(self, ctx: Context) -> list[Occurrence]:
        s = ctx.here.settings.kudos
        if not s.enabled or not s.leaders_nudge or ctx.here.log_chat is None:
            return []
        return monthly(self.name, ctx)

    async def run(self, ctx: Context, occurrence: Occurrence) -> None:
        info = ctx.here
        first = date.fromisoformat(str(occurrence.data["month"]))
        helpers = await QuestionRepo(ctx.session).helpers(info.id)
        staff = info.managers | info.moderators
        found = [c for c in await helped(ctx, first) if c.user_id not in helpers and c.user_id not in staff and c.answers + c.kudos >= 2]
        found = found[:LEADERS]
        if not found:
            return
        text = join([ctx.t.t("leaders.post", month=month_name(ctx, first)), await lines(ctx, found), ctx.t.t("leaders.hint")])
        action = info.to_log(text)
        if action is not None:
            ctx.after_commit(action)


async def spotlight_command(ctx: Context, ev: CommandInvoked) -> None:
    """``/spotlight``: whether I may be named, and my thanks this month; ``/spotlight on|off`` changes it."""
    info = ctx.here
    repo = KudosRepo(ctx.session)
    me = ev.user.ref.id
    word = ev.args.split()[0].casefold() if ev.args.split() else ""
    if word in ("on", "off"):
        await repo.set_named(info.id, me, word == "on", ctx.now)
        await ctx.reply(ctx.t.t(f"spotlight.{word}"))
        return
    if word:
        await ctx.reply(ctx.t.t("spotlight.usage"))
        return
    since = wall_to_utc(ctx.now.astimezone(info.tz).date().replace(day=1), time(0), info.tz)
    n = await repo.received(info.id, me, since)
    status: Rich = ctx.t.t("spotlight.status_on" if await repo.is_named(info.id, me) else "spotlight.status_off")
    await ctx.reply(join([ctx.t.t("spotlight.thanks", n=n), status], blank_line=False))
