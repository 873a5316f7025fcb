"""Links into Telegram: deep links that open a DM with the bot, and links to messages."""

from __future__ import annotations

import re

from bot.core.ids import MessageRef

_PAYLOAD = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def deep_link(bot_username: str, payload: str) -> str:
    """``https://t.me/<bot>?start=<payload>``; Telegram allows 1-64 of ``A-Z a-z 0-9 _ -`` in the payload."""
    if not _PAYLOAD.match(payload):
        raise ValueError(f"deep-link payload {payload!r} must be 1-64 characters of A-Z, a-z, 0-9, _ and -")
    return f"https://t.me/{bot_username}?start={payload}"


def message_link(chat_id: str, message_id: str, *, username: str | None = None, place: str | None = None) -> str:
    """A link to a message: by the chat's public username, or ``t.me/c/<internal id>`` for private supergroups.

    Members of the group can open ``/c/`` links; others cannot. ``place`` (a forum topic) makes the link
    open inside the topic.
    """
    topic = f"{place}/" if place else ""
    if username:
        return f"https://t.me/{username}/{topic}{message_id}"
    if chat_id.startswith("-100"):
        return f"https://t.me/c/{chat_id[4:]}/{topic}{message_id}"
    raise ValueError(f"chat {chat_id} is a basic group: Telegram has no message links for it (upgrade it to a supergroup)")


def link_to(ref: MessageRef, username: str | None = None) -> str | None:
    """``message_link`` for a neutral ref; None where Telegram has no link (DMs, basic groups)."""
    if ref.chat.private:
        return None
    try:
        return message_link(ref.chat.id, ref.id, username=username, place=ref.place)
    except ValueError:
        return None
