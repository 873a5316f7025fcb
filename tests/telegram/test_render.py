"""HTML rendering, splitting at 4096, links, and flow-control windows."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.telegram.flow import FlowControl
from adapters.telegram.links import deep_link, link_to, message_link
from adapters.telegram.render import HTML, to_html
from bot.core.ids import ChatRef, MessageRef, UserRef
from bot.core.richtext import Mention, markup, split
from tests.telegram.fake_api import FakeTime, parse_html


def test_every_user_string_is_escaped() -> None:
    doc = markup(
        "# Hi {name}\n- **{what}** in [{place}](https://example.org/?a=1&b=2) by {who}",
        name="<script>",
        what="a & b",
        place="</a>",
        who=Mention(UserRef("telegram", "42"), "<Bob>"),
    )
    [html] = to_html(doc)
    assert html == (
        "<b>Hi &lt;script&gt;</b>\n• <b>a &amp; b</b> in "
        '<a href="https://example.org/?a=1&amp;b=2">&lt;/a&gt;</a> by <a href="tg://user?id=42">&lt;Bob&gt;</a>'
    )
    assert parse_html(html) == "Hi <script>\n• a & b in </a> by <Bob>"


def test_empty_document_still_sends_something() -> None:
    assert [parse_html(p) for p in to_html(markup(""))] == ["\u2063"]


# Lines mixing styles and characters that the renderer must escape (so rendering grows the text).
_words = st.text(alphabet="ab <&>*_", min_size=0, max_size=60)


@settings(max_examples=60, deadline=None)
@given(values=st.lists(_words, min_size=1, max_size=30), limit=st.integers(min_value=30, max_value=300))
def test_split_never_cuts_inside_a_tag_and_loses_nothing(values: list[str], limit: int) -> None:
    template = "\n".join(f"- **{{v{i}}}** and __{{v{i}}}__" if i % 3 else f"# `{{v{i}}}`" for i in range(len(values)))
    doc = markup(template, {f"v{i}": v for i, v in enumerate(values)})
    parts = split(doc, HTML, limit)
    assert all(len(p) <= limit for p in parts)
    visible = [parse_html(p) for p in parts]  # raises if a part breaks a tag or an entity
    strip = str.maketrans("", "", " \n")
    assert "".join(visible).translate(strip) == parse_html("\n".join(split(doc, HTML, 10**6))).translate(strip)


def test_one_huge_value_is_cut_at_spaces() -> None:
    doc = markup("**{v}**", v="word " * 3000)
    parts = to_html(doc)
    assert len(parts) == 4 and all(p.startswith("<b>") and p.endswith("</b>") for p in parts)
    assert all(len(p) <= 4096 for p in parts)


def test_links() -> None:
    assert deep_link("town_bot", "w-1_x") == "https://t.me/town_bot?start=w-1_x"
    with pytest.raises(ValueError):
        deep_link("town_bot", "has space")
    assert message_link("-1001234567890", "55") == "https://t.me/c/1234567890/55"
    assert message_link("-1001234567890", "55", place="7") == "https://t.me/c/1234567890/7/55"
    assert message_link("-1001234567890", "55", username="makers") == "https://t.me/makers/55"
    with pytest.raises(ValueError, match="supergroup"):
        message_link("-4242", "1")
    group = ChatRef("telegram", "-1001234567890")
    assert link_to(MessageRef(group, "42", "7")) == "https://t.me/c/1234567890/7/42"
    assert link_to(MessageRef(group, "42"), "makers") == "https://t.me/makers/42"
    assert link_to(MessageRef(ChatRef("telegram", "-4567"), "42")) is None  # basic groups have no links
    assert link_to(MessageRef(ChatRef("telegram", "222", private=True), "42")) is None


async def test_global_window_paces_private_messages() -> None:
    time = FakeTime()
    flow = FlowControl(time, per_second=30)
    start = time.now()

    async def ok() -> str:
        return "sent"

    for user in range(90):  # 90 DMs to different people: 30 a second
        assert await flow.call(user + 1, ok, message=True) == "sent"
    assert 2.0 <= time.now() - start < 3.0
