"""The daily clean-up (bot.keep_ritual_runs, bot.keep_activity): old settled ritual runs and day counters go,
failed runs and recent rows stay, and nothing that was posted is posted again afterwards."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.core.config import ConfigError, parse_config
from bot.harness import local_bot, local_config
from rituals.retention import prune
from storage.models import ActivityDay, RitualRun
from storage.models.states import RunStatus
from tests.conftest import START


async def test_old_rows_go_and_nothing_is_posted_again(db_url: str) -> None:
    async with local_bot(local_config(), db_url, START) as bot:
        await bot.tick()  # what is due at start (the pinned documents, the weekly report...)
        async with bot.app.db.sessions() as s:
            cid = int(await s.scalar(select(RitualRun.community_id).limit(1)) or 0)
            old = START - timedelta(days=120)
            s.add_all([
                RitualRun(community_id=cid, ritual="weekly_prompt", key="old-sent", due_at=old, status=RunStatus.SENT, done_at=old),
                RitualRun(community_id=cid, ritual="weekly_prompt", key="old-failed", due_at=old, status=RunStatus.FAILED, done_at=old),
                ActivityDay(community_id=cid, day=(START - timedelta(days=500)).date(), user_id="ann", messages=3, replies=0),
                ActivityDay(community_id=cid, day=(START - timedelta(days=10)).date(), user_id="ann", messages=2, replies=1),
            ])  # fmt: skip
            await s.commit()
            runs_before = int(await s.scalar(select(func.count()).select_from(RitualRun)) or 0)
        sent = bot.app.rituals.sent
        assert await prune(bot.app.rt) == 2  # the old sent run and the old day
        async with bot.app.db.sessions() as s:
            keys = set(await s.scalars(select(RitualRun.key)))
            days = list(await s.scalars(select(ActivityDay.day)))
        assert "old-sent" not in keys and "old-failed" in keys and len(keys) == runs_before - 1
        assert days == [(START - timedelta(days=10)).date()]
        await bot.tick()
        assert bot.app.rituals.sent == sent  # what was posted at start is not posted again


def test_keeping_too_little_is_refused_with_the_fix() -> None:
    with pytest.raises(ConfigError) as err:
        parse_config({"bot": {"keep_activity": "30d"}}, "<test>")
    assert "bot.keep_activity" in str(err.value) and "at least 62 days" in str(err.value)
