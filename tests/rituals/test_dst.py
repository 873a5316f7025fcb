"""Across the end of March (Europe/Budapest springs forward on 29 March 2026): wall-clock times stay put."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from storage.models.rituals import CalendarEvent
from tests.rituals.conftest import TICK, BotFactory, last, local, run_until, sent

FRIDAY_BEFORE = datetime(2026, 3, 27, 11, 0, tzinfo=UTC)  # 12:00 CET


async def test_weekly_prompt_and_reminders_across_the_dst_change(make_bot: BotFactory) -> None:
    async with make_bot(start=FRIDAY_BEFORE) as bot:
        await bot.sim.post("town", "mia", "/event add sun 18:00 Spring tune-up | Bike shed")
        assert "Sun, Mar 29, 6:00 PM–8:00 PM, Central European Summer Time" in last(bot).text
        await bot.sim.press(last(bot).id, "rsvp:1:going:c", "ann")
        async with bot.app.db.sessions() as s:
            event = await s.scalar(select(CalendarEvent))
        assert event is not None and event.starts_at == datetime(2026, 3, 29, 16, tzinfo=UTC)  # 18:00 CEST

        await run_until(bot, local(2026, 3, 30, 12))
        reminders = sent(bot, "⏰")
        # 24 h before is Saturday 17:00 on the winter clock (16:00 UTC); 1 h before is 17:00 summer time (15:00 UTC).
        assert [r.at for r in reminders] == [datetime(2026, 3, 28, 16, tzinfo=UTC), datetime(2026, 3, 29, 15, tzinfo=UTC)]
        assert all("Sun, Mar 29, 6:00 PM–8:00 PM, Central European Summer Time" in r.text for r in reminders)

        # Monday 10:00 is 08:00 UTC after the change (it was 09:00 UTC the week before).
        [prompt] = sent(bot, "Question of the week")
        assert prompt.at == datetime(2026, 3, 30, 8, tzinfo=UTC)
        assert prompt.at.astimezone(local(2026, 3, 30, 0).tzinfo).hour == 10


async def test_autumn_change_posts_once(make_bot: BotFactory) -> None:
    """25 October 2026: 02:00-03:00 happens twice; a ritual at 02:30 must still run once."""
    settings = {
        "timezone": "Europe/Budapest",
        "rituals": {"weekly_prompt": {"weekday": "sun", "time": "02:30", "prompts": ["Night owls?"]}},
    }
    async with make_bot(start=datetime(2026, 10, 24, 22, tzinfo=UTC), settings=settings) as bot:
        await run_until(bot, datetime(2026, 10, 25, 6, tzinfo=UTC), step=TICK)
        [prompt] = sent(bot, "Night owls?")
        assert prompt.at == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 02:30 summer time, the first of the two
