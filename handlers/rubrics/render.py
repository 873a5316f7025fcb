"""How rubric posts look in replies and digests: one line each, with a link to the message."""

from __future__ import annotations

from bot.core.community import CommunityInfo
from bot.core.i18n import Translator
from bot.core.ids import MessageRef
from bot.core.richtext import Rich, Value, message_link
from storage.models.rubrics import RubricPost

SHOWN_CHARS = 100


def link_to(t: Translator, info: CommunityInfo, message_id: str, place: str | None) -> Rich:
    """A link where the platform has one, else a textual reference (the local simulator)."""
    ref = MessageRef(info.chat, message_id, place or info.main_place)
    return message_link(ref, t.s("rubrics.link.open"), t.t("rubrics.link.ref", id=message_id).plain())


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
