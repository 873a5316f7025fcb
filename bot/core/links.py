"""Links to messages: a richtext span (``richtext.message_link``) that each platform's outbox writes.

Features that show a member's post elsewhere (rubric search, digests, questions) put a
``MessageLink`` span in their text: the reference, a label, and a textual reference for where
there is no link. The core knows no platform's URLs: each outbox resolves the spans of an action
with its own ``message_link(ref)`` before it renders (Telegram knows a public group's @username,
Discord the main channel a ref without a channel is in); a renderer that was never told (the local
simulator's plain text) shows the textual reference.
"""

from __future__ import annotations

from dataclasses import fields, replace
from typing import TypeVar

from bot.core.actions import Action
from bot.core.richtext import LinkOf, Rich, has_links, resolve_links

A = TypeVar("A", bound=Action)


def resolved(action: A, link_of: LinkOf) -> A:
    """``action`` with the message links in its texts written by ``link_of`` (the action itself when it has none)."""
    changes = {
        f.name: resolve_links(value, link_of)
        for f in fields(action)
        if isinstance(value := getattr(action, f.name), Rich) and has_links(value)
    }
    return replace(action, **changes) if changes else action
