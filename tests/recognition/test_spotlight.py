"""The monthly spotlight names who helped (answers, solved, thanks; never message counts), respecting /spotlight off;
the leaders nudge tells the moderators who helped and is not a helper yet; each once a month."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.harness import LocalBot
from rituals.dates import last_monthly_slot
from tests.questions.conftest import texts


def test_the_monthly_slot_is_the_latest_first_of_a_month() -> None:
    tz = ZoneInfo("Europe/Berlin")
    assert last_monthly_slot(datetime(2026, 12, 1, 8, 59, tzinfo=UTC), tz, time(10)) == (
        date(2026, 11, 1), datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
    )  # fmt: skip
    assert last_monthly_slot(datetime(2026, 12, 1, 9, 0, tzinfo=UTC), tz, time(10))[0] == date(2026, 12, 1)
    assert last_monthly_slot(datetime(2027, 1, 15, tzinfo=UTC), tz, time(10))[0] == date(2027, 1, 1)


async def helpful_month(qbot: LocalBot) -> None:
    """Bob answers Ann's question and is thanked; Cat answers one too; Mia only chats (a lot)."""
    for i in range(30):
        await qbot.sim.post("town", "mia", f"good morning {i}")
    q = await qbot.sim.post("town", "ann", "#question where can I recycle batteries?")
    answer = await qbot.sim.post("town", "bob", "the town hall takes them", reply_to=q.id)
    await qbot.sim.post("town", "ann", "thanks!", reply_to=answer.id)
    await qbot.sim.post("town", "cat", "the supermarket too", reply_to=q.id)
    q2 = await qbot.sim.post("town", "cat", "#question who fixes bikes?")
    tip = await qbot.sim.post("town", "bob", "the shop on Elm street", reply_to=q2.id)
    await qbot.sim.post("town", "cat", "спасибо", reply_to=tip.id)


async def first_of_next_month(qbot: LocalBot) -> None:
    """From the suite's start (30 November, 09:00 UTC) to 1 December, just after 10:00 in the community."""
    qbot.clock.advance(timedelta(days=1, hours=1, minutes=5))
    await qbot.tick()
    await qbot.tick()


async def test_the_spotlight_names_helpers_once_and_never_for_message_counts(qbot: LocalBot) -> None:
    await helpful_month(qbot)
    await first_of_next_month(qbot)
    posts = [t for t in texts(qbot, None) if "helpers of" in t]
    assert len(posts) == 1
    post = posts[0]
    assert "November 2026" in post and "Bob: 💬 2 · ✅ 0 · 🙏 2" in post and "Cat: 💬 1" in post
    assert "Mia" not in post and "Ann:" not in post
    await qbot.tick()
    qbot.clock.advance(timedelta(days=3))
    await qbot.tick()
    assert len([t for t in texts(qbot) if "helpers of" in t]) == 1


async def test_spotlight_off_is_respected_and_nobody_to_name_posts_nothing(qbot: LocalBot) -> None:
    await qbot.sim.post("town", "bob", "/spotlight off")
    assert "not name you" in texts(qbot)[-1]
    await qbot.sim.post("town", "bob", "/spotlight")
    assert "asked not to be named" in texts(qbot)[-1]
    q = await qbot.sim.post("town", "ann", "#question anyone have a ladder?")
    answer = await qbot.sim.post("town", "bob", "yes, come by", reply_to=q.id)
    await qbot.sim.post("town", "ann", "thank you so much", reply_to=answer.id)
    await qbot.sim.post("town", "bob", "/spotlight")
    assert "Thanks to you this month: 1." in texts(qbot)[-2] + texts(qbot)[-1]
    await first_of_next_month(qbot)
    assert not [t for t in texts(qbot) if "helpers of" in t]


async def test_the_leaders_nudge_names_helpers_who_are_not_helpers_yet_in_the_log(qbot: LocalBot) -> None:
    await qbot.sim.post("town", "cat", "/helper on")
    await helpful_month(qbot)
    await first_of_next_month(qbot)
    [nudge] = [t for t in texts(qbot, "mods") if "not helpers yet" in t]
    assert "Bob" in nudge and "Cat" not in nudge and "/helper add" in nudge
