"""A messenger id written out ("加ｖｘ：ａｂｃ１２３", "wx rich888") is a contact, like a card (#19, part 3)."""

from __future__ import annotations

from bot.core.events import MessageKind
from bot.core.settings.spam import SpamSettings
from handlers.spam.detectors import lures, newcomer_verdicts
from handlers.spam.lexicon import lure_groups
from handlers.spam.normalize import normalize


def _reasons(text: str) -> set[str]:
    return {v.reason for v in newcomer_verdicts(normalize(text), SpamSettings(), MessageKind.TEXT, False, False, ())}


def test_a_disguised_messenger_id_is_a_contact() -> None:
    for text in ("兼职，加ｖｗ：ｘ１，加ｖｘ：ｍｏｎｅｙ９９", "私聊 𝐰𝐱 𝐣𝐨𝐛𝟐𝟎𝟐𝟔", "qq 12345678 联系", "telegram: rich_boss"):
        n = normalize(text)
        assert n.handles == 1, text
        assert "newcomer_contact" in _reasons(text), text
        assert "contact" in lures(n, lure_groups(n.text), [], False, False, ()), text


def test_plain_words_and_line_numbers_are_no_messenger_id() -> None:
    for text in ("error on line 12345", "see line: 12345", "the telegram channel is great", "wa 12 people came", "tg bot works"):
        assert normalize(text).handles == 0, text
        assert "newcomer_contact" not in _reasons(text), text


def test_an_amount_is_no_phone_number() -> None:
    for text in ("Szukamy grafika, 9 000-12 000 zł brutto", "Зарплата 80 000 - 120 000 ₽ в месяц", "ціна 12 500 - 14 000 грн"):
        n = normalize(text)
        assert n.phones == 0 and n.money, text
        assert "contact" not in lures(n, lure_groups(n.text), [], False, False, ()), text
    assert normalize("$500 a day, call +1 555 123 4567").phones == 1
    assert normalize("5000₽ в день, звоните 89123456789").phones == 1


def test_a_pay_band_is_how_a_salary_is_stated_a_daily_rate_still_lures() -> None:
    def pay(text: str) -> bool:
        n = normalize(text)
        return "pay" in lures(n, lure_groups(n.text), [], False, False, ())

    assert not pay("Szukamy grafika do zespołu, 9 000-12 000 zł, zdalnie")
    assert not pay("Hiring a backend dev, $80k–100k, remote")
    assert pay("Работа курьером, 3000-5000₽ в день, оплата сразу")
    assert pay("Easy job from home, $300 a week, no experience")
