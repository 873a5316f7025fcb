"""/mydata shows what is stored (by DM); /forgetme deletes it after a confirmation only the asker can give."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.harness import LocalBot
from storage.models import ActivityDay, AuditEntry, Member, Person
from storage.models.admin import ActivityDaily
from storage.repos.analytics import DayMembers


async def counts(bot: LocalBot, user_id: str) -> tuple[int, int, int]:
    async with bot.app.db.sessions() as s:
        return (
            await s.scalar(select(func.count()).select_from(Member).where(Member.user_id == user_id)) or 0,
            await s.scalar(select(func.count()).select_from(ActivityDay).where(ActivityDay.user_id == user_id)) or 0,
            await s.scalar(select(func.count()).select_from(Person).where(Person.user_id == user_id)) or 0,
        )


async def rollup_members(bot: LocalBot) -> list[int]:
    async with bot.app.db.sessions() as s:
        rows = (await s.execute(select(ActivityDaily.member_ids, ActivityDaily.messages_by, ActivityDaily.replies_by))).all()
    return sorted(int(i) for r in rows for i in DayMembers.unpack(*r).ids)


async def test_mydata_by_dm(bot: LocalBot) -> None:
    hello = await bot.sim.post("town", "ann", "hello")
    await bot.sim.post("town", "ann", "and more", reply_to=hello.id)
    await bot.sim.start_bot("ann")
    await bot.app.rt.flush()
    await bot.sim.post("town", "ann", "/mydata")
    assert bot.sim.bot_messages("town")[-1].text == "I sent you the details in a private message."
    dm = bot.sim.dms("ann")[-1].text
    assert "Riverside Makers (as Ann)" in dm
    assert "2 messages counted" in dm and "Active on 1 day, 0 replies to others" in dm  # a reply to oneself is no reply
    assert "language en, private messages: open" in dm
    assert "hello" not in dm  # counts only, never the words


async def test_mydata_with_closed_dms_points_to_the_private_chat(bot: LocalBot) -> None:
    bot.sim.users["bob"].dm_open = False
    await bot.sim.post("town", "bob", "/mydata")
    assert bot.sim.bot_messages("town")[-1].text == "Your details are private: open a chat with me and send /mydata there."
    assert bot.sim.dms("bob") == []
    await bot.sim.start_bot("bob")
    await bot.sim.command_in_dm("bob", "/mydata")  # in the private chat it answers there
    dm = bot.sim.dms("bob")[-1].text
    assert "Riverside Makers" not in dm and "private messages: open" in dm  # bob never posted: no member row


async def test_mydata_for_a_stranger(bot: LocalBot) -> None:
    bot.sim.add_user("zed", "Zed")
    await bot.sim.command_in_dm("zed", "/mydata")
    assert "Nothing: I have no records about you." in bot.sim.dms("zed")[-1].text


async def test_forgetme_deletes_core_rows_calls_hooks_and_is_audited(bot: LocalBot) -> None:
    forgotten: list[tuple[int, str]] = []

    async def hook(session: AsyncSession, community_id: int, user_id: str) -> None:
        forgotten.append((community_id, user_id))

    bot.app.rt.add_forget_hook(hook)
    await bot.sim.start_bot("ann")
    await bot.sim.post("town", "ann", "hello")
    await bot.sim.post("town", "bob", "hi")
    await bot.app.rt.flush()
    await bot.sim.post("town", "ann", "one more, still buffered")
    assert await counts(bot, "ann") == (1, 1, 1)
    assert len(await rollup_members(bot)) == 2

    await bot.sim.post("town", "ann", "/forgetme")
    ask = bot.sim.bot_messages("town")[-1]
    data = ask.buttons[0][0].data
    assert data == "forget:ann"
    await bot.sim.press(ask.id, data, "bob")  # not bob's to confirm
    assert await counts(bot, "ann") == (1, 1, 1)
    await bot.sim.press(ask.id, data, "ann")
    await bot.app.rt.flush()  # the buffered message must not bring the rows back
    assert await counts(bot, "ann") == (0, 0, 0)
    assert await counts(bot, "bob") == (1, 1, 0)
    assert ask.text == "Done: I deleted what I stored about you."
    async with bot.app.db.sessions() as s:
        bob_id = await s.scalar(select(Member.id).where(Member.user_id == "bob"))
    assert await rollup_members(bot) == [bob_id]  # ann is out of the packed rollup too; the day's totals stay
    assert forgotten and forgotten[0][1] == "ann"
    async with bot.app.db.sessions() as s:
        entries = [(e.actor_id, e.action, e.before, e.after) for e in await s.scalars(select(AuditEntry))]
    assert entries == [("forgotten", "forgetme", "activity_daily=1 activity_days=1 members=1 people=1", "forgotten")]  # no id left
