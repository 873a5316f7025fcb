"""Light markup (``bot.core.richtext.Rich``) -> Telegram HTML, split to the 4096-character limit.

Every text a span carries is escaped: user strings are placeholder values and
must reach Telegram as plain text, whatever ``<``, ``&`` or ``*`` they contain.
Splitting happens on the document, never on the rendered HTML, so a part
never ends inside a tag.
"""

from __future__ import annotations

from html import escape

from bot.core.richtext import Renderer, Rich, Span, split
from bot.core.sendable import sendable

LIMIT = 4096  # characters per message (Telegram counts them after entity parsing; HTML is longer, so this is safe)


# The date_time entity's formats (Bot API 9.5+: ``r|w?[dD]?[tT]?``): clients show the instant in the reader's
# own zone and language; the text inside is what older clients show.
DATE_TIME_FORMATS = {"full": "wDt", "date": "wD", "time": "t", "relative": "r"}


def _span(s: Span) -> str:
    out = escape(s.text, quote=False)
    if s.time is not None:
        out = f'<tg-time unix="{s.time.unix}" format="{DATE_TIME_FORMATS[s.time.style]}">{out}</tg-time>'
    if s.code:
        out = f"<code>{out}</code>"
    if s.mention is not None:
        out = f'<a href="tg://user?id={escape(s.mention.id)}">{out}</a>'
    elif s.link:
        out = f'<a href="{escape(s.link)}">{out}</a>'
    if s.italic:
        out = f"<i>{out}</i>"
    if s.bold:
        out = f"<b>{out}</b>"
    return out


HTML = Renderer(span=_span, heading=lambda body: f"<b>{body}</b>")


def to_html(doc: Rich, limit: int = LIMIT) -> list[str]:
    """The document as one or more HTML parts, each at most ``limit`` characters (never empty)."""
    parts = [sendable(p) for p in split(doc, HTML, limit) if p.strip()]  # no lone surrogate: Telegram refuses the request
    return parts or ["\u2063"]  # Telegram refuses empty texts: an invisible separator stands in
