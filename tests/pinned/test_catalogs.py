"""Every language has every pinned key, with the same placeholders and its plural forms."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.i18n import read_catalog
from bot.core.richtext import placeholders
from bot.core.settings.types import LANGUAGES
from bot.harness import LocalBot

LOCALES = Path(__file__).parents[2] / "handlers" / "pinned" / "locales"


def _messages(lang: str) -> dict[str, tuple[str, ...]]:
    cat = read_catalog(LOCALES / f"{lang}.po", lang)
    out = {}
    for m in cat:
        if m.id:
            key = m.id[0] if isinstance(m.id, tuple) else m.id
            out[key] = tuple(m.string) if isinstance(m.string, tuple) else (m.string,)
    return out


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
def test_catalog_is_complete(lang: str) -> None:
    english = _messages("en")
    other = _messages(lang)
    assert set(other) == set(english)
    forms = {"ru": 3, "uk": 3, "pl": 3, "zh_Hans": 1}.get(lang, 2)
    for key, texts in english.items():
        assert all(other[key]), f"{lang}: {key} is empty"
        expected = set().union(*(placeholders(t) for t in texts))
        for text in other[key]:
            assert placeholders(text) <= expected | {"n"}, f"{lang}: {key} uses an unknown placeholder"
        assert set().union(*(placeholders(t) for t in other[key])) == expected, f"{lang}: {key} lost a placeholder"
        if len(texts) > 1:
            assert len(other[key]) == forms, f"{lang}: {key} needs {forms} plural forms"


async def test_documents_in_another_language(pbot: LocalBot) -> None:
    await pbot.sim.post("town", "mia", "/set language ru")
    await pbot.tick()
    docs = [m.text for m in pbot.sim.bot_messages("town") if m.place is None and m.text.startswith(("Добро", "Как", "События"))]
    titles = [d.split("\n")[0] for d in docs]
    assert titles == ["Добро пожаловать в Riverside Makers", "Как у нас всё устроено", "События: ноябрь 2026\u202fг."]
