"""A ritual post the platform holds past the claim lease is posted once, not taken over and posted again.

Process A claims the weekly prompt and its send waits on the platform (rate limits) for longer than
``CLAIM_LEASE``; process B ticks on the same database all the while. A's heartbeat keeps its claim
alive, so B never takes it over. A process that is truly stuck (its heartbeat stopped: here, its own
clock never moves) does lose the claim; the claim's token then fences what it writes when it wakes up:
its late failure cannot reopen the occurrence B already sent.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select

from adapters.local.simulator import LocalPlatform
from bot.core import actions as a
from bot.core.clock import VirtualClock
from bot.core.ritual import CLAIM_LEASE
from bot.harness import LocalBot, bot_on, local_config
from storage.models import RitualRun
from tests.rituals.conftest import BASE, local, people

WAIT = 10.0  # seconds; reached only when the test fails
PROMPT = "Question of the week"


@dataclass
class HeldPlatform:
    """The simulator, except that the first send into the group waits until released (then may fail)."""

    sim: LocalPlatform
    release: asyncio.Event = field(default_factory=asyncio.Event)
    waiting: asyncio.Event = field(default_factory=asyncio.Event)
    answer: a.Result | None = None  # what the held send ends with; None: it goes through
    held: bool = False

    async def perform(self, action: a.Action) -> a.Result:
        if isinstance(action, a.SendMessage) and not self.held:
            self.held = True
            self.waiting.set()
            await self.release.wait()
            if self.answer is not None:
                return self.answer
        return await self.sim.perform(action)


def prompts(sim: LocalPlatform) -> int:
    return sum(PROMPT in m.text for m in sim.bot_messages("town", include_deleted=True))


async def status(bot: LocalBot) -> str:
    async with bot.app.db.sessions() as s:
        q = select(RitualRun.status).where(RitualRun.ritual == "weekly_prompt").order_by(RitualRun.due_at.desc()).limit(1)
        return str(await s.scalar(q))  # this week's (a first start records earlier weeks as skipped)


async def renewed(bot: LocalBot, times: int) -> None:
    """Until A's heartbeat has renewed its claim ``times`` times in all."""
    runner = bot.app.rituals
    while runner.heartbeats.renewals < times:
        await asyncio.wait_for(runner.heartbeats.renewed.wait(), WAIT)
        runner.heartbeats.renewed.clear()


async def test_a_send_held_past_the_lease_is_posted_once(db_url: str) -> None:
    clock = VirtualClock(local(2026, 11, 30, 9))
    sim = LocalPlatform(clock)
    sim.add_chat("town", "Riverside Makers", admins=("mia",))
    held = HeldPlatform(sim)
    config = local_config(BASE)
    async with bot_on(sim, config, db_url, clock, outbox=held) as first, bot_on(sim, config, db_url, clock) as second:
        people(first)
        await first.tick()
        await second.tick()
        clock.set(local(2026, 11, 30, 10))
        posting = asyncio.create_task(first.tick())
        await asyncio.wait_for(held.waiting.wait(), WAIT)
        for minute in range(1, 8):  # the send is held for 7 minutes; B ticks every minute meanwhile
            clock.advance(timedelta(minutes=1))
            await renewed(first, minute)
            await second.tick()
        assert clock.now() - local(2026, 11, 30, 10) > CLAIM_LEASE
        assert prompts(sim) == 0, "the other process took the claim over while its owner was still posting"
        held.release.set()
        await asyncio.wait_for(posting, WAIT)
        assert prompts(sim) == 1
        assert await status(first) == "sent"
        for _ in range(3):
            clock.advance(timedelta(hours=1))
            await second.tick()
            await first.tick()
    assert prompts(sim) == 1


async def test_a_stuck_owner_loses_its_claim_and_cannot_reopen_it(db_url: str) -> None:
    clock = VirtualClock(local(2026, 11, 30, 9))
    frozen = VirtualClock(local(2026, 11, 30, 10))  # A's time stands still: no heartbeat, like a paused process
    sim = LocalPlatform(clock)
    sim.add_chat("town", "Riverside Makers", admins=("mia",))
    held = HeldPlatform(sim, answer=a.Failed(a.FailReason.RATE_LIMITED, "retry after 400"))
    config = local_config(BASE)
    async with bot_on(sim, config, db_url, frozen, outbox=held) as first, bot_on(sim, config, db_url, clock) as second:
        people(first)
        posting = asyncio.create_task(first.tick())
        await asyncio.wait_for(held.waiting.wait(), WAIT)
        clock.set(local(2026, 11, 30, 10) + CLAIM_LEASE + timedelta(minutes=1))
        await second.tick()  # the claim went stale: B takes it over and posts
        assert prompts(sim) == 1
        held.release.set()
        await asyncio.wait_for(posting, WAIT)  # A's late answer: rate limited, "retry later"
        assert await status(second) == "sent", "a process that had lost its claim marked the occurrence failed"
        for _ in range(3):
            clock.advance(timedelta(hours=1))
            await second.tick()
    assert prompts(sim) == 1
