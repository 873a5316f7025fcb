"""Events held while the database is unreachable, handled again when it returns.

An event whose unit of work failed because the database could not be reached, before it asked
any platform for anything, changed nothing anywhere: it can be handled again as if it came now.
The router holds such events here, per chat and in order; a later event of a chat that has held
events waits behind them (order matters: a join before the newcomer's first message). The tick
hands them back (``Router.replay_held``). The whole is bounded: past ``limit`` events, new ones are
dropped (counted, and a manager's command is answered that it was not done).
"""

from __future__ import annotations

from collections import OrderedDict, deque

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from bot.core.events import Event
from bot.core.ids import ChatRef

HOLD_LIMIT = 10_000  # events; at ~1 KiB each, about 10 MiB at worst


# SQLSTATEs of a server that is away rather than of a statement that is wrong: connection exceptions
# (08), too many connections or out of resources (53), shut down or starting up (57P01-57P04), and a
# database that does not take connections for now (55000, ``ALLOW_CONNECTIONS false``).
_AWAY_STATES = ("08", "53", "57P0")
_AWAY_MESSAGES = ("not currently accepting connections", "the database system is")


def database_unreachable(exc: BaseException) -> bool:
    """The database, not the event, is what failed (locked, refused, connection lost)."""
    if isinstance(exc, OperationalError | InterfaceError):
        return True
    if isinstance(exc, DBAPIError):
        if exc.connection_invalidated:
            return True
        state = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
        if isinstance(state, str) and state.startswith(_AWAY_STATES):
            return True
        return any(m in str(exc.orig) for m in _AWAY_MESSAGES)
    return isinstance(exc, ConnectionError | TimeoutError)


class HeldEvents:
    def __init__(self, limit: int = HOLD_LIMIT) -> None:
        self.limit = limit
        self._chats: OrderedDict[ChatRef, deque[Event]] = OrderedDict()  # in the order chats were first held
        self._count = 0
        self.held = 0  # events held, in all
        self.dropped = 0  # events that found the hold full

    def __len__(self) -> int:
        return self._count

    def waiting(self, chat: ChatRef) -> bool:
        """Whether events of this chat are held (a new one must wait behind them)."""
        return chat in self._chats

    def hold(self, event: Event) -> bool:
        """Hold the event behind its chat's others; False (not held) when the hold is full."""
        if self._count >= self.limit:
            self.dropped += 1
            return False
        self._chats.setdefault(event.chat, deque()).append(event)
        self._count += 1
        self.held += 1
        return True

    def chats(self) -> list[ChatRef]:
        return list(self._chats)

    def first(self, chat: ChatRef) -> Event | None:
        queue = self._chats.get(chat)
        return queue[0] if queue else None

    def done(self, chat: ChatRef) -> None:
        """The chat's first held event is handled (or given up): the next one's turn."""
        queue = self._chats[chat]
        queue.popleft()
        self._count -= 1
        if not queue:
            del self._chats[chat]
