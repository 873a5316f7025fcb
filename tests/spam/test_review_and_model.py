"""Moderators' review paths, the ban list, the shipped model and the bot's removals as leaves."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from adapters.local.simulator import SimMessage
from bot.core.ids import UserRef
from bot.core.settings.spam import SpamSettings
from bot.harness import LocalBot, local_bot, local_config
from handlers.spam.banlist import CachedBanList
from handlers.spam.detectors import combine, content_verdicts
from handlers.spam.model import DATA, TABLE, Model, code_fingerprint, load_table, save_table, starter_weights, table_stamps
from handlers.spam.normalize import normalize
from handlers.spam.train import build, find_data
from storage.models.core import Member
from storage.models.onboarding import Newcomer
from storage.models.spam import SpamToken
from tests.conftest import START
from tests.spam.members import settle

SPAM = "💰💰 Earn $500 a day from home!!! Crypto signals, DM me now: t.me/max_profit_signals 💰💰"
RU_SPAM = "Заработок от 5000 рублей в день без вложений, пиши в личку"


def _button(msg: SimMessage, prefix: str) -> str:
    return next(b.data for row in msg.buttons or () for b in row if b.data.startswith(prefix))


def _card(b: LocalBot) -> SimMessage:
    return next(m for m in reversed(b.sim.bot_messages("town")) if m.place == "mods" and m.buttons)


def score(text: str) -> float:
    return combine(content_verdicts(normalize(text), Model(starter_weights()), SpamSettings()))


def test_shipped_table_matches_the_code() -> None:
    """The weights mean something only for the features they were trained on: retrain with ``python -m handlers.spam.train``."""
    assert load_table(TABLE) is not None
    assert table_stamps(TABLE)["code"] == code_fingerprint()


def test_the_package_ships_weights_and_own_texts_only() -> None:
    """The development sets are not ours to redistribute: only the derived weights and the project's seed texts ship."""
    assert sorted(p.name for p in DATA.iterdir()) == ["README.md", "seed.txt", "starter-weights.tsv"]


@pytest.mark.skipif(find_data() is None, reason="the development sets (shared/data/spam) are not beside the repository")
def test_shipped_weights_equal_a_fresh_training_run(tmp_path: Path) -> None:
    data = find_data()
    assert data is not None
    weights, stamp = build(data)
    fresh = tmp_path / "weights.tsv"
    save_table(weights, fresh, code_fingerprint(), stamp)
    assert table_stamps(TABLE)["data"] == stamp, "the development sets changed: python -m handlers.spam.train"
    assert fresh.read_text(encoding="utf-8") == TABLE.read_text(encoding="utf-8")


def test_ordinary_messages_stay_neutral_in_every_language() -> None:
    ordinary = [
        "hello everyone", "ok", "thanks!", "just chatting 3", "Привет всем", "Дякую, до зустрічі в суботу",
        "Cześć, czy ktoś ma lutownicę?", "Sziasztok, holnap is nyitva lesz a műhely?", "Ciao a tutti, qualcuno viene sabato?",
        "大家好，周六的活动几点开始？", "Docs: https://github.com/aiogram/aiogram/issues/1234", "🎉🎉 congrats Ann!",
    ]  # fmt: skip
    assert [t for t in ordinary if score(t) >= 0.5] == []


def test_spam_in_other_languages_and_disguised() -> None:
    spam = [
        "Zarabiaj 500 zł dziennie bez doświadczenia, napisz prywatnie t.me/zysk",
        "Napi 50000 Ft kereset otthonról, írj privátban!",
        "Guadagna 300€ al giorno da casa, scrivimi in privato",
        "日赚500元，加微信私聊，稳赚不赔",
        "Заробіток від 2000 грн на день, пишіть в особисті",
        "Еаrn mоnеy fаst, DМ mе",
    ]
    assert [t for t in spam if score(t) < 0.8] == []


async def test_cached_banlist_asks_once_and_survives_errors() -> None:
    class FakeBanList:
        def __init__(self) -> None:
            self.asked: list[str] = []

        async def is_banned(self, user: UserRef) -> bool:
            self.asked.append(user.id)
            if user.id == "down":
                raise ConnectionError("the list is down")
            return user.id == "spammer"

    fake = FakeBanList()
    cached = CachedBanList(fake, capacity=2)
    spammer, ann, down = UserRef("local", "spammer"), UserRef("local", "ann"), UserRef("local", "down")
    assert await cached.is_banned(spammer) and await cached.is_banned(spammer)
    assert not await cached.is_banned(ann)
    assert not await cached.is_banned(down)  # an error never blocks a member
    assert fake.asked == ["spammer", "ann", "down"]


