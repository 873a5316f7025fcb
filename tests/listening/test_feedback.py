"""The feedback inbox: /feedback in a DM and in the chat, the rubric, farewell answers, the managers' triage
with the author told, urgent items routed, the CSV, "You said, we did" once a month, and forgetting."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from sqlalchemy import select

from bot.harness import LocalBot, local_bot, local_config
from storage.models.listening import FeedbackItem
from tests.conftest import START

from .conftest import LOG, MakeBot, log_posts


async def items(bot: LocalBot) -> list[FeedbackItem]:
    async with bot.app.db.sessions() as s:
        return list(await s.scalars(select(FeedbackItem).order_by(FeedbackItem.number)))


def last_dm(bot: LocalBot, user: str) -> str:
    return bot.sim.dms(user)[-1].text


async def test_feedback_by_dm_and_in_the_chat_lands_in_the_inbox(make_bot: MakeBot) -> None:
    async with make_bot() as bot:
        await bot.sim.command_in_dm("ann", "/feedback More evening meetups, please")
        assert "#1 reached the managers of Riverside Makers" in last_dm(bot, "ann")
        cmd = await bot.sim.post("town", "bob", "/feedback anon The chat is too loud at night")
        await bot.app.rt.flush()
        assert bot.sim.messages[cmd.id].deleted  # meant for the managers, not the room
        thanks = bot.sim.bot_messages("town")[-1]
        assert "#2" in thanks.text
        bot.clock.advance(timedelta(minutes=2))
        await bot.tick()
        assert bot.sim.messages[thanks.id].deleted  # the thanks deletes itself
        await bot.sim.post("town", "chen", "#feedback the workshop room needs more sockets")
        await bot.sim.post("town", "chen", "#feedbacks is another tag")
        got = [(i.number, i.source, i.author_id, i.anonymous, i.text) for i in await items(bot)]
        assert got == [
            (1, "command", "ann", False, "More evening meetups, please"),
            (2, "command", "bob", True, "The chat is too loud at night"),
            (3, "rubric", "chen", False, "#feedback the workshop room needs more sockets"),
        ]
        await bot.sim.command_in_dm("ann", "/feedback")
        assert "write it like this" in last_dm(bot, "ann")


async def test_a_dm_from_someone_the_bot_never_saw_in_a_community_is_answered(make_bot: MakeBot) -> None:
    async with make_bot() as bot:
        bot.sim.add_user("zoe", "Zoe")
        await bot.sim.command_in_dm("zoe", "/feedback hello")
        assert "can't tell which community" in last_dm(bot, "zoe")
        assert await items(bot) == []


async def test_urgent_feedback_reaches_the_log_at_once_naming_who_can_help(make_bot: MakeBot) -> None:
    async with make_bot() as bot:
        await bot.sim.post("town", "mia", "Morning all")
        await bot.sim.command_in_dm("ann", "/feedback !Someone keeps DMing newcomers")
        (alert,) = log_posts(bot)
        assert "Urgent feedback #1" in alert and "Someone keeps DMing newcomers" in alert and "Ann" in alert
        (item,) = await items(bot)
        assert item.urgent and item.text == "Someone keeps DMing newcomers"


async def test_members_cannot_triage_and_the_list_stays_out_of_the_chat(make_bot: MakeBot) -> None:
    async with make_bot() as bot:
        await bot.sim.command_in_dm("ann", "/feedback More evening meetups")
        await bot.sim.post("town", "bob", "/feedback list of ideas: a bigger room")
        assert [i.text for i in await items(bot)] == ["More evening meetups", "list of ideas: a bigger room"]
        await bot.sim.post("town", "mia", "/feedback list")
        listing = last_dm(bot, "mia")
        assert "More evening meetups" in listing and "bigger room" in listing
        assert not any("More evening meetups" in m.text for m in bot.sim.bot_messages("town"))
        await bot.sim.post("town", "mia", "/feedback list", place=LOG)
        assert "More evening meetups" in log_posts(bot)[-1]


async def test_triage_tells_the_author_and_you_said_we_did_follows_once(make_bot: MakeBot, db_url: str) -> None:
    async with make_bot() as bot:
        await bot.sim.command_in_dm("ann", "/feedback More evening meetups, please")
        await bot.sim.command_in_dm("bob", "/feedback anon A quiet corner for beginners")
        await bot.sim.command_in_dm("chen", "/feedback Free pizza every day")
        await bot.sim.post("town", "mia", "/feedback plan 1", place=LOG)
        assert "is planned" in last_dm(bot, "ann")
        bot.clock.advance(timedelta(hours=5))
        await bot.sim.post("town", "mia", "/feedback done 1 Meetups now start at 19:00", place=LOG)
        assert "Meetups now start at 19:00" in last_dm(bot, "ann")
        await bot.sim.post("town", "mia", "/feedback done 2", place=LOG)
        await bot.sim.post("town", "mia", "/feedback decline 3 we cannot pay for it", place=LOG)
        assert "decided against it" in last_dm(bot, "chen") and "we cannot pay for it" in last_dm(bot, "chen")
        await bot.sim.post("town", "mia", "/feedback done 9", place=LOG)
        assert "no feedback #9" in log_posts(bot)[-1]
        await bot.sim.post("town", "mia", "/stats")
        stats = bot.sim.bot_messages("town")[-1].text
        assert "Hours to the first answer to feedback (median): 5" in stats

        bot.clock.advance(timedelta(days=1, hours=4))  # 1 December, 18:00 UTC, after 12:00 in the community
        await bot.tick()
        posts = [m.text for m in bot.sim.bot_messages("town") if "You said" in m.text]
        assert len(posts) == 1
        (post,) = posts
        assert "Meetups now start at 19:00" in post and "Ann" in post
        assert "A quiet corner for beginners" in post and "Bob" not in post  # anonymous stays anonymous
        assert "pizza" not in post  # declined is not done
    async with local_bot(local_config({"log_place": LOG}), db_url, START + timedelta(days=1, hours=5)) as again:
        await again.tick()  # a restart the same month does not post it again
        assert not [m for m in again.sim.bot_messages("town") if "You said" in m.text]


async def test_the_csv_goes_by_dm_and_keeps_anonymous_authors_unnamed(make_bot: MakeBot) -> None:
    async with make_bot() as bot:
        await bot.sim.command_in_dm("ann", "/feedback More evening meetups")
        await bot.sim.command_in_dm("bob", "/feedback anon A quiet corner")
        await bot.sim.post("town", "mia", "/feedback csv")
        (name, data) = bot.sim.dms("mia")[-1].file or ("", b"")
        assert name.startswith("feedback-") and name.endswith(".csv")
        rows = list(csv.DictReader(io.StringIO(data.decode())))
        assert [(r["author"], r["text"]) for r in rows] == [("Ann", "More evening meetups"), ("", "A quiet corner")]


async def test_forgetme_deletes_a_members_feedback(make_bot: MakeBot) -> None:
    async with make_bot() as bot:
        await bot.sim.command_in_dm("ann", "/feedback More evening meetups")
        await bot.sim.command_in_dm("bob", "/feedback A quiet corner")
        await bot.sim.command_in_dm("ann", "/mydata")
        assert "feedback" in last_dm(bot, "ann").lower()
        await bot.sim.command_in_dm("ann", "/forgetme")
        confirm = bot.sim.dms("ann")[-1]
        if confirm.buttons:
            await bot.sim.press(confirm.id, confirm.buttons[0][0].data, "ann")
        assert [i.author_id for i in await items(bot)] == ["bob"]
