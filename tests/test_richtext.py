"""The light markup: trusted templates, untrusted values, splitting."""

from __future__ import annotations

from bot.core.ids import UserRef
from bot.core.richtext import PLAIN, Mention, markup, placeholders, plain, render, split


def test_template_markup_and_placeholders() -> None:
    doc = markup("# Hello\n**Welcome**, {member}! See [the rules]({url}).\n- one", member="Ann", url="x")
    assert render(doc, PLAIN) == "Hello\nWelcome, Ann! See the rules ({url}).\n• one"
    assert doc.lines[0].style == "h" and doc.lines[1].spans[0].bold


def test_values_are_never_parsed_as_markup() -> None:
    hostile = "**[pay here](http://evil)** <b>Admin</b> {member}"
    doc = markup("Hi {name}", name=hostile)
    spans = doc.lines[0].spans
    assert spans[1].text == hostile and not spans[1].bold and spans[1].link is None


def test_mentions_carry_the_user() -> None:
    doc = markup("Welcome {member}", member=Mention(UserRef("local", "7"), "<Ann>"))
    assert doc.lines[0].spans[1].mention == UserRef("local", "7")


def test_placeholders_listed_and_braces_escaped() -> None:
    assert placeholders("{a} and {b} but not {{c}}") == {"a", "b"}
    assert render(markup("{{literal}}"), PLAIN) == "{literal}"


def test_split_keeps_order_and_limits() -> None:
    paragraphs = [f"Paragraph {i} " + "word " * (i * 7 % 60) for i in range(80)]
    doc = plain("\n\n".join(paragraphs))
    parts = split(doc, PLAIN, 500)
    assert all(len(p) <= 500 for p in parts)
    joined = " ".join(parts)
    positions = [joined.index(f"Paragraph {i} ") for i in range(80)]
    assert positions == sorted(positions)


def test_split_cuts_an_overlong_line() -> None:
    parts = split(plain("x" * 9000), PLAIN, 4096)
    assert [len(p) for p in parts] == [4096, 4096, 808]


def test_a_value_that_could_turn_the_text_around_it_is_isolated() -> None:
    """An unterminated right-to-left override in a name must not reverse the bot's own words after it."""
    from bot.core.richtext import markup

    assert markup("Welcome, {name}! Read the rules.", name="\u202eevil").plain() == "Welcome, \u2068\u202eevil\u2069! Read the rules."
    assert markup("Hi {name}!", name="مريم").plain() == "Hi \u2068مريم\u2069!"
    assert markup("Hi {name}!", name="Ann").plain() == "Hi Ann!"  # nothing added where nothing can turn


def test_a_message_link_is_written_by_the_platform_or_shown_as_its_reference() -> None:
    from bot.core.ids import ChatRef, MessageRef
    from bot.core.richtext import message_link, resolve_links

    ref = MessageRef(ChatRef("local", "town"), "5")
    doc = markup("**Found**: {link}", link=message_link(ref, "open", "message 5"))
    assert doc.plain() == "Found: message 5"  # a renderer that was never told: the textual reference (the local simulator)
    linked = resolve_links(doc, lambda r: f"https://example.org/{r.chat.id}/{r.id}")
    assert linked.plain() == "Found: open (https://example.org/town/5)"
    assert all(s.message is None for s in linked.lines[0].spans)
    assert resolve_links(doc, lambda r: None).plain() == "Found: message 5"  # no link there (a basic group, a DM)
    assert resolve_links(linked, lambda r: "never asked") is linked


def test_a_message_link_is_never_cut_into_two_links() -> None:
    from bot.core.ids import ChatRef, MessageRef
    from bot.core.richtext import Line, Rich, Span, message_link, resolve_links, split_rich

    ref = MessageRef(ChatRef("local", "town"), "5")
    long_ref = message_link(ref, "open", "a very long textual reference " * 3)
    parts = split_rich(Rich((Line((Span("x" * 20), *long_ref.lines[0].spans)),)), PLAIN, 40)
    written = [resolve_links(p, lambda r: "https://example.org/5") for p in parts]
    assert not any(s.link for p in written for line in p.lines for s in line.spans)  # too long for a line: its text, unlinked
    short = split_rich(Rich((Line((Span("x" * 30), *message_link(ref, "open", "message 5").lines[0].spans)),)), PLAIN, 35)
    assert [s.message is not None for p in short for line in p.lines for s in line.spans].count(True) == 1
