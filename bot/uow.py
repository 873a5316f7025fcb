"""The unit of work around one event: a database session opened only when first used.

Most messages need no database work at all (members are cached, counters are
batched), and opening, committing and closing an unused session costs more
than handling the message. ``LazySession`` stands in for an ``AsyncSession``
and opens the real one on first attribute access.
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
