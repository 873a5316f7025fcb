"""Discord markdown: template styling kept, user strings shown as typed."""

from __future__ import annotations

from adapters.discord.render import allowed_mentions, parts, to_markdown
from adapters.discord.translate import hashtag
from bot.core.ids import UserRef
from bot.core.richtext import Mention, markup


def test_user_strings_are_escaped_and_only_meant_mentions_ping() -> None:
    doc = markup(
        "# Hi {name}\n- **{who}** said `{code}`", name="> *x* <@1> @everyone", who=Mention(UserRef("discord", "42"), "Ann"), code="a`b"
    )
    md = to_markdown(doc)
    assert md.splitlines()[0] == "## Hi > \\*x\\* \\<@1> @\u200beveryone"  # ">" mid-line is no quote
    assert md.splitlines()[1] == "- **<@42>** said `a\u02cbb`"
    mentions = allowed_mentions(doc).to_dict()
    assert mentions["parse"] == [] and mentions["users"] == [42]


def test_long_documents_split_within_the_limit() -> None:
    doc = markup("\n\n".join(["word " * 300] * 5))
    chunks = parts(doc, 2000)
    assert len(chunks) > 1 and all(len(c) <= 2000 for c in chunks)


def test_forum_tag_names_as_hashtags() -> None:
    assert hashtag("Show & Tell") == "#show_tell"
    assert hashtag("Вопрос") == "#вопрос"
    assert hashtag("!!!") == ""


def test_neighbouring_spans_of_one_style_are_one_span() -> None:
    """Adjacent bold spans must not meet as '****', which Discord shows as asterisks."""
    from bot.core.richtext import markup

    assert to_markdown(markup("**Rules of {name}**", name="Riverside Makers")) == "**Rules of Riverside Makers**"
    assert to_markdown(markup("**{tag}** posts", tag="#question")) == "**\\#question** posts"
