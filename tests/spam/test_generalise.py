"""Amounts, rates and lures beyond the first languages (#19, part 2)."""

from __future__ import annotations

from handlers.spam.detectors import lures
from handlers.spam.lexicon import lure_groups
from handlers.spam.model import shape_features
from handlers.spam.normalize import normalize


def _lures(text: str) -> tuple[str, ...]:
    n = normalize(text)
    return lures(n, lure_groups(n.text), [], False, False, ())


def test_amounts_in_more_currencies_and_digits() -> None:
    assert normalize("روزی ۳ میلیون تومان").money  # Persian digits, tomans
    assert normalize("Rp500 ribu per hari").text.startswith("rp500")  # an amount, not leetspeak ("rpsoo")
    assert normalize("₹3000 रोज़").money and normalize("300 دولار يومياً").money
    assert normalize("fr33 m0ney").text == "free money"  # leetspeak is still undone


def test_a_daily_rate_is_a_pay_lure_a_coins_name_is_not() -> None:
    assert "pay" in _lures("Работа курьером, 7000₽/день, оплата сразу")
    assert "#rate" in shape_features(normalize("Procuramos entregadores, R$ 300 por dia, chama"))
    assert "pay" not in _lures("Muss man Bitcoin-Gewinne nach einem Jahr noch versteuern?")
    assert "pay" in _lures("Tomorrow we pump the token, crypto profit x10 guaranteed")


def test_job_posts_with_a_salary_may_say_write_me() -> None:
    assert "dm" not in _lures("Шукаємо дизайнера, зарплата від 40 000 грн. Питання пишіть мені.")
    assert "salary" not in lure_groups(normalize("Remote job, 2 hours a day, $300 a week, write me").text)


def test_adult_bait_and_its_false_friends() -> None:
    assert "adult" in _lures("Einsam? 🔞 Mädels aus deiner Stadt warten")
    assert "bait" not in lure_groups(normalize("в субботу собрание в 18:00").text)
    assert "bait" not in lure_groups(normalize("My bed is so lonely without you").text)
