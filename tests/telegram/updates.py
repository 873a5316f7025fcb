"""Telegram updates as the Bot API sends them (JSON dicts), for pushing through the fake server.

Entities (commands, hashtags, URLs, mentions) are computed like Telegram does,
with offsets in UTF-16 code units.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

from tests.telegram.fake_api import FakeTelegram, _administrator, utf16_len

_ENTITY = re.compile(r"(?P<bot_command>^/\w+(?:@\w+)?)|(?P<hashtag>#\w+)|(?P<url>(?:https?://|(?<![\w.])t\.me/)\S+)|(?P<mention>@\w+)")


def entities(text: str) -> list[dict[str, Any]]:
    out = []
    for m in _ENTITY.finditer(text):
        kind = m.lastgroup
        assert kind is not None
        out.append({"type": kind, "offset": utf16_len(text[: m.start()]), "length": utf16_len(m.group(0))})
    return out


class Scene:
    """Builds updates about the fake's chats and users."""

    def __init__(self, fake: FakeTelegram) -> None:
        self.fake = fake
        self._ids = itertools.count(1000)

    def date(self) -> int:
        """Now on Telegram's clock (the fake's ``unix``): updates carry the time they happened."""
        return int(self.fake.unix())

    def _user(self, user_id: int) -> dict[str, Any]:
        return self.fake.users[user_id]

    def _chat(self, chat_id: int) -> dict[str, Any]:
        chat = self.fake._chat(chat_id)
        assert chat is not None, f"unknown chat {chat_id}"
        return chat

    def message(self, chat_id: int, user_id: int, text: str, *, thread: int | None = None, caption: bool = False, **extra: Any) -> dict:
        msg: dict[str, Any] = {"message_id": next(self._ids), "date": self.date(), "chat": self._chat(chat_id), "from": self._user(user_id)}
        found = entities(text)
        if caption:
            msg.update(caption=text, photo=[{"file_id": "p1", "file_unique_id": "u1", "width": 1, "height": 1}])
            if found:
                msg["caption_entities"] = found
        else:
            msg["text"] = text
            if found:
                msg["entities"] = found
        if thread is not None:
            msg.update(message_thread_id=thread, is_topic_message=True)
        msg.update(extra)
        return {"message": msg}

    def edited(self, chat_id: int, user_id: int, message_id: int, text: str) -> dict:
        msg = self.message(chat_id, user_id, text)["message"]
        msg.update(message_id=message_id, edit_date=self.date() + 60)
        return {"edited_message": msg}

    def start(self, user_id: int, payload: str = "") -> dict:
        return self.message(user_id, user_id, f"/start {payload}".strip())

    def _member(self, user_id: int, status: str) -> dict[str, Any]:
        m: dict[str, Any] = {"status": status, "user": self._user(user_id) if user_id in self.fake.users else self.fake.bot_user}
        if status == "kicked":
            m["until_date"] = 0
        if status == "administrator":
            m = _administrator(m["user"])
        return m

    def member_change(self, chat_id: int, user_id: int, old: str, new: str, *, by: int | None = None) -> dict:
        return {
            "chat_member": {
                "chat": self._chat(chat_id),
                "from": self._user(by if by is not None else user_id),
                "date": self.date(),
                "old_chat_member": self._member(user_id, old),
                "new_chat_member": self._member(user_id, new),
            }
        }

    def join(self, chat_id: int, user_id: int) -> dict:
        return self.member_change(chat_id, user_id, "left", "member")

    def service_join(self, chat_id: int, user_id: int) -> dict:
        msg = {"message_id": next(self._ids), "date": self.date(), "chat": self._chat(chat_id), "from": self._user(user_id)}
        return {"message": msg | {"new_chat_members": [self._user(user_id)]}}

    def callback(self, chat_id: int, user_id: int, message_id: int, data: str) -> dict:
        message = {"message_id": message_id, "date": self.date(), "chat": self._chat(chat_id), "from": self.fake.bot_user, "text": "card"}
        return {
            "callback_query": {
                "id": f"cb{next(self._ids)}",
                "from": self._user(user_id),
                "chat_instance": "ci",
                "message": message,
                "data": data,
            }
        }

    def join_request(self, chat_id: int, user_id: int, bio: str = "") -> dict:
        req = {"chat": self._chat(chat_id), "from": self._user(user_id), "user_chat_id": user_id, "date": self.date(), "bio": bio}
        return {"chat_join_request": req}

    def reaction(self, chat_id: int, user_id: int, message_id: int, new: tuple[str, ...], old: tuple[str, ...] = ()) -> dict:
        """A member's reactions to a message changed from ``old`` to ``new`` (emoji)."""
        kinds = lambda emojis: [{"type": "emoji", "emoji": e} for e in emojis]  # noqa: E731
        upd = {"chat": self._chat(chat_id), "message_id": message_id, "user": self._user(user_id), "date": self.date()}
        return {"message_reaction": upd | {"old_reaction": kinds(old), "new_reaction": kinds(new)}}

    def reaction_count(self, chat_id: int, message_id: int, counts: dict[str, int]) -> dict:
        """Anonymous reactions on a message, as totals."""
        reactions = [{"type": {"type": "emoji", "emoji": e}, "total_count": n} for e, n in counts.items()]
        count = {"chat": self._chat(chat_id), "message_id": message_id, "date": self.date(), "reactions": reactions}
        return {"message_reaction_count": count}
