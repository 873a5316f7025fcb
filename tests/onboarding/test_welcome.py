"""Group welcome, welcome DM and its deep-link fallback, join waves, clean welcome, hostile names."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from bot.core.richtext import Span
from bot.harness import LocalBot
from handlers.onboarding.deeplink import community_from, payload_for
from storage.models import Person
from storage.models.onboarding import Newcomer

from .conftest import MakeBot, newcomer


def spans(bot: LocalBot, chat: str) -> list[Span]:
    out: list[Span] = []
    for m in bot.sim.bot_messages(chat):
        assert m.rich is not None
        for line in m.rich.lines:
            out.extend(line.spans)
    return out


async def test_welcome_mentions_member_and_names_community(make_bot: MakeBot) -> None:
    async with make_bot() as bot:
        await bot.sim.join("town", "bob")
        [welcome] = bot.sim.bot_messages("town")
        assert "Welcome to Riverside Makers, Bob!" in welcome.text
        assert "#intro" in welcome.text
        assert any(s.mention is not None and s.mention.id == "bob" for s in spans(bot, "town"))
        # Bob's DMs are open: the DM went out with its buttons, and no deep link was needed.
        [dm] = bot.sim.dms("bob")
        assert "Welcome to Riverside Makers!" in dm.text
        assert [b.label for row in dm.buttons for b in row] == ["Rules", "Hashtag guide", "Upcoming events", "Stop these messages"]
        assert "local://start" not in welcome.text


async def test_dm_refused_then_delivered_after_start(make_bot: MakeBot) -> None:
    async with make_bot() as bot:
        await bot.sim.join("town", "ann")
        assert bot.sim.dms("ann") == []
        welcome = bot.sim.bot_messages("town")[-1]
        link = next(s.link for s in spans(bot, "town") if s.link and s.link.startswith("local://start/"))
        payload = link.removeprefix("local://start/")
        row = await newcomer(bot, "ann")
        assert row.dm_pending and community_from(payload) == row.community_id
        assert "open a chat with me" in welcome.text
        async with bot.app.db.sessions() as s:
            assert await s.scalar(select(Person.dm_state).where(Person.user_id == "ann")) == "closed"

        await bot.sim.start_bot("ann", payload)
        [dm] = bot.sim.dms("ann")
        assert "Welcome to Riverside Makers!" in dm.text
        row = await newcomer(bot, "ann")
        assert not row.dm_pending and row.dm_sent_at is not None
        async with bot.app.db.sessions() as s:
            assert await s.scalar(select(Person.dm_state).where(Person.user_id == "ann")) == "open"
        # Starting again does not send the welcome twice.
        await bot.sim.start_bot("ann", payload)
        assert sum("Welcome to Riverside Makers!" in m.text for m in bot.sim.dms("ann")) == 1


async def test_payload_format_round_trips_and_rejects_junk() -> None:
    assert community_from(payload_for(42)) == 42
    for junk in ("", "w", "x12", "w12x", "w-1", "<b>"):
        assert community_from(junk) is None


async def test_join_wave_gets_one_combined_welcome_and_loses_nobody(make_bot: MakeBot) -> None:
    async with make_bot(onboarding={"join_wave_joins": 3, "join_wave_window": "60s"}) as bot:
        for i in range(40):
            bot.sim.add_user(f"u{i}", f"User {i}")
            await bot.sim.join("town", f"u{i}")
            bot.clock.advance(timedelta(seconds=1))
        # Three individual welcomes, then the wave waits for its window to pass.
        assert len(bot.sim.bot_messages("town", include_deleted=True)) == 3
        bot.clock.advance(timedelta(seconds=61))
        await bot.tick()
        await bot.tick()  # a second tick finds nothing left to post
        msgs = bot.sim.bot_messages("town", include_deleted=True)
        assert len(msgs) == 4
        assert "Welcome to Riverside Makers, User 3, User 4, User 5 and 34 others!" in msgs[-1].text
        async with bot.app.db.sessions() as s:
            assert await s.scalar(select(func.count()).where(Newcomer.welcomed.is_(False))) == 0
        # Every DM of the wave went out.
        assert all(len(bot.sim.dms(f"u{i}")) == 1 for i in range(40))


async def test_wave_survives_a_restart(make_bot: MakeBot, db_url: str) -> None:
    async with make_bot(onboarding={"join_wave_joins": 2}) as bot:
        for i in range(6):
            bot.sim.add_user(f"u{i}", f"User {i}")
            await bot.sim.join("town", f"u{i}")
        assert len(bot.sim.bot_messages("town", include_deleted=True)) == 2
    async with make_bot(onboarding={"join_wave_joins": 2}) as bot2:
        bot2.clock.advance(timedelta(minutes=5))
        await bot2.tick()
        [combined] = bot2.sim.bot_messages("town")
        assert "User 2, User 3, User 4 and 1 other!" in combined.text


async def test_clean_welcome_deletes_the_previous_one(make_bot: MakeBot) -> None:
    async with make_bot() as bot:
        await bot.sim.join("town", "bob")
        bot.clock.advance(timedelta(minutes=5))
        await bot.sim.join("town", "chen")
        msgs = bot.sim.bot_messages("town", include_deleted=True)
        assert [m.deleted for m in msgs] == [True, False]
    async with make_bot(onboarding={"clean_welcome": False, "delete_service_messages": True}) as bot:
        await bot.sim.join("town", "bob")
        await bot.sim.join("town", "chen")
        assert [m.deleted for m in bot.sim.bot_messages("town", include_deleted=True)] == [False, False]
        service = [m for m in bot.sim.messages.values() if m.author in ("bob", "chen") and m.text == "joined"]
        assert len(service) == 2 and all(m.deleted for m in service)


async def test_hostile_names_stay_plain_text(make_bot: MakeBot) -> None:
    async with make_bot() as bot:
        bot.sim.add_user("evil", "[pay here](http://evil)")
        bot.sim.add_user("admin", "<b>Admin</b> **boss**")
        await bot.sim.join("town", "evil")
        bot.clock.advance(timedelta(minutes=5))
        await bot.sim.join("town", "admin")
        all_spans = spans(bot, "town") + [s for m in bot.sim.dms("evil") + bot.sim.dms("admin") for ln in m.rich.lines for s in ln.spans]  # type: ignore[union-attr]
        assert not any(s.link == "http://evil" for s in all_spans)
        assert any(s.text == "[pay here](http://evil)" and s.mention is not None for s in all_spans)
        assert any(s.text == "<b>Admin</b> **boss**" and not s.bold for s in all_spans)


async def test_custom_template_and_unknown_placeholder_rejected(make_bot: MakeBot) -> None:
    import pytest

    from bot.core.config import ConfigError
    from bot.harness import local_config

    with pytest.raises(ConfigError, match=r"unknown placeholder \{nmae\}"):
        local_config({"onboarding": {"welcome_text": "Hi {nmae}!"}})
    with pytest.raises(ConfigError, match="right_choice"):
        local_config({"onboarding": {"gate": {"mode": "choice", "question": "?", "choices": ["a", "b"], "right_choice": 2}}})
    async with make_bot(onboarding={"welcome_text": "Hey **{member}**, this is {community}."}) as bot:
        await bot.sim.join("town", "bob")
        assert bot.sim.bot_messages("town")[-1].text == "Hey Bob, this is Riverside Makers."


async def test_start_without_payload_still_delivers_and_says_so_when_nothing_waits(make_bot: MakeBot) -> None:
    async with make_bot() as bot:
        bot.sim.add_user("olga", "Ольга", dm_open=False, language="ru")
        await bot.sim.join("town", "olga")
        await bot.sim.start_bot("olga", "")
        [dm] = bot.sim.dms("olga")
        assert "Добро пожаловать в Riverside Makers!" in dm.text  # her own language
        assert "Welcome to Riverside Makers, Ольга!" in bot.sim.bot_messages("town")[-1].text  # the group's language
        await bot.sim.start_bot("bob", "w999")
        assert "Nothing is waiting for you" in bot.sim.dms("bob")[-1].text


async def test_known_closed_dms_are_not_knocked_on_again(make_bot: MakeBot) -> None:
    async with make_bot() as bot:
        await bot.sim.join("town", "ann")
        await bot.sim.leave("town", "ann")
        bot.clock.advance(timedelta(days=40))
        await bot.sim.join("town", "ann")
        refused = [e for e in bot.sim.log if e.what == "dm (closed)"]
        assert len(refused) == 1  # the second join used what the first taught
        assert (await newcomer(bot, "ann")).dm_pending
        assert "local://start/" in "".join(s.link or "" for s in spans(bot, "town"))


async def test_the_example_configs_welcome_reads_right(make_bot: MakeBot) -> None:
    """config.example.toml's own community welcome, rendered: no "the the", no "##" (#16)."""
    import tomllib
    from pathlib import Path

    example = tomllib.loads((Path(__file__).parents[2] / "config.example.toml").read_text(encoding="utf-8"))
    onboarding = example["communities"][0]["settings"]["onboarding"]
    async with make_bot(onboarding={"welcome_text": onboarding["welcome_text"]}) as bot:
        await bot.sim.join("town", "bob")
        [welcome] = bot.sim.bot_messages("town")
        assert welcome.text == "Welcome to Riverside Makers, Bob! Read the pinned rules and say hi with #intro."
