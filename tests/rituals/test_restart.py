"""A restart in the middle of the week: a new App on the same database file neither repeats nor loses a post."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from adapters.local.simulator import LocalPlatform
from bot.core.clock import VirtualClock
from bot.harness import LocalBot, bot_on, local_config
from tests.rituals.conftest import BASE, BotFactory, last, local, run_until, sent


@asynccontextmanager
async def restarted(db_url: str, sim: LocalPlatform, clock: VirtualClock) -> AsyncIterator[LocalBot]:
    """A fresh process: new App, new Database engine, same file; the platform and its history stay."""
    async with bot_on(sim, local_config(BASE), db_url, clock) as bot:
        yield bot


async def test_restart_mid_week_nothing_twice_nothing_lost(make_bot: BotFactory, db_url: str) -> None:
    async with make_bot() as first:
        await run_until(first, local(2026, 11, 30, 10, 30))
        await first.sim.post("town", "mia", "/event add 2026-12-03 18:00 Repair café | Library hall, 2nd floor")
        await first.sim.press(last(first).id, "rsvp:1:going:c", "ann")
        await run_until(first, local(2026, 12, 2, 12))
        sim, clock = first.sim, first.clock
    assert len(sent(first, "Question of the week")) == 1
    assert sent(first, "⏰") == []

    # Down from Wednesday noon until 20:00: the 24 h reminder (due 18:00) is missed but within the grace period.
    clock.set(local(2026, 12, 2, 20))
    async with restarted(db_url, sim, clock) as second:
        await second.tick()
        reminders = sent(second, "⏰")
        assert len(reminders) == 1 and "in 24 hours" in reminders[0].text and reminders[0].at == local(2026, 12, 2, 20)
        assert len(sim.dms("ann")) == 1
        await run_until(second, local(2026, 12, 3, 12))

    # Another restart, and a second process ticking the same database at the same moments.
    async with restarted(db_url, sim, clock) as third, restarted(db_url, sim, clock) as fourth:
        while clock.now() < local(2026, 12, 7, 12):
            clock.advance(timedelta(hours=1))
            await third.tick()
            await fourth.tick()
        mine = ("event_reminders", "event_followups", "newcomers", "weekly_prompt")
        sent_here = sum(app.rituals.count("sent", r) for app in (third.app, fourth.app) for r in mine)
        assert sent_here == 5  # 1 h reminder, "starting now", the question after it, newcomers... and next Monday's prompt

    prompts = sent(third, "Question of the week")
    assert len(prompts) == 2 and "Show us your workbench!" in prompts[1].text  # the rotation survived too
    assert [r.text.split(" starts ")[1][:9] for r in sent(third, "⏰")] == ["in 24 hou", "in 1 hour"]
    assert len(sim.dms("ann")) == 3 and "How was it?" in sim.dms("ann")[-1].text  # two reminders, then once "How was it?"


async def test_missed_beyond_grace_is_skipped_not_sent_late(make_bot: BotFactory, db_url: str) -> None:
    async with make_bot() as first:
        await run_until(first, local(2026, 11, 30, 9, 30))
        sim, clock = first.sim, first.clock
    clock.set(local(2026, 11, 30, 17))  # 7 hours after the prompt's time; the grace period is 6 h
    async with restarted(db_url, sim, clock) as second:
        await run_until(second, local(2026, 12, 6, 12), step=timedelta(hours=1))
        assert sent(second, "Question of the week") == []
        assert second.app.rituals.skipped >= 1
