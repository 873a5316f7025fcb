"""Small pieces the questions' texts share: who someone is, and where the question is."""

from __future__ import annotations

from collections.abc import Mapping

from bot.core.community import CommunityInfo
from bot.core.context import Context
from bot.core.i18n import Translator
from bot.core.ids import MessageRef, UserRef
from bot.core.richtext import Line, Mention, Rich, Span, isolate, message_link
from storage.models.recognition import Question
from storage.repos.analytics import AnalyticsRepo


def question_ref(info: CommunityInfo, q: Question) -> MessageRef:
    return MessageRef(info.chat, q.message_id, q.place)


def question_link(t: Translator, info: CommunityInfo, q: Question) -> Rich:
    """A link where the platform has one, else a textual reference (the local simulator)."""
    ref = MessageRef(info.chat, q.message_id, q.place or info.main_place)
    return message_link(ref, t.s("questions.link.open"), t.t("questions.link.ref", id=q.message_id).plain())


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
