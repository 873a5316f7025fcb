"""The rules gate on Discord: a timed-out member cannot press the gate's button, so the gate holds newcomers
with a role the server's managers made (no Send Messages in their channels) and lets them go on a press."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from tests.conftest import START
from tests.discord.conftest import BOB
from tests.discord.fakes import GATE_ROLE, GENERAL, MANAGE_ROLES
from tests.discord.harness import DiscordHarness, discord_bot, discord_config


def gate_settings(**onboarding: Any) -> dict[str, Any]:
    return {"onboarding": {"rules_gate": True, "welcome_dm": False, **onboarding}, "pinned": {"rules": ["Be kind"]}}


def gate_button(h: DiscordHarness) -> tuple[dict[str, Any], str]:
    for msg in reversed(h.fake.posted):
        if msg["channel_id"] == GENERAL:
            for row in msg.get("components") or []:
                for button in row.get("components") or []:
                    if button.get("label") == "I have read the rules":
                        return msg, button["custom_id"]
    raise AssertionError("no gate button in #general")


async def test_the_gate_holds_with_a_role_and_the_newcomer_can_press_through(db_url: str) -> None:
    async with discord_bot(discord_config(gate_settings(gate_role=GATE_ROLE)), db_url, START) as h:
        h.fake.bot_permissions |= MANAGE_ROLES
        h.add_member(BOB, "Bob")
        await h.join(BOB)
        assert h.fake.member_roles[BOB] == [GATE_ROLE] and not h.fake.timed_out(BOB)
        message, custom_id = gate_button(h)
        await h.press(BOB, message, custom_id)  # a timed-out member could not
        assert h.fake.member_roles[BOB] == []


async def test_without_a_gate_role_there_is_no_timeout_gate_on_discord(db_url: str, caplog: pytest.LogCaptureFixture) -> None:
    async with discord_bot(discord_config(gate_settings()), db_url, START) as h:
        h.add_member(BOB, "Bob")
        with caplog.at_level(logging.WARNING):
            await h.join(BOB)
        assert not h.fake.timed_out(BOB)  # a timeout would leave the newcomer unable to press the gate's button
        assert any("gate_role" in r.getMessage() for r in caplog.records)
