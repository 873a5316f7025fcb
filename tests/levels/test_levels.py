"""Participation levels (#21.3) through the simulator: promoted within the hour of earning, told briefly (by DM to
who said /spotlight off), shown as a member tag, reviewed monthly one level at a time, staff never leveled."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.core.config import ConfigError, parse_config
from bot.core.settings.spam import SpamSettings
from bot.harness import LocalBot, local_bot, local_config
from handlers.spam.decide import is_newcomer
from storage.models import Member, RitualRun
from storage.repos.members import MemberState
from tests.conftest import START

# Low thresholds, a short window: a few messages over two days earn a level in a test.
LEVELS: dict[str, Any] = {
    "log_place": "mods",
    "admin": {"weekly_report": False},
    "levels": {
        "enabled": True,
        "window": "7d",
        "member": {"days_active": 2, "posts": 2},
        "regular": {"days_active": 2, "posts": 3, "replies": 1, "kudos": 1},
        "pillar": {"days_active": 3, "posts": 6, "replies": 3, "answers": 1, "kudos": 2},
    },
}
PEOPLE = (("mia", "Mia"), ("ann", "Ann"), ("bob", "Bob"), ("cat", "Cat"))


async def levels(bot: LocalBot) -> dict[str, tuple[int, int | None]]:
    async with bot.app.db.sessions() as s:
        rows = await s.execute(select(Member.user_id, Member.level, Member.level_shown).order_by(Member.user_id))
        return {u: (lv, shown) for u, lv, shown in rows}


def chat_texts(bot: LocalBot) -> list[str]:
    return [m.text for m in bot.sim.bot_messages("town") if m.place is None]


async def hour_later(bot: LocalBot) -> None:
    """The activity is written at the tick and the hour's promotions run in it."""
    bot.clock.advance(timedelta(hours=1))
    await bot.tick()


async def two_days(bot: LocalBot) -> None:
    """Ann earns Regular (two days, three posts, a reply, a thank-you from Bob); Bob earns Member; Mia, a
    manager, does far more and holds no level."""
    for uid, name in PEOPLE:
        bot.sim.add_user(uid, name)
        bot.sim.chats["town"].members.add(uid)
    for uid, _ in PEOPLE:
        await bot.sim.post("town", uid, "good morning")
    bot.clock.advance(timedelta(days=1))
    tip = await bot.sim.post("town", "bob", "the hardware shop has solder on sale")
    answer = await bot.sim.post("town", "ann", "the lead-free one is good", reply_to=tip.id)
    await bot.sim.post("town", "bob", "thanks!", reply_to=answer.id)
    await bot.sim.post("town", "ann", "see you at the repair café")
    for text in ("reminder: café on Friday", "bring your toasters", "and kettles"):
        await bot.sim.post("town", "mia", text, reply_to=tip.id)


@pytest.fixture
async def lbot(db_url: str) -> Any:
    async with local_bot(local_config(LEVELS), db_url, START) as bot:
        yield bot


async def test_promoted_within_the_hour_told_briefly_and_shown_as_a_tag(lbot: LocalBot) -> None:
    await two_days(lbot)
    await hour_later(lbot)
    assert await levels(lbot) == {"ann": (2, 2), "bob": (1, 1), "cat": (0, None), "mia": (0, None)}
    promoted = [t for t in chat_texts(lbot) if t.startswith("🎉")]
    assert len(promoted) == 1 and "Regular: Ann" in promoted[0] and "never messages alone" in promoted[0]
    assert "Bob" not in promoted[0]  # reaching Member is quiet (levels.announce_from = 2)
    assert lbot.sim.chats["town"].tags == {"ann": "Regular", "bob": "Member"}
    await hour_later(lbot)
    assert len([t for t in chat_texts(lbot) if t.startswith("🎉")]) == 1  # nothing new: nothing said
    lbot.clock.advance(timedelta(days=3))
    await lbot.tick()
    async with lbot.app.db.sessions() as s:  # an hourly ritual keeps only its recent runs
        assert list(await s.scalars(select(RitualRun.key).where(RitualRun.ritual == "levels"))) == ["levels:2026-12-04T11"]


