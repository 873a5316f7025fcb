"""Declarative base, naming convention and column types shared by every model."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import DateTime, MetaData, String
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every database (SQLite forgets the zone)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to storage; use timezone-aware UTC")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


class Clipped(TypeDecorator[str]):
    """Text people wrote (names, titles, reasons), cut to the column's length when stored.

    PostgreSQL refuses a value longer than its ``VARCHAR(n)`` and SQLite keeps it whole, so the cut is
    made here, once, instead of a ``[:256]`` at every write. Identifiers and states are never clipped.
    """

    impl = String
    cache_ok = True

    def __init__(self, length: int) -> None:
        super().__init__(length)
        self.length = length

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return value[: self.length] if value is not None else None


E = TypeVar("E", bound=enum.StrEnum)


class TextEnum(TypeDecorator[E], Generic[E]):
    """A state as its enum in Python and as its text in the database (no database enum type to migrate).

    A value the enum does not know (a newer version's state read by an older one) is refused on write and
    read as it is, so the row is still shown and kept.
    """

    impl = String
    cache_ok = True

    def __init__(self, kind: type[E], length: int = 16) -> None:
        super().__init__(length)
        self.kind = kind

    def process_bind_param(self, value: E | str | None, dialect: Dialect) -> str | None:
        return None if value is None else self.kind(value).value

    def process_result_value(self, value: Any, dialect: Dialect) -> E | None:
        if value is None:
            return None
        try:
            return self.kind(value)
        except ValueError:
            return value  # type: ignore[no-any-return]  # an unknown state stays readable


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
