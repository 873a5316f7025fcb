"""The event calendar: the demo's syntax, RSVPs, a full event's waitlist, cancelling, reminders, .ics."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import icalendar
from sqlalchemy import select

from adapters.local.simulator import LocalPlatform, SimMessage
from bot.core import runtime
from bot.core.actions import Action, Result, SendFile, Unsupported
from bot.core.context import Context
from bot.harness import LocalBot
from storage.models import AuditEntry
from storage.models.rituals import CalendarEvent
from tests.rituals.conftest import BASE, TICK, BotFactory, last, local, run_until, sent

CET = "Central European Standard Time"  # the community's zone, named where the reader's own can't be shown

DEMO_ADD = "/event add 2026-12-03 18:00 Repair café | Library hall, 2nd floor"


async def _add(bot: LocalBot, text: str = DEMO_ADD) -> SimMessage:
    await bot.sim.post("town", "mia", text)
    return last(bot)


async def _events(bot: LocalBot) -> list[CalendarEvent]:
    async with bot.app.db.sessions() as s:
        return list(await s.scalars(select(CalendarEvent).order_by(CalendarEvent.id)))


async def test_demo_syntax_makes_an_event_with_rsvp_buttons(bot: LocalBot) -> None:
    changed: list[str] = []

    async def listener(ctx: Context, _: None) -> None:
        changed.append(type(ctx.event).__name__)

    bot.app.rt.on(runtime.CALENDAR_CHANGED, listener)
    card = await _add(bot)
    [event] = await _events(bot)
    assert (event.title, event.place, event.timezone) == ("Repair café", "Library hall, 2nd floor", "Europe/Budapest")
    assert event.starts_at == datetime(2026, 12, 3, 17, 0, tzinfo=UTC)  # 18:00 in Budapest, stored in UTC
    assert event.ends_at == event.starts_at + timedelta(hours=2)
    assert "Repair café" in card.text and "Thu, Dec 3, 6:00 PM–8:00 PM, " + CET in card.text and "📍 Library hall, 2nd floor" in card.text
    assert [b.data for b in card.buttons[0]] == [f"rsvp:{event.id}:going:c", f"rsvp:{event.id}:maybe:c", f"rsvp:{event.id}:no:c"]
    assert changed == ["CommandInvoked"]
    await bot.sim.post("town", "ann", "/events")
    listing = last(bot)
    assert "Upcoming events" in listing.text and "Repair café (#1)" in listing.text
    assert listing.buttons[0][0].data == f"rsvp:{event.id}:going:l"
    async with bot.app.db.sessions() as s:
        assert [a.action for a in await s.scalars(select(AuditEntry))] == ["event add"]


async def test_rsvp_counts_and_changing_ones_mind(bot: LocalBot) -> None:
    card = await _add(bot)
    await bot.sim.press(card.id, "rsvp:1:going:c", "ann")
    await bot.sim.press(card.id, "rsvp:1:maybe:c", "bob")
    await bot.sim.press(card.id, "rsvp:1:going:c", "ann")  # twice: still one
    assert "✅ 1 going · 🤔 1 maybe · ❌ 0 can't" in card.text
    assert [b.label for b in card.buttons[0]] == ["✅ Going · 1", "🤔 Maybe · 1", "❌ Can't · 0"]
    await bot.sim.press(card.id, "rsvp:1:no:c", "ann")
    assert "✅ 0 going · 🤔 1 maybe · ❌ 1 can't" in card.text
    assert any(e.what == "answer" and e.text == "Thanks for letting us know." for e in bot.sim.log)
    # From the /events list: the list is redrawn.
    await bot.sim.post("town", "cy", "/events")
    listing = last(bot)
    await bot.sim.press(listing.id, "rsvp:1:going:l", "cy")
    assert "✅ 1 going" in listing.text


async def test_full_event_has_a_waitlist_that_moves_up(bot: LocalBot) -> None:
    card = await _add(bot)
    await bot.sim.post("town", "mia", "/event edit 1 capacity 2")
    assert "0 of 2 places taken" in last(bot).text
    for uid in ("ann", "bob", "cy", "dee"):
        await bot.sim.press(card.id, "rsvp:1:going:c", uid)
    answers = [e.text for e in bot.sim.log if e.what == "answer"]
    assert answers[-2:] == [
        "The event is full: you are number 1 on the waitlist. I'll tell you when a place opens up.",
        "The event is full: you are number 2 on the waitlist. I'll tell you when a place opens up.",
    ]
    assert "2 of 2 places taken, 2 on the waitlist" in card.text
    await bot.sim.press(card.id, "rsvp:1:no:c", "ann")  # a place opens: Cy (first in line) gets it
    assert "2 of 2 places taken, 1 on the waitlist" in card.text
    assert "A place opened up at Repair café" in bot.sim.dms("cy")[-1].text
    assert bot.sim.dms("dee") == []
    await bot.sim.post("town", "mia", "/event edit 1 capacity 5")  # more room: the rest of the line is in
    assert "Repair café" in bot.sim.dms("dee")[-1].text
    assert "3 of 5 places taken, 0 on the waitlist" in last(bot).text


async def test_reminders_24h_and_1h_to_group_and_to_those_going(bot: LocalBot) -> None:
    card = await _add(bot)
    await bot.sim.press(card.id, "rsvp:1:going:c", "ann")
    await bot.sim.press(card.id, "rsvp:1:maybe:c", "bob")
    await run_until(bot, local(2026, 12, 2, 17, 50))
    await run_until(bot, local(2026, 12, 2, 18, 20), step=TICK)
    await run_until(bot, local(2026, 12, 3, 16, 50))
    await run_until(bot, local(2026, 12, 3, 20), step=TICK)
    reminders = sent(bot, "⏰")
    assert [r.text.splitlines()[0] for r in reminders] == [
        "⏰ Repair café starts in 24 hours: Thu, Dec 3, 6:00 PM–8:00 PM, " + CET + " (in 1 day)",
        "⏰ Repair café starts in 1 hour: Thu, Dec 3, 6:00 PM–8:00 PM, " + CET + " (in 1 hour)",
    ]
    due = [local(2026, 12, 2, 18), local(2026, 12, 3, 17)]
    assert all(d <= r.at < d + timedelta(minutes=15) for d, r in zip(due, reminders, strict=True))
    assert [m.text.splitlines()[0] for m in bot.sim.dms("ann")] == [
        "⏰ Reminder: Repair café starts in 24 hours (Thu, Dec 3, 6:00 PM–8:00 PM, "
        + CET
        + " (in 1 day)). You said you're going, see you there!",
        "⏰ Reminder: Repair café starts in 1 hour (Thu, Dec 3, 6:00 PM–8:00 PM, "
        + CET
        + " (in 1 hour)). You said you're going, see you there!",
    ]
    assert bot.sim.dms("bob") == []  # maybe is not going


async def test_cancelled_event_withdraws_its_reminders(bot: LocalBot) -> None:
    card = await _add(bot)
    await bot.sim.press(card.id, "rsvp:1:going:c", "ann")
    await run_until(bot, local(2026, 12, 2, 18, 5))
    assert len(sent(bot, "⏰")) == 1
    await bot.sim.post("town", "mia", "/event cancel 1")
    assert "Repair café (Thu, Dec 3, 6:00 PM–8:00 PM, " + CET + " (in 1 day)) is cancelled" in last(bot).text
    assert "❌ Cancelled" in card.text and card.buttons == ()  # the announcement is redrawn, its buttons gone
    assert "is cancelled" in bot.sim.dms("ann")[-1].text
    await run_until(bot, local(2026, 12, 4, 12))
    assert len(sent(bot, "⏰")) == 1  # the 1 h reminder never came
    await bot.sim.press(card.id, "rsvp:1:going:c", "bob")
    assert any(e.text == "This event was cancelled or has already started." for e in bot.sim.log if e.what == "answer")
    await bot.sim.post("town", "ann", "/events")
    assert "No events planned yet" in last(bot).text
    await bot.sim.post("town", "mia", "/event cancel 1")
    assert "already cancelled" in last(bot).text


async def test_moving_an_event_moves_its_reminders(bot: LocalBot) -> None:
    await _add(bot)
    card = last(bot)
    await bot.sim.post("town", "mia", "/event edit 1 when 2026-12-04 19:00")
    assert "Fri, Dec 4, 7:00 PM–9:00 PM" in last(bot).text
    assert "Fri, Dec 4, 7:00 PM–9:00 PM" in card.text  # the first announcement follows
    await run_until(bot, local(2026, 12, 5, 0))
    reminders = sent(bot, "⏰")
    assert len(reminders) == 2 and all("Fri, Dec 4" in r.text for r in reminders)
    assert local(2026, 12, 3, 19) <= reminders[0].at < local(2026, 12, 3, 20)


async def test_event_added_late_skips_the_reminder_it_missed(bot: LocalBot) -> None:
    await run_until(bot, local(2026, 12, 3, 10))
    await _add(bot)  # 8 hours before: no "in 24 hours" right after the announcement
    await run_until(bot, local(2026, 12, 3, 19))
    assert [r.text.splitlines()[0].split(" starts ")[1][:9] for r in sent(bot, "⏰")] == ["in 1 hour"]


async def test_bad_date_gets_a_clear_error_with_an_example(bot: LocalBot) -> None:
    await bot.sim.post("town", "mia", "/event add next thursday-ish Repair café")
    assert last(bot).text == (
        "I can't read a date and time in “next thursday-ish Repair café”. Write it like 2026-12-03 18:00, tomorrow 18:00 or fri 19:30."
    )
    await bot.sim.post("town", "mia", "/event add 2026-12-03 Repair café")
    assert "has no time of day. Add one, like 2026-12-03 18:00" in last(bot).text
    await bot.sim.post("town", "mia", "/event add 2020-01-01 10:00 Old")
    assert "already in the past" in last(bot).text
    await bot.sim.post("town", "mia", "/event add tomorrow 18:00")
    assert "needs a title" in last(bot).text
    await bot.sim.post("town", "mia", "/event edit 7 place Somewhere")
    assert "There is no event #7 here" in last(bot).text
    await bot.sim.post("town", "mia", "/event frobnicate")
    assert "/event add 2026-12-03 18:00" in last(bot).text
    assert await _events(bot) == []
    await bot.sim.post("town", "ann", DEMO_ADD)
    assert "only the community's managers" in last(bot).text


async def test_edit_fields(bot: LocalBot) -> None:
    await _add(bot)
    await bot.sim.post("town", "mia", "/event edit 1 end 21:30")
    assert "6:00 PM–9:30 PM" in last(bot).text
    await bot.sim.post("town", "mia", "/event edit 1 end 17:00")
    assert "The end must come after the start" in last(bot).text
    await bot.sim.post("town", "mia", "/event edit 1 link https://example.org/cafe")
    await bot.sim.post("town", "mia", "/event edit 1 colour red")
    assert "I can't change “colour”" in last(bot).text
    await bot.sim.post("town", "mia", "/event edit 1 capacity lots")
    assert "whole number" in last(bot).text
    [event] = await _events(bot)
    assert (event.link, event.ends_at) == ("https://example.org/cafe", datetime(2026, 12, 3, 20, 30, tzinfo=UTC))


async def test_ics_export(bot: LocalBot) -> None:
    await _add(bot)
    await _add(bot, "/event add fri 19:30-21:00 Board games | https://meet.example.org/games | Bring a game")
    await bot.sim.post("town", "ann", "/events ics")
    name, data = list(bot.sim.files.values())[-1]
    cal = icalendar.Calendar.from_ical(data)
    events = sorted(cal.walk("VEVENT"), key=lambda e: e.decoded("dtstart"))
    assert name == "calendar.ics"
    assert [str(e["summary"]) for e in events] == ["Repair café", "Board games"]
    assert events[0].decoded("dtstart") == datetime(2026, 12, 3, 17, tzinfo=UTC)
    assert str(events[0]["location"]) == "Library hall, 2nd floor"
    assert str(events[1]["url"]) == "https://meet.example.org/games" and str(events[1]["description"]) == "Bring a game"


class NoFiles:
    """A platform that cannot send files (the outbox answers Unsupported), otherwise the simulator."""

    def __init__(self, inner: LocalPlatform) -> None:
        self.inner = inner

    async def perform(self, action: Action) -> Result:
        return Unsupported("files") if isinstance(action, SendFile) else await self.inner.perform(action)


async def test_ics_falls_back_to_text_where_files_are_unsupported(bot: LocalBot) -> None:
    await _add(bot)
    bot.app.rt.outboxes["local"] = NoFiles(bot.sim)
    await bot.sim.post("town", "ann", "/events ics")
    text = last(bot).text
    assert "I can't send files here" in text and "BEGIN:VCALENDAR" in text and "SUMMARY:Repair café" in text


async def test_a_russian_community_types_its_own_words(make_bot: BotFactory) -> None:
    async with make_bot(settings={**BASE, "language": "ru"}) as bot:
        await bot.sim.post("town", "mia", "/event add завтра 18:00 Ремонтное кафе | Библиотека")
        assert "Новое событие в календаре" in last(bot).text and "вт, 1 дек., 18:00–20:00" in last(bot).text
        await bot.sim.post("town", "mia", "/event add послезавтра Кафе")
        assert last(bot).text.startswith("Не могу разобрать дату и время в «послезавтра Кафе»") and "2026-12-03 18:00" in last(bot).text


async def test_an_event_says_what_kind_it_is(bot: LocalBot) -> None:
    card = await _add(bot, "/event add 2026-12-03 18:00 [workshop] Repair café | Library hall")
    assert "🛠️ Workshop · Repair café" in card.text
    [event] = await _events(bot)
    assert (event.kind, event.title) == ("workshop", "Repair café")
    await bot.sim.post("town", "ann", "/events")
    assert "🛠️ Workshop · Repair café" in last(bot).text
    await bot.sim.post("town", "mia", "/event edit 1 type meetup")
    assert "🤝 Meetup · Repair café" in last(bot).text
    await bot.sim.post("town", "mia", "/event edit 1 type party")
    assert "I don't know that kind of event" in last(bot).text and "Challenge" in last(bot).text
    await bot.sim.post("town", "mia", "/event edit 1 type none")
    assert "Repair café" in last(bot).text and "Meetup" not in last(bot).text
    await _add(bot, "/event add 2026-12-04 18:00 [draft] Board games")  # not a kind: the title stays whole
    assert [(e.kind, e.title) for e in await _events(bot)][1] == ("", "[draft] Board games")


async def test_a_russian_community_names_the_kind_in_its_words(make_bot: BotFactory) -> None:
    async with make_bot(settings={**BASE, "language": "ru"}) as bot:
        await bot.sim.post("town", "mia", "/event add завтра 18:00 [Мастер-класс] Ремонтное кафе | Библиотека")
        assert "🛠️ Мастер-класс · Ремонтное кафе" in last(bot).text
