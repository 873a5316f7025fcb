"""Catalogs: every key in every catalog with the same placeholders; plurals by the locale's rules."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.app import App
from bot.core.i18n import Catalogs
from bot.core.richtext import placeholders

ROOT = Path(__file__).resolve().parent.parent
_PO_HEADER = 'msgid ""\nmsgstr ""\n"Language: {lang}\\n"\n"Plural-Forms: {plural}\\n"\n\n'


def write_po(folder: Path, lang: str, plural: str, entries: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{lang}.po").write_text(_PO_HEADER.format(lang=lang, plural=plural) + entries, encoding="utf-8")


def all_folders() -> list[Path]:
    return sorted({p.parent for p in ROOT.glob("*/**/locales/*.po") if ".venv" not in p.parts})


def test_every_catalog_has_every_english_key_with_the_same_placeholders() -> None:
    catalogs = Catalogs(all_folders())
    english = catalogs.languages["en"].messages
    problems = []
    for lang, cat in catalogs.languages.items():
        for key, text in english.items():
            other = cat.messages.get(key)
            if other is None:
                problems.append(f"{lang}: missing {key}")
                continue
            want = placeholders(text if isinstance(text, str) else text[-1])
            forms = other if isinstance(other, tuple) else (other,)
            for form in forms:
                if placeholders(form) != want:
                    problems.append(f"{lang}: {key} has {sorted(placeholders(form))}, English has {sorted(want)}")
        for key in cat.messages:
            if key not in english:
                problems.append(f"{lang}: {key} is not in the English catalog")
    assert problems == []


def test_plural_forms_follow_the_language(tmp_path: Path) -> None:
    write_po(
        tmp_path, "en", "nplurals=2; plural=(n != 1);", 'msgid "x.n"\nmsgid_plural "x.n"\nmsgstr[0] "{n} member"\nmsgstr[1] "{n} members"\n'
    )
    write_po(
        tmp_path,
        "ru",
        "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
        'msgid "x.n"\nmsgid_plural "x.n"\nmsgstr[0] "{n} участник"\nmsgstr[1] "{n} участника"\nmsgstr[2] "{n} участников"\n',
    )
    cats = Catalogs([tmp_path])
    ru = cats.translator("ru-RU")
    assert [ru.s("x.n", n=n) for n in (1, 2, 5, 21)] == ["1 участник", "2 участника", "5 участников", "21 участник"]
    assert cats.translator("en").s("x.n", n=1) == "1 member"
    assert cats.translator("pt-BR").language == "en"  # unknown languages fall back to English


def test_every_registered_command_has_a_description(tmp_path: Path) -> None:
    from bot.core.clock import SystemClock
    from bot.core.config import parse_config
    from storage.db import Database

    app = App(parse_config({}), Database(f"sqlite+aiosqlite:///{tmp_path / 'x.sqlite3'}"), SystemClock())
    english = app.rt.catalogs.languages["en"].messages
    missing = [c.name for c in app.rt.commands.all() if c.description_key not in english]
    assert missing == []


@pytest.mark.parametrize("po", sorted(ROOT.glob("*/**/locales/*.po")), ids=lambda p: str(p.relative_to(ROOT)))
def test_catalog_files_declare_their_language_and_plurals(po: Path) -> None:
    text = po.read_text(encoding="utf-8")
    assert f'"Language: {po.stem}\\n"' in text
    assert re.search(r'"Plural-Forms: nplurals=\d; plural=', text)


def test_every_message_renders_in_every_language() -> None:
    catalogs = Catalogs(all_folders())
    english = catalogs.languages["en"].messages
    for lang in catalogs.languages:
        tr = catalogs.translator(lang)
        for key, text in english.items():
            names = placeholders(text if isinstance(text, str) else text[-1])
            values: dict[str, str | int] = {name: "X" for name in names}
            for n in (1, 2, 5, 21):
                if isinstance(text, tuple) or "n" in names:
                    values["n"] = n
                rendered = tr.s(key, values)
                assert rendered.strip() and rendered != key, f"{lang} {key}"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("ru", ["через 1 день", "через 2 дня", "через 5 дней", "через 21 день"]),
        ("uk", ["через 1 день", "через 2 дні", "через 5 днів", "через 21 день"]),
        ("pl", ["za 1 dzień", "za 2 dni", "za 5 dni", "za 21 dni"]),
        ("en", ["in 1 day", "in 2 days", "in 5 days", "in 21 days"]),
    ],
)
def test_real_catalogs_use_the_languages_plural_rules(lang: str, expected: list[str]) -> None:
    tr = Catalogs(all_folders()).translator(lang)
    assert [tr.s("calendar.in_days", n=n) for n in (1, 2, 5, 21)] == expected


def test_dates_follow_the_locale() -> None:
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    cats = Catalogs(all_folders())
    when = datetime(2026, 12, 3, 17, 0, tzinfo=UTC)
    tz = ZoneInfo("Europe/Budapest")
    assert cats.translator("en").date(when, tz) == "December 3, 2026"
    assert cats.translator("ru").date(when, tz).replace("\u202f", " ") == "3 декабря 2026 г."
    assert cats.translator("hu").date(when, tz) == "2026. december 3."
    assert cats.translator("hu").time(when, tz) == "18:00"


def test_a_key_defined_in_two_catalogs_is_an_error_at_load(tmp_path: Path) -> None:
    from bot.core.i18n import CatalogConflict

    first, second = tmp_path / "a", tmp_path / "b"
    for folder, text in ((first, "Hello"), (second, "Hi")):
        folder.mkdir()
        write_po(folder, "en", "nplurals=2; plural=(n != 1);", f'msgid "x.hello"\nmsgstr "{text}"\n')
    with pytest.raises(CatalogConflict, match=r"x\.hello.*defined twice"):
        Catalogs([first, second])
    assert Catalogs([first, first]).translator("en").s("x.hello") == "Hello"  # the same folder twice is one
