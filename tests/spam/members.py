"""Shared steps of the spam tests."""

from __future__ import annotations

from datetime import timedelta

from bot.harness import LocalBot


async def settle(bot: LocalBot, uid: str, *, add: bool = True) -> None:
    """Make ``uid`` an established member: (added to the town and) four ordinary messages, past the sandbox."""
    if add:
        bot.sim.add_user(uid, uid.title())
        bot.sim.chats["town"].members.add(uid)
    for i in range(4):
        await bot.sim.post("town", uid, f"hello number {i}, nice weather today")
        bot.clock.advance(timedelta(minutes=5))
