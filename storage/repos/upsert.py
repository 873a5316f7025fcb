"""Dialect-aware INSERT ... ON CONFLICT, for SQLite and PostgreSQL alike."""

from __future__ import annotations

from typing import Any

from sqlalchemy import FromClause
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession


def dialect_of(session: AsyncSession) -> str:
    """``"sqlite"`` or ``"postgresql"``: read from the session's engine, so repositories take only a session."""
    return session.get_bind().dialect.name


def insert_for(session: AsyncSession, table: FromClause) -> Any:
    """An INSERT that can say ON CONFLICT in the session's dialect."""
    if dialect_of(session) == "postgresql":
        return postgresql.insert(table)  # type: ignore[arg-type]
    return sqlite.insert(table)  # type: ignore[arg-type]


async def add_unless_taken(session: AsyncSession, row: object) -> bool:
    """Add ``row`` in a savepoint; False when a unique key says it exists already (this process or another
    made it first), and the rest of the transaction goes on."""
    try:
        async with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return False
    return True
