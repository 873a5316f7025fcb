"""The database: engine, sessions and schema upgrades."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import event, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

MIGRATIONS = Path(__file__).parent / "migrations"
BUSY_TIMEOUT_MS = 5_000  # everyday SQLite writes wait this long for another writer
UPGRADE_WAIT_MS = 300_000  # a starting process waits this long for another's schema upgrade
MIGRATION_LOCK = 0x636F6D6D  # PostgreSQL advisory lock key held while a process upgrades the schema ("comm")


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
    cur.execute("PRAGMA synchronous=NORMAL")  # durable at checkpoints; safe with WAL
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.close()


def _clean(value: Any) -> Any:
    """A string every database accepts: no NUL (PostgreSQL refuses it), no lone surrogate (not UTF-8)."""
    if not isinstance(value, str):
        return value
    if "\x00" in value:
        value = value.replace("\x00", "")
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            value = value.encode("utf-8", "replace").decode("utf-8")
    return value


def _clean_row(row: Any) -> Any:
    if isinstance(row, dict):
        return {k: _clean(v) for k, v in row.items()}
    if isinstance(row, (tuple, list)):
        return type(row)(_clean(v) for v in row)
    return row


def _storable_text(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, executemany: bool) -> tuple[str, Any]:
    """Platforms deliver text a database refuses (NUL, lone surrogates from JSON escapes): store it cleaned, not fail."""
    if executemany:
        return statement, [_clean_row(row) for row in parameters]
    return statement, _clean_row(parameters)


def alembic_config(connection: Connection | None = None) -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


class Database:
    """One engine and its session factory. SQLite by default, PostgreSQL by URL."""

    def __init__(self, url: str, echo: bool = False) -> None:
        self.url = make_url(url)
        kwargs: dict[str, Any] = {"echo": echo}
        if self.url.get_backend_name() == "sqlite":
            database = self.url.database or ""
            if database and database != ":memory:":
                Path(database).parent.mkdir(parents=True, exist_ok=True)
        self.engine: AsyncEngine = create_async_engine(self.url, **kwargs)
        if self.is_sqlite:
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(self.engine.sync_engine, "before_cursor_execute", _storable_text, retval=True)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False, autoflush=False)

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @property
    def dialect(self) -> str:
        return self.url.get_backend_name()

    def session(self) -> AsyncSession:
        return self.sessions()

    async def upgrade(self) -> None:
        """Bring the schema to the newest migration (Alembic), creating it on a new database.

        Several processes may start at once on one database: each takes the schema lock first, inside
        the upgrade's transaction, so they migrate one at a time and the later ones find the schema at
        head. PostgreSQL: a transaction-scoped advisory lock. SQLite: ``BEGIN IMMEDIATE`` (the write
        lock; the others wait on the busy timeout). Without it, concurrent starts created the same
        tables at once and all but one failed (``tests/scale/test_concurrent_migrations.py``).
        """
        async with self.engine.connect() as conn:
            if self.is_sqlite:
                # Wait for another process's upgrade as long as it takes (a whole schema on a busy
                # machine outlasts the everyday busy timeout), then go back to the everyday one.
                await conn.exec_driver_sql(f"PRAGMA busy_timeout={UPGRADE_WAIT_MS}")
                await conn.commit()
            try:
                async with conn.begin():
                    if self.is_sqlite:
                        await conn.exec_driver_sql("BEGIN IMMEDIATE")
                    elif self.dialect == "postgresql":
                        await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
                    await conn.run_sync(lambda c: command.upgrade(alembic_config(c), "head"))
            finally:
                if self.is_sqlite:
                    await conn.exec_driver_sql(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
                    await conn.commit()

    async def dispose(self) -> None:
        await self.engine.dispose()
