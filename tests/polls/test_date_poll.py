"""``/event when``: the members are asked which dates suit them, as a poll with several answers allowed."""

from __future__ import annotations

from datetime import timedelta

from bot.harness import LocalBot


async def test_a_manager_asks_which_dates_suit_and_the_poll_closes_with_results(bot: LocalBot) -> None:
    await bot.sim.post("town", "mia", "/event when Repair café | Thu 3 Dec 18:00 | Sat 5 Dec 10:00 | Sun 6 Dec 15:00")
    poll = next(m for m in bot.sim.bot_messages("town") if m.poll is not None)
    assert poll.poll is not None
    assert poll.poll.question.startswith("Which dates suit you for Repair café?")
    assert poll.poll.options == ("Thu 3 Dec 18:00", "Sat 5 Dec 10:00", "Sun 6 Dec 15:00")
    assert poll.poll.multiple and not poll.poll.anonymous
    await bot.sim.vote(poll.id, "ann", (0, 1))
    await bot.sim.vote(poll.id, "bob", (1,))
    bot.clock.advance(timedelta(days=2, minutes=1))
    await bot.tick()
    assert poll.poll.closed
    assert any("Sat 5 Dec 10:00" in m.text and "2" in m.text for m in bot.sim.bot_messages("town") if m.id != poll.id)


async def test_one_date_is_no_question_and_members_cannot_ask(bot: LocalBot) -> None:
    await bot.sim.post("town", "mia", "/event when Repair café | Thu 3 Dec 18:00")
    assert "a title and 2 to 10 dates" in bot.sim.bot_messages("town")[-1].text
    await bot.sim.post("town", "ann", "/event when Picnic | Sat | Sun")
    assert not any(m.poll for m in bot.sim.bot_messages("town"))
