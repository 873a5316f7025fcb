"""Translations: gettext catalogs (``.po``) per feature, read with Babel.

Each feature keeps its own catalogs in ``<package>/locales/<lang>.po``; keys are
stable ids (``onboarding.welcome``) and the English catalog holds the English
text. Texts use the light markup of ``bot.core.richtext``; their ``{placeholders}``
are filled with untrusted values that are never parsed as markup.

Plural forms and dates follow the locale (CLDR through Babel).
"""

from __future__ import annotations

import datetime as dt
import gettext
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from bot.core import times
from bot.core.richtext import Rich, Value, markup

log = logging.getLogger(__name__)

DEFAULT_LANGUAGE = "en"


def _plural_fn(catalog: Catalog) -> Callable[[int], int]:
    return gettext.c2py(catalog.plural_expr)


@dataclass
class LanguageCatalog:
    language: str
    messages: dict[str, str | tuple[str, ...]] = field(default_factory=dict)
    plural: object = None

    def plural_index(self, n: int) -> int:
        fn = self.plural
        return int(fn(n)) if callable(fn) else (0 if n == 1 else 1)


def read_catalog(path: Path, language: str) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh, locale=language)


class CatalogConflict(RuntimeError):
    """Two features' catalogs define the same key: one would silently override the other."""


class Catalogs:
    """All languages' messages, merged from every feature's locale folder."""

    def __init__(self, folders: Iterable[Path]) -> None:
        self.languages: dict[str, LanguageCatalog] = {}
        owner: dict[tuple[str, str], Path] = {}
        for folder in dict.fromkeys(Path(f).resolve() for f in folders):
            for po in sorted(folder.glob("*.po")):
                lang = po.stem
                cat = read_catalog(po, lang)
                lc = self.languages.setdefault(lang, LanguageCatalog(lang, plural=_plural_fn(cat)))
                for msg in cat:
                    if not msg.id:
                        continue
                    key = str(msg.id[0] if isinstance(msg.id, list | tuple) else msg.id)
                    first = owner.setdefault((lang, key), po)
                    if first != po:
                        raise CatalogConflict(
                            f"the text {key!r} is defined twice, in {first} and in {po}: keep it in one feature's catalog"
                        )
                    if msg.fuzzy:
                        continue
                    if isinstance(msg.string, list | tuple):
                        if all(msg.string):
                            lc.messages[key] = tuple(str(x) for x in msg.string)
                    elif msg.string:
                        lc.messages[key] = str(msg.string)
        if DEFAULT_LANGUAGE not in self.languages:
            raise RuntimeError("the English catalog is missing; the package is incomplete")
        self._translators: dict[str, Translator] = {}

    def translator(self, language: str | None) -> Translator:
        lang = self.resolve(language)
        tr = self._translators.get(lang)
        if tr is None:
            tr = self._translators[lang] = Translator(lang, self.languages[lang], self.languages[DEFAULT_LANGUAGE])
        return tr

    def resolve(self, language: str | None) -> str:
        """Best catalog for an IETF tag from a platform (``pt-BR``, ``zh-hans``, ``uk``)."""
        if not language:
            return DEFAULT_LANGUAGE
        norm = language.replace("-", "_")
        if norm in self.languages:
            return norm
        base = norm.split("_")[0].lower()
        if base == "zh" and "zh_Hans" in self.languages:
            return "zh_Hans"
        return base if base in self.languages else DEFAULT_LANGUAGE


class Translator:
    """Messages of one language, falling back to English, then to the key itself."""

    def __init__(self, language: str, catalog: LanguageCatalog, fallback: LanguageCatalog) -> None:
        self.language = language
        self._cat = catalog
        self._fallback = fallback
        self.locale = Locale.parse(language)

    def raw(self, key: str, n: int | None = None) -> str:
        for cat in (self._cat, self._fallback):
            msg = cat.messages.get(key)
            if msg is None:
                continue
            if isinstance(msg, tuple):
                idx = cat.plural_index(n if n is not None else 1)
                return msg[min(idx, len(msg) - 1)]
            return msg
        log.warning("missing translation key %s", key)
        return key

    def t(self, key: str, values: Mapping[str, Value] | None = None, /, **kw: Value) -> Rich:
        """A message as a document. Pass ``n=`` for a plural message."""
        vals = dict(values or {})
        vals.update(kw)
        n = vals.get("n")
        return markup(self.raw(key, n if isinstance(n, int) else None), vals)

    def s(self, key: str, values: Mapping[str, Value] | None = None, /, **kw: Value) -> str:
        """A message as plain text (button labels, command descriptions)."""
        return self.t(key, values, **kw).plain()

    def datetime(self, when: dt.datetime, tz: dt.tzinfo, fmt: str = "medium") -> str:
        return format_datetime(when.astimezone(tz), format=fmt, locale=self.locale)

    def date(self, when: dt.datetime, tz: dt.tzinfo, fmt: str = "long") -> str:
        return format_date(when.astimezone(tz), format=fmt, locale=self.locale)

    def time(self, when: dt.datetime, tz: dt.tzinfo) -> str:
        """A time of day on the language's one clock (``6:00 PM`` in English, ``18:00`` in Russian)."""
        return times.clock(self.locale, when, tz)
