"""One process's start-up upgrade, for the concurrent-migrations test: says "ready", waits for "go", upgrades.

    python -m tests.scale.upgrade_worker DB_URL
"""

from __future__ import annotations

import asyncio
import sys

from storage.db import Database


async def main(url: str) -> None:
    db = Database(url)
    print("ready", flush=True)
    sys.stdin.readline()  # everyone starts together: the imports are done, only the upgrade races
    try:
        await db.upgrade()
    finally:
        await db.dispose()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
