"""/mydata: what the member chose in polls that were not anonymous (anonymous ones keep no names to show)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.i18n import Translator
from bot.core.richtext import Rich
from storage.repos.polls import PollRepo


async def my_votes(session: AsyncSession, platform: str, user_id: str, t: Translator) -> list[Rich]:
    votes = await PollRepo(session).votes_of(platform, user_id)
    if not votes:
        return []
    lines = [t.t("polls.mydata.title")]
    for poll, options in votes:
        chosen = ", ".join(poll.options[o] for o in options if 0 <= o < len(poll.options))
        lines.append(t.t("polls.mydata.line", question=poll.question, options=chosen))
    return lines
