"""A community in Budapest (so DST matters) on the local simulator, a real SQLite file and a virtual clock."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from adapters.local.simulator import SimMessage
from bot.harness import LocalBot, local_bot, local_config

TZ = ZoneInfo("Europe/Budapest")
TICK = timedelta(minutes=15)  # the demo's tick
HOUR = timedelta(hours=1)  # the tests' usual tick: a week in 168 ticks
# Monday 30 November 2026, 09:00 in Budapest (08:00 UTC): the demo's start.
MONDAY = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)

BASE: dict[str, Any] = {
    "timezone": "Europe/Budapest",
    "rituals": {
        "weekly_prompt": {"weekday": "mon", "time": "10:00", "prompts": ["What are you making this week?", "Show us your workbench!"]},
        "newcomers": {"weekday": "fri", "time": "17:00"},
    },
}

BotFactory = Callable[..., AbstractAsyncContextManager[LocalBot]]


def people(bot: LocalBot) -> None:
    for uid, name in (("mia", "Mia"), ("ann", "Ann"), ("bob", "Bob"), ("cy", "Cy"), ("dee", "Dee")):
        bot.sim.add_user(uid, name)
        bot.sim.chats["town"].members.add(uid)


@pytest.fixture
def make_bot(db_url: str) -> BotFactory:
    """``async with make_bot(start, settings) as bot``: the whole bot, people added."""

    def factory(start: datetime = MONDAY, settings: dict[str, Any] | None = None) -> AbstractAsyncContextManager[LocalBot]:
        class _Ctx:
            async def __aenter__(self) -> LocalBot:
                self._cm = local_bot(local_config(settings if settings is not None else BASE), db_url, start)
                bot = await self._cm.__aenter__()
                people(bot)
                return bot

            async def __aexit__(self, *exc: object) -> None:
                await self._cm.__aexit__(*exc)

        return _Ctx()

    return factory


@pytest.fixture
async def bot(make_bot: BotFactory) -> AsyncIterator[LocalBot]:
    async with make_bot() as b:
        yield b


async def run_until(bot: LocalBot, when: datetime, step: timedelta = HOUR) -> None:
    """Let the virtual clock run to ``when``, ticking every ``step`` as the scheduler would."""
    while bot.clock.now() + step <= when:
        bot.clock.advance(step)
        await bot.tick()
    bot.clock.set(when)
    await bot.tick()


def sent(bot: LocalBot, contains: str = "") -> list[SimMessage]:
    """The bot's messages in the community chat (deleted ones too), optionally containing a text."""
    return [m for m in bot.sim.bot_messages("town", include_deleted=True) if contains in m.text]


def last(bot: LocalBot) -> SimMessage:
    return bot.sim.bot_messages("town")[-1]


def local(y: int, mo: int, d: int, h: int, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=TZ)
