"""An event's life (#22.5): "starting now" in the group with the link, and after it one question by DM to those
who said they were going ("How was it?", or that they could not come), recorded for /stats."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.harness import LocalBot
from storage.models.rituals import EventAttendance
from tests.rituals.conftest import BASE, TICK, BotFactory, last, local, run_until, sent

ADD = "/event add 2026-12-03 18:00 Repair café | https://meet.example.org/cafe"


def asked(bot: LocalBot, user: str) -> list[str]:
    return [m.text for m in bot.sim.dms(user) if "How was it?" in m.text]


async def rows(bot: LocalBot) -> list[EventAttendance]:
    async with bot.app.db.sessions() as s:
        return list(await s.scalars(select(EventAttendance).order_by(EventAttendance.id)))


async def test_starting_now_is_posted_once_with_the_link(bot: LocalBot) -> None:
    await bot.sim.post("town", "mia", ADD)
    await run_until(bot, local(2026, 12, 3, 17, 50))
    await run_until(bot, local(2026, 12, 3, 18, 30), step=TICK)
    [now] = sent(bot, "starting now")
    assert now.text.splitlines()[0] == "🟢 Repair café is starting now" and "https://meet.example.org/cafe" in now.text
    assert local(2026, 12, 3, 18) <= now.at < local(2026, 12, 3, 18, 15)


async def test_starting_now_is_not_posted_late(bot: LocalBot) -> None:
    await bot.sim.post("town", "mia", ADD)
    await run_until(bot, local(2026, 12, 3, 17, 50))
    bot.clock.set(local(2026, 12, 3, 18, 40))  # the bot was away when it began
    await bot.tick()
    assert sent(bot, "starting now") == []


async def test_those_going_are_asked_once_how_it_was(bot: LocalBot) -> None:
    await bot.sim.post("town", "mia", ADD)
    card = last(bot)
    for user, answer in (("ann", "going"), ("bob", "maybe"), ("cy", "going"), ("dee", "going")):
        await bot.sim.start_bot(user)
        await bot.sim.press(card.id, f"rsvp:1:{answer}:c", user)
    await bot.sim.command_in_dm("cy", "/optout")
    await run_until(bot, local(2026, 12, 3, 20, 20), step=TICK)
    assert asked(bot, "ann") == []  # not before half an hour after the end
    await run_until(bot, local(2026, 12, 3, 21), step=TICK)
    assert len(asked(bot, "ann")) == 1 and len(asked(bot, "dee")) == 1
    assert asked(bot, "bob") == [] and asked(bot, "cy") == []  # maybe is not going; cy opted out

    question = next(m for m in bot.sim.dms("ann") if "How was it?" in m.text)
    labels = [b.label for row in question.buttons for b in row]
    assert labels == ["👍 Great", "🙂 Okay", "👎 Not great", "I couldn't make it"]
    great, okay = (question.buttons[0][0].data or ""), (question.buttons[0][1].data or "")
    await bot.sim.press(question.id, great, "dee")  # someone else's question
    await bot.sim.press(question.id, great, "ann")
    assert bot.sim.messages[question.id].text.startswith("Thank you: 👍 Great") and not bot.sim.messages[question.id].buttons
    await bot.sim.press(question.id, okay, "ann")  # a second press changes nothing
    dees = next(m for m in bot.sim.dms("dee") if "How was it?" in m.text)
    await bot.sim.press(dees.id, dees.buttons[1][0].data or "", "dee")
    assert "Hope to see you next time" in bot.sim.messages[dees.id].text

    dms = len(bot.sim.dms("ann"))
    await run_until(bot, local(2026, 12, 4, 12), step=timedelta(hours=1))
    assert len(bot.sim.dms("ann")) == dms  # asked once
    assert [(r.user_id, r.attended, r.rating) for r in await rows(bot)] == [("ann", True, 2), ("dee", False, None)]
    await bot.sim.post("town", "mia", "/stats")
    stats = last(bot).text
    assert "Members who said they were at an event: 1" in stats and "Members who signed up but could not come: 1" in stats

    await bot.sim.post("town", "ann", "/forgetme")
    ask = bot.sim.bot_messages("town")[-1]
    await bot.sim.press(ask.id, ask.buttons[0][0].data or "", "ann")
    assert [r.user_id for r in await rows(bot)] == ["dee"]


async def test_a_cancelled_event_asks_nobody(bot: LocalBot) -> None:
    await bot.sim.post("town", "mia", ADD)
    card = last(bot)
    await bot.sim.press(card.id, "rsvp:1:going:c", "ann")
    await bot.sim.post("town", "mia", "/event cancel 1")
    await run_until(bot, local(2026, 12, 4, 9))
    assert asked(bot, "ann") == [] and sent(bot, "starting now") == []


async def test_a_forum_topic_per_event_opens_with_it_and_closes_after(make_bot: BotFactory) -> None:
    settings = {**BASE, "rituals": {**BASE["rituals"], "events": {"topic_per_event": True, "ask_after": False}}}
    async with make_bot(settings=settings) as bot:
        await bot.sim.post("town", "mia", "/event add 2026-12-03 18:00 [meetup] Repair café | Library hall")
        chat = bot.sim.chats["town"]
        [(place, name)] = chat.topics.items()
        assert name == "🤝 Meetup · Repair café"
        [opened] = [m for m in bot.sim.bot_messages("town") if m.place == place]
        assert "questions, lifts, and photos afterwards" in opened.text
        await run_until(bot, local(2026, 12, 3, 21), step=TICK)
        assert place in chat.closed_topics
        closing = [m.text for m in bot.sim.bot_messages("town") if m.place == place][-1]
        assert "is over: this topic is now closed" in closing
        await run_until(bot, local(2026, 12, 4, 12))
        assert len([m for m in bot.sim.bot_messages("town") if m.place == place]) == 2  # closed once

        bot.sim.chats["town"].bot_is_admin = False
        await bot.sim.post("town", "mia", "/event add 2026-12-10 18:00 Board games")
        assert "couldn't open a topic for this event" in last(bot).text and len(chat.topics) == 1
