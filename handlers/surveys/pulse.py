"""The pulse survey ritual: each period, a sample of members gets the recommend question, a batch per tick.

The sample is fixed per period (members ranked by a hash of the period and their id, the first ``sample``
share of them), so every tick continues the same sample and no one is asked twice: the unique invitation row
is written before the DM goes. A batch per tick keeps one survey from queuing 10,000 DMs in the outbox at
once (the outbox paces what it gets; the batch keeps other features' messages from waiting behind it).
"""

from __future__ import annotations

import hashlib
import math

from bot.core.actions import Failed
from bot.core.context import Context
from bot.core.ritual import Occurrence, quiet_until
from rituals.posting import TRANSIENT, retry_later
from storage.repos.listening import SurveyRepo

from .asking import ask
from .periods import current


def sample(members: list[tuple[str, str | None]], period: str, share: float) -> list[tuple[str, str | None]]:
    """The period's sample: the same members on every tick (and in every process), in a fair order."""
    ranked = sorted(members, key=lambda m: hashlib.blake2b(f"{period}:{m[0]}".encode(), digest_size=8).digest())
    return ranked[: math.ceil(share * len(ranked))]


class PulseSurvey:
    name = "pulse_survey"

    async def _todo(self, ctx: Context) -> tuple[str, list[tuple[str, str | None]], int]:
        info = ctx.here
        s = info.settings.surveys
        key, _, _ = current(ctx.now, info.tz, s.rhythm, s.time)
        repo = SurveyRepo(ctx.session)
        asked = await repo.asked(info.id, "nps", key)
        wanted = sample(await repo.eligible(info.id, info.chat.platform), key, s.sample)
        return key, [m for m in wanted if m[0] not in asked], len(asked)

    async def due(self, ctx: Context) -> list[Occurrence]:
        info = ctx.here
        s = info.settings.surveys
        if not s.enabled:
            return []
        _, begins, ends = current(ctx.now, info.tz, s.rhythm, s.time)
        if ctx.now < begins:
            quiet_until(ctx, begins)
            return []
        key, todo, asked = await self._todo(ctx)
        if not todo:
            quiet_until(ctx, ends)  # a new member (a stored join) ends the quiet: the sample may grow
            return []
        return [Occurrence(f"pulse:{key}:{asked}", ctx.now, {"period": key})]

    async def run(self, ctx: Context, occurrence: Occurrence) -> None:
        info = ctx.here
        s = info.settings.surveys
        key, todo, _ = await self._todo(ctx)
        if key != occurrence.data["period"]:
            return
        repo = SurveyRepo(ctx.session)
        busy = False
        for user_id, language in todo[: s.batch]:
            row = await repo.invite(info.id, "nps", key, user_id, ctx.now)
            if row is None:
                continue  # another process asked them a moment ago
            t = ctx.rt.catalogs.translator(language) if language and info.settings.follow_member_language else ctx.t
            result = await ask(ctx, info, row, t)
            busy = busy or (isinstance(result, Failed) and result.reason in TRANSIENT)
        if busy:
            await retry_later(ctx, "the platform was busy; the rest of the batch goes at the next tick")
