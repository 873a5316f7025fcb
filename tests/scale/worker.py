"""A bot process for the multi-process test: runs ritual ticks on a shared database, prints what it posted.

    python -m tests.scale.worker DB_URL COMMUNITIES TICKS
"""

from __future__ import annotations

import asyncio
import json
import sys
from datetime import UTC, datetime, timedelta

from bot.core.actions import SendMessage
from bot.core.config import parse_config
from bot.core.context import Context
from bot.core.richtext import plain
from bot.core.ritual import Occurrence
from bot.harness import local_bot

START = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


class EveryTenMinutes:
    name = "ten"

    async def due(self, ctx: Context) -> list[Occurrence]:
        top = ctx.now.replace(minute=ctx.now.minute - ctx.now.minute % 10, second=0, microsecond=0)
        return [Occurrence(f"ten:{(top - timedelta(minutes=10 * k)).isoformat()}", top - timedelta(minutes=10 * k)) for k in range(3)]

    async def run(self, ctx: Context, occ: Occurrence) -> None:
        assert ctx.community is not None
        await ctx.perform(SendMessage(ctx.community.chat, plain(occ.key)))


async def main(url: str, communities: int, ticks: int) -> None:
    config = parse_config({"communities": [{"platform": "local", "chat_id": f"c{i}", "name": f"C{i}"} for i in range(communities)]})
    async with local_bot(config, url, START) as bot:
        bot.app.rt.add_ritual(EveryTenMinutes())
        for _ in range(ticks):
            await bot.tick()
            bot.clock.advance(timedelta(minutes=5))
        posted = [f"{chat}|{m.text}" for chat in bot.sim.chats for m in bot.sim.bot_messages(chat)]
    print(json.dumps(posted))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3])))
