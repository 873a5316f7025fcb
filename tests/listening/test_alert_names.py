"""The managers named in an alert are read once per ten minutes, not once per alert: a survey's low scores
alert one after another (bench/survey.py: about 0.2 ms of CPU an answer)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from storage.repos.members import MemberRepo

from .conftest import MakeBot, button, log_posts, question

SURVEY = {"enabled": True, "sample": 1.0, "batch": 10}


async def test_low_scores_alert_with_the_managers_read_once(make_bot: MakeBot, monkeypatch: pytest.MonkeyPatch) -> None:
    reads = []
    names = MemberRepo.names

    async def counted(self: MemberRepo, community_id: int, user_ids: list[str]) -> dict[str, str]:
        reads.append(community_id)
        return await names(self, community_id, user_ids)

    monkeypatch.setattr(MemberRepo, "names", counted)
    async with make_bot(surveys=SURVEY) as bot:
        await bot.tick()
        await bot.sim.post("town", "mia", "Morning all")  # the bot learns the manager's name
        for user in ("ann", "bob"):
            q = question(bot, user)
            await bot.sim.press(q.id, button(q, "2"), user)
        assert len(log_posts(bot)) == 2 and all("Who can help: Mia" in p for p in log_posts(bot))
        assert len(reads) == 1
        bot.clock.advance(timedelta(minutes=11))
        q = question(bot, "chen")
        await bot.sim.press(q.id, button(q, "1"), "chen")
        assert len(reads) == 2  # read again after ten minutes