async def test_a_member_who_said_spotlight_off_hears_of_it_by_dm(lbot: LocalBot) -> None:
    await two_days(lbot)
    await lbot.sim.post("town", "ann", "/spotlight off")
    await hour_later(lbot)
    assert not [t for t in chat_texts(lbot) if t.startswith("🎉")]
    (dm,) = [m.text for m in lbot.sim.dms("ann") if m.text.startswith("🎉")]
    assert "You are now Regular in Riverside Makers" in dm


async def test_level_command_shows_mine_and_what_the_next_asks_and_staff_hold_none(lbot: LocalBot) -> None:
    await two_days(lbot)
    await lbot.app.rt.flush()
    await lbot.sim.post("town", "ann", "/level")  # earned before the hourly run: promoted on the spot
    text = lbot.sim.dms("ann")[-1].text
    assert "Your level in Riverside Makers: Regular." in text
    assert "📅 days active 2 · 💬 posts 3 · ↩️ replies to others 1" in text
    assert "Next: Pillar. Still needed: 📅 days active 2/3 · 💬 posts 3/6 · ↩️ replies to others 1/3" in text
    assert (await levels(lbot))["ann"][0] == 2
    await lbot.sim.post("town", "mia", "/level")
    assert "Staff hold no participation level" in lbot.sim.dms("mia")[-1].text


async def test_the_monthly_review_lowers_one_level_at_a_time(lbot: LocalBot) -> None:
    await two_days(lbot)
    await hour_later(lbot)
    lbot.clock.set(datetime(2026, 12, 1, 9, 5, tzinfo=UTC))  # the review: Ann's two days are still in the window
    await lbot.tick()
    assert (await levels(lbot))["ann"] == (2, 2)
    lbot.clock.set(datetime(2027, 1, 1, 9, 5, tzinfo=UTC))  # a quiet month: the window holds nothing
    await lbot.tick()
    assert await levels(lbot) == {"ann": (1, 1), "bob": (0, 0), "cat": (0, None), "mia": (0, None)}
    assert lbot.sim.chats["town"].tags == {"ann": "Member"}
    lbot.clock.set(datetime(2027, 2, 1, 9, 5, tzinfo=UTC))
    await lbot.tick()
    assert (await levels(lbot))["ann"] == (0, 0) and lbot.sim.chats["town"].tags == {}


async def test_a_missing_right_is_told_once_and_the_level_shown_once_it_is_back(lbot: LocalBot) -> None:
    lbot.sim.chats["town"].bot_is_admin = False
    await two_days(lbot)
    await hour_later(lbot)
    await hour_later(lbot)
    assert (await levels(lbot))["ann"] == (2, None)  # promoted all the same; not shown
    told = [m.text for m in lbot.sim.bot_messages("town") if m.place == "mods" and "could not show" in m.text]
    assert told == ["I could not show members' levels: I am not an admin here. Levels still count."]
    lbot.sim.chats["town"].bot_is_admin = True
    lbot.clock.advance(timedelta(hours=6))
    await lbot.tick()
    assert lbot.sim.chats["town"].tags == {"ann": "Regular", "bob": "Member"}
    assert len([m for m in lbot.sim.bot_messages("town") if "could not show" in m.text]) == 1


async def test_mydata_shows_the_level_and_forgetme_takes_it_and_the_tag_away(lbot: LocalBot) -> None:
    await two_days(lbot)
    await hour_later(lbot)
    await lbot.sim.post("town", "ann", "/mydata")
    assert "Participation level in Riverside Makers: Regular (since" in lbot.sim.dms("ann")[-1].text
    await lbot.sim.post("town", "ann", "/forgetme")
    ask = lbot.sim.bot_messages("town")[-1]
    await lbot.sim.press(ask.id, ask.buttons[0][0].data or "", "ann")
    assert "ann" not in await levels(lbot)
    assert lbot.sim.chats["town"].tags == {"bob": "Member"}


async def test_levels_off_by_default_change_nothing(db_url: str) -> None:
    async with local_bot(local_config({"admin": {"weekly_report": False}}), db_url, START) as bot:
        await two_days(bot)
        await hour_later(bot)
        assert {lv for lv, _ in (await levels(bot)).values()} == {0}
        assert bot.sim.chats["town"].tags == {}
        await bot.sim.post("town", "ann", "/level")
        assert "not switched on" in bot.sim.dms("ann")[-1].text


