"""Newcomers meet people (#21.6): the interest question as a campaign step (and /interests), buttons that
toggle, and the weekly post introducing the week's newcomers to members who share an interest (never naming
someone who asked not to be named)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.harness import LocalBot
from storage.models.interests import MemberInterest
from tests.rituals.conftest import BASE, BotFactory, last, local, run_until, sent

SETTINGS = {
    **BASE,
    "interests": {"choices": ["Bikes", "Sewing", "3D printing"]},
    "onboarding": {"campaign": [{"id": "interests", "after": "10m", "kind": "interests"}]},
}


def question(bot: LocalBot, user: str):  # type: ignore[no-untyped-def]
    return [m for m in bot.sim.dms(user) if m.buttons and (m.buttons[0][0].data or "").startswith("int:")][-1]


def press(bot: LocalBot, user: str, label: str):  # type: ignore[no-untyped-def]
    q = question(bot, user)
    data = next(b.data or "" for row in q.buttons for b in row if b.label.removeprefix("✓ ") == label)
    return bot.sim.press(q.id, data, user)


async def interests(bot: LocalBot) -> list[tuple[str, str]]:
    async with bot.app.db.sessions() as s:
        return sorted((r.user_id, r.interest) for r in await s.scalars(select(MemberInterest)))


async def test_newcomers_say_what_they_are_into_and_are_introduced_to_people_who_share_it(make_bot: BotFactory) -> None:
    async with make_bot(settings=SETTINGS) as bot:
        bot.sim.add_user("wu", "Wu")
        bot.sim.chats["town"].members.add("wu")
        for uid in ("ann", "wu"):
            await bot.sim.post("town", uid, "Hello all")
            await bot.sim.start_bot(uid)
            await bot.sim.post("town", uid, "/interests")
            await press(bot, uid, "Bikes")
        await bot.sim.post("town", "wu", "/spotlight off")  # not to be named in public
        bot.sim.add_user("zoe", "Zoe")
        await bot.sim.start_bot("zoe")
        await bot.sim.join("town", "zoe")
        await run_until(bot, local(2026, 11, 30, 10, 30))  # ten minutes after: the campaign's step
        asked = question(bot, "zoe")
        assert "What are you into in Riverside Makers?" in asked.text
        assert [b.label for row in asked.buttons for b in row] == ["Bikes", "Sewing", "3D printing", "Done"]
        await press(bot, "zoe", "Bikes")
        await press(bot, "zoe", "Sewing")
        await press(bot, "zoe", "3D printing")
        await press(bot, "zoe", "3D printing")  # pressed again: taken back
        assert [b.label for row in question(bot, "zoe").buttons for b in row][:3] == ["✓ Bikes", "✓ Sewing", "3D printing"]
        await press(bot, "zoe", "Done")
        assert "You're into: Bikes, Sewing" in bot.sim.messages[asked.id].text
        assert await interests(bot) == [("ann", "Bikes"), ("wu", "Bikes"), ("zoe", "Bikes"), ("zoe", "Sewing")]

        await run_until(bot, local(2026, 12, 4, 18))
        [post] = sent(bot, "Meet people")
        assert "Zoe is into Bikes, Sewing: so is Ann. Say hello!" in post.text and "Wu" not in post.text
        await run_until(bot, local(2026, 12, 11, 18), step=timedelta(hours=6))
        assert len(sent(bot, "Meet people")) == 1  # Zoe is no newcomer of the next week

        await bot.sim.post("town", "zoe", "/mydata")
        assert "what you said you are into" in bot.sim.dms("zoe")[-1].text
        await bot.sim.post("town", "zoe", "/forgetme")
        ask = bot.sim.bot_messages("town")[-1]
        await bot.sim.press(ask.id, ask.buttons[0][0].data or "", "zoe")
        assert [u for u, _ in await interests(bot)] == ["ann", "wu"]


async def test_nothing_is_asked_without_a_list_and_a_forged_press_changes_nothing(make_bot: BotFactory) -> None:
    async with make_bot(settings=BASE) as bot:
        await bot.sim.start_bot("ann")
        await bot.sim.post("town", "ann", "/interests")
        assert "no interests to choose from" in (bot.sim.dms("ann")[-1].text if bot.sim.dms("ann") else last(bot).text)
    async with make_bot(settings=SETTINGS) as bot:
        await bot.sim.start_bot("ann")
        await bot.sim.post("town", "ann", "/interests")
        q = question(bot, "ann")
        await bot.sim.press(q.id, "int:999:0", "ann")  # another community's id
        await bot.sim.press(q.id, "int:1:7", "ann")  # a choice that is not on the list
        assert await interests(bot) == []
