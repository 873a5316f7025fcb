"""Recurring events: the repeat syntax, DST in three zones, one date cancelled or moved, per-date answers, .ics."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from dateutil.rrule import rrulestr

from bot.harness import LocalBot
from rituals.dates import ENGLISH
from rituals.recurrence import Repeat, RepeatError, Series, parse_repeat
from tests.rituals.conftest import BASE, BotFactory, last, local, run_until, sent

ZONES = [  # a Thursday a week before the change, and the change
    ("Europe/Budapest", datetime(2026, 3, 19, 17, tzinfo=UTC)),
    ("America/New_York", datetime(2026, 2, 26, 23, tzinfo=UTC)),
    ("Australia/Sydney", datetime(2026, 3, 26, 7, tzinfo=UTC)),
]


@pytest.mark.parametrize(("zone", "first"), ZONES)
def test_weekly_series_keeps_its_wall_time_across_dst(zone: str, first: datetime) -> None:
    tz = ZoneInfo(zone)
    series = Series(Repeat("WEEKLY", count=4).rrule_text(tz), first, tz)
    starts = series.between(first, first + timedelta(days=60))
    assert len(starts) == 4 and series.last() == starts[-1]
    assert {s.astimezone(tz).hour for s in starts} == {18}
    assert len({s.astimezone(tz).utcoffset() for s in starts}) == 2  # the offset moves, the wall time stays


def test_repeat_syntax_and_its_errors() -> None:
    r, rest = parse_repeat("repeat monthly first thursday until 2027-03-01 AMA | Stage", ENGLISH)
    assert (r, rest) == (Repeat("MONTHLY", 1, 1, 3, until=datetime(2027, 3, 1).date()), "AMA | Stage")
    assert parse_repeat("repeat every 2 weeks x10 Office hours", ENGLISH)[0] == Repeat("WEEKLY", 2, count=10)
    assert parse_repeat("Office hours", ENGLISH) == (None, "Office hours")
    for text, reason, word in (
        ("repeat sometimes X", "how", "sometimes"),
        ("repeat monthly first blursday X", "weekday", "blursday"),
        ("repeat weekly until soon X", "until", "soon"),
        ("repeat weekly x0 X", "count", "0"),
        ("repeat weekly x3 until 2027-01-01 X", "both", ""),
    ):
        with pytest.raises(RepeatError) as err:
            parse_repeat(text, ENGLISH)
        assert (err.value.reason, err.value.word) == (reason, word)


async def test_series_through_the_bot_cancel_one_move_one_rsvp_and_ics(bot: LocalBot) -> None:
    await bot.sim.post("town", "mia", "/event add 2026-12-03 18:00 repeat weekly x4 Office hours | Library")
    card = last(bot)
    assert "every week, 4 times" in card.text and "Next: Thu, Dec 3, 6:00 PM–8:00 PM" in card.text
    await bot.sim.press(card.id, "rsvp:1:going:c", "ann")  # the whole series
    await bot.sim.post("town", "mia", "/event cancel 1 2026-12-10")
    assert "is cancelled. The other dates stay as planned" in last(bot).text
    await bot.sim.post("town", "mia", "/event move 1 2026-12-17 19:30")
    assert "moves to Thu, Dec 17, 7:30 PM–9:30 PM" in last(bot).text
    await bot.sim.post("town", "mia", "/event cancel 1 2026-12-11")
    assert "has no date “2026-12-11”" in last(bot).text and "2026-12-03, 2026-12-10, 2026-12-17, 2026-12-24" in last(bot).text
    await bot.sim.post("town", "ann", "/events")
    listing = last(bot)
    assert "Dec 10" not in listing.text and "Thu, Dec 17, 7:30 PM–9:30 PM" in listing.text and "🔁 (moved)" in listing.text
    assert listing.buttons[2][2].data == "rsvo:1:20261224:no:l"
    await bot.sim.press(listing.id, "rsvo:1:20261224:no:l", "ann")  # not that one date
    await run_until(bot, local(2026, 12, 25, 0))
    reminders = [r.text.splitlines()[0] for r in sent(bot, "⏰")]
    assert len(reminders) == 6 and not any("Dec 10" in r for r in reminders)
    assert sum("Dec 17, 7:30 PM" in r for r in reminders) == 2
    dms = [m.text for m in bot.sim.dms("ann") if "⏰" in m.text]
    assert len(dms) == 4 and not any("Dec 24" in m for m in dms)  # Dec 3 and Dec 17, twice each

    await bot.sim.post("town", "ann", "/events ics")
    _, data = list(bot.sim.files.values())[-1]
    cal = icalendar.Calendar.from_ical(data)
    assert [str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Budapest"]
    main, moved = sorted(cal.walk("VEVENT"), key=lambda e: "recurrence-id" in e)
    assert main["rrule"].to_ical() == b"FREQ=WEEKLY;COUNT=4"
    assert moved.decoded("recurrence-id") == datetime(2026, 12, 17, 18, tzinfo=ZoneInfo("Europe/Budapest"))
    assert int(moved["sequence"]) == 1 and moved.decoded("dtstart").hour == 19
    text = data.decode()
    lines = [ln for ln in text.splitlines() if ln.startswith(("DTSTART;", "RRULE:", "EXDATE"))][:3]
    second = rrulestr("\n".join(lines), forceset=True)  # a second, independent reading of the rule
    assert [d.day for d in second] == [3, 17, 24]


async def test_series_edited_mid_way_keeps_its_past(make_bot: BotFactory) -> None:
    async with make_bot(settings=BASE) as bot:
        await bot.sim.post("town", "mia", "/event add 2026-12-03 18:00 repeat weekly until 2027-01-31 Office hours")
        await run_until(bot, local(2026, 12, 12, 12), step=timedelta(hours=6))
        await bot.sim.post("town", "mia", "/event edit 1 when thu 19:00")
        assert "Next: Thu, Dec 17, 7:00 PM–9:00 PM" in last(bot).text
        await bot.sim.post("town", "ann", "/events ics")
        cal = icalendar.Calendar.from_ical(list(bot.sim.files.values())[-1][1])
        starts = {str(e["uid"]): (e.decoded("dtstart").hour, e["rrule"].to_ical()) for e in cal.walk("VEVENT")}
        assert starts["event-1@local-town.community-bot"][0] == 19
        past = [v for k, v in starts.items() if k != "event-1@local-town.community-bot"]
        assert past and past[0][0] == 18 and b"UNTIL=20261210" in past[0][1]


async def test_events_90d_is_the_longer_view(bot: LocalBot) -> None:
    """#22.6: ``/events`` looks ahead list_days (60); ``/events 90d`` three months, with more lines."""
    await bot.sim.post("town", "mia", "/event add 2026-12-03 18:00 repeat weekly Office hours | Library")
    await bot.sim.post("town", "ann", "/events")
    default = last(bot).text
    assert default.startswith("Upcoming events") and "Feb 18" not in default
    await bot.sim.post("town", "ann", "/events 90d")
    longer = last(bot).text
    assert longer.startswith("Events in the next 90 days") and "Thu, Feb 18" in longer and "Thu, Mar 4" not in longer
    assert longer.count("Office hours") == 13  # each Thursday, Dec 3 to Feb 25 (the clock starts on Nov 30)
