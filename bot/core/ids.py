"""Platform-tagged identifiers.

Ids are strings tagged with their platform, never bare ints: a Telegram chat
id and a Discord guild id can collide, and Discord snowflakes overflow some
storage types.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Platform = Literal["telegram", "discord", "local"]
PLATFORMS: tuple[Platform, ...] = ("telegram", "discord", "local")


@dataclass(frozen=True, slots=True)
class ChatRef:
    """A community's chat: a Telegram group or a Discord guild."""

    platform: Platform
    id: str
    private: bool = False  # a one-to-one conversation with the bot, not a community

    def __str__(self) -> str:
        return f"{self.platform}:{'dm:' if self.private else ''}{self.id}"


@dataclass(frozen=True, slots=True)
class UserRef:
    """A person (or bot) on one platform."""

    platform: Platform
    id: str

    def __str__(self) -> str:
        return f"{self.platform}:user:{self.id}"


@dataclass(frozen=True, slots=True)
class MessageRef:
    """A message inside a chat.

    ``place`` is the sub-location inside the chat: a Telegram forum topic
    (``message_thread_id``) or a Discord channel or thread. ``None`` means the
    chat's main place (a Telegram group's general chat, a Discord guild's
    configured main channel).
    """

    chat: ChatRef
    id: str
    place: str | None = None


def private_chat(user: UserRef) -> ChatRef:
    """The private conversation between the bot and ``user``."""
    return ChatRef(user.platform, user.id, private=True)
