"""How rubric posts look in replies and digests: one line each, with a link to the message."""

from __future__ import annotations

from bot.core.community import CommunityInfo
from bot.core.i18n import Translator
from bot.core.ids import MessageRef
from bot.core.links import message_link
from bot.core.richtext import Line, Rich, Span, Value
from storage.models.rubrics import RubricPost

SHOWN_CHARS = 100


def link_to(t: Translator, info: CommunityInfo, message_id: str, place: str | None) -> Rich:
    """A link when the platform has URLs, else a textual reference (the local simulator)."""
    url = message_link(MessageRef(info.chat, message_id, place or info.main_place))
    if url:
        return Rich((Line((Span(t.s("rubrics.link.open"), link=url),)),))
    return t.t("rubrics.link.ref", id=message_id)


def post_line(t: Translator, info: CommunityInfo, post: RubricPost, with_tag: bool = False) -> Rich:
    text = post.excerpt or ""
    if len(text) > SHOWN_CHARS:
        text = text[: SHOWN_CHARS - 1].rstrip() + "…"
    values: dict[str, Value] = {
        "when": t.date(post.posted_at, info.tz, "medium"),
        "author": post.author_name or post.author_id,
        "excerpt": text,
        "link": link_to(t, info, post.message_id, post.place),
        "tag": post.tag,
    }
    key = "rubrics.post.line" if text else "rubrics.post.line_bare"
    return t.t(key + ("_tag" if with_tag else ""), values)
