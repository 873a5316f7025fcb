"""Attacker's checklist, ambiguous names: two members called "Ann" must never get each other's pardon.

``/strikes @Ann`` and ``/pardon Ann`` ask which one (a button each, for
moderators only); a reply to the member's message, or an id, needs no asking;
renames are stored, so the name one sees is the name that is looked up.
"""

from __future__ import annotations

from sqlalchemy import select

from bot.core.ids import ChatRef
from bot.harness import LocalBot, local_bot, local_config
from storage.models import Member
from storage.models.spam import SpamStrike
from tests.conftest import START


async def _two_anns(db_url: str):  # type: ignore[no-untyped-def]
    cm = local_bot(local_config(), db_url, START)
    bot = await cm.__aenter__()
    for uid, name in (("mia", "Mia"), ("ann1", "Ann"), ("ann2", "Ann"), ("bob", "Bob")):
        bot.sim.add_user(uid, name)
        bot.sim.chats["town"].members.add(uid)
    first = await bot.sim.post("town", "ann1", "hello from the first Ann")
    await bot.sim.post("town", "ann2", "hello from the second Ann")  # posted last: the old lookup picked her
    await bot.app.rt.flush()
    info = bot.app.rt.directory.cached(ChatRef("local", "town"))
    assert info is not None
    cid = info.id
    async with bot.app.db.sessions() as s:
        s.add_all([SpamStrike(community_id=cid, user_id=u, count=2, last_at=START) for u in ("ann1", "ann2")])
        await s.commit()
    return cm, bot, first


async def _strikes(bot: LocalBot) -> dict[str, int]:
    async with bot.app.db.sessions() as s:
        return {r.user_id: r.count for r in await s.scalars(select(SpamStrike))}


async def test_pardon_by_a_shared_name_asks_which_one(db_url: str) -> None:
    cm, bot, _ = await _two_anns(db_url)
    try:
        await bot.sim.post("town", "mia", "/pardon Ann")
        ask = bot.sim.bot_messages("town")[-1]
        assert ask.text.startswith("More than one member is called Ann (2): which one do you mean?")
        assert await _strikes(bot) == {"ann1": 2, "ann2": 2}  # nobody pardoned yet
        datas = [row[0].data for row in ask.buttons]
        assert sorted(datas) == ["stk:p:ann1", "stk:p:ann2"] and all("Ann · ann" in row[0].label for row in ask.buttons)
        await bot.sim.press(ask.id, "stk:p:ann1", "bob")  # a member may not choose
        assert await _strikes(bot) == {"ann1": 2, "ann2": 2} and bot.sim.callbacks == {}
        await bot.sim.press(ask.id, "stk:p:ann1", "mia")
        assert await _strikes(bot) == {"ann1": 0, "ann2": 2}
        await bot.sim.press(ask.id, "stk:p:zed", "mia")  # a forged id of no member
        assert await _strikes(bot) == {"ann1": 0, "ann2": 2} and bot.sim.callbacks == {}
        await bot.sim.post("town", "mia", "/strikes @Ann")
        assert [r[0].data for r in bot.sim.bot_messages("town")[-1].buttons] in (["stk:s:ann2", "stk:s:ann1"], ["stk:s:ann1", "stk:s:ann2"])
    finally:
        await cm.__aexit__(None, None, None)


async def test_a_reply_or_an_id_needs_no_asking(db_url: str) -> None:
    cm, bot, first = await _two_anns(db_url)
    try:
        await bot.sim.post("town", "mia", "/pardon", reply_to=first.id)
        assert await _strikes(bot) == {"ann1": 0, "ann2": 2}
        await bot.sim.post("town", "mia", "/pardon ann2")
        assert await _strikes(bot) == {"ann1": 0, "ann2": 0}
    finally:
        await cm.__aexit__(None, None, None)


async def test_renames_are_stored(db_url: str) -> None:
    cm, bot, _ = await _two_anns(db_url)
    try:
        bot.sim.users["ann2"].name = "Annabel"
        await bot.sim.post("town", "ann2", "I go by Annabel now")
        async with bot.app.db.sessions() as s:
            names = {m.user_id: m.display_name for m in await s.scalars(select(Member))}
        assert names["ann2"] == "Annabel" and names["ann1"] == "Ann"
        await bot.sim.post("town", "mia", "/pardon Ann")  # one Ann left: no question
        assert await _strikes(bot) == {"ann1": 0, "ann2": 2}
    finally:
        await cm.__aexit__(None, None, None)