async def test_level_one_takes_a_member_out_of_the_newcomer_sandbox(lbot: LocalBot) -> None:
    s = SpamSettings(newcomer_period=timedelta(days=30))
    fresh = MemberState(1, "bob", START, None, START, 5, level=0)
    assert is_newcomer(fresh, START + timedelta(days=2), s, levels=True)
    proven = MemberState(1, "bob", START, None, START, 5, level=1)
    assert not is_newcomer(proven, START + timedelta(days=2), s, levels=True)
    assert is_newcomer(proven, START + timedelta(days=2), s, levels=False)  # levels off: time alone, as before
    await two_days(lbot)
    await hour_later(lbot)
    info = lbot.app.rt.directory.all_cached()[0]
    async with lbot.app.db.sessions() as session:
        st, _ = await lbot.app.rt.tracker.state(session, info.id, "bob", "Bob", False)
    assert st.level == 1  # the filter reads it from the state kept in memory, no query per message


def problems(levels: dict[str, Any]) -> str:
    with pytest.raises(ConfigError) as exc:
        parse_config({"communities": [{"platform": "telegram", "chat_id": "-100", "settings": {"levels": levels}}]}, "t.toml")
    return "\n".join(exc.value.problems)


def test_thresholds_are_validated_with_the_field_named() -> None:
    lower = problems({"member": {"days_active": 3, "replies": 5}, "regular": {"days_active": 10, "replies": 2}})
    assert "levels.regular.replies (2) is below levels.member.replies (5)" in lower
    assert "levels.regular asks for nothing done for others" in problems({"regular": {"days_active": 10, "posts": 50}})
    assert "at most 16" in problems({"member": {"days_active": 3, "tag": "A very long member tag"}})
    assert "emoji" in problems({"member": {"days_active": 3, "tag": "⭐ Star"}})
    assert "days_active" in problems({"member": {"days_active": 0}})
    assert "not a Discord role id" in problems({"member": {"days_active": 3, "role": "@Regulars"}})


async def test_with_levels_on_the_rights_check_names_the_right_to_show_them(db_url: str) -> None:
    from bot.core.events import BotStatusChanged
    from bot.core.ids import ChatRef

    status = BotStatusChanged(
        ChatRef("local", "town"), START, is_admin=True, is_member=True, can_delete=True, can_restrict=True, can_pin=True,
        extra={"can_tag": False},
    )  # fmt: skip
    async with local_bot(local_config(), db_url, START) as bot:
        await bot.app.handle(status)
        assert bot.sim.bot_messages("town") == []  # levels off: the tag right is nobody's concern
    async with local_bot(local_config(LEVELS), db_url, START) as bot:
        await bot.app.handle(status)
        [told] = bot.sim.bot_messages("town")
        assert "Manage tags" in told.text and told.place == "mods"


async def test_managers_set_thresholds_per_community_and_stats_count_the_levels(lbot: LocalBot) -> None:
    await two_days(lbot)
    await lbot.sim.post("town", "mia", "/set levels.regular.posts 1")
    assert "levels.regular.posts (1) is below levels.member.posts (2)" in lbot.sim.bot_messages("town")[-1].text
    await lbot.sim.post("town", "mia", "/set levels.member.days_active 1")
    await lbot.sim.post("town", "mia", "/set levels.member.posts 1")
    await hour_later(lbot)
    await lbot.sim.post("town", "mia", "/stats")
    assert "🏅 Participation levels: Member 2 · Regular 1 · Pillar 0" in lbot.sim.bot_messages("town")[-1].text  # Cat too now


async def test_an_admin_seen_before_levels_were_switched_on_is_never_leveled(db_url: str) -> None:
    off = {**LEVELS, "levels": {**LEVELS["levels"], "enabled": False}}
    async with local_bot(local_config(off), db_url, START, admins=("mia", "olga")) as bot:  # Olga: the chat's admin only
        bot.sim.add_user("olga", "Olga")
        await two_days(bot)
        for text in ("hello", "the café is on", "thanks all"):
            await bot.sim.post("town", "olga", text)
        bot.clock.advance(timedelta(days=1))
        for text in ("morning", "who has a drill?"):
            await bot.sim.post("town", "olga", text)
        await bot.sim.post("town", "mia", "/set levels.enabled on")
        await hour_later(bot)
        found = await levels(bot)
        assert found["olga"] == (0, None) and found["ann"][0] == 2
        assert not [t for t in chat_texts(bot) if "Olga" in t and t.startswith("🎉")]
