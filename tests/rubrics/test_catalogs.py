"""Every language has every rubric message, with the English placeholders and its own plural forms."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.i18n import read_catalog
from bot.core.richtext import placeholders

LOCALES = Path(__file__).parents[2] / "handlers" / "rubrics" / "locales"
PLURALS = {"en": 2, "ru": 3, "uk": 3, "pl": 3, "hu": 2, "it": 2, "zh_Hans": 1}


def messages(lang: str) -> dict[str, tuple[str, ...]]:
    cat = read_catalog(LOCALES / f"{lang}.po", lang)
    out: dict[str, tuple[str, ...]] = {}
    for m in cat:
        if m.id:
            key = m.id[0] if isinstance(m.id, tuple) else m.id
            out[key] = tuple(m.string) if isinstance(m.string, tuple) else (m.string,)
    return out


@pytest.mark.parametrize("lang", sorted(PLURALS))
def test_catalog_is_complete(lang: str) -> None:
    english, own = messages("en"), messages(lang)
    assert set(own) == set(english)
    cat = read_catalog(LOCALES / f"{lang}.po", lang)
    assert cat.num_plurals == PLURALS[lang]
    for key, texts in own.items():
        assert all(texts), f"{lang} {key} is empty"
        if len(english[key]) > 1:
            assert len(texts) == PLURALS[lang], f"{lang} {key} needs {PLURALS[lang]} plural forms"
        for text in texts:
            assert placeholders(text) == placeholders(english[key][-1]), f"{lang} {key}"


async def test_a_russian_community_gets_russian_answers(db_url: str) -> None:
    from bot.harness import local_bot, local_config
    from tests.conftest import START

    async with local_bot(local_config({"language": "ru"}), db_url, START) as bot:
        bot.sim.add_user("ann", "Аня")
        bot.sim.chats["town"].members.add("ann")
        for i in range(6):  # one more than a page
            await bot.sim.post("town", "ann", f"#question номер {i}")
        await bot.sim.post("town", "ann", "/find #question")
        text = bot.sim.bot_messages("town")[-1].text
        assert "последние посты" in text and "номер 5" in text
        assert bot.sim.bot_messages("town")[-1].buttons[0][0].label == "Старше ▶"
