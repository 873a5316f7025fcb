"""Activation milestones, goodbye and the farewell question."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.core.events import MessagePosted
from bot.core.ids import MessageRef, private_chat
from storage.models.onboarding import Newcomer
from storage.repos.onboarding import NewcomerRepo

from .conftest import MakeBot, newcomer


async def test_milestones_with_time_since_joining(make_bot: MakeBot) -> None:
    async with make_bot() as bot:
        await bot.sim.join("town", "bob")
        await bot.sim.join("town", "chen")
        bot.clock.advance(timedelta(minutes=10))
        q = await bot.sim.post("town", "bob", "Does anyone have a soldering iron?")
        bot.clock.advance(timedelta(minutes=10))
        await bot.sim.post("town", "bob", "#question still looking")
        bot.clock.advance(timedelta(minutes=10))
        await bot.sim.post("town", "chen", "Bob, take mine", reply_to=q.id)
        bot.clock.advance(timedelta(minutes=10))
        await bot.sim.post("town", "chen", "#Intro I'm Chen")
        await bot.sim.post("town", "mia", "#intro old member, not tracked")
        async with bot.app.db.sessions() as s:
            acts = {a.user_id: a for a in await NewcomerRepo(s).activation((await newcomer(bot, "bob")).community_id)}
        minute = timedelta(minutes=1)
        assert (acts["bob"].first_message, acts["bob"].first_rubric, acts["bob"].first_intro, acts["bob"].first_reply) == (
            10 * minute, 20 * minute, None, None,
        )
        assert (acts["chen"].first_message, acts["chen"].first_reply, acts["chen"].first_intro, acts["chen"].first_rubric) == (
            30 * minute, 30 * minute, 40 * minute, 40 * minute,
        )
        assert set(acts) == {"bob", "chen"}


async def test_ordinary_messages_cost_no_query(make_bot: MakeBot) -> None:
    async with make_bot() as bot:
        await bot.sim.join("town", "bob")
        await bot.sim.post("town", "bob", "first")
        statements: list[str] = []
        from sqlalchemy import event

        def count(*args: object) -> None:
            statements.append(str(args[2]))

        event.listen(bot.app.db.engine.sync_engine, "before_cursor_execute", count)
        try:
            for i in range(20):
                bot.clock.advance(timedelta(seconds=30))  # a conversation, not a flood (the spam filter would step in)
                await bot.sim.post("town", "bob", f"message {i}")
            assert not [s for s in statements if "onboarding" in s]
            await bot.sim.post("town", "bob", "#intro now a milestone")  # the listener does see onboarding writes
            assert [s for s in statements if "onboarding" in s]
        finally:
            event.remove(bot.app.db.engine.sync_engine, "before_cursor_execute", count)


async def test_goodbye_and_farewell_answer_is_stored(make_bot: MakeBot) -> None:
    async with make_bot(onboarding={"goodbye": True, "farewell_question": True}) as bot:
        await bot.sim.join("town", "bob")
        await bot.sim.leave("town", "bob")
        assert "Bob has left Riverside Makers. Goodbye!" in bot.sim.bot_messages("town")[-1].text
        assert "what could we have done better?" in bot.sim.dms("bob")[-1].text
        bob = bot.sim.users["bob"]
        chat = private_chat(bob.ref)
        await bot.app.handle(MessagePosted(chat, bot.clock.now(), bob.person, MessageRef(chat, "p1"), "More evening events, please"))
        assert "Thank you" in bot.sim.dms("bob")[-1].text
        row = await newcomer(bot, "bob")
        assert row.farewell_answer == "More evening events, please" and row.campaign_state == "left"


async def test_goodbye_is_off_by_default_and_dm_buttons_answer(make_bot: MakeBot) -> None:
    async with make_bot(pinned={"rules": ["Be kind"]}) as bot:
        await bot.sim.join("town", "bob")
        dm = bot.sim.dms("bob")[0]
        assert "- Be kind" in dm.text or "• Be kind" in dm.text
        presses = (("onbdm:rules:1", "Rules of Riverside Makers"), ("onbdm:guide:1", "#intro"), ("onbdm:events:1", "Nothing is planned"))
        for data, expect in presses:
            await bot.sim.press(dm.id, data, "bob")
            assert expect in bot.sim.dms("bob")[-1].text
        await bot.sim.press(dm.id, "onbdm:rules:999", "bob")  # a stale or forged button does nothing
        await bot.sim.press(dm.id, "onbdm:rules:x", "bob")
        n = len(bot.sim.bot_messages("town"))
        await bot.sim.leave("town", "bob")
        assert len(bot.sim.bot_messages("town")) == n
        async with bot.app.db.sessions() as s:
            assert (await s.scalar(select(Newcomer.left_at).where(Newcomer.user_id == "bob"))) is not None
