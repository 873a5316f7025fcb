"""The light markup: splitting within platform limits, Markdown documents, escaping."""

from __future__ import annotations

import html
import re

import pytest

from bot.core.ids import UserRef
from bot.core.richtext import PLAIN, Mention, Renderer, Rich, Span, from_markdown, markup, plain, render, split, split_rich
from handlers.pinned.layout import LIMITS, MEASURE, parts_for


def _html_span(s: Span) -> str:
    text = html.escape(s.text, quote=False)
    if s.code:
        text = f"<code>{text}</code>"
    if s.bold:
        text = f"<b>{text}</b>"
    if s.italic:
        text = f"<i>{text}</i>"
    if s.link:
        text = f'<a href="{html.escape(s.link)}">{text}</a>'
    return text


def _md_span(s: Span) -> str:
    text = re.sub(r"([\\*_~`|>\[\]()])", r"\\\1", s.text)
    if s.bold:
        text = f"**{text}**"
    if s.italic:
        text = f"*{text}*"
    if s.link:
        text = f"[{text}](<{s.link}>)"
    return text


TELEGRAM_HTML = Renderer(span=_html_span, heading=lambda t: f"<b>{t}</b>")
DISCORD_MD = Renderer(span=_md_span, heading=lambda t: f"**{t}**")


def _long_document(paragraphs: int = 120) -> Rich:
    body = []
    for i in range(paragraphs):
        body.append(
            f"# Part {i:03d}\n**Rule {i:03d}** says __be kind__ & <see> [the wiki](https://example.org/{i})\n- item {i:03d} " + "word " * 40
        )
    return markup("\n\n".join(body))


@pytest.mark.parametrize(("renderer", "limit"), [(TELEGRAM_HTML, 4096), (DISCORD_MD, 2000), (PLAIN, 4096), (PLAIN, 2000)])
def test_split_keeps_order_and_limits(renderer: Renderer, limit: int) -> None:
    doc = _long_document()
    parts = split(doc, renderer, limit)
    assert len(parts) > 1
    assert all(0 < len(p) <= limit for p in parts)
    # Nothing lost, nothing reordered: the parts' paragraphs are the document's paragraphs.
    blank_separated = tuple(line for para in doc.paragraphs() for line in (*para.lines, *plain("").lines))[:-1]
    assert "\n\n".join(parts) == render(Rich(blank_separated), renderer)
    numbers = [int(n) for p in parts for n in re.findall(r"Part (\d{3})", p)]
    assert numbers == list(range(120))


def test_a_cut_never_breaks_markup() -> None:
    """One bold paragraph far longer than the limit: every part opens and closes its own tags."""
    doc = markup("**" + "very important words & more " * 400 + "** and [a link with a long label " + "x " * 300 + "](https://e.org)")
    for limit in (4096, 2000, 300):
        parts = split(doc, TELEGRAM_HTML, limit)
        assert len(parts) > 1 and all(len(p) <= limit for p in parts)
        for p in parts:
            assert p.count("<b>") == p.count("</b>")
            assert p.count("<a ") == p.count("</a>")
            assert not re.search(r"&[a-z]*$", p)  # no entity cut in half
        assert "".join(p.replace("<b>", "").replace("</b>", "") for p in parts).count("important") == 400


def test_split_rich_cuts_between_lines_and_continues_list_items_without_a_second_bullet() -> None:
    doc = markup("- " + "a " * 3000)
    parts = split_rich(doc, PLAIN, 1000)
    assert [p.lines[0].style for p in parts] == ["li"] + ["p"] * (len(parts) - 1)
    assert all(len(render(p, PLAIN)) <= 1000 for p in parts)


def test_split_of_an_empty_document_is_empty() -> None:
    assert split(plain(""), PLAIN, 100) == []


def test_platform_parts_fit_with_the_platform_renderers() -> None:
    doc = _long_document(200)
    for platform, renderer in (("telegram", TELEGRAM_HTML), ("discord", DISCORD_MD)):
        parts = parts_for(platform, doc)
        assert all(len(render(p, MEASURE)) <= LIMITS[platform] for p in parts)
        assert all(len(render(p, renderer)) <= LIMITS[platform] for p in parts)


def test_values_are_never_parsed_as_markup() -> None:
    evil = "**bold** __it__ [x](https://evil.example) {name} <b>&amp;</b>"
    doc = markup("- **{rule}**", rule=evil)
    spans = doc.lines[0].spans
    assert doc.lines[0].style == "li"
    assert "".join(s.text for s in spans) == evil
    assert all(s.link is None for s in spans)
    assert "&lt;b&gt;&amp;amp;&lt;/b&gt;" in render(doc, TELEGRAM_HTML)
    assert r"\[x\]\(https://evil.example\)" in render(doc, DISCORD_MD)


def test_markdown_document() -> None:
    doc = from_markdown(
        "\ufeff## Our rules ##\r\n\r\n1. Be **kind**, _patient_ and *curious*\n* See [the wiki](https://wiki.example)"
        " or <https://help.example>\n- snake_case_names and 5 * 3 stay as they are\n\\*not italic\\* {no_placeholder} **unclosed\n"
        "---\n```\n**code** stays\n```"
    )
    lines = doc.lines
    assert (lines[0].style, lines[0].spans[0].text) == ("h", "Our rules")
    assert [(s.text, s.bold, s.italic) for s in lines[2].spans] == [
        ("1. ", False, False), ("Be ", False, False), ("kind", True, False), (", ", False, False),
        ("patient", False, True), (" and ", False, False), ("curious", False, True),
    ]  # fmt: skip
    assert lines[3].style == "li" and [s.link for s in lines[3].spans if s.link] == ["https://wiki.example", "https://help.example"]
    assert [(s.text, s.italic) for s in lines[4].spans] == [("snake_case_names and 5 * 3 stay as they are", False)]
    assert [s.text for s in lines[5].spans] == ["*not italic* {no_placeholder} **unclosed"]
    assert lines[6].spans == () and lines[7].spans == (Span("**code** stays", code=True),)


def test_markdown_keeps_dangerous_links_as_text() -> None:
    doc = from_markdown("[click](javascript:alert(1))")
    assert all(s.link is None for s in doc.lines[0].spans)


def test_existing_markup_api_still_works() -> None:
    who = Mention(UserRef("local", "7"), "Ann *x*")
    doc = markup("# Hi {who}\n**{n}** {{literal}}", who=who, n=3)
    assert doc.plain() == "Hi Ann *x*\n3 {literal}"
    assert doc.lines[0].spans[1].mention == UserRef("local", "7")
    with pytest.raises(KeyError):
        markup("{missing}")
