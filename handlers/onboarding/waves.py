"""Join waves: more than N joins within M seconds get one combined welcome instead of a flood.

The counter is in memory (the last N+1 join times per community, so memory
stays bounded). Who still waits for a welcome is in the database
(``welcomed = False``), so a restart loses nobody: the ``welcome_wave`` ritual
posts one combined welcome once the wave's window has passed.
"""

from __future__ import annotations

import logging
from collections import deque
from datetime import datetime, timedelta

from bot.core.actions import Buttons, Done, Failed, FailReason, SendMessage
from bot.core.context import Context
from bot.core.ids import UserRef
from bot.core.richtext import Rich, join
from bot.core.ritual import Occurrence, quiet_until
from storage.models.onboarding import Newcomer
from storage.repos.onboarding import NewcomerRepo

from . import texts
from .cleanup import replace_welcome

log = logging.getLogger("handlers.onboarding.waves")

SHOWN_NAMES = 3


class JoinWaves:
    """Counts recent joins per community."""

    def __init__(self) -> None:
        self._recent: dict[int, deque[datetime]] = {}

    def is_wave(self, community_id: int, at: datetime, limit: int, window: timedelta) -> bool:
        """Count this join; True when it is more than ``limit`` joins within ``window``."""
        recent = self._recent.get(community_id)
        if recent is None or recent.maxlen != limit + 1:
            recent = self._recent[community_id] = deque(recent or (), maxlen=limit + 1)
        recent.append(at)
        return len(recent) > limit and at - recent[0] < window


class WaveWelcome:
    """The ritual that posts the combined welcome of a wave once its window has passed."""

    name = "welcome_wave"

    async def due(self, ctx: Context) -> list[Occurrence]:
        ob = ctx.settings.onboarding
        if not ob.enabled:
            return []
        earliest, count = await NewcomerRepo(ctx.session).wave_pending(ctx.here.id)
        if earliest is None or not count or earliest + ob.join_wave_window > ctx.now:
            quiet_until(ctx, earliest + ob.join_wave_window if earliest is not None and count else None)
            return []
        # Due now, not at the window's end: a wave is never "too late" to welcome.
        return [Occurrence(f"wave:{earliest.isoformat()}", ctx.now)]

    async def run(self, ctx: Context, occurrence: Occurrence) -> None:
        info = ctx.here
        wave = await NewcomerRepo(ctx.session).take_wave(info.id, SHOWN_NAMES)
        if not wave.total:
            return
        t = ctx.t
        shown = names_of(info.chat.platform, wave.first)
        vals = texts.values(t, info)
        others = wave.total - len(wave.first)
        head = (
            t.t("onboarding.wave", n=others, names=shown, community=info.name)
            if others
            else t.t("onboarding.wave_few", names=shown, community=info.name)
        )
        parts = [head, t.t("onboarding.wave.more", vals)]
        if wave.dm_pending:
            parts.append(texts.deep_link_line(t, ctx.rt.deep_link(info.chat.platform, texts.start_payload(info))))
        buttons: Buttons = ()
        if ctx.settings.onboarding.rules_gate:
            parts.append(texts.gate_line(t, info))
            buttons = texts.gate_buttons(t, info)
        result = await ctx.perform(SendMessage(info.chat, join(parts), place=info.main_place, buttons=buttons))
        if isinstance(result, Failed) and result.reason in (FailReason.RATE_LIMITED, FailReason.UNAVAILABLE):
            raise RuntimeError(f"combined welcome not posted: {result.reason}")  # rolled back; the next tick retries
        if isinstance(result, Done) and result.message:
            await replace_welcome(ctx, result.message)


def names_of(platform: str, rows: list[Newcomer]) -> Rich:
    return texts.names([(UserRef(platform, r.user_id), r.display_name) for r in rows])  # type: ignore[arg-type]
