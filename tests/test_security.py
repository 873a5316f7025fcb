"""Security: tokens never reach a log, and members cannot change what managers own.

Webhook requests without the right secret are refused (HTTP 401, nothing handled):
``tests/telegram/test_outbox.py::test_webhook_mode_checks_the_secret_and_handles_updates``.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest
from sqlalchemy import text

from bot.core.config import load_secrets, parse_config
from bot.core.events import Role
from bot.harness import LocalBot
from storage.models.base import Base
from tests.telegram.conftest import ANN, BOB, GROUP, OWNER, TOKEN, telegram_bot_running

WEBHOOK_SECRET = "wh-secret-7c1f0e9a2b"


def _all_log_text(records: list[logging.LogRecord]) -> str:
    """Every captured line as a handler would write it, tracebacks included."""
    fmt = logging.Formatter("%(name)s %(levelname)s %(message)s")
    return "\n".join(fmt.format(r) for r in records)


async def test_the_token_never_reaches_a_log(db_url: str, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", WEBHOOK_SECRET)
    caplog.set_level(logging.DEBUG)  # the root logger: every library's records, aiogram's and aiohttp's included
    for name in ("aiogram", "aiogram.event", "aiogram.dispatcher", "aiohttp", "asyncio", "sqlalchemy"):
        caplog.set_level(logging.DEBUG, logger=name)

    config = parse_config(
        {"telegram": {"enabled": True, "mode": "webhook", "webhook": {"public_url": "https://bot.example.org/telegram/webhook"}}}
    )
    secrets = load_secrets(config)
    logging.getLogger("security-test").debug("loaded %s and %r", secrets, secrets)  # what a careless debug line would do
    async with telegram_bot_running(db_url) as tg:
        await tg.send(tg.scene.message(GROUP, ANN, "#intro Hi, I'm Ann"))
        await tg.send(tg.scene.message(GROUP, ANN, "/set spam.shadow_mode true"))  # refused: a member
        await tg.send(tg.scene.join(GROUP, BOB))  # the welcome DM to Bob fails: he never started the bot
        await tg.send(tg.scene.message(GROUP, OWNER, "/event add 2026-12-03 18:00 Repair café"))
        await tg.send({"message": {"message_id": 1, "date": 0}})  # broken update: logged, not fatal
        await tg.tick()
    assert caplog.records, "nothing was captured: the test would prove nothing"
    logged = _all_log_text(caplog.records)
    assert "sendMessage" in logged or "getUpdates" in logged or len(caplog.records) > 20, "aiogram's DEBUG lines were not captured"
    for secret in (TOKEN, TOKEN.split(":")[1], WEBHOOK_SECRET):
        assert secret not in logged


# ---- manager commands issued by a member change nothing ----------------------------------

# Arguments that would change something if the command were allowed.
ARGS = (
    "",
    "spam.shadow_mode true",
    "language hu",
    "add 2026-12-03 18:00 Party | Hall",
    "add lost Lost and found",
    "set rules Be nice",
    "remove 1",
    "cancel 1",
    "skip",
    "1",
    "@ann",
    "ann",
)
# Tables an ordinary event may touch whoever sends it (who was seen, and when).
PER_EVENT = {"people", "members", "activity_days"}


async def _snapshot(bot: LocalBot) -> dict[str, list[tuple[Any, ...]]]:
    await bot.app.rt.flush()
    out: dict[str, list[tuple[Any, ...]]] = {}
    async with bot.app.db.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            if table.name in PER_EVENT:
                continue
            rows = (await conn.execute(text(f'SELECT * FROM "{table.name}"'))).all()
            out[table.name] = sorted((tuple(r) for r in rows), key=repr)
    return out


async def test_commands_above_a_member_change_nothing_when_a_member_sends_them(bot: LocalBot) -> None:
    privileged = [c for c in bot.app.rt.commands.all() if c.permission.rank > Role.MEMBER.rank]
    assert len(privileged) >= 5, [c.name for c in privileged]
    await bot.sim.post("town", "mia", "/event add 2026-12-03 18:00 Repair café")  # something to cancel or edit
    await bot.sim.post("town", "ann", "#intro hello")
    before = await _snapshot(bot)
    refusals = 0
    for cmd in privileged:
        for args in ARGS:
            sent = len(bot.sim.bot_messages("town"))
            await bot.sim.post("town", "bob", f"/{cmd.name} {args}".strip())
            replies = bot.sim.bot_messages("town")[sent:]
            refusals += any("only" in m.text.lower() for m in replies)
            assert await _snapshot(bot) == before, f"/{cmd.name} {args} by a member changed the database"
    assert refusals >= len(privileged), "members were not told they may not"
    assert bot.app.rt.router.errors == 0
