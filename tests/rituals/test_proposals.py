"""``/event propose``: a member suggests an event, a manager approves or declines it from the moderators' log,
and the member hears back by DM. Only managers decide, once; a member has three open proposals at most."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import select

from adapters.local.simulator import SimMessage
from bot.harness import LocalBot, local_bot, local_config
from storage.models.rituals import CalendarEvent, EventProposal
from tests.conftest import START

LOG = "log"


@pytest.fixture
async def bot(db_url: str) -> AsyncIterator[LocalBot]:
    async with local_bot(local_config({"log_place": LOG, "admin": {"weekly_report": False}}), db_url, START) as b:
        for uid, name in (("mia", "Mia"), ("ann", "Ann"), ("bob", "Bob")):
            b.sim.add_user(uid, name)
            b.sim.chats["town"].members.add(uid)
        yield b


def cards(bot: LocalBot) -> list[SimMessage]:
    """The proposal cards in the moderators' log."""
    return [m for m in bot.sim.bot_messages("town") if m.place == LOG and any(d.startswith("evp:") for d in datas(m))]


def datas(msg: SimMessage) -> list[str]:
    return [b.data or "" for row in msg.buttons for b in row]


def data(msg: SimMessage, verb: str) -> str:
    return next(d for d in datas(msg) if d.startswith(f"evp:{verb}:"))


async def events(bot: LocalBot) -> list[CalendarEvent]:
    async with bot.app.db.sessions() as s:
        return list(await s.scalars(select(CalendarEvent).order_by(CalendarEvent.id)))


async def proposals(bot: LocalBot) -> list[EventProposal]:
    async with bot.app.db.sessions() as s:
        return list(await s.scalars(select(EventProposal).order_by(EventProposal.id)))


async def test_a_member_proposes_and_a_manager_approves_it_onto_the_calendar(bot: LocalBot) -> None:
    await bot.sim.post("town", "ann", "/event propose 2026-12-05 18:00 Board games night | Library hall | Bring a game")
    await bot.app.rt.flush()
    assert "Board games night" in bot.sim.dms("ann")[-1].text and "went to the managers" in bot.sim.dms("ann")[-1].text
    (card,) = cards(bot)
    assert "Event proposed" in card.text and "Ann" in card.text and "Library hall" in card.text and "Bring a game" in card.text
    assert await events(bot) == []  # nothing on the calendar yet
    yes, no = data(card, "yes"), data(card, "no")
    await bot.sim.press(card.id, yes, "mia")
    await bot.app.rt.flush()
    (event,) = await events(bot)
    assert (event.title, event.place, event.description, event.host_id) == ("Board games night", "Library hall", "Bring a game", "ann")
    posted = [m for m in bot.sim.bot_messages("town") if m.place != LOG and f"rsvp:{event.id}:going:c" in datas(m)]
    assert len(posted) == 1  # the same card /event add posts, with its RSVP buttons, where it was proposed
    assert "was approved" in bot.sim.dms("ann")[-1].text
    assert "Approved by" in bot.sim.messages[card.id].text and not bot.sim.messages[card.id].buttons
    (row,) = await proposals(bot)
    assert (row.status, row.event_id) == ("approved", event.id)
    dms = len(bot.sim.dms("ann"))
    await bot.sim.press(card.id, yes, "mia")  # a second press (a stale client) does nothing more
    await bot.sim.press(card.id, no, "mia")
    await bot.app.rt.flush()
    assert len(await events(bot)) == 1 and len(bot.sim.dms("ann")) == dms
    assert (await proposals(bot))[0].status == "approved"


async def test_a_declined_proposal_is_told_and_stays_off_the_calendar(bot: LocalBot) -> None:
    await bot.sim.post("town", "bob", "/event propose 2026-12-06 10:00 Bonfire | The beach")
    await bot.app.rt.flush()
    (card,) = cards(bot)
    yes = data(card, "yes")
    await bot.sim.press(card.id, data(card, "no"), "mia")
    await bot.app.rt.flush()
    assert "did not take up" in bot.sim.dms("bob")[-1].text and "Bonfire" in bot.sim.dms("bob")[-1].text
    assert "Declined by" in bot.sim.messages[card.id].text
    assert await events(bot) == [] and (await proposals(bot))[0].status == "declined"
    await bot.sim.press(card.id, yes, "mia")  # decided: no second decision
    await bot.app.rt.flush()
    assert await events(bot) == []


