"""Quiet members are invited back (#21.7): a member who has posted nothing for a while gets one short,
low-effort invitation by DM (the next event if there is one, else the chat itself), at most once per period.

Opting out reuses ``people.dm_opt_out`` (``/optout``), as every unasked DM of the bot does; members whose DMs
are known to be closed are not tried. Each invitation is a delivery of the day's run (``rituals.posting.deliver``):
claimed before it goes, ``members.invited_back_at`` written with its mark once the platform took it, so a
crash repeats at most the one in flight and loses none, and a busy platform's refusal is tried again at the
next tick. Metrics: members invited, and of them those who posted again afterwards (lurkers who became posters).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core import times
from bot.core.actions import Failed
from bot.core.context import Context
from bot.core.i18n import Translator
from bot.core.ids import UserRef
from bot.core.richtext import Rich
from bot.core.ritual import Occurrence
from bot.core.runtime import Runtime
from rituals.dates import last_daily_slot
from rituals.posting import TRANSIENT, deliver, retry_later
from storage.models.rituals import CalendarEvent
from storage.repos.calendar import CalendarRepo
from storage.repos.comeback import ComebackRepo

LOOKAHEAD = timedelta(days=14)  # an event further away is no invitation for now


class InviteBack:
    name = "comeback"

    async def due(self, ctx: Context) -> list[Occurrence]:
        info = ctx.here
        s = info.settings.comeback
        if not s.enabled:
            return []
        day, at = last_daily_slot(ctx.now, info.tz, s.time)
        return [Occurrence(f"{self.name}:{day.isoformat()}", at)]

    async def run(self, ctx: Context, occurrence: Occurrence) -> None:
        info = ctx.here
        s = info.settings.comeback
        repo = ComebackRepo(ctx.session)
        since = ctx.now - s.quiet_for
        before = ctx.now - s.every
        upcoming = await CalendarRepo(ctx.session).between(info.id, ctx.now, ctx.now + LOOKAHEAD)
        event = upcoming[0] if upcoming else None  # the same invitation for everyone today
        busy = False
        for member, language in await repo.quiet(info.id, info.chat.platform, since, before, s.batch):
            t = ctx.rt.catalogs.translator(language) if language and info.settings.follow_member_language else ctx.t
            text = self._text(ctx, t, member.display_name, event)
            result = await deliver(ctx, member.user_id, partial(ctx.direct, UserRef(info.chat.platform, member.user_id), text))
            if isinstance(result, Failed) and result.reason in TRANSIENT:
                busy = True  # nothing went: invited at the next try
            else:
                await repo.mark(member.id, ctx.now, before)  # committed with the delivery's own mark
        if busy:
            await retry_later(ctx, "the platform was busy; the rest go at the next tick")

    def _text(self, ctx: Context, t: Translator, name: str, event: CalendarEvent | None) -> Rich:
        info = ctx.here
        if event is not None:
            when = times.when(t.locale, event.starts_at, event.ends_at, info.tz, ctx.now, with_relative=False)
            return t.t("comeback.dm.event", name=name or "👋", community=info.name, event=event.title, when=when)
        return t.t("comeback.dm", name=name or "👋", community=info.name)


async def invited(session: AsyncSession, community_id: int, start: datetime, end: datetime) -> int:
    return (await ComebackRepo(session).counts(community_id, start, end))[0]


async def returned(session: AsyncSession, community_id: int, start: datetime, end: datetime) -> int:
    """Of the members invited back in the window, those who posted again since."""
    return (await ComebackRepo(session).counts(community_id, start, end))[1]


def setup(rt: Runtime) -> None:
    rt.add_ritual(InviteBack())
    rt.add_metric("comeback_invited", invited)
    rt.add_metric("comeback_returned", returned)
    rt.add_locales(Path(__file__).parent / "locales")
