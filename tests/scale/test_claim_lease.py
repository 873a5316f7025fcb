"""A process dies between claiming an occurrence and posting it: the next process posts it, once.

The runner commits a claim before it posts; a claim not marked sent within
``CLAIM_LEASE`` belongs to a dead process and is taken over. That promise holds
only if the rituals themselves still offer the occurrence: the weekly prompt,
event reminders and campaign steps filter out what already "ran", and must not
count a dead process's claim as ran. The death is simulated exactly: an
exception no ``except Exception`` catches leaves the committed claim behind.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from typing import Any

import pytest

from adapters.local.simulator import LocalPlatform
from bot.core.clock import VirtualClock
from bot.core.ritual import CLAIM_LEASE
from bot.harness import LocalBot, bot_on, local_config
from tests.rituals.conftest import BASE, local, people

SETTINGS: dict[str, Any] = {
    **BASE,
    "onboarding": {"campaign": [{"id": "day1", "after": "1d"}]},
}


class Died(BaseException):
    """The process's end, as SIGKILL would have it: nothing below catches it."""


@asynccontextmanager
async def process(db_url: str, sim: LocalPlatform, clock: VirtualClock) -> AsyncIterator[LocalBot]:
    async with bot_on(sim, local_config(SETTINGS), db_url, clock) as bot:
        yield bot


def die_in(bot: LocalBot, ritual_name: str) -> None:
    """The ritual's next run kills the process after its claim is committed, before it posts."""
    ritual = next(r for r in bot.app.rt.rituals if r.name == ritual_name)

    async def run(ctx: Any, occ: Any) -> None:
        raise Died(occ.key)

    ritual.run = run  # type: ignore[method-assign]


async def _prompt(bot: LocalBot) -> datetime:
    return local(2026, 11, 30, 10)


async def _reminder(bot: LocalBot) -> datetime:
    await bot.sim.post("town", "mia", "/event add 2026-12-03 18:00 Repair café")
    return local(2026, 12, 3, 17)  # the 1 h reminder


async def _campaign(bot: LocalBot) -> datetime:
    bot.sim.add_user("eve", "Eve")
    await bot.sim.start_bot("eve")
    await bot.sim.join("town", "eve")
    return bot.clock.now() + timedelta(days=1)


Scenario = Callable[[LocalBot], Awaitable[datetime]]
CASES: dict[str, tuple[Scenario, str, Callable[[LocalPlatform], int]]] = {
    "weekly_prompt": (_prompt, "weekly_prompt", lambda sim: sum("Question of the week" in m.text for m in sim.bot_messages("town"))),
    "event_reminders": (_reminder, "event_reminders", lambda sim: sum("starts in 1 hour" in m.text for m in sim.bot_messages("town"))),
    "campaign": (_campaign, "campaign", lambda sim: sum("first days" in m.text for m in sim.dms("eve"))),
}


@pytest.mark.parametrize("case", list(CASES))
async def test_a_claim_left_by_a_dead_process_is_posted_once_after_the_lease(db_url: str, case: str) -> None:
    scenario, ritual, count = CASES[case]
    clock = VirtualClock(local(2026, 11, 30, 9))
    sim = LocalPlatform(clock)
    sim.add_chat("town", "Riverside Makers", admins=("mia",))
    async with process(db_url, sim, clock) as first:
        people(first)
        due = await scenario(first)
        await first.tick()
        clock.set(due)
        die_in(first, ritual)
        with pytest.raises(Died):
            await first.tick()
    assert count(sim) == 0

    async with process(db_url, sim, clock) as second:
        await second.tick()  # the same moment: the claim is fresh, its owner may still be posting
        assert count(sim) == 0
        clock.advance(CLAIM_LEASE + timedelta(minutes=1))
        await second.tick()
        assert count(sim) == 1
        clock.advance(timedelta(hours=1))
        await second.tick()
    assert count(sim) == 1
