"""During a database outage events are held, in order per chat, and handled when it returns.

A join and a manager's command need a write: while the database refuses writes they are held (not
dropped), the newcomer's messages wait behind the join, and the first tick after the outage handles
them all, in the order they came. A bounded hold: past its limit a command is answered that it
was not done.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from bot.core.held import database_unreachable
from bot.harness import LocalBot, local_bot, local_config
from storage.models import Member
from storage.models.rituals import CalendarEvent
from tests.conftest import START
from tests.scale.test_db_outage import SETTINGS, outage

NOT_DONE = "Something went wrong on my side; nothing was changed"


def people(bot: LocalBot) -> None:
    for uid, name in (("mia", "Mia"), ("ann", "Ann"), ("cy", "Cy")):
        bot.sim.add_user(uid, name)
    bot.sim.chats["town"].members.add("ann")


async def stored(bot: LocalBot) -> tuple[set[str], list[str]]:
    async with bot.app.db.sessions() as s:
        joined = set(await s.scalars(select(Member.user_id).where(Member.joined_at.is_not(None))))
        events = list(await s.scalars(select(CalendarEvent.title)))
    return joined, events


async def test_events_refused_by_the_database_are_held_and_handled_when_it_returns(db_url: str) -> None:
    async with local_bot(local_config(SETTINGS), db_url, START) as bot:
        people(bot)
        await bot.tick()
        router = bot.app.rt.router
        async with outage(bot.app.db):
            await bot.sim.join("town", "cy")
            await bot.sim.post("town", "cy", "hello, I am new")
            await bot.sim.post("town", "mia", "/event add 2026-12-03 18:00 Repair café")
            bot.clock.advance(timedelta(minutes=1))
            await bot.tick()  # still down: everything stays held
            assert len(router.held) == 3
        joined, events = await stored(bot)
        assert "cy" not in joined and events == []
        bot.clock.advance(timedelta(minutes=1))
        await bot.tick()
        assert len(router.held) == 0
        joined, events = await stored(bot)
        assert "cy" in joined, "the join was dropped"
        assert events == ["Repair café"], "the manager's command was dropped"
        replies = [m.text for m in bot.sim.bot_messages("town")]
        assert any("Repair café" in r for r in replies), "the manager never heard back"
        assert not any(NOT_DONE in r for r in replies)
        assert router.errors == 0


async def test_a_full_hold_answers_a_command_that_it_was_not_done(db_url: str) -> None:
    async with local_bot(local_config(SETTINGS), db_url, START) as bot:
        people(bot)
        await bot.tick()
        router = bot.app.rt.router
        router.held.limit = 1
        async with outage(bot.app.db):
            await bot.sim.join("town", "cy")
            await bot.sim.post("town", "mia", "/event add 2026-12-03 18:00 Repair café")
        assert router.held.dropped == 1
        assert NOT_DONE in bot.sim.bot_messages("town")[-1].text
        await bot.tick()
        joined, events = await stored(bot)
        assert "cy" in joined and events == []


class _PgError(Exception):
    def __init__(self, message: str, sqlstate: str) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate


@pytest.mark.parametrize(
    ("error", "away"),
    [
        (OperationalError("INSERT", {}, Exception("database is locked")), True),
        (DBAPIError("connect", {}, _PgError('database "x" is not currently accepting connections', "55000")), True),
        (DBAPIError("SELECT", {}, _PgError("terminating connection due to administrator command", "57P01")), True),
        (DBAPIError("SELECT", {}, _PgError("connection refused", "08006")), True),
        (ConnectionRefusedError(), True),
        (IntegrityError("INSERT", {}, _PgError("duplicate key value", "23505")), False),
        (DBAPIError("SELECT", {}, _PgError("division by zero", "22012")), False),
        (ValueError("a handler's own bug"), False),
    ],
)
def test_only_an_absent_database_holds_an_event(error: BaseException, away: bool) -> None:
    assert database_unreachable(error) is away