async def test_notspam_reply_restores_and_learns(db_url: str) -> None:
    async with local_bot(local_config({"log_place": "mods", "spam": {"stop_phrases": ["soldering"]}}), db_url, START) as b:
        b.sim.add_user("mia", "Mia")
        b.sim.chats["town"].members.add("mia")
        await settle(b, "bob")
        msg = await b.sim.post("town", "bob", "who has a soldering iron to lend?")
        assert b.sim.messages[msg.id].deleted
        await b.sim.post("town", "mia", "/notspam", reply_to=msg.id)
        assert any(m.text.endswith("who has a soldering iron to lend?") for m in b.sim.bot_messages("town") if m.place is None)
        assert "Not spam" in b.sim.messages[_card_id(b)].text
        async with b.app.db.sessions() as s:
            assert await s.scalar(select(func.sum(SpamToken.ham))) > 0


def _card_id(b: LocalBot) -> str:
    return next(m.id for m in b.sim.bot_messages("town") if m.place == "mods")


async def test_confirm_in_shadow_mode_removes_and_learns(db_url: str) -> None:
    async with local_bot(local_config({"log_place": "mods", "spam": {"shadow_mode": True}}), db_url, START) as b:
        b.sim.add_user("mia", "Mia")
        b.sim.chats["town"].members.add("mia")
        b.sim.add_user("max", "Max")
        await b.sim.join("town", "max")
        msg = await b.sim.post("town", "max", SPAM)
        assert not b.sim.messages[msg.id].deleted
        card = _card(b)
        await b.sim.press(card.id, _button(card, "sp:ok:"), "mia")
        assert b.sim.messages[msg.id].deleted
        assert "Confirmed" in b.sim.messages[card.id].text and not b.sim.messages[card.id].buttons
        async with b.app.db.sessions() as s:
            assert await s.scalar(select(func.sum(SpamToken.spam))) > 0


async def test_ban_without_learning_records_the_leave(db_url: str) -> None:
    async with local_bot(local_config({"log_place": "mods"}), db_url, START) as b:
        b.sim.add_user("mia", "Mia")
        b.sim.chats["town"].members.add("mia")
        await settle(b, "eve")
        msg = await b.sim.post("town", "eve", RU_SPAM)  # an established member: flagged, left in place
        assert "eve" not in b.sim.chats["town"].banned and not b.sim.messages[msg.id].deleted
        card = _card(b)
        await b.sim.press(card.id, _button(card, "sp:ban:"), "mia")
        assert "eve" in b.sim.chats["town"].banned and b.sim.messages[msg.id].deleted
        assert "Banned" in b.sim.messages[card.id].text
        async with b.app.db.sessions() as s:
            assert await s.scalar(select(func.count()).select_from(SpamToken)) == 0  # nothing learnt
            member = await s.scalar(select(Member).where(Member.user_id == "eve"))
            assert member is not None and member.left_kind == "banned"


async def test_a_ban_stops_the_newcomers_campaign(db_url: str) -> None:
    async with local_bot(local_config({"log_place": "mods"}), db_url, START) as b:
        b.sim.add_user("max", "Max")
        await b.sim.join("town", "max")
        async with b.app.db.sessions() as s:
            row = await s.scalar(select(Newcomer).where(Newcomer.user_id == "max"))
            assert row is not None and row.campaign_state == "active"
        await b.sim.post("town", "max", SPAM)
        assert "max" in b.sim.chats["town"].banned
        async with b.app.db.sessions() as s:
            row = await s.scalar(select(Newcomer).where(Newcomer.user_id == "max"))
            member = await s.scalar(select(Member).where(Member.user_id == "max"))
        assert row is not None and row.campaign_state == "banned" and row.left_at is not None
        assert member is not None and member.left_kind == "banned"


def test_the_projects_hard_set_is_never_trained_on() -> None:
    """bench/data/spam_hard.tsv measures unseen chat: none of its lines may be among the training texts."""
    from handlers.spam.train import seed_samples

    hard = Path(__file__).resolve().parents[2] / "bench" / "data" / "spam_hard.tsv"
    lines = [line.split("\t", 3) for line in hard.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    texts = {normalize(t).text for *_, t in lines}
    assert len(lines) >= 120 and {lang for lang, *_ in lines} >= {"en", "ru", "uk", "pl", "hu", "it", "zh", "es", "pt", "de"}
    assert not texts & {normalize(t).text for _, t in seed_samples()}
    data = find_data()
    if data is not None:
        from handlers.spam.train import development_samples

        assert not texts & {normalize(t).text for _, t in development_samples(data)}
