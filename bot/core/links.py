"""Links to messages, built per platform from neutral ids.

Features that show a member's post elsewhere (rubric search, digests) store
only a ``MessageRef``-like triple (chat, message id, place) and ask here for a
URL when they render. Telegram and Discord links can be computed from ids
alone; an adapter that knows better (a public group's @username gives
``t.me/<name>/<id>`` links that work for non-members too) registers its own
builder with ``register``. ``None`` means "no URL": callers then show a
textual reference (the local simulator, Telegram basic groups).
"""

from __future__ import annotations

from collections.abc import Callable

from bot.core.ids import MessageRef

LinkBuilder = Callable[[MessageRef], str | None]


def telegram_link(ref: MessageRef) -> str | None:
    """Supergroup links (``-100…`` chat ids); forum topics add ``?thread=``."""
    chat = ref.chat.id
    if not chat.startswith("-100") or not ref.id.isdigit():
        return None
    url = f"https://t.me/c/{chat[4:]}/{ref.id}"
    return f"{url}?thread={ref.place}" if ref.place and ref.place.isdigit() else url


def discord_link(ref: MessageRef) -> str | None:
    """``discord.com/channels/<guild>/<channel>/<message>``; needs the channel (``place``)."""
    if not ref.place:
        return None
    return f"https://discord.com/channels/{ref.chat.id}/{ref.place}/{ref.id}"


_BUILDERS: dict[str, LinkBuilder] = {"telegram": telegram_link, "discord": discord_link}


def register(platform: str, builder: LinkBuilder) -> None:
    """An adapter replaces the default builder for its platform."""
    _BUILDERS[platform] = builder


def message_link(ref: MessageRef) -> str | None:
    builder = _BUILDERS.get(ref.chat.platform)
    return builder(ref) if builder else None
