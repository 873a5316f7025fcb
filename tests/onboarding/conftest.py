"""A bot with onboarding settings chosen per test."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.harness import LocalBot, local_bot, local_config
from storage.models.onboarding import CampaignStepRun, Newcomer
from tests.conftest import START

MakeBot = Callable[..., Any]


@pytest.fixture
def make_bot(db_url: str) -> MakeBot:
    """``async with make_bot(onboarding={...}) as bot``: users mia (manager), ann, bob, chen."""

    @asynccontextmanager
    async def make(db: str | None = None, **settings: Any) -> AsyncIterator[LocalBot]:
        async with local_bot(local_config(settings), db or db_url, START) as b:
            b.sim.add_user("mia", "Mia")
            b.sim.add_user("ann", "Ann", dm_open=False)
            b.sim.add_user("bob", "Bob")
            b.sim.add_user("chen", "Chen")
            yield b

    return make


async def newcomer(bot: LocalBot, user_id: str) -> Newcomer:
    async with bot.app.db.sessions() as s:
        row = await s.scalar(select(Newcomer).where(Newcomer.user_id == user_id))
    assert row is not None
    return row


async def step_outcomes(bot: LocalBot) -> dict[tuple[str, str], str]:
    async with bot.app.db.sessions() as s:
        rows = (await s.execute(select(Newcomer.user_id, CampaignStepRun.step, CampaignStepRun.outcome).join(Newcomer))).all()
    return {(u, st): o for u, st, o in rows}


async def run_until(bot: LocalBot, delta: timedelta, every: timedelta = timedelta(hours=3)) -> None:
    end = bot.clock.now() + delta
    while bot.clock.now() + every <= end:
        bot.clock.advance(every)
        await bot.tick()
    bot.clock.set(end)
    await bot.tick()


