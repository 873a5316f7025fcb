"""Decide with care, act with proportion (#19.1): a score from the text alone never removes an established
member's message, a newcomer's needs the classifier and an independent lure, and the DM names only what fired."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from adapters.local.simulator import SimMessage
from bot.core.settings.spam import SpamSettings
from bot.harness import LocalBot, local_bot, local_config
from handlers.spam.decide import Step, first_step, judge
from handlers.spam.detectors import Verdict
from handlers.spam.model import Model
from tests.conftest import START
from tests.spam.members import settle

QUESTION = "#question which soldering iron should a beginner buy, budget 50 euros"


def _moderator(b: LocalBot) -> None:
    b.sim.add_user("mia", "Mia")
    b.sim.chats["town"].members.add("mia")


def _cards(b: LocalBot) -> list[SimMessage]:
    return [m for m in b.sim.bot_messages("town") if m.place == "mods"]


@pytest.fixture
def sure_classifier(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The text classifier is sure of everything: what the filter then does depends on the policy alone."""
    monkeypatch.setattr(Model, "probability_of", lambda self, n: 0.97)
    yield


async def test_a_newcomers_plain_question_with_a_budget_is_not_deleted(db_url: str) -> None:
    async with local_bot(local_config({"log_place": "mods"}), db_url, START) as b:
        b.sim.add_user("newbie", "Newbie")
        await b.sim.join("town", "newbie")
        msg = await b.sim.post("town", "newbie", QUESTION)
        assert not b.sim.messages[msg.id].deleted
        assert "newbie" not in b.sim.chats["town"].banned


async def test_a_newcomers_text_without_a_lure_goes_to_the_log_not_the_bin(db_url: str, sure_classifier: None) -> None:
    async with local_bot(local_config({"log_place": "mods"}), db_url, START) as b:
        _moderator(b)
        b.sim.add_user("newbie", "Newbie")
        await b.sim.join("town", "newbie")
        msg = await b.sim.post("town", "newbie", "which soldering iron should a beginner buy?")
        assert not b.sim.messages[msg.id].deleted and "newbie" not in b.sim.chats["town"].banned
        (card,) = _cards(b)
        assert "Looks like spam" in card.text
        labels = [btn.label for row in card.buttons or () for btn in row]
        assert labels[:2] == ["Remove", "Keep"]
        await b.sim.press(card.id, card.buttons[0][0].data, "mia")  # Remove: a moderator's one tap
        assert b.sim.messages[msg.id].deleted


async def test_an_established_members_message_is_never_removed_on_the_text_alone(db_url: str, sure_classifier: None) -> None:
    async with local_bot(local_config({"log_place": "mods"}), db_url, START) as b:
        _moderator(b)
        await settle(b, "eve")
        text = "Earn $500 a day, DM me: t.me/eve_signals"
        msg = await b.sim.post("town", "eve", text)
        assert not b.sim.messages[msg.id].deleted and not b.sim.dms("eve")
        card = _cards(b)[-1]
        await b.sim.press(card.id, card.buttons[0][1].data, "mia")  # Keep
        assert not b.sim.messages[msg.id].deleted
        assert not [m for m in b.sim.bot_messages("town") if m.place is None and text in m.text]  # nothing to restore
        # ... but behaviour backs it: the same text posted again is removed
        b.clock.advance(timedelta(seconds=30))
        again = await b.sim.post("town", "eve", text)
        assert b.sim.messages[again.id].deleted


async def test_a_newcomers_spam_with_a_lure_is_removed_and_the_dm_names_only_what_fired(db_url: str, sure_classifier: None) -> None:
    async with local_bot(local_config({"log_place": "mods"}), db_url, START) as b:
        b.sim.add_user("max", "Max")
        await b.sim.join("town", "max")
        msg = await b.sim.post("town", "max", "Nice offer here https://example.com/offer")
        assert b.sim.messages[msg.id].deleted
        dm = next(m for m in b.sim.dms("max") if "spam" in m.text and "removed" in m.text)
        assert "text classifier" in dm.text and "newcomer posting a link" in dm.text
        assert "promotion" not in dm.text and "privately" not in dm.text and "money" not in dm.text


def test_policy_table() -> None:
    s = SpamSettings()
    clf = Verdict("classifier", 0.97)
    assert first_step(judge([clf], newcomer=False, settings=s), s) is Step.FLAG
    assert first_step(judge([clf], newcomer=True, settings=s), s) is Step.FLAG  # no lure
    assert first_step(judge([clf], newcomer=True, settings=s, lures=("pay",)), s) is Step.BAN  # obvious newcomer spam
    assert first_step(judge([Verdict("classifier", 0.999)], newcomer=True, settings=s), s) is Step.BAN  # overwhelming
    assert first_step(judge([clf, Verdict("duplicate_across", 0.85)], newcomer=False, settings=s), s) is None  # the ladder
    assert first_step(judge([Verdict("stop_phrase", 1.0)], newcomer=False, settings=s), s) is None  # the community's rule
    assert first_step(judge([Verdict("classifier", 0.6)], newcomer=False, settings=s), s) is Step.NONE
    j = judge([clf, Verdict("newcomer_link", 0.5)], newcomer=True, settings=s, lures=("link", "pay"))
    assert j.reasons() == "classifier:0.97,newcomer_link:0.50,lure_pay"


def test_a_picture_with_a_one_word_caption_is_still_a_bare_picture() -> None:
    """A newcomer's photo captioned "👇" or "." is what a bare photo is; a real caption is talk."""
    from bot.core.events import MessageKind
    from handlers.spam.detectors import newcomer_verdicts
    from handlers.spam.normalize import normalize

    def reasons(caption: str) -> set[str]:
        return {v.reason for v in newcomer_verdicts(normalize(caption), SpamSettings(), MessageKind.PHOTO, False, False, ())}

    assert "newcomer_media" in reasons("")
    assert "newcomer_media" in reasons("👇")
    assert "newcomer_media" not in reasons("my workbench after the weekend")
