"""Attacker's checklist, forged button data: any client can send any callback data.

Every press is parsed by one strict parser (``bot/core/callbacks.py``), so huge
integers, wrong shapes and unknown prefixes are refused without an error, and
every press is answered exactly once. A welcome-DM button carrying another
community's id must not hand that community's rules, guide or events to a
non-member.
"""

from __future__ import annotations

import pytest

from bot.core import callbacks
from bot.core.ids import ChatRef
from bot.harness import LocalBot, local_bot, local_config
from tests.conftest import START

HUGE = "9" * 60

FORGED = [
    f"sp:ns:{HUGE}",
    f"sp:ok:{HUGE}",
    f"sp:ap:{HUGE}",
    "sp:ns:-1",
    "sp:ns:1:2",
    "sp:zz:1",
    "sp:ns:٣",  # an Arabic-Indic digit: isdigit() says yes, int() too
    f"rf:f:{HUGE}:#q soldering",
    "rf:q:1:nope",
    "rf:m:1:someone-else",
    f"rsvp:{HUGE}:going:c",
    "rsvp:1:maybe-not:c",
    f"onb:pick:{HUGE}",
    "onb:gate:extra",
    f"onbdm:rules:{HUGE}",
    "onbdm:rules:-5",
    "onbdm:nothing:1",
    "forget:",
    "forget:ann:x",
    "forget:" + "a" * 90,
    "x" * 500,
    "nope:1",
    "",
    "sp:ns:1\x00",
]


@pytest.fixture
async def bot(db_url: str) -> LocalBot:  # type: ignore[misc]
    async with local_bot(local_config({"log_place": "modlog"}), db_url, START) as b:
        b.sim.add_user("mia", "Mia")
        b.sim.add_user("ann", "Ann")
        b.sim.chats["town"].members.update({"mia", "ann"})
        yield b


@pytest.mark.parametrize("data", FORGED)
async def test_a_forged_press_is_refused_quietly_and_answered_once(bot: LocalBot, data: str) -> None:
    card = await bot.sim.post("town", "mia", "a message with a button under it")
    errors, failures = bot.app.rt.router.errors, bot.app.rt.action_failures
    for who in ("ann", "mia"):  # a member, and a manager
        await bot.sim.press(card.id, data, who)
        assert bot.sim.callbacks == {}, "the press was never answered"
    assert bot.app.rt.router.errors == errors  # no OverflowError, no ValueError: nothing raised
    assert bot.app.rt.action_failures == failures  # and no second answer to the same press


def test_the_parser_bounds_every_field() -> None:
    assert callbacks.parse("ns:12", callbacks.one_of("ns"), callbacks.ID) == ("ns", 12)
    assert callbacks.parse(f"ns:{HUGE}", callbacks.one_of("ns"), callbacks.ID) is None
    assert callbacks.parse("ns:007", callbacks.one_of("ns"), callbacks.ID) is None
    assert callbacks.parse("ns:٣", callbacks.one_of("ns"), callbacks.ID) is None
    assert callbacks.parse("ns", callbacks.one_of("ns"), callbacks.ID) is None
    assert callbacks.parse("f:0:#q a:b", callbacks.one_of("f"), callbacks.number(10), callbacks.text()) == ("f", 0, "#q a:b")
    assert callbacks.parse("f:11:x", callbacks.one_of("f"), callbacks.number(10), callbacks.text()) is None
    assert not callbacks.well_formed("x" * 101) and not callbacks.well_formed("a\x00") and not callbacks.well_formed("\udc80")
    assert callbacks.well_formed("rsvp:1:going:c")


async def test_a_welcome_dm_button_for_another_community_gives_nothing_away(db_url: str) -> None:
    config = local_config(
        {"pinned": {"rules": ["Town rule"]}},
        extra={"communities": [
            {"platform": "local", "chat_id": "town", "name": "Town", "managers": ["mia"], "settings": {"pinned": {"rules": ["Town rule"]}}},
            {"platform": "local", "chat_id": "club", "name": "Secret club", "settings": {"pinned": {"rules": ["Club secret rule"]}}},
        ]},
    )  # fmt: skip
    async with local_bot(config, db_url, START) as bot:
        bot.sim.add_user("mia", "Mia")
        bot.sim.add_user("ann", "Ann")
        await bot.sim.start_bot("ann")
        await bot.sim.join("town", "ann")  # a newcomer of Town, who gets its welcome DM
        welcome = next(m for m in bot.sim.dms("ann") if m.buttons)
        own = next(b.data for row in welcome.buttons for b in row if b.data and b.data.startswith("onbdm:rules:"))
        club = (await bot.app.rt.directory.resolve(ChatRef("local", "club"), START)).id
        await bot.sim.press(welcome.id, f"onbdm:rules:{club}", "ann")
        await bot.sim.press(welcome.id, f"onbdm:events:{club}", "ann")
        await bot.sim.press(welcome.id, f"onbdm:guide:{club}", "ann")
        assert bot.sim.callbacks == {}
        assert not any("Club secret rule" in m.text or "Secret club" in m.text for m in bot.sim.dms("ann"))
        assert any(e.what == "answer" and "newcomers" in e.text for e in bot.sim.log)
        await bot.sim.press(welcome.id, own, "ann")  # her own community's button still works
        assert "Town rule" in bot.sim.dms("ann")[-1].text

