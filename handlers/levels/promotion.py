"""Promotions as soon as earned (an hourly batch), demotions only at the monthly review, staff never leveled.

Nothing here runs per message: the hourly run asks the database who posted, answered, solved or was
thanked in the last two days (a missed hour is caught up), reads those members' signals over the window in
a few grouped queries, and promotes whoever earned more than they hold. The review on the 1st of the month
looks at every member holding a level and lowers by one those whose window no longer earns it. Each run is
one ritual occurrence (``levels:<hour>``, ``levels_review:<month>``): once across restarts and processes.
"""

from __future__ import annotations

from datetime import timedelta

from bot.core.actions import SendMessage
from bot.core.context import Context
from bot.core.ids import UserRef
from bot.core.people import listed, mentions
from bot.core.richtext import Rich, join
from bot.core.ritual import Occurrence
from handlers.levels.earning import TOP, earned, reviewed
from handlers.levels.showing import Showing, level_name
from rituals.dates import last_monthly_slot
from storage.repos.housekeeping import RitualRunRepo
from storage.repos.kudos import KudosRepo
from storage.repos.levels import LevelRepo, Signals, Standing

RECENT = timedelta(days=2)  # the hourly run looks this far back for who did something


async def window_signals(ctx: Context, user_ids: list[str]) -> dict[str, Signals]:
    info = ctx.here
    start = ctx.now - info.settings.levels.window
    return await LevelRepo(ctx.session).signals(info.id, user_ids, start.astimezone(info.tz).date(), start)


def is_staff(ctx: Context, p: Standing) -> bool:
    return p.staff or p.user_id in ctx.here.managers or p.user_id in ctx.here.moderators


async def set_levels(ctx: Context, levels: list[tuple[str, int]]) -> None:
    """Store new levels (one statement) and put them in the states kept in memory, where the spam filter's sandbox reads them."""
    await LevelRepo(ctx.session).set_levels(ctx.here.id, levels, ctx.now)
    for user_id, level in levels:
        ctx.rt.tracker.set_level(ctx.here.id, user_id, level)


async def promote(ctx: Context, people: list[Standing], showing: Showing) -> list[tuple[Standing, int]]:
    """Raise each of ``people`` to what their window earns (staff: to none); tell, and show."""
    rules = ctx.here.settings.levels.rules
    signals = await window_signals(ctx, [p.user_id for p in people if not is_staff(ctx, p)])
    promoted: list[tuple[Standing, int]] = []
    changed: list[tuple[str, int]] = []
    for p in people:
        if is_staff(ctx, p):
            if p.level:
                changed.append((p.user_id, 0))  # staff hold no level (silently: nothing was lost)
            continue
        level = earned(signals.get(p.user_id, Signals()), rules)
        if level > p.level:
            changed.append((p.user_id, level))
            promoted.append((p, level))
    await set_levels(ctx, changed)
    await announce(ctx, promoted)
    await showing.catch_up(ctx)
    return promoted


async def announce(ctx: Context, promoted: list[tuple[Standing, int]]) -> None:
    """One short line per level reached in the chat; by DM to those who said /spotlight off (or with ``announce = "dm"``)."""
    info = ctx.here
    s = info.settings.levels
    told = [(p, lv) for p, lv in promoted if lv >= s.announce_from]
    if s.announce == "off" or not told:
        return
    hidden = await KudosRepo(ctx.session).opted_out(info.id) if s.announce == "chat" else set()
    public = [(p, lv) for p, lv in told if s.announce == "chat" and p.user_id not in hidden]
    private = [(p, lv) for p, lv in told if (p, lv) not in public]
    if public:
        people = await mentions(ctx, [p.user_id for p, _ in public], {p.user_id: p.display_name for p, _ in public})
        lines: list[Rich] = []
        for level in sorted({lv for _, lv in public}, reverse=True):
            named = [people[p.user_id] for p, lv in public if lv == level]
            lines.append(ctx.t.t("levels.promoted", level=level_name(ctx.t, level), members=listed(named)))
        # Not ``post``: a platform too busy now is no reason to run the promotions again (they are stored).
        await ctx.perform(
            SendMessage(info.chat, join([*lines, ctx.t.t("levels.promoted.footer")], blank_line=False), place=info.main_place)
        )
    if private:
        reachable = await LevelRepo(ctx.session).reachable(info.chat.platform, [p.user_id for p, _ in private])
        for p, lv in private:
            if p.user_id not in reachable:
                continue
            language = reachable[p.user_id]
            t = ctx.rt.catalogs.translator(language) if language and info.settings.follow_member_language else ctx.t
            await ctx.direct(
                UserRef(info.chat.platform, p.user_id), t.t("levels.promoted.dm", level=level_name(t, lv), community=info.name)
            )


class Promotions:
    """The hourly batch: whoever did something lately and earned more is promoted now."""

    name = "levels"

    def __init__(self, showing: Showing) -> None:
        self.showing = showing

    async def due(self, ctx: Context) -> list[Occurrence]:
        if not ctx.here.settings.levels.enabled:
            return []
        hour = ctx.now.replace(minute=0, second=0, microsecond=0)
        return [Occurrence(f"{self.name}:{hour:%Y-%m-%dT%H}", hour)]

    async def run(self, ctx: Context, occurrence: Occurrence) -> None:
        info = ctx.here
        repo = LevelRepo(ctx.session)
        since = ctx.now - RECENT
        ids = await repo.recent(info.id, since.astimezone(info.tz).date(), since)
        people = [p for p in await repo.standings(info.id, ids) if p.level < TOP or is_staff(ctx, p)]
        await promote(ctx, people, self.showing)
        await RitualRunRepo(ctx.session).prune(info.id, self.name, ctx.now - RECENT)  # 24 runs a day need not stay


class MonthlyReview:
    """On the 1st: members whose window no longer earns their level go down one; staff lose theirs."""

    name = "levels_review"

    def __init__(self, showing: Showing) -> None:
        self.showing = showing

    async def due(self, ctx: Context) -> list[Occurrence]:
        s = ctx.here.settings.levels
        if not s.enabled:
            return []
        first, slot = last_monthly_slot(ctx.now, ctx.here.tz, s.review_time)
        return [Occurrence(f"{self.name}:{first.isoformat()}", slot)]

    async def run(self, ctx: Context, occurrence: Occurrence) -> None:
        info = ctx.here
        held = await LevelRepo(ctx.session).standings(info.id, leveled=True)
        signals = await window_signals(ctx, [p.user_id for p in held])
        rules = info.settings.levels.rules
        levels = [(p.user_id, 0 if is_staff(ctx, p) else reviewed(p.level, earned(signals.get(p.user_id, Signals()), rules))) for p in held]
        await set_levels(ctx, [(u, lv) for (u, lv), p in zip(levels, held, strict=True) if lv != p.level])
        await self.showing.catch_up(ctx)
