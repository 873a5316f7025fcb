"""The period's polls in /stats: turnout and winner of the latest few, one line each."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.community import CommunityInfo
from bot.core.i18n import Translator
from bot.core.richtext import Rich
from handlers.polls import results
from storage.repos.polls import PollRepo

SHOWN = 3


async def recent_polls(session: AsyncSession, info: CommunityInfo, t: Translator, start: datetime, end: datetime) -> list[Rich]:
    polls = [p for p in await PollRepo(session).recent_closed(info.id, start, SHOWN) if p.closed_at is not None and p.closed_at < end]
    if not polls:
        return []
    lines = [t.t("polls.stats.title")]
    for p in polls:
        outcome = results.outcome(p.options, p.counts or [], p.voters)
        winner = " / ".join(outcome.winners) or t.s("polls.stats.no_votes")
        question = p.question if len(p.question) <= 60 else p.question[:59] + "…"
        lines.append(t.t("polls.stats.line", question=question, n=outcome.turnout, winner=winner))
    return lines
