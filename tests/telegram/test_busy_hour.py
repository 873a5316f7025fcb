"""A busy hour in small (5 groups, two minutes at 20x): no message the bot decided to send is lost, every failure is logged."""

from __future__ import annotations

from tests.telegram.busy import Plan, busy_hour


async def test_a_busy_hour_loses_no_message_and_logs_every_failure(db_url: str) -> None:
    plan = Plan(groups=5, minutes=2, joins=2, chatter=3, commands=2, spam=1, hopeless=2, storm=(0.3, 0.6))
    got = await busy_hour(db_url, plan, scale=20)
    assert got["lost"] == 0, got
    assert got["failures_unlogged"] == 0, got
    assert got["fake_429_count"] == 0, got  # the flow control never let too much through
    assert got["storm_429s"] > plan.hopeless, got  # the storm happened, and the bot rode it out
    assert got["failed_logged"] == plan.hopeless, got  # the 429s no bot can wait out: those messages failed, said so
    assert got["failed_counted"] >= got["failed_logged"], got  # and managers see them counted in /stats
    assert got["delivered"] + got["failed_logged"] + got["dm_closed"] == got["messages_decided"] > 30, got
    assert got["spam_deleted"] == got["spam_posted"] == plan.groups * plan.spam, got
    assert got["handler_errors"] == got["update_errors"] == 0, got
