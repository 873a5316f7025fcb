"""A process dies in the middle of an event reminder (#25.1): the restarted bot finishes it, once per recipient.

A reminder is one occurrence but many messages: the group post, then a DM to each member going. Here the
platform accepts the reminder's (k+1)-th message and the process dies before hearing so (an exception no
``except Exception`` catches, as SIGKILL would leave it: only what was committed survives). A second
process then ticks every 30 seconds, as the scheduler does, until after the event.

What must hold: every member going gets the reminder, the group gets it; only the one message in flight at
the crash may come twice (the platform took it, nobody could record it); no claim is left ``claimed``. The
"3m" reminder is retried after the claim lease, so after the event began: that retry must still happen.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, ClassVar

import pytest
from sqlalchemy import text

from adapters.local.simulator import LocalPlatform
from bot.core import actions as a
from bot.core.clock import VirtualClock
from bot.harness import LocalBot, bot_on, local_config
from storage.db import Database
from tests.rituals.conftest import BASE, local

MEMBERS = tuple(f"m{i}" for i in range(10))
STARTS = local(2026, 12, 3, 18)
TICK = timedelta(seconds=30)


class Died(BaseException):
    """The process's end: nothing below catches it, nothing after it is committed."""


class DyingOutbox:
    """The simulator, until it has accepted the reminder's ``after + 1``-th message: then the process dies."""

    UNSUPPORTED: ClassVar = LocalPlatform.UNSUPPORTED

    def __init__(self, sim: LocalPlatform) -> None:
        self.sim = sim
        self.after: int | None = None  # None: not armed
        self.sent = 0

    async def perform(self, action: a.Action) -> a.Result:
        result = await self.sim.perform(action)
        if self.after is not None and isinstance(action, a.SendMessage | a.SendDirect) and "⏰" in action.text.plain() and result.ok:
            self.sent += 1
            if self.sent > self.after:
                raise Died(f"after the platform accepted message {self.sent}")
        return result


@asynccontextmanager
async def process(db_url: str, sim: LocalPlatform, clock: VirtualClock, offset: str, outbox: Any = None) -> AsyncIterator[LocalBot]:
    settings = {**BASE, "rituals": {**BASE["rituals"], "events": {"reminders": [offset]}}}
    async with bot_on(sim, local_config(settings), db_url, clock, outbox=outbox) as bot:
        yield bot


def town() -> tuple[VirtualClock, LocalPlatform]:
    clock = VirtualClock(local(2026, 11, 30, 9))
    sim = LocalPlatform(clock)
    sim.add_chat("town", "Riverside Makers", admins=("mia",))
    for uid in ("mia", *MEMBERS):
        sim.add_user(uid, uid.title())
        sim.chats["town"].members.add(uid)
    return clock, sim


async def everyone_going(sim: LocalPlatform, when: str = "2026-12-03 18:00", title: str = "Repair café") -> None:
    await sim.post("town", "mia", f"/event add {when} {title} | Library hall")
    card = next(m for m in reversed(sim.messages.values()) if m.chat == "town" and title in m.text and m.buttons)
    going = next(d for row in card.buttons for b in row if (d := b.data or "").split(":")[2:3] == ["going"])
    for uid in MEMBERS:
        await sim.press(card.id, going, uid)


def reminded(sim: LocalPlatform, marker: str = "⏰ Reminder") -> list[int]:
    return [sum(m.text.startswith(marker) for m in sim.dms(uid)) for uid in MEMBERS]


@dataclass
class Outcome:
    group: int  # copies of the reminder in the group
    lost: int  # members going who never got it
    repeated: int  # extra copies, the group's included
    stuck: int  # claims left 'claimed' (occurrences and deliveries)
    left: int  # deliveries rows left once the occurrence is settled


