"""A platform that makes the bot wait (rate limits, 429 retry_after, 5xx retries) must not stall the database.

The Telegram outbox may hold a send for seconds, even a minute (20 messages a minute into one group).
While one event's answer waits there, events elsewhere must still be stored at once: no database lock,
row lock or pooled connection may be held across a platform call.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, cast

import pytest
from sqlalchemy import event, func, select

from adapters.local.simulator import LocalPlatform
from bot.app import App
from bot.core import actions as a
from bot.core.clock import VirtualClock
from bot.core.commands import Where
from bot.core.config import parse_config
from bot.core.context import Context
from bot.core.events import Event, MessagePosted
from bot.core.ids import ChatRef, UserRef
from bot.core.richtext import markup
from bot.core.router import Flow
from bot.core.uow import LazySession
from bot.harness import LocalBot
from storage.db import Database
from storage.models import AuditEntry, Member
from storage.models.onboarding import Newcomer
from tests.conftest import START
from tests.pinned.conftest import PINNED
from tests.spam.test_filter import SPAM

SLOW, FAST = "slow", "fast"  # two groups on the same bot
WAIT_LIMIT = 10.0  # seconds: only reached when the test fails (a hang instead of an answer)


@dataclass
class SlowPlatform:
    """The simulator's outbox, except that calls about one group (or its newcomer's DMs) wait until released.

    It also notes, at every call, how many database connections are checked out of the pool.
    """

    sim: LocalPlatform
    db: Database
    slow_users: set[str] = field(default_factory=set)
    release: asyncio.Event = field(default_factory=asyncio.Event)
    waiting: asyncio.Event = field(default_factory=asyncio.Event)
    held: list[tuple[str, int]] = field(default_factory=list)  # (action, connections checked out)

    def _slow(self, action: a.Action) -> bool:
        chat = getattr(action, "chat", None)
        user = getattr(action, "user", None)
        return (isinstance(chat, ChatRef) and chat.id == SLOW) or (isinstance(user, UserRef) and user.id in self.slow_users)

    async def perform(self, action: a.Action) -> a.Result:
        self.held.append((type(action).__name__, self.db.engine.pool.checkedout()))  # type: ignore[attr-defined]
        if self._slow(action):
            self.waiting.set()
            await self.release.wait()  # the platform says "retry after ..."
        return await self.sim.perform(action)


@dataclass
class TwoGroups:
    app: App
    sim: LocalPlatform
    platform: SlowPlatform
    clock: VirtualClock


def _short_busy_timeout(dbapi_conn: Any, _record: Any) -> None:
    """Fail fast instead of after 5 s: a test that fails should fail quickly, one that passes never waits."""
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA busy_timeout=200")
    cur.close()


@pytest.fixture
async def groups(db_url: str) -> AsyncIterator[TwoGroups]:
    config = parse_config(
        {
            "communities": [
                {"platform": "local", "chat_id": SLOW, "name": "Slow Makers", "managers": ["mia"]},
                {"platform": "local", "chat_id": FAST, "name": "Fast Knitters", "managers": ["mia"], "settings": PINNED},
            ]
        }
    )
    clock = VirtualClock(START)
    sim = LocalPlatform(clock)
    for chat in (SLOW, FAST):
        sim.add_chat(chat, chat, admins=("mia",))
    db = Database(db_url)
    platform = SlowPlatform(sim, db)
    app = App(config, db, clock, {"local": platform})
    app.rt.deep_links["local"] = sim.deep_link
    await app.start()
    if db.is_sqlite:
        event.listen(db.engine.sync_engine, "connect", _short_busy_timeout)
        await db.engine.dispose()  # new connections get the short timeout
    sim.connect(app.handle)
    for uid, name in (("mia", "Mia"), ("newbie", "Nora"), ("zoe", "Zoe"), ("yan", "Yan")):
        sim.add_user(uid, name)
    platform.slow_users.add("newbie")
    try:
        yield TwoGroups(app, sim, platform, clock)
    finally:
        platform.release.set()
        await app.close()


async def test_a_send_stuck_in_one_group_does_not_stall_another(groups: TwoGroups) -> None:
    app, sim, platform = groups.app, groups.sim, groups.platform
    router = app.rt.router
    # Nora joins the slow group: the bot stores her, then its welcome waits on the platform.
    stuck = asyncio.create_task(sim.join(SLOW, "newbie"))
    await asyncio.wait_for(platform.waiting.wait(), WAIT_LIMIT)
    assert not stuck.done()

    # Meanwhile, the fast group lives on: joins, first messages, a command, the activity flush.
    for uid in ("zoe", "yan"):
        await asyncio.wait_for(sim.join(FAST, uid), WAIT_LIMIT)
    await asyncio.wait_for(sim.post(FAST, "zoe", "hello everyone"), WAIT_LIMIT)
    await asyncio.wait_for(sim.post(FAST, "yan", "/help"), WAIT_LIMIT)
    await asyncio.wait_for(app.rt.flush(), WAIT_LIMIT)
    assert router.errors == 0, "an event in the fast group was rolled back while the slow group waited"
    async with app.db.sessions() as s:
        joined = set(await s.scalars(select(Member.user_id).where(Member.joined_at.is_not(None))))
        newcomers = set(await s.scalars(select(Newcomer.user_id)))
    assert {"zoe", "yan"} <= joined
    assert {"zoe", "yan"} <= newcomers
    assert len(app.rt.tracker) == 0, "the activity counters could not be written"
    # Nora's record was stored before the bot asked the platform to greet her.
    assert "newbie" in joined and "newbie" in newcomers

    platform.release.set()
    await asyncio.wait_for(stuck, WAIT_LIMIT)
    assert router.errors == 0
    assert any(m.chat == "dm:newbie" for m in sim.messages.values())
    async with app.db.sessions() as s:
        nora = await s.scalar(select(Newcomer).where(Newcomer.user_id == "newbie"))
        assert nora is not None and nora.dm_sent_at is not None  # what came after the wait is stored too
        assert await s.scalar(select(func.count()).select_from(Member).where(Member.user_id == "newbie")) == 1


async def test_no_connection_is_held_while_the_platform_is_asked(groups: TwoGroups) -> None:
    """Every platform call, from handlers and rituals alike, is made with no database connection checked out."""
    app, sim, platform, clock = groups.app, groups.sim, groups.platform, groups.clock
    platform.release.set()
    sim.add_user("max", "Max")
    await sim.join(FAST, "zoe")  # welcome DM and group welcome
    await sim.post(FAST, "zoe", "#intro Hi, I am Zoe and I fix bikes")
    await sim.post(FAST, "zoe", "/rules")  # the command deletes itself later (the tick's clean-up)
    await sim.post(FAST, "mia", "/event add 2026-12-03 18:00 Repair café | Library hall")
    await sim.join(FAST, "max")
    await sim.post(FAST, "max", SPAM)  # deleted, banned, a DM with the appeal, a card for the moderators
    for _ in range(8):  # pinned documents, the weekly report, the event's card and reminders, clean-up
        await app.rituals.tick(clock.now())
        clock.advance(timedelta(hours=12))
    assert app.rt.router.errors == 0 and app.rituals.failed == 0
    kinds = {name for name, _ in platform.held}
    assert {"SendMessage", "SendDirect", "SendFile", "PinMessage", "DeleteMessage", "BanMember"} <= kinds, kinds
    assert [h for h in platform.held if h[1]] == []


async def test_work_before_a_platform_call_is_committed_the_rest_rolls_back(bot: LocalBot) -> None:
    """The unit of work is split at platform calls: a later error cannot undo what the platform already acted on."""

    class AnswersThenFails:
        name = "answers_then_fails"
        events: tuple[type[Event], ...] = (MessagePosted,)
        where = Where.ANYWHERE

        async def handle(self, ctx: Context, ev: MessagePosted, /) -> Flow | None:
            ctx.audit("before the answer")
            await ctx.reply(markup("noted"))
            ctx.audit("after the answer")
            raise RuntimeError("kaputt")

    router = bot.app.rt.router
    router.prepend(AnswersThenFails())
    await bot.sim.post("town", "ann", "hello")
    assert router.errors == 1
    assert bot.sim.bot_messages("town")[-1].text == "noted"
    async with bot.app.db.sessions() as s:
        assert list(await s.scalars(select(AuditEntry.action))) == ["before the answer"]


async def test_an_event_without_database_work_opens_no_session_to_ask_the_platform(bot: LocalBot) -> None:
    opened: list[bool] = []

    class JustAnswers:
        name = "just_answers"
        events: tuple[type[Event], ...] = (MessagePosted,)
        where = Where.ANYWHERE

        async def handle(self, ctx: Context, ev: MessagePosted, /) -> Flow | None:
            await ctx.reply(markup("hi"))
            opened.append(cast(LazySession, ctx.session).opened)
            return Flow.STOP

    await bot.sim.post("town", "ann", "first")  # the member's first message loads their row
    router = bot.app.rt.router
    router.prepend(JustAnswers())
    await bot.sim.post("town", "ann", "second")
    assert opened == [False] and router.errors == 0
