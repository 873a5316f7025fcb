"""Attacker's checklist, oversized input: huge arguments to every command never raise, and what is kept is bounded.

A manager (or anyone, for member commands) sends 200,000 characters where a
word is expected. The bot answers (or ignores) without an error, and no column
grows beyond what its feature keeps.
"""

from __future__ import annotations

from sqlalchemy import String, Text, func, select

from bot.harness import local_bot, local_config
from storage.models import Base
from tests.conftest import START

HUGE = "é" * 200_000  # not ASCII, so bytes are twice the characters


async def test_huge_arguments_to_every_command(db_url: str) -> None:
    async with local_bot(local_config({"log_place": "modlog"}), db_url, START) as bot:
        bot.sim.add_user("mia", "Mia")
        bot.sim.add_user("ann", "A" * 10_000)  # a huge name too
        bot.sim.chats["town"].members.update({"mia", "ann"})
        await bot.sim.post("town", "ann", "hello")
        names = sorted(c.name for c in bot.app.rt.commands.all())
        for name in names:
            for who in ("mia", "ann"):
                await bot.sim.post("town", who, f"/{name} {HUGE}")
                await bot.sim.post("town", who, f"/{name} 1 {HUGE}")
                await bot.sim.post("town", who, f"/{name} add {HUGE}")
        await bot.app.rt.flush()
        assert bot.app.rt.router.errors == 0
        async with bot.app.db.sessions() as s:
            for table in Base.metadata.sorted_tables:
                for col in table.columns:
                    if isinstance(col.type, String | Text):
                        longest = await s.scalar(select(func.max(func.length(col))).select_from(table))
                        limit = col.type.length or 12_000  # free text: a document or a message, cut by its feature
                        assert (longest or 0) <= limit, f"{table.name}.{col.name} keeps {longest} characters"


async def test_a_members_huge_arguments_are_not_echoed_back(db_url: str) -> None:
    """A member's 200,000 characters must not make the bot post them back (a flood the member could not post)."""
    async with local_bot(local_config({"log_place": "modlog"}), db_url, START) as bot:
        bot.sim.add_user("ann", "Ann")
        bot.sim.chats["town"].members.add("ann")
        for name in sorted(c.name for c in bot.app.rt.commands.all()):
            before = len(bot.sim.bot_messages("town", include_deleted=True))
            await bot.sim.post("town", "ann", f"/{name} {HUGE}")
            answers = bot.sim.bot_messages("town", include_deleted=True)[before:]
            assert sum(len(m.text) for m in answers) < 5_000, f"/{name} echoed {sum(len(m.text) for m in answers)} characters"
