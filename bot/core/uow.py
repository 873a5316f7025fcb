"""The unit of work around one event: a database session opened only when first used.

Most messages need no database work at all (members are cached, counters are
batched), and opening, committing and closing an unused session costs more
than handling the message. ``LazySession`` stands in for an ``AsyncSession``
and opens the real one on first attribute access.

``settle`` ends the session's transaction before the bot waits on a platform
(see ``Context.perform`` for why).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession


class LazySession:
    __slots__ = ("_factory", "_session")

    def __init__(self, factory: Callable[[], AsyncSession]) -> None:
        self._factory = factory
        self._session: AsyncSession | None = None

    @property
    def opened(self) -> bool:
        return self._session is not None

    def in_transaction(self) -> bool:
        """Whether a transaction is open; asking never opens the session."""
        return self._session is not None and self._session.in_transaction()

    def __getattr__(self, name: str) -> Any:
        session = self._session
        if session is None:
            session = self._session = self._factory()
        return getattr(session, name)

    async def commit(self) -> None:
        """Commit what was done; nothing to do when the session was never used."""
        if self._session is not None and self._session.in_transaction():
            await self._session.commit()

    async def rollback(self) -> None:
        if self._session is not None:
            await self._session.rollback()

    async def close(self) -> None:
        if self._session is not None:
            session, self._session = self._session, None
            await session.close()


async def settle(session: AsyncSession | LazySession) -> None:
    """Commit what the session has done so far and hand its connection back to the pool.

    Nothing happens when no transaction is open. The session stays usable: the
    next statement begins a new transaction (objects are not expired on commit).
    """
    if session.in_transaction():
        await session.commit()
