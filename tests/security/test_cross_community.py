"""Attacker's checklist, cross-community access: ids typed or forged in one community never reach another's rows.

Two communities on the same bot, Town and Club; Eve manages Town only. Everything
she can name from Town (an event id, a spam record id, a search, a document) must
stay Town's; and a manager of Town is nobody in Club.
"""

from __future__ import annotations

from sqlalchemy import func, select

from bot.core.ids import ChatRef
from bot.harness import LocalBot, local_bot, local_config
from storage.models.rituals import EventRsvp
from storage.models.spam import SpamRecord
from tests.conftest import START

TWO = {
    "communities": [
        {"platform": "local", "chat_id": "town", "name": "Town", "managers": ["eve"],
         "settings": {"log_place": "modlog", "rubrics": {"rubrics": [{"tag": "question", "title": "Questions"}]}}},
        {"platform": "local", "chat_id": "club", "name": "Club", "managers": ["mia"],
         "settings": {"log_place": "modlog", "rubrics": {"rubrics": [{"tag": "question", "title": "Questions"}]}}},
    ]
}  # fmt: skip


async def _bot(db_url: str):  # type: ignore[no-untyped-def]
    cm = local_bot(local_config(extra=TWO), db_url, START, admins=())
    bot = await cm.__aenter__()
    for uid, name in (("eve", "Eve"), ("mia", "Mia"), ("ann", "Ann")):
        bot.sim.add_user(uid, name)
    bot.sim.chats["town"].members.update({"eve", "ann"})
    bot.sim.chats["club"].members.update({"mia", "ann"})
    return cm, bot


async def _count(bot: LocalBot, model, *where) -> int:  # type: ignore[no-untyped-def]
    async with bot.app.db.sessions() as s:
        return int(await s.scalar(select(func.count()).select_from(model).where(*where)) or 0)


async def test_ids_from_another_community_are_refused(db_url: str) -> None:
    cm, bot = await _bot(db_url)
    try:
        sim = bot.sim
        await sim.post("club", "mia", "/event add 2026-12-05 18:00 Club night")
        club_card = sim.bot_messages("club")[-1]
        event_id = club_card.buttons[0][0].data.split(":")[1]
        spam = await sim.post("club", "ann", "buy cheap followers now")
        await sim.post("club", "mia", "/spam", reply_to=spam.id)
        record_id = (await _first_record(bot)).id
        await sim.post("club", "ann", "#question where is the secret club key?")

        town_msg = await sim.post("town", "eve", "a message in Town")
        for data in (f"rsvp:{event_id}:going:c", f"sp:ns:{record_id}", f"sp:ban:{record_id}"):
            await sim.press(town_msg.id, data, "eve")  # Eve, a manager of Town, with Club's ids
            assert sim.callbacks == {}
        assert await _count(bot, EventRsvp) == 0
        assert (await _first_record(bot)).status == "confirmed"  # not restored, not banned
        await sim.post("town", "eve", f"/event edit {event_id} title Hijacked")
        await sim.post("town", "eve", f"/event cancel {event_id}")
        await sim.post("town", "eve", "/find #question key")
        assert "secret club key" not in sim.bot_messages("town")[-1].text
        assert all("Club night" not in m.text for m in sim.bot_messages("town"))
        await sim.post("club", "ann", "/events")
        assert "Club night" in sim.bot_messages("club")[-1].text and "Hijacked" not in sim.bot_messages("club")[-1].text
    finally:
        await cm.__aexit__(None, None, None)


async def test_a_manager_of_one_community_is_a_member_in_another(db_url: str) -> None:
    cm, bot = await _bot(db_url)
    try:
        bot.sim.chats["club"].members.add("eve")
        await bot.sim.post("club", "eve", "/set language ru")
        assert bot.sim.bot_messages("club")[-1].text == "Sorry, only the community's managers can use /set."
        info = bot.app.rt.directory.cached(ChatRef("local", "club"))
        assert info is not None and info.settings.language == "en"
    finally:
        await cm.__aexit__(None, None, None)


async def _first_record(bot: LocalBot) -> SpamRecord:
    async with bot.app.db.sessions() as s:
        rec = await s.scalar(select(SpamRecord).order_by(SpamRecord.id))
    assert rec is not None
    return rec
