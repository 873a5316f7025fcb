"""Forms on Discord through the real discord.py client (#22.1): a bare /event add opens a modal (Discord's form)
a manager fills in without learning the one-line syntax; what comes back is read as /event add reads a line.
The fake refuses what Discord refuses: a second answer to one interaction (40060), a modal answering a modal."""

from __future__ import annotations

from sqlalchemy import select

from storage.models.recurrence import EventSeries
from storage.models.rituals import CalendarEvent
from tests.discord.conftest import ANN, MIA
from tests.discord.fakes import GENERAL
from tests.discord.harness import DiscordHarness


async def events(h: DiscordHarness) -> list[tuple[CalendarEvent, EventSeries | None]]:
    async with h.app.db.sessions() as s:
        rows = await s.execute(select(CalendarEvent, EventSeries).outerjoin(EventSeries).order_by(CalendarEvent.id))
        return [(e, r) for e, r in rows]


async def test_a_bare_event_add_opens_a_form_and_the_form_adds_the_event(dbot: DiscordHarness) -> None:
    opened = await dbot.slash(MIA, "event", "add")
    modal = dbot.fake.modals[opened]
    labels = [row["components"][0]["label"] for row in modal["components"]]
    assert modal["title"] == "New event" and labels[:2] == ["Title", "When"] and len(labels) == 5
    assert all(len(label) <= 45 for label in labels)
    assert not any(m["channel_id"] == GENERAL and "New event" in m["content"] for m in dbot.fake.messages.values())

    values = {
        "title": "[workshop] Repair café", "when": "thu 18:00", "repeat": "weekly x4",
        "where": "Library hall | 2nd floor", "about": "Bring your broken toaster\nand a friend",
    }  # fmt: skip
    sent = await dbot.submit(MIA, opened, values)
    assert dbot.answered(sent)
    [(event, rule)] = await events(dbot)
    assert (event.title, event.kind, event.place) == ("Repair café", "workshop", "Library hall / 2nd floor")
    assert event.description == "Bring your broken toaster and a friend" and rule is not None and "COUNT=4" in rule.rrule
    card = next(m for m in dbot.fake.messages.values() if "Repair café" in m["content"] and m["channel_id"] == GENERAL)
    assert "🛠️ Workshop · Repair café" in card["content"] and card["components"]
    assert dbot.fake.violations == []


async def test_the_form_is_for_managers_and_a_bad_date_is_explained(dbot: DiscordHarness) -> None:
    opened = await dbot.slash(MIA, "event", "add")
    await dbot.submit(MIA, opened, {"title": "Board games", "when": "someday"})
    assert any("someday" in m["content"] for m in dbot.fake.messages.values())
    assert await events(dbot) == []
    forged = await dbot.submit(ANN, opened, {"title": "Party", "when": "fri 20:00"})  # a member replays the form
    assert dbot.answered(forged) and await events(dbot) == []
    assert any("only the community's managers" in m["content"] for m in dbot.fake.messages.values())


async def test_event_add_with_its_line_still_works_without_a_form(dbot: DiscordHarness) -> None:
    interaction = await dbot.slash(MIA, "event", "add 2026-12-10 18:00 Repair café | Library hall")
    assert interaction not in dbot.fake.modals
    [(event, rule)] = await events(dbot)
    assert event.title == "Repair café" and rule is None


async def test_a_bare_prompt_add_opens_a_form_for_the_weekly_prompt(dbot: DiscordHarness) -> None:
    from storage.models.rituals import WeeklyPrompt

    opened = await dbot.slash(MIA, "prompt", "add")
    modal = dbot.fake.modals[opened]
    assert modal["title"] == "New weekly prompt" and modal["components"][0]["components"][0]["style"] == 2  # several lines
    await dbot.submit(MIA, opened, {"prompt": "Show us your workbench!"})
    async with dbot.app.db.sessions() as s:
        assert [p.text for p in await s.scalars(select(WeeklyPrompt))] == ["Show us your workbench!"]
    forged = await dbot.submit(ANN, opened, {"prompt": "Buy my course"})
    assert dbot.answered(forged)
    async with dbot.app.db.sessions() as s:
        assert len(list(await s.scalars(select(WeeklyPrompt)))) == 1
    assert dbot.fake.violations == []
