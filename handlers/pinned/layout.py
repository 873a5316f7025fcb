"""How a document is cut into messages for a platform, and its fingerprint.

The handler cannot see the adapters' renderers, so it measures with a
pessimistic renderer (HTML tags, every character that HTML or Markdown might
escape counted at its escaped length) and keeps a small margin below each
platform's limit. Each part is then sent as its own message, so the adapter never has
to split again and every part's id is known.
"""

from __future__ import annotations

import hashlib

from bot.core.richtext import Renderer, Rich, Span, split_rich

# Characters per message: Telegram counts the text after parsing entities, Discord the raw markdown.
LIMITS: dict[str, int] = {"telegram": 4096, "discord": 2000, "local": 4096}
MARGIN = 32
_ENTITIES = frozenset("&<>")  # HTML entities: up to 5 characters each
_ESCAPED = frozenset("\\*_~`|#-[]()")  # Markdown escapes: a backslash each


def _measure_span(s: Span) -> str:
    """The longest a span may get in Telegram HTML or Discord markdown (the padding is never sent)."""
    text = "".join(c * 5 if c in _ENTITIES else c * 2 if c in _ESCAPED else c for c in s.text)
    if s.code:
        text = f"<code>{text}</code>"
    if s.bold:
        text = f"<b>{text}</b>"
    if s.italic:
        text = f"<i>{text}</i>"
    if s.link:
        text = f'<a href="{s.link}">{text}</a>'
    if s.mention:
        text = f'<a href="tg://user?id={s.mention.id}">{text}</a>'
    return text


MEASURE = Renderer(span=_measure_span, heading=lambda t: f"<b>{t}</b>")


def parts_for(platform: str, doc: Rich) -> list[Rich]:
    """The document cut into messages that fit ``platform``, in order."""
    return split_rich(doc, MEASURE, LIMITS.get(platform, 2000) - MARGIN)


def digest(doc: Rich) -> str:
    """A fingerprint of the document's content and markup."""
    return hashlib.sha256(repr(doc.lines).encode()).hexdigest()
