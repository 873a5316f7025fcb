"""Regenerate the initial migration from the models (pre-release only: no deployed databases yet).

Usage: python scripts/regen_migration.py
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine

from storage.db import MIGRATIONS, alembic_config


def main() -> None:
    versions = MIGRATIONS / "versions"
    for old in versions.glob("*.py"):
        old.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_engine(f"sqlite:///{Path(tmp) / 'empty.sqlite3'}")
        with engine.connect() as conn:
            cfg = alembic_config(conn)
            command.revision(cfg, message="initial schema", autogenerate=True, rev_id="0001")
    print("wrote", *versions.glob("*.py"))


if __name__ == "__main__":
    main()
