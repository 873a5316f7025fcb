"""Hostile input: whatever arrives, the bot neither crashes nor executes it nor loses state."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.core.config import ConfigError, parse_config
from bot.core.events import MessageKind, MessagePosted, Person, Role
from bot.core.ids import ChatRef, MessageRef, UserRef
from bot.harness import LocalBot
from storage.models import Community, Member

NASTY = [
    "'; DROP TABLE members; --",
    "<b>Admin</b>",
    "[pay here](http://evil.example)",
    "**bold** __it__ `code` {member} {{x}}",
    "\u202eevil\u202c",
    "z\u200bero\u200dwidth",
    "🙂" * 500,
    "\x00\x01\x02",
    "Robert'); DELETE FROM communities;--",
    "nul\x00in the middle",
    "lone \ud800 surrogate",
]

# Any code point, lone surrogates included (JSON "\\ud800" escapes decode to them).
any_char = st.characters(min_codepoint=0, max_codepoint=0x10FFFF, categories=None, exclude_categories=())
texts = st.one_of(st.sampled_from(NASTY), st.text(max_size=300), st.text(any_char, max_size=60))
names = st.one_of(st.sampled_from(NASTY), st.text(min_size=0, max_size=80), st.text(any_char, max_size=20))


def _message(i: int, text: str, name: str, kind: MessageKind, reply: bool, bot: LocalBot, members: int = 7) -> MessagePosted:
    chat = ChatRef("local", "town")
    return MessagePosted(
        chat,
        bot.clock.now(),
        Person(UserRef("local", f"h{i % members}"), name),
        MessageRef(chat, f"m{i}"),
        text,
        kind,
        Role.MEMBER,
        reply_to=MessageRef(chat, f"m{i - 1}") if reply else None,
        reply_to_author=UserRef("local", f"h{(i - 1) % 7}") if reply else None,
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batch=st.lists(st.tuples(texts, names, st.sampled_from(list(MessageKind)), st.booleans()), min_size=1, max_size=8))
async def test_random_messages_never_break_the_core(bot: LocalBot, batch: list[tuple[str, str, MessageKind, bool]]) -> None:
    before = bot.app.rt.router.errors
    for i, (text, name, kind, reply) in enumerate(batch):
        bot.clock.advance(timedelta(seconds=3))
        assert await bot.app.handle(_message(i, text, name, kind, reply, bot)) is not None
    assert bot.app.rt.router.errors == before
    await bot.app.rt.flush()
    async with bot.app.db.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(Community)) == 1


async def test_a_one_megabyte_message_and_sql_in_names(bot: LocalBot) -> None:
    huge = ("spam and eggs " * 80_000)[:1_000_000]
    for i, name in enumerate(NASTY):
        # one member per name, so that every hostile name is inserted, not just updated
        await bot.app.handle(_message(i, huge if i == 0 else NASTY[i], name, MessageKind.TEXT, False, bot, len(NASTY)))
    assert bot.app.rt.router.errors == 0
    await bot.app.rt.flush()
    async with bot.app.db.sessions() as s:
        names_stored = set(await s.scalars(select(Member.display_name)))
        assert await s.scalar(select(func.count()).select_from(Community)) == 1
    assert "'; DROP TABLE members; --" in names_stored
    assert "nulin the middle" in names_stored  # NUL dropped (PostgreSQL refuses it), the rest kept


scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20))
config_trees: Any = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=3),
        st.dictionaries(
            st.sampled_from(["bot", "telegram", "discord", "defaults", "communities", "spam", "timezone", "x"]), children, max_size=4
        ),
    ),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None)
@given(data=st.dictionaries(st.sampled_from(["bot", "telegram", "discord", "defaults", "communities", "oops"]), config_trees, max_size=4))
def test_malformed_config_gets_a_clear_error_never_a_crash(data: dict[str, Any]) -> None:
    try:
        parse_config(data, "fuzz.toml")
    except ConfigError as exc:
        assert exc.problems and all(p.split(":")[0] for p in exc.problems)
