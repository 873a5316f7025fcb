"""A button press is answered before its work waits for the send limits.

Telegram's client shows a spinner until the bot answers a press, and refuses an answer that comes
too late ("query is too old", after about 15 seconds). The core answers once the press's work is done,
which is right while sends go at once, but a press whose work posts into a group at its 20-a-minute
limit (a moderator's "Not spam" on a card: the card's edit, the message put back) was answered a
minute later, refused, and the moderator watched the spinner meanwhile. So while a press is being
handled (``handling``), a paced request that would have to wait answers the press first, without a
text (``flow.Paced``); the core's own answer for it then has nothing left to do (``already_answered``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass
class Press:
    callback_id: str
    answered: bool = False


_current: ContextVar[Press | None] = ContextVar("telegram_press", default=None)


@contextmanager
def handling(callback_id: str | None) -> Iterator[None]:
    """The press (a callback query's id) whose update is being handled here; ``None``: no press."""
    token = _current.set(Press(callback_id) if callback_id else None)
    try:
        yield
    finally:
        _current.reset(token)


def unanswered() -> Press | None:
    """The press being handled, if it is still waiting for its answer."""
    press = _current.get()
    return press if press is not None and not press.answered else None


def already_answered(callback_id: str) -> bool:
    press = _current.get()
    return press is not None and press.answered and press.callback_id == callback_id
