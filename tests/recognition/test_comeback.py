"""Quiet members are invited back (#21.7): once per period, by DM, never the opted-out, counted when they return."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from bot.core import actions as a
from bot.harness import LocalBot, local_bot, local_config
from storage.models import Member
from tests.conftest import START

COMEBACK = {"comeback": {"enabled": True}, "admin": {"weekly_report": False}}


async def quiet(bot: LocalBot, user: str, days: int) -> None:
    async with bot.app.db.sessions() as s, s.begin():
        await s.execute(update(Member).where(Member.user_id == user).values(last_message_at=START - timedelta(days=days)))


def invitations(bot: LocalBot, user: str) -> list[str]:
    return [m.text for m in bot.sim.dms(user) if "haven't heard from you" in m.text]


async def test_a_quiet_member_is_invited_once_per_period_and_counted_on_return(db_url: str) -> None:
    async with local_bot(local_config(COMEBACK), db_url, START) as bot:
        for uid, name in (("mia", "Mia"), ("ann", "Ann"), ("bob", "Bob"), ("chen", "Chen")):
            bot.sim.add_user(uid, name)
            bot.sim.chats["town"].members.add(uid)
            await bot.sim.post("town", uid, f"Hello, {name} here")
        await bot.app.rt.flush()
        await quiet(bot, "ann", 40)
        await quiet(bot, "chen", 45)
        await bot.sim.command_in_dm("chen", "/optout")
        await bot.sim.post("town", "mia", "/event add 2026-12-03 18:00 Repair café | Library hall")
        bot.clock.advance(timedelta(hours=2, minutes=5))  # 11:05: the day's invitations
        await bot.tick()
        (dm,) = invitations(bot, "ann")
        assert "Hi Ann!" in dm and "Repair café" in dm and "/optout" in dm
        assert invitations(bot, "bob") == []  # posted today
        assert invitations(bot, "chen") == []  # opted out
        bot.clock.advance(timedelta(days=1))
        await bot.tick()
        assert len(invitations(bot, "ann")) == 1  # once per period, not every day
        await bot.sim.post("town", "ann", "I'm back, the repair café sounds great")
        await bot.app.rt.flush()
        await bot.sim.post("town", "mia", "/stats")
        stats = bot.sim.bot_messages("town")[-1].text
        assert "Quiet members invited back: 1" in stats and "Invited members who posted again: 1" in stats


async def test_an_invitation_a_busy_platform_refused_goes_at_the_next_tick(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The invitation is claimed before it goes; a busy platform's refusal gives the claim back (it used to
    stay, so the member was not invited that period)."""
    async with local_bot(local_config(COMEBACK), db_url, START) as bot:
        for uid, name in (("mia", "Mia"), ("ann", "Ann"), ("bob", "Bob")):
            bot.sim.add_user(uid, name)
            bot.sim.chats["town"].members.add(uid)
            await bot.sim.post("town", uid, f"Hello, {name} here")
        await bot.app.rt.flush()
        await quiet(bot, "ann", 40)
        await quiet(bot, "bob", 41)
        perform, refused = bot.sim.perform, set()

        async def busy(action: a.Action) -> a.Result:
            if isinstance(action, a.SendDirect) and action.user.id not in refused:
                refused.add(action.user.id)
                return a.Failed(a.FailReason.RATE_LIMITED)
            return await perform(action)

        monkeypatch.setattr(bot.sim, "perform", busy)
        bot.clock.advance(timedelta(hours=2, minutes=5))
        for _ in range(3):
            await bot.tick()
            bot.clock.advance(timedelta(minutes=1))
        assert refused == {"ann", "bob"}
        assert len(invitations(bot, "ann")) == 1 and len(invitations(bot, "bob")) == 1
