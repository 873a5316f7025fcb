"""Members named in the bot's texts: a mention with the name they go by, and a list of them in one line."""

from __future__ import annotations

from collections.abc import Mapping

from bot.core.context import Context
from bot.core.ids import UserRef
from bot.core.richtext import Line, Mention, Rich, Span, isolate
from storage.repos.analytics import AnalyticsRepo


async def mentions(ctx: Context, user_ids: list[str], known: Mapping[str, str] | None = None) -> dict[str, Mention]:
    """Each member as a mention with their display name (``known`` names, then their id, where they never posted)."""
    info = ctx.here
    names = await AnalyticsRepo(ctx.session).names(info.id, user_ids)
    known = known or {}
    return {u: Mention(UserRef(info.chat.platform, u), names.get(u) or known.get(u) or u) for u in user_ids}


def listed(people: list[Mention]) -> Rich:
    """Mentions in one line, separated by commas."""
    spans: list[Span] = []
    for i, m in enumerate(people):
        if i:
            spans.append(Span(", "))
        spans.append(Span(isolate(m.name), mention=m.user))
    return Rich((Line(tuple(spans)),))