async def test_only_managers_decide(bot: LocalBot) -> None:
    await bot.sim.post("town", "ann", "/event propose 2026-12-05 18:00 Board games night")
    await bot.app.rt.flush()
    (card,) = cards(bot)
    await bot.sim.press(card.id, data(card, "yes"), "bob")
    await bot.app.rt.flush()
    assert any(e.what == "answer" and e.who == "bob" and "Only the community's managers" in e.text for e in bot.sim.log)
    assert await events(bot) == [] and (await proposals(bot))[0].status == "proposed"
    assert len(bot.sim.dms("ann")) == 1  # only the confirmation


async def test_three_open_proposals_at_most_and_the_other_verbs_stay_for_managers(bot: LocalBot) -> None:
    for day in (5, 6, 7):
        await bot.sim.post("town", "ann", f"/event propose 2026-12-0{day} 18:00 Meetup {day}")
    await bot.sim.post("town", "ann", "/event propose 2026-12-08 18:00 Meetup 8")
    await bot.app.rt.flush()
    assert len(cards(bot)) == 3 and len(await proposals(bot)) == 3
    assert "already have 3 proposals" in bot.sim.dms("ann")[-1].text
    await bot.sim.press(cards(bot)[0].id, data(cards(bot)[0], "no"), "mia")  # one answered: room for another
    await bot.sim.post("town", "ann", "/event propose 2026-12-08 18:00 Meetup 8")
    await bot.app.rt.flush()
    assert len(await proposals(bot)) == 4
    for verb in ("add 2026-12-09 18:00 Sneaky", "when Sneaky | Sat | Sun", "list", "nonsense"):
        await bot.sim.post("town", "ann", f"/event {verb}")
        assert "only the community's managers can use /event" in bot.sim.bot_messages("town")[-1].text, verb
    assert [e.title for e in await events(bot)] == []


async def test_mydata_names_the_proposals_and_forgetme_deletes_them(bot: LocalBot) -> None:
    await bot.sim.start_bot("ann")
    await bot.sim.post("town", "ann", "/event propose 2026-12-05 18:00 Board games night")
    await bot.sim.post("town", "bob", "/event propose 2026-12-06 18:00 Bonfire")
    await bot.app.rt.flush()
    await bot.sim.post("town", "ann", "/mydata")
    assert "events you proposed" in bot.sim.dms("ann")[-1].text
    await bot.sim.post("town", "ann", "/forgetme")
    ask = bot.sim.bot_messages("town")[-1]
    await bot.sim.press(ask.id, ask.buttons[0][0].data or "", "ann")
    await bot.app.rt.flush()
    assert [p.proposer_id for p in await proposals(bot)] == ["bob"]


async def test_a_member_the_bot_cannot_dm_gets_a_short_lived_answer_in_the_chat(bot: LocalBot) -> None:
    bot.sim.users["bob"].dm_open = False
    await bot.sim.post("town", "bob", "/event propose 2026-12-06 10:00 Bonfire")
    await bot.app.rt.flush()
    thanks = bot.sim.bot_messages("town")[-1]
    assert "Bonfire" in thanks.text and "went to the managers" in thanks.text and thanks.place != LOG
    bot.clock.advance(timedelta(minutes=2))
    await bot.tick()
    assert bot.sim.messages[thanks.id].deleted
    assert len(cards(bot)) == 1


async def test_a_repeat_or_a_missing_log_is_explained_and_nothing_is_stored(db_url: str) -> None:
    async with local_bot(local_config({"admin": {"weekly_report": False}}), db_url, START) as b:
        b.sim.add_user("ann", "Ann")
        b.sim.chats["town"].members.add("ann")
        await b.sim.post("town", "ann", "/event propose 2026-12-05 18:00 Board games night")
        assert "moderators' log" in b.sim.bot_messages("town")[-1].text
        await b.sim.post("town", "ann", "/event propose")
        assert "To propose an event" in b.sim.bot_messages("town")[-1].text
        assert await proposals(b) == []


async def test_a_proposal_repeating_is_refused(bot: LocalBot) -> None:
    await bot.sim.post("town", "ann", "/event propose thu 18:00 repeat weekly Office hours")
    assert "one date" in bot.sim.bot_messages("town")[-1].text
    await bot.sim.post("town", "ann", "/event propose someday Picnic")
    assert "can't read a date" in bot.sim.bot_messages("town")[-1].text
    assert await proposals(bot) == []
