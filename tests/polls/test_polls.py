"""Polls in the simulator: /poll, votes, closing after a restart, results, /stats, privacy, the buttons fallback."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from adapters.local.simulator import SimMessage
from bot.core import actions as a
from bot.harness import LocalBot, bot_on, local_config
from storage.models.polls import Poll, PollTally, PollVote, PollVoter
from tests.conftest import START
from tests.polls.conftest import QUIET


def people(bot: LocalBot, *ids: str) -> None:
    for uid in ids:
        bot.sim.add_user(uid, uid.title())
        bot.sim.chats["town"].members.add(uid)


def last_poll(bot: LocalBot) -> SimMessage:
    return [m for m in bot.sim.messages.values() if m.poll is not None][-1]


def charts(sim) -> list[SimMessage]:  # type: ignore[no-untyped-def]
    """Files the bot posted in the community (the managers' weekly report goes by DM)."""
    return [m for m in sim.messages.values() if m.file is not None and m.chat == "town"]


def last_text(bot: LocalBot) -> str:
    return bot.sim.bot_messages("town")[-1].text


async def polls(bot: LocalBot) -> list[Poll]:
    async with bot.app.db.sessions() as s:
        return list(await s.scalars(select(Poll).order_by(Poll.id)))


async def until(bot: LocalBot, hours: float) -> None:
    for _ in range(round(hours * 2)):
        bot.clock.advance(timedelta(minutes=30))
        await bot.tick()


async def test_manager_starts_a_native_poll_and_members_vote(bot: LocalBot) -> None:
    people(bot, "cy")
    await bot.sim.post("town", "mia", "/poll Where shall we meet? | Library | Café | Online --multi --close 2d")
    msg = last_poll(bot)
    assert msg.poll is not None and msg.poll.options == ("Library", "Café", "Online") and msg.poll.multiple and not msg.poll.anonymous
    assert last_text(bot).startswith("Poll #1 is open until")
    await bot.sim.vote(msg.id, "ann", (0, 2))
    await bot.sim.vote(msg.id, "bob", (1,))
    await bot.sim.vote(msg.id, "bob", (2,))  # changed their mind
    await bot.sim.vote(msg.id, "cy", (1,))
    await bot.sim.vote(msg.id, "cy", ())  # and took it back
    async with bot.app.db.sessions() as s:
        votes = sorted((v.user_id, v.option) for v in await s.scalars(select(PollVote)))
    assert votes == [("ann", 0), ("ann", 2), ("bob", 2)]


async def test_clear_errors_and_who_may_start(bot: LocalBot) -> None:
    cases = {
        "/poll Only one? | Yes": "at least 2 options",
        "/poll Q | " + " | ".join(str(i) for i in range(11)): "at most 10 options (found 11)",
        "/poll Q | A | A": "twice: “A”",
        "/poll Q | A | B --shout": "I don't know --shout",
        "/poll Q | A | B --close someday": "closing time “someday”",
        "/poll Q | A | B --close 1m": "at least 5 minutes",
        "/poll Q | A | B --close 100d": "at most 90 days",
        "/poll Q | " + "x" * 101 + " | B": "at most 100 characters",
    }
    for command, expected in cases.items():
        await bot.sim.post("town", "mia", command)
        assert expected in last_text(bot), (command, last_text(bot))
        assert "Example: /poll" in last_text(bot)
    await bot.sim.post("town", "ann", "/poll Lunch? | Pizza | Soup")
    assert last_text(bot) == "Only the community's managers can start polls here."
    # Phones turn "--" into a dash; options one per line work too.
    await bot.sim.post("town", "mia", "/poll Lunch?\nPizza\nSoup —anonymous")
    assert last_poll(bot).poll.anonymous and last_poll(bot).poll.options == ("Pizza", "Soup")  # type: ignore[union-attr]
    assert await polls(bot) and len(await polls(bot)) == 1


async def test_members_may_start_polls_when_the_setting_says_so(db_url: str) -> None:
    from bot.harness import local_bot

    async with local_bot(local_config({**QUIET, "polls": {"members_may_create": True}}), db_url, START) as bot:
        people(bot, "ann")
        await bot.sim.post("town", "ann", "/poll Lunch? | Pizza | Soup")
        assert last_poll(bot).poll is not None


async def test_closes_after_a_restart_posts_results_with_chart_and_shows_in_stats(bot: LocalBot, db_url: str) -> None:
    await bot.sim.post("town", "mia", "/poll Which evening? | Mon | Wed | Fri --close 3h")
    msg = last_poll(bot)
    for uid, choice in (("ann", 1), ("bob", 1), ("mia", 2)):
        await bot.sim.vote(msg.id, uid, (choice,))
    await until(bot, 1)
    sim, clock = bot.sim, bot.clock
    # The process stops; another starts on the same database and platform, and closes the poll at its time.
    async with bot_on(sim, local_config(QUIET), db_url, clock) as second:
        await until(second, 2.5)
        assert msg.poll is not None and msg.poll.closed
        chart = charts(sim)[-1]
        assert chart.file is not None and chart.file[0] == "poll-results.png" and chart.file[1].startswith(b"\x89PNG")
        assert "Results: Which evening?" in chart.text and "2. Wed: 2 (67%)" in chart.text and "Most chosen: Wed" in chart.text
        assert "3 people voted" in chart.text
        await until(second, 2)  # nothing twice
        assert len(charts(sim)) == 1
        (poll,) = await polls(second)
        assert (poll.status, poll.counts, poll.voters, poll.results_message_id) == ("closed", [0, 2, 1], 3, chart.id)
        await sim.vote(msg.id, "ann", (0,))  # refused: closed on the platform
        await sim.post("town", "mia", "/stats")
        stats = last_text(second)
        assert "Polls" in stats and "Which evening?: 3 voters, most chosen: Wed" in stats


async def test_anonymous_poll_stores_no_person(bot: LocalBot, db_url: str) -> None:
    people(bot, "voter-zed", "voter-yan")
    await bot.sim.post("town", "mia", "/poll How was the workshop? | Great | Fine --anonymous --close 1h")
    msg = last_poll(bot)
    await bot.sim.vote(msg.id, "voter-zed", (0,))
    await bot.sim.vote(msg.id, "voter-yan", (0,))
    await bot.sim.vote(msg.id, "voter-yan", (1,))
    async with bot.app.db.sessions() as s:
        assert [(t.option, t.votes) for t in await s.scalars(select(PollTally).order_by(PollTally.option))] == [(0, 1), (1, 1)]
        assert list(await s.scalars(select(PollVote))) == []
    await until(bot, 1.25)
    assert "1. Great: 1 (50%)" in charts(bot.sim)[-1].text
    await bot.app.close()
    raw = Path(db_url.removeprefix("sqlite+aiosqlite:///")).read_bytes() if db_url.startswith("sqlite") else b""
    assert b"voter-zed" not in raw and b"voter-yan" not in raw  # no table, no index, no free page names them


async def test_mydata_shows_votes_and_forgetme_deletes_them(bot: LocalBot) -> None:
    await bot.sim.post("town", "mia", "/poll Tea or coffee? | Tea | Coffee")
    await bot.sim.vote(last_poll(bot).id, "ann", (1,))
    await bot.sim.post("town", "ann", "/mydata")
    mine = bot.sim.dms("ann")[-1].text
    assert "your votes in polls" in mine and "Your votes in polls\n• Tea or coffee?: Coffee" in mine
    await bot.sim.post("town", "ann", "/forgetme")
    ask = bot.sim.bot_messages("town")[-1]
    await bot.sim.press(ask.id, ask.buttons[0][0].data or "", "ann")
    async with bot.app.db.sessions() as s:
        assert list(await s.scalars(select(PollVote))) == []


class NoNativePolls:
    """A platform without native polls: the feature falls back to buttons."""

    def __init__(self, inner) -> None:  # type: ignore[no-untyped-def]
        self.inner = inner

    async def perform(self, action: a.Action) -> a.Result:
        return a.Unsupported("polls") if isinstance(action, a.SendPoll | a.ClosePoll) else await self.inner.perform(action)


async def test_buttons_stand_in_where_native_polls_cannot(bot: LocalBot, db_url: str) -> None:
    sim, clock = bot.sim, bot.clock
    await bot.app.close()
    async with bot_on(sim, local_config(QUIET), db_url, clock, outbox=NoNativePolls(sim)) as b:
        await sim.post("town", "mia", "/poll Picnic day? | Sat | Sun --close 1h")
        ballot = sim.bot_messages("town")[-2]
        assert "1. Sat" in ballot.text and [x.data for row in ballot.buttons for x in row] == ["poll:1:0", "poll:1:1"]
        await sim.press(ballot.id, "poll:1:1", "ann")
        await sim.press(ballot.id, "poll:1:0", "bob")
        await sim.press(ballot.id, "poll:1:0", "bob")  # pressed again: taken back
        await sim.press(ballot.id, "poll:1:1", "bob")
        await sim.post("town", "mia", "/poll Secret? | Yes | No --anonymous --close 1h")
        secret = sim.bot_messages("town")[-2]
        await sim.press(secret.id, "poll:2:0", "ann")
        await sim.press(secret.id, "poll:2:1", "ann")  # refused: one vote each
        assert sim.log[-1].text == "You have already voted in this anonymous poll." or "already" in sim.log[-1].text
        async with b.app.db.sessions() as s:
            assert [v.user_id for v in await s.scalars(select(PollVoter))] == ["ann"]
        await until(b, 1.25)
        assert ballot.buttons == () and "This poll is closed" in ballot.text
        texts = [m.text for m in charts(sim)]
        assert any("2. Sun: 2 (100%)" in t for t in texts) and any("1. Yes: 1 (100%)" in t for t in texts)
        async with b.app.db.sessions() as s:
            assert list(await s.scalars(select(PollVoter))) == []  # who took part goes at closing


async def test_the_weekly_prompt_may_be_a_poll(db_url: str) -> None:
    from bot.harness import local_bot
    from storage.models.rituals import PromptPost

    prompt = {"weekday": "mon", "time": "10:00", "as_poll": True, "prompts": ["What shall we build next? | Bird house | Bench"]}
    async with local_bot(local_config({**QUIET, "rituals": {"weekly_prompt": prompt}}), db_url, START) as bot:
        people(bot, "ann")
        await until(bot, 1)
        msg = last_poll(bot)
        assert msg.poll is not None and msg.poll.options == ("Bird house", "Bench")
        await bot.sim.vote(msg.id, "ann", (1,))
        async with bot.app.db.sessions() as s:
            assert [p.message_id for p in await s.scalars(select(PromptPost))] == [msg.id]  # replies to it still count
        await until(bot, 24)
        assert "Most chosen: Bench" in charts(bot.sim)[-1].text


async def test_a_reply_to_a_poll_lands_in_the_feedback_inbox(bot: LocalBot) -> None:
    from storage.models.listening import FeedbackItem

    await bot.sim.post("town", "mia", "/poll Which workshop next month? | Soldering | Sewing")
    poll = last_poll(bot)
    await bot.sim.vote(poll.id, "ann", (0,))
    await bot.sim.post("town", "ann", "Soldering, but please not on a Friday", reply_to=poll.id)
    other = await bot.sim.post("town", "bob", "Nice weather today")
    await bot.sim.post("town", "ann", "It is!", reply_to=other.id)  # a reply to something else: just talk
    async with bot.app.db.sessions() as s:
        items = list(await s.scalars(select(FeedbackItem)))
    assert [(i.source, i.author_id, i.text) for i in items] == [("poll", "ann", "Soldering, but please not on a Friday")]
    await bot.sim.post("town", "mia", "/feedback list")
    assert "poll comment" in "\n".join(m.text for m in bot.sim.dms("mia")[-1:] + bot.sim.bot_messages("town")[-1:])
