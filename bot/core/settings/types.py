"""Validated field types shared by the settings models."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time, timedelta
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BeforeValidator, ConfigDict, GetCoreSchemaHandler, PlainSerializer
from pydantic_core import core_schema

from bot.core.richtext import placeholders

STRICT = ConfigDict(extra="forbid", frozen=True, validate_default=True)

_DURATION = re.compile(r"^\s*(?:(\d+)\s*d)?\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m)?\s*(?:(\d+)\s*s)?\s*$")


def parse_duration(value: Any) -> timedelta:
    """``"1d"``, ``"2h30m"``, ``"45s"`` or a number of seconds."""
    if isinstance(value, timedelta):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return timedelta(seconds=value)
    if isinstance(value, str):
        m = _DURATION.match(value)
        if m and any(m.groups()):
            d, h, mi, s = (int(g) if g else 0 for g in m.groups())
            return timedelta(days=d, hours=h, minutes=mi, seconds=s)
    raise ValueError(f'{value!r} is not a duration; write it like "90s", "15m", "2h" or "1d12h"')


def _fmt_duration(td: timedelta) -> str:
    """The shortest spelling that ``parse_duration`` reads back: ``"6h"``, ``"1d12h"``, ``"90s"``."""
    total = int(td.total_seconds())
    if total == 0:
        return "0s"
    out = ""
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if total >= size:
            out += f"{total // size}{unit}"
            total %= size
    return out


def format_span(td: timedelta) -> str:
    """A span for a log line, to the second: ``"2d4h"``, ``"45s"`` (never ``"2 days, 4:00:00.123456"``)."""
    return _fmt_duration(timedelta(seconds=round(td.total_seconds())))


Duration = Annotated[timedelta, BeforeValidator(parse_duration), PlainSerializer(_fmt_duration)]


def _check_tz(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f'{name!r} is not a known time zone; use an IANA name such as "Europe/Budapest" or "UTC"') from None
    return name


TimeZoneName = Annotated[str, AfterValidator(_check_tz)]


def _parse_time(value: Any) -> time:
    if isinstance(value, time):
        return value
    if isinstance(value, str):
        m = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*", value)
        if m and int(m.group(1)) < 24 and int(m.group(2)) < 60:
            return time(int(m.group(1)), int(m.group(2)))
    raise ValueError(f'{value!r} is not a time of day; write it like "18:30"')


TimeOfDay = Annotated[time, BeforeValidator(_parse_time), PlainSerializer(lambda t: t.strftime("%H:%M"))]

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _parse_weekday(value: Any) -> int:
    if isinstance(value, int) and 0 <= value <= 6:
        return value
    if isinstance(value, str) and value.strip().lower()[:3] in WEEKDAYS:
        return WEEKDAYS.index(value.strip().lower()[:3])
    raise ValueError(f"{value!r} is not a weekday; write one of {', '.join(WEEKDAYS)}")


Weekday = Annotated[int, BeforeValidator(_parse_weekday), PlainSerializer(lambda d: WEEKDAYS[d])]

LANGUAGES = ("en", "ru", "hu", "pl", "zh_Hans", "it", "uk")


def _check_language(value: str) -> str:
    norm = value.replace("-", "_")
    if norm.lower() in ("zh", "zh_hans", "zh_cn"):
        return "zh_Hans"
    if norm not in LANGUAGES:
        raise ValueError(f"{value!r} is not a supported language; use one of {', '.join(LANGUAGES)}")
    return norm


Language = Annotated[str, AfterValidator(_check_language)]


@dataclass(frozen=True)
class Placeholders:
    """A text template that may use only these ``{placeholders}``: ``Annotated[str, Placeholders(("member",))]``.

    Pydantic runs ``check`` after the text is read; config.example.toml lists the names (``describe``).
    """

    names: tuple[str, ...]

    def describe(self) -> str:
        return "may use " + ", ".join("{" + n + "}" for n in self.names)

    def check(self, text: str) -> str:
        unknown = placeholders(text) - set(self.names)
        if unknown:
            names = ", ".join("{" + n + "}" for n in sorted(unknown))
            can = ", ".join("{" + n + "}" for n in sorted(self.names)) or "none"
            raise ValueError(f"unknown placeholder {names}; this text can use {can}")
        return text

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(self.check, handler(source))


def clock(text: str) -> time:
    """A time of day written as in the config (``clock("10:00")``), for a setting's default."""
    return _parse_time(text)


def day(text: str) -> int:
    """A weekday written as in the config (``day("mon")``), for a setting's default."""
    return _parse_weekday(text)


def span(text: str) -> timedelta:
    """A duration written as in the config (``span("30m")``), for a setting's default."""
    return parse_duration(text)
