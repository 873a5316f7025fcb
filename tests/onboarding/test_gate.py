"""The rules gate: passed by button, by the right choice, by a DM answer; failed; timed out; cool-down."""

from __future__ import annotations

from datetime import timedelta

from bot.core.events import MessagePosted
from bot.core.ids import MessageRef, private_chat

from .conftest import MakeBot, newcomer

BUTTON = {"rules_gate": True, "gate": {"timeout": "10m", "retry_after": "1h"}}
CHOICE = {
    "rules_gate": True,
    "gate": {"mode": "choice", "question": "May I advertise?", "choices": ["Yes", "Only if I ask first"], "right_choice": 1},
}
ANSWER = {"rules_gate": True, "gate": {"mode": "answer", "question": "What's the first rule?", "answers": ["Be kind"]}}


async def test_gate_passed_with_the_button(make_bot: MakeBot) -> None:
    async with make_bot(onboarding=BUTTON) as bot:
        await bot.sim.join("town", "bob")
        assert "bob" in bot.sim.chats["town"].muted
        assert (await bot.sim.post("town", "bob", "hello?")).deleted  # read-only
        welcome = bot.sim.bot_messages("town")[-1]
        assert welcome.buttons[0][0].label == "I have read the rules"
        await bot.sim.press(welcome.id, "onb:gate", "chen")  # not Chen's gate
        assert "bob" in bot.sim.chats["town"].muted
        await bot.sim.press(welcome.id, "onb:gate", "bob")
        assert "bob" not in bot.sim.chats["town"].muted
        assert (await newcomer(bot, "bob")).gate_state == "passed"
        assert not (await bot.sim.post("town", "bob", "hello!")).deleted
        bot.clock.advance(timedelta(hours=1))
        await bot.tick()  # no timeout for a passed gate
        assert "bob" in bot.sim.chats["town"].members


async def test_gate_times_out_removes_and_cool_down_turns_an_early_rejoin_away(make_bot: MakeBot) -> None:
    async with make_bot(onboarding=BUTTON) as bot:
        await bot.sim.join("town", "bob")
        bot.clock.advance(timedelta(minutes=9))
        await bot.tick()
        assert "bob" in bot.sim.chats["town"].members
        bot.clock.advance(timedelta(minutes=2))
        await bot.tick()
        assert "bob" not in bot.sim.chats["town"].members
        notice = bot.sim.bot_messages("town")[-1].text
        assert "Bob didn't pass the rules check in time" in notice and "join again after" in notice
        assert (await newcomer(bot, "bob")).campaign_state == "kicked"  # no campaign steps for someone we removed
        await bot.tick()  # enforced once
        assert sum("rules check" in m.text for m in bot.sim.bot_messages("town")) == 1
        # Back too early: turned away with the time to come back.
        bot.clock.advance(timedelta(minutes=10))
        await bot.sim.join("town", "bob")
        assert "bob" not in bot.sim.chats["town"].members
        assert "you can try the rules check again after" in bot.sim.bot_messages("town")[-1].text
        # After the cool-down the gate starts afresh.
        bot.clock.advance(timedelta(hours=1))
        await bot.sim.join("town", "bob")
        assert "bob" in bot.sim.chats["town"].members and "bob" in bot.sim.chats["town"].muted
        assert (await newcomer(bot, "bob")).gate_state == "pending"


async def test_gate_choice_right_and_wrong(make_bot: MakeBot) -> None:
    async with make_bot(onboarding=CHOICE) as bot:
        await bot.sim.join("town", "bob")
        bot.clock.advance(timedelta(minutes=5))
        await bot.sim.join("town", "chen")
        welcome = bot.sim.bot_messages("town")[-1]
        assert "May I advertise?" in welcome.text
        assert [row[0].data for row in welcome.buttons] == ["onb:pick:0", "onb:pick:1"]
        await bot.sim.press(welcome.id, "onb:pick:1", "bob")
        await bot.sim.press(welcome.id, "onb:pick:0", "chen")
        assert (await newcomer(bot, "bob")).gate_state == "passed"
        assert (await newcomer(bot, "chen")).gate_state == "failed"
        assert "chen" not in bot.sim.chats["town"].members
        assert "Chen didn't pass the rules check" in bot.sim.bot_messages("town")[-1].text


async def test_gate_answer_in_a_private_chat(make_bot: MakeBot) -> None:
    async with make_bot(onboarding=ANSWER) as bot:
        await bot.sim.join("town", "bob")
        [dm] = bot.sim.dms("bob")
        assert "What's the first rule?" in dm.text
        bob = bot.sim.users["bob"]

        async def say(text: str) -> None:
            chat = private_chat(bob.ref)
            await bot.app.handle(MessagePosted(chat, bot.clock.now(), bob.person, MessageRef(chat, "p1"), text))

        await say("be nice")
        assert "Not quite" in bot.sim.dms("bob")[-1].text
        assert (await newcomer(bot, "bob")).gate_state == "pending"
        await say("  BE   kind ")
        assert "bob" not in bot.sim.chats["town"].muted
        assert "you can post in Riverside Makers now" in bot.sim.dms("bob")[-1].text


async def test_managers_are_never_gated(make_bot: MakeBot) -> None:
    async with make_bot(onboarding=BUTTON) as bot:
        bot.sim.chats["town"].admins.discard("mia")
        await bot.sim.join("town", "mia")
        assert "mia" not in bot.sim.chats["town"].muted
