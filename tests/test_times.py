"""One way of writing a time per language (#22.2), and the neutral time spans each platform renders its way."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from babel import Locale

from adapters.discord.render import to_markdown
from adapters.telegram.render import to_html
from bot.core import times
from bot.core.richtext import PLAIN, markup, render
from tests.telegram.fake_api import parse_html

START = datetime(2026, 12, 3, 17, 0, tzinfo=UTC)  # 18:00 in Budapest
TZ = ZoneInfo("Europe/Budapest")


@pytest.mark.parametrize(
    ("language", "clock"),
    [("en", "6:00 PM"), ("ru", "18:00"), ("uk", "18:00"), ("pl", "18:00"), ("hu", "18:00"), ("it", "18:00"), ("zh_Hans", "18:00")],
)
def test_one_clock_per_language(language: str, clock: str) -> None:
    locale = Locale.parse(language)
    assert times.clock(locale, START, TZ) == clock
    text = times.when(locale, START, START + timedelta(hours=2), TZ, START - timedelta(days=2)).plain()
    assert clock in text and times.zone_name(locale, START, TZ) in text


def test_each_platform_shows_the_readers_own_time() -> None:
    doc = markup("🕒 {when}", when=times.when(Locale("en"), START, START + timedelta(hours=2), TZ, START - timedelta(days=2)))
    assert render(doc, PLAIN) == "🕒 Thu, Dec 3, 6:00 PM–8:00 PM, Central European Standard Time (in 2 days)"
    assert to_markdown(doc) == "🕒 <t:1796317200:F>–<t:1796324400:t> (<t:1796317200:R>)"
    [html] = to_html(doc)
    assert html.startswith('🕒 <tg-time unix="1796317200" format="wDt">Thu, Dec 3, 6:00 PM</tg-time>–')
    assert parse_html(html) == render(doc, PLAIN)  # what a client without the entity shows


def test_a_user_typed_timestamp_stays_text() -> None:
    doc = markup("{title}", title="<t:0:R> <tg-time unix=\"0\">x</tg-time>")
    assert "\\<t:0:R>" in to_markdown(doc)
    assert "&lt;tg-time" in to_html(doc)[0]
