"""The core: router, unit of work, commands, permissions, settings."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.core.commands import Where
from bot.core.context import Context
from bot.core.events import Event, MessagePosted
from bot.core.ids import ChatRef
from bot.core.router import Flow
from bot.harness import LocalBot
from storage.models import ActivityDay, AuditEntry, Member


async def test_message_counts_are_batched_and_flushed(bot: LocalBot) -> None:
    hello = await bot.sim.post("town", "ann", "hello")
    await bot.sim.post("town", "bob", "hi ann", reply_to=hello.id)
    await bot.app.rt.flush()
    async with bot.app.db.sessions() as s:
        rows = {r.user_id: (r.messages, r.replies) for r in await s.scalars(select(ActivityDay))}
        ann = await s.scalar(select(Member).where(Member.user_id == "ann"))
    assert rows == {"ann": (1, 0), "bob": (1, 1)}
    assert ann is not None and ann.message_count == 1 and ann.first_message_at is not None


async def test_handler_error_rolls_back_and_bot_goes_on(bot: LocalBot, caplog: pytest.LogCaptureFixture) -> None:
    class Boom:
        name = "boom"
        events: tuple[type[Event], ...] = (MessagePosted,)
        where = Where.ANYWHERE

        async def handle(self, ctx: Context, ev: MessagePosted, /) -> Flow | None:
            ctx.audit("should vanish")
            raise RuntimeError("kaputt")

    boom = Boom()
    bot.app.rt.router.prepend(boom)
    with caplog.at_level(logging.ERROR):
        await bot.sim.post("town", "ann", "secret text")
    assert bot.app.rt.router.errors == 1
    assert "MessagePosted" in caplog.text and "user=ann" in caplog.text
    assert "secret text" not in caplog.text  # the event's context, never the member's words
    async with bot.app.db.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(AuditEntry)) == 0
    # The next event is handled normally.
    bot.app.rt.router.remove(boom)
    await bot.sim.post("town", "ann", "/help")
    assert "What I can do here" in bot.sim.bot_messages("town")[-1].text


async def test_spam_filter_can_stop_the_chain(bot: LocalBot) -> None:
    seen: list[str] = []

    class Stopper:
        name = "stopper"
        events: tuple[type[Event], ...] = (MessagePosted,)
        where = Where.ANYWHERE

        async def handle(self, ctx: Context, ev: MessagePosted, /) -> Flow | None:
            seen.append("stopper")
            return Flow.STOP

    bot.app.rt.router.prepend(Stopper())
    await bot.sim.post("town", "ann", "buy now")
    await bot.app.rt.flush()
    async with bot.app.db.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(ActivityDay)) == 0
    assert seen == ["stopper"]


async def test_help_lists_manager_commands_only_for_managers(bot: LocalBot) -> None:
    await bot.sim.post("town", "ann", "/help")
    member_help = bot.sim.bot_messages("town")[-1].text
    await bot.sim.post("town", "mia", "/help")
    manager_help = bot.sim.bot_messages("town")[-1].text
    assert "/settings" not in member_help
    assert "/settings" in manager_help


async def test_members_get_a_polite_refusal(bot: LocalBot) -> None:
    await bot.sim.post("town", "ann", "/set spam.shadow_mode true")
    assert "only the community's managers" in bot.sim.bot_messages("town")[-1].text
    info = bot.app.rt.directory.cached(ChatRef("local", "town"))
    assert info is not None and info.settings.spam.shadow_mode is False


async def test_set_changes_validates_and_audits(bot: LocalBot) -> None:
    await bot.sim.post("town", "mia", "/set spam.mute_for banana")
    assert "can't be banana" in bot.sim.bot_messages("town")[-1].text
    await bot.sim.post("town", "mia", "/set spam.shadow_mode true")
    assert "now it is true" in bot.sim.bot_messages("town")[-1].text
    async with bot.app.db.sessions() as s:
        entries = list(await s.scalars(select(AuditEntry)))
    assert [(e.actor_id, e.action, e.before, e.after) for e in entries] == [("mia", "set spam.shadow_mode", "false", "true")]
    bot.clock.advance(timedelta(minutes=1))
    await bot.sim.post("town", "mia", "/set nothing.here 1")
    assert "no setting called nothing.here" in bot.sim.bot_messages("town")[-1].text


async def test_a_new_communitys_first_event_failing_leaves_no_dangling_id(bot: LocalBot) -> None:
    class Boom:
        name = "boom"
        events: tuple[type[Event], ...] = (MessagePosted,)
        where = Where.ANYWHERE

        async def handle(self, ctx: Context, ev: MessagePosted, /) -> Flow | None:
            raise RuntimeError("first event fails")

    bot.sim.add_chat("other", "Other place")
    bot.sim.chats["other"].members.add("ann")
    boom = Boom()
    bot.app.rt.router.prepend(boom)
    await bot.sim.post("other", "ann", "hello")
    bot.app.rt.router.remove(boom)
    await bot.sim.post("other", "ann", "hello again")  # the community's row exists: no FK error
    await bot.app.rt.flush()
    assert bot.app.rt.router.errors == 1
    async with bot.app.db.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(Member).where(Member.user_id == "ann")) == 1
