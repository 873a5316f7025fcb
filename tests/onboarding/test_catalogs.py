"""Every onboarding catalog has every key, the same placeholders and its language's plural forms."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot.core.richtext import markup, placeholders

LOCALES = Path(__file__).parents[2] / "handlers" / "onboarding" / "locales"
LANGUAGES = ("ru", "hu", "pl", "zh_Hans", "it", "uk")
PLURALS = {"en": 2, "ru": 3, "uk": 3, "pl": 3, "hu": 2, "it": 2, "zh_Hans": 1}


def load(lang: str) -> dict[str, tuple[str, ...]]:
    with (LOCALES / f"{lang}.po").open("rb") as fh:
        cat = read_po(fh, locale=lang)
    assert cat.num_plurals == PLURALS[lang]
    out: dict[str, tuple[str, ...]] = {}
    for msg in cat:
        if msg.id:
            key = msg.id[0] if isinstance(msg.id, tuple) else msg.id
            out[key] = tuple(msg.string) if isinstance(msg.string, tuple) else (msg.string,)
    return out


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalog_matches_english(lang: str) -> None:
    en = load("en")
    other = load(lang)
    assert set(other) == set(en)
    for key, texts in en.items():
        want = set().union(*(placeholders(t) for t in texts))
        assert len(other[key]) == (PLURALS[lang] if len(texts) > 1 else 1), key
        for text in other[key]:
            assert text, f"{lang} {key} is empty"
            assert placeholders(text) == want, f"{lang} {key}"
            markup(text, {p: "x" for p in want})  # parses
