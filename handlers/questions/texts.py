"""Small pieces the questions' texts share: where the question is."""

from __future__ import annotations

from bot.core.community import CommunityInfo
from bot.core.i18n import Translator
from bot.core.ids import MessageRef
from bot.core.richtext import Rich, message_link
from storage.models.recognition import Question


def question_ref(info: CommunityInfo, q: Question) -> MessageRef:
    return MessageRef(info.chat, q.message_id, q.place)


def question_link(t: Translator, info: CommunityInfo, q: Question) -> Rich:
    """A link where the platform has one, else a textual reference (the local simulator)."""
    ref = MessageRef(info.chat, q.message_id, q.place or info.main_place)
    return message_link(ref, t.s("questions.link.open"), t.t("questions.link.ref", id=q.message_id).plain())
