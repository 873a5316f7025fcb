"""A community's normal talk (#19.2): trusted members' messages teach the ham side, bounded, forgotten with /forgetme."""

from __future__ import annotations

from bot.harness import LocalBot, local_bot, local_config
from handlers.spam.history import Histories, History
from handlers.spam.memory import SpamMemory
from handlers.spam.model import Model, starter_weights
from handlers.spam.normalize import normalize
from handlers.spam.review import Review
from tests.conftest import START
from tests.spam.members import settle

SALE = "Selling my bike, 250 euros, DM me if you want it"
TALK = [
    "selling my old monitor for 40 euros, DM me",
    "anyone want a desk? 30 euros, pick up on Saturday, DM me",
    "for sale: a tent, like new, 60 euros, DM me for photos",
    "selling a guitar, 120 euros or best offer",
    "still have the sofa, now 80 euros, DM me",
    "selling my drill, 25 euros, write me",
]


def _score(model: Model, text: str) -> float:
    return model.logit_of(normalize(text))


def test_a_marketplace_history_lowers_a_sale_and_forgets_its_members() -> None:
    model = Model(starter_weights())
    model.history = History()
    before = _score(model, SALE)
    for i in range(60):
        model.remember(f"m{i % 6}", normalize(TALK[i % len(TALK)]))
    after = _score(model, SALE)
    assert after < before - 0.5
    for i in range(6):
        model.history.forget(f"m{i}")
    assert len(model.history) == 0 and not model.history.words and not model.history.shapes
    assert _score(model, SALE) == before


def test_one_member_alone_teaches_nothing_and_credentials_are_never_normal() -> None:
    h = History()
    for _ in range(50):
        h.add("solo", ["staking", "rewards"], ["#money"])
    assert h.words == {} and h.shapes == {}  # one voice is no community's habit (nor a spammer's way in)
    for i in range(50):
        h.add(f"m{i % 5}", ["staking"], ["#money", "#lure:account", "#tricks"])
    assert h.words["staking"] < 0 and 0 < h.shapes["#money"] <= 0.5
    assert "#lure:account" not in h.shapes and "#tricks" not in h.shapes


def test_the_history_is_bounded() -> None:
    h = History(capacity=100)
    for i in range(1000):
        h.add(f"m{i % 7}", [f"word{i}", "common"], [])
    assert len(h) == 100 and len(h._counts) == 101 and len(h._keys) == 101
    hs = Histories(communities=3, per_community=10)
    for c in range(10):
        hs.of(c).add("a", ["word"], [])
    assert len(hs._by) == 3


async def _service(b: LocalBot) -> SpamMemory:
    review = next(getattr(h, "__self__") for h in b.app.rt.forget_hooks if isinstance(getattr(h, "__self__", None), Review))  # noqa: B009
    assert isinstance(review, Review)
    return review.service


async def test_trusted_members_teach_newcomers_do_not_and_forgetme_forgets(db_url: str) -> None:
    async with local_bot(local_config({"log_place": "mods"}), db_url, START) as b:
        await settle(b, "ann")
        await settle(b, "bob")
        b.sim.add_user("max", "Max")
        await b.sim.join("town", "max")
        service = await _service(b)
        [cid] = {info.id for info in b.app.rt.directory.all_cached()}
        history = service.histories.of(cid)
        seen = len(history)
        assert seen == 2  # (each member's fourth message: the first three were the sandbox)
        await b.sim.post("town", "max", "selling my drill, 25 euros, write me")  # a newcomer: not the community's voice yet
        assert len(history) == seen
        for who in ("ann", "bob"):
            for text in TALK[:3]:  # the third scores over 0.5 (a verdict): not learnt, though nothing removes it
                await b.sim.post("town", who, text)
        assert len(history) == seen + 4
        await b.sim.start_bot("ann")
        await b.sim.post("town", "ann", "/forgetme")
        ask = b.sim.bot_messages("town")[-1]
        assert ask.buttons
        await b.sim.press(ask.id, ask.buttons[0][0].data or "", "ann")
        assert {user for user, _ in history._entries} == {"bob"}