async def crash_and_restart(db_url: str, offset: str, after: int) -> Outcome:
    clock, sim = town()
    dying = DyingOutbox(sim)
    async with process(db_url, sim, clock, offset, dying) as first:
        await everyone_going(sim)
        await first.tick()
        clock.set(STARTS - timedelta(minutes=int(offset[:-1]) * (60 if offset.endswith("h") else 1)))
        dying.after = after
        with pytest.raises(Died):
            await first.tick()
    async with process(db_url, sim, clock, offset) as second:
        while clock.now() < STARTS + timedelta(minutes=30):
            await second.tick()
            clock.advance(TICK)
    stuck, left = await ledger(db_url)
    dms = reminded(sim)
    group = sum(m.text.startswith("⏰") for m in sim.bot_messages("town"))
    return Outcome(group, sum(n == 0 for n in dms), sum(max(0, n - 1) for n in dms) + max(0, group - 1), stuck, left)


async def ledger(db_url: str) -> tuple[int, int]:
    """Claims left 'claimed' (occurrences and deliveries), and deliveries rows left at all."""
    db = Database(db_url)
    stuck = left = 0
    try:
        async with db.engine.connect() as conn:
            for table in ("ritual_runs", "deliveries"):
                try:
                    stuck += (await conn.execute(text(f"SELECT count(*) FROM {table} WHERE status = 'claimed'"))).scalar_one()
                    if table == "deliveries":
                        left = (await conn.execute(text("SELECT count(*) FROM deliveries"))).scalar_one()
                except Exception:  # no such table (before the deliveries ledger)
                    await conn.rollback()
    finally:
        await db.dispose()
    return stuck, left


# k: messages of the reminder accepted and recorded before the crash. 0: the group post is in flight;
# 1: the first DM; 10: the last DM (everything went out, the occurrence was never marked sent).
@pytest.mark.parametrize("offset", ["1h", "3m"])
@pytest.mark.parametrize("after", [0, 1, 4, 10])
async def test_a_reminder_cut_short_reaches_everyone_once(db_url: str, offset: str, after: int) -> None:
    out = await crash_and_restart(db_url, offset, after)
    print(f"offset={offset} after={after}: {out}")  # shown with -s
    assert out.lost == 0 and out.group >= 1, out
    assert out.repeated <= 1, out
    assert out.stuck == 0 and out.left == 0, out


class BusyFor:
    """The simulator, refusing the first DM to some members as a platform at its limit does (429 given up)."""

    UNSUPPORTED: ClassVar = LocalPlatform.UNSUPPORTED

    def __init__(self, sim: LocalPlatform, busy: set[str], marker: str = "⏰") -> None:
        self.sim, self.busy, self.marker = sim, busy, marker

    async def perform(self, action: a.Action) -> a.Result:
        if isinstance(action, a.SendDirect) and action.user.id in self.busy and self.marker in action.text.plain():
            self.busy.discard(action.user.id)
            return a.Failed(a.FailReason.RATE_LIMITED)
        return await self.sim.perform(action)


async def test_a_busy_platform_s_refused_reminders_go_at_the_next_tick_and_no_other_twice(db_url: str) -> None:
    clock, sim = town()
    async with process(db_url, sim, clock, "1h", BusyFor(sim, {"m2", "m7"})) as bot:
        await everyone_going(sim)
        clock.set(STARTS - timedelta(hours=1))
        await bot.tick()
        assert reminded(sim) == [1, 1, 0, 1, 1, 1, 1, 0, 1, 1]
        for _ in range(3):
            clock.advance(TICK)
            await bot.tick()
    assert reminded(sim) == [1] * len(MEMBERS)
    assert sum(m.text.startswith("⏰") for m in sim.bot_messages("town")) == 1
    assert await ledger(db_url) == (0, 0)


async def test_a_busy_platform_s_refused_question_after_the_event_is_asked_at_the_next_tick(db_url: str) -> None:
    """The after-event question (a row per member) has the same window: the last member's busy refusal
    used to be rolled back with the failed run, so that member was never asked."""
    clock, sim = town()
    async with process(db_url, sim, clock, "1h", BusyFor(sim, {MEMBERS[0], MEMBERS[-1]}, "How was it?")) as bot:
        await everyone_going(sim)
        clock.set(STARTS + timedelta(hours=2))
        while clock.now() < STARTS + timedelta(hours=4):
            await bot.tick()
            clock.advance(TICK * 10)
    assert [sum("How was it?" in m.text for m in sim.dms(uid)) for uid in MEMBERS] == [1] * len(MEMBERS)


