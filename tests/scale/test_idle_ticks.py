"""Idle ticks are cheap: rituals that said nothing comes before a time are not asked again until then,
unless something is stored about the community; occurrences known to have run cost no query."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.core.ritual import Ritual
from bot.harness import LocalBot
from rituals.runner import QUIET_AT_MOST
from storage.models import Community
from storage.models.admin import Announcement
from storage.repos.housekeeping import RitualRunRepo

TICK = timedelta(seconds=30)


def count_due_checks(bot: LocalBot, monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How often each ritual's ``due`` is asked, and how often the runner asks the database what already ran."""
    calls: Counter[str] = Counter()
    for ritual in bot.app.rt.rituals:

        def spy(ritual: Ritual = ritual, due=ritual.due):  # type: ignore[no-untyped-def]
            async def counted(ctx):  # type: ignore[no-untyped-def]
                calls[ritual.name] += 1
                return await due(ctx)

            return counted

        monkeypatch.setattr(ritual, "due", spy())
    settled = RitualRunRepo.settled

    async def counted_settled(self, *args):  # type: ignore[no-untyped-def]
        calls["settled"] += 1
        return await settled(self, *args)

    monkeypatch.setattr(RitualRunRepo, "settled", counted_settled)
    return calls


async def tick(bot: LocalBot, every: timedelta = TICK) -> None:
    bot.clock.advance(every)
    await bot.tick()


async def test_quiet_rituals_are_not_asked_and_an_event_wakes_them(bot: LocalBot, monkeypatch: pytest.MonkeyPatch) -> None:
    await bot.tick()  # the first tick posts what is due at start (the weekly report)
    await tick(bot)  # the weekly slots learn that their last slots were skipped
    calls = count_due_checks(bot, monkeypatch)
    await tick(bot)
    assert calls["announcements"] == 0, "nothing is scheduled: the ritual said so on the last tick"
    assert calls["settled"] == 0, "the report's week is known to be sent"
    idle = int(QUIET_AT_MOST / 2 / TICK) - 2  # the hint holds at least half the limit
    for _ in range(idle):
        await tick(bot)
    assert calls["announcements"] == 0 and calls["settled"] == 0
    assert calls["weekly_report"] == idle + 1  # a ritual without a hint is asked every tick (it costs no query)

    # A manager schedules an announcement for two minutes from now: the event ends the quiet.
    when = bot.clock.now() + timedelta(minutes=2)
    await bot.sim.post("town", "mia", f"/announce {when:%Y-%m-%d %H:%M} Doors open")
    await tick(bot)
    assert calls["announcements"] == 1
    for _ in range(4):
        await tick(bot)
    assert "Doors open" in bot.sim.bot_messages("town")[-1].text
    assert calls["announcements"] <= 3  # woken by the event, then by the announcement's own time


async def test_what_another_process_stored_is_seen_within_the_quiet_limit(bot: LocalBot) -> None:
    await bot.tick()
    await tick(bot)  # announcements: nothing scheduled, quiet
    now = bot.clock.now()
    due_at = now + TICK
    async with bot.app.db.sessions() as s:  # another process schedules one; this one hears of no event
        community = await s.scalar(select(Community.id).where(Community.chat_id == "town"))
        row = Announcement(community_id=community, author_id="mia", text="From elsewhere", status="pending", due_at=due_at, created_at=now)
        s.add(row)
        await s.commit()
    waited = timedelta()
    while not any("From elsewhere" in m.text for m in bot.sim.bot_messages("town")):
        assert waited <= QUIET_AT_MOST + TICK, "the quiet hint held past its limit"
        await tick(bot)
        waited += TICK
