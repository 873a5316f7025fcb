"""Normalisation of Greek look-alikes and invisible characters, and look-alike domains (#19.3)."""

from __future__ import annotations

import socket

import pytest

from bot.core.settings.spam import SpamSettings
from handlers.spam.detectors import content_verdicts
from handlers.spam.domains import imitated, lookalikes
from handlers.spam.model import Model, starter_weights
from handlers.spam.normalize import normalize


def test_greek_look_alikes_inside_cyrillic_words_are_folded() -> None:
    n = normalize("Зαрαбοтοк без вложений, пиши в лс")  # Greek α and ο inside a Russian word
    assert "заработок" in n.text and n.tricks >= 1
    assert normalize("Привет, κак дела").text == normalize("Привет, как дела").text
    assert normalize("Frεε mοney").text == "free money"  # ... and inside Latin words
    assert normalize("Αθήνα είναι ωραία").tricks == 0  # Greek itself is left alone


def test_each_invisible_character_counts_and_a_byte_order_mark_is_nothing() -> None:
    assert normalize("hello world\ufeff").tricks == 0
    assert normalize("\ufeffhello world").tricks == 0
    assert normalize("he\u200bllo").tricks == 1
    assert normalize("e\u200ba\u200br\u200bn m\u200bo\u200bn\u200be\u200by").tricks == 7


@pytest.mark.parametrize(
    ("host", "brand"),
    [
        ("dlscord-gift.com", "discord"),
        ("steamcommunlty.ru", "steamcommunity"),
        ("steamcomrnunity.com", "steamcommunity"),
        ("discorcl-gift.com", "discord"),
        ("discord-nitro-gift.xyz", "discord"),
        ("gift.discord.com.claim-now.ru", "discord"),
        ("telegram.org.login-check.com", "telegram"),
        ("metamask-wallet.io", "metamask"),
    ],
)
def test_look_alike_domains(host: str, brand: str) -> None:
    assert imitated(host) == brand


@pytest.mark.parametrize(
    "host", ["discord.com", "core.telegram.org", "t.me", "www.strava.com", "youtube.com", "steamcommunity.com", "discordpy.readthedocs.io"]
)
def test_own_and_unrelated_domains_are_not_look_alikes(host: str) -> None:
    assert imitated(host) is None


def test_the_public_suffix_list_is_read_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the look-alike check must not use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    imitated.cache_clear()
    assert imitated("foo.co.uk") is None and imitated("dlscord.co.uk") == "discord"
    assert lookalikes(("https://dlscord-gift.com/claim", "https://discord.com/channels/1")) == ("discord",)


def test_a_look_alike_link_is_a_content_verdict() -> None:
    n = normalize("Free Nitro for 3 months: https://dlscord-gift.com/claim")
    assert "lookalike" in {v.reason for v in content_verdicts(n, Model(starter_weights()), SpamSettings())}
