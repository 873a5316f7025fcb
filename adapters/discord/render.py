"""The neutral light markup rendered as Discord markdown, with every user string escaped.

Values from users (names, titles, settings) arrive as plain spans: their
markdown, mentions (``<@id>``, ``@everyone``) and line-start syntax (quotes,
lists, headings) are escaped so they show as typed. Mentions the bot means
(``richtext.Mention``) render as ``<@id>`` and are the only ones allowed to ping
(see ``allowed_mentions``).
"""

from __future__ import annotations

import re

import discord

from bot.core.richtext import Renderer, Rich, Span, render, split
from bot.core.sendable import sendable

MESSAGE_LIMIT = 2000
EMBED_LIMIT = 4096

_LINE_START = re.compile(r"^(\s*)([>\-+*#]|\d+\.)")


def escape(text: str) -> str:
    """Plain text that Discord shows as typed: no markdown, no mention, no quote or list."""
    out = discord.utils.escape_markdown(text)
    out = out.replace("<", "\\<")
    out = discord.utils.escape_mentions(out)
    return sendable(_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), out))


def _code(text: str) -> str:
    return "`" + text.replace("`", "\u02cb") + "`" if text else ""


# Discord's timestamp styles: each reader sees the instant in their own zone, language and clock.
TIMESTAMP_STYLES = {"full": "F", "date": "D", "time": "t", "relative": "R"}


def _span(s: Span) -> str:
    if s.time is not None:
        body = f"<t:{s.time.unix}:{TIMESTAMP_STYLES[s.time.style]}>"
    elif s.mention is not None and s.mention.platform == "discord" and s.mention.id.isdigit():
        body = f"<@{s.mention.id}>"
    else:
        body = _code(s.text) if s.code else escape(s.text)
    if s.link and s.mention is None and s.time is None:
        url = s.link.replace(")", "%29").replace(" ", "%20")
        body = f"[{body}]({url})" if body else f"<{url}>"
    if s.italic and body.strip():
        body = f"*{body}*"
    if s.bold and body.strip():
        body = f"**{body}**"
    return body


DISCORD = Renderer(span=_span, heading=lambda text: f"## {text}", bullet="- ")


def to_markdown(doc: Rich) -> str:
    return sendable(render(doc, DISCORD))  # no lone surrogate: Discord refuses the request


def parts(doc: Rich, limit: int = MESSAGE_LIMIT) -> list[str]:
    """The document as markdown parts no longer than ``limit`` (2000 for content, 4096 for an embed)."""
    return [sendable(p) for p in split(doc, DISCORD, limit)] or [""]


def mentioned_users(doc: Rich) -> list[int]:
    """The users the bot means to mention, in order, without duplicates."""
    seen: dict[int, None] = {}
    for line in doc.lines:
        for s in line.spans:
            if s.mention is not None and s.mention.platform == "discord" and s.mention.id.isdigit():
                seen.setdefault(int(s.mention.id), None)
    return list(seen)


def allowed_mentions(doc: Rich) -> discord.AllowedMentions:
    """Ping only the users the template meant: never everyone, roles, or the author of a replied message."""
    users = [discord.Object(uid) for uid in mentioned_users(doc)]
    return discord.AllowedMentions(everyone=False, roles=False, users=users, replied_user=False)


def message_link(guild_id: str, channel_id: str, message_id: str) -> str:
    """The jump link to a message, as Discord's client writes it."""
    return f"https://discord.com/channels/{guild_id}/{channel_id}/{message_id}"