async def test_a_reminder_cut_short_whose_event_was_then_cancelled_leaves_nothing_open(db_url: str) -> None:
    """Its occurrence is no longer offered, so no rerun settles it: once past the grace, the next reminder that
    settles clears it (it stayed 'claimed' for good, with its deliveries)."""
    clock, sim = town()
    dying = DyingOutbox(sim)
    async with process(db_url, sim, clock, "1h", dying) as first:
        await everyone_going(sim)
        await everyone_going(sim, "2026-12-04 18:00", "Soldering night")
        clock.set(STARTS - timedelta(hours=1))
        dying.after = 4
        with pytest.raises(Died):
            await first.tick()
    async with process(db_url, sim, clock, "1h") as second:
        await sim.post("town", "mia", "/event cancel 1")
        while clock.now() < STARTS + timedelta(days=1):
            clock.advance(timedelta(hours=1))
            await second.tick()
    assert reminded(sim, "⏰ Reminder: Soldering night") == [1] * len(MEMBERS)
    assert await ledger(db_url) == (0, 0)


async def test_the_message_in_flight_at_two_crashes_is_not_sent_a_third_time(db_url: str) -> None:
    clock, sim = town()
    dying = DyingOutbox(sim)
    async with process(db_url, sim, clock, "1h", dying) as first:
        await everyone_going(sim)
        clock.set(STARTS - timedelta(hours=1))
        dying.after = 4
        with pytest.raises(Died):
            await first.tick()
    again = DyingOutbox(sim)
    again.after = 0  # the rerun dies as soon as the platform took the message it sends again
    async with process(db_url, sim, clock, "1h", again) as second:
        with pytest.raises(Died):
            while True:
                clock.advance(TICK)
                await second.tick()
    async with process(db_url, sim, clock, "1h") as third:
        while clock.now() < STARTS:
            clock.advance(TICK)
            await third.tick()
    assert sorted(reminded(sim)) == [1] * (len(MEMBERS) - 1) + [2]  # the one in flight twice, not three times
    assert await ledger(db_url) == (0, 0)


class TakenOver:
    """The simulator; after the platform took the reminder's ``after``-th message, another process takes the
    occurrence over (as if this one had stalled past the lease): its token changes under the run."""

    UNSUPPORTED: ClassVar = LocalPlatform.UNSUPPORTED

    def __init__(self, sim: LocalPlatform, after: int) -> None:
        self.sim, self.after, self.sent = sim, after, 0
        self.db: Database | None = None

    async def perform(self, action: a.Action) -> a.Result:
        result = await self.sim.perform(action)
        if self.db is not None and isinstance(action, a.SendMessage | a.SendDirect) and "⏰" in action.text.plain():
            self.sent += 1
            if self.sent == self.after:
                async with self.db.engine.begin() as conn:
                    await conn.execute(text("UPDATE ritual_runs SET claim_token = 'another process' WHERE key LIKE 'remind:%'"))
        return result


async def test_a_run_that_lost_its_occurrence_sends_nothing_more(db_url: str) -> None:
    clock, sim = town()
    outbox = TakenOver(sim, after=3)
    async with process(db_url, sim, clock, "1h", outbox) as bot:
        await everyone_going(sim)
        clock.set(STARTS - timedelta(hours=1))
        outbox.db = bot.app.db
        await bot.tick()
        assert outbox.sent == 3  # the group post and two DMs; the third claim found the occurrence gone
        assert bot.app.rituals.failed == 1
        while clock.now() < STARTS:  # the other process "died": its claim goes stale and is taken over
            clock.advance(TICK)
            await bot.tick()
    assert reminded(sim) == [1] * len(MEMBERS)  # what the first run marked before it stopped stayed marked
    assert sum(m.text.startswith("⏰") for m in sim.bot_messages("town")) == 1
    assert await ledger(db_url) == (0, 0)
