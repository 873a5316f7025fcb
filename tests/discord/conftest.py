"""Fixtures for the Discord adapter: the whole bot against a fake Discord."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.conftest import START
from tests.discord.fakes import MANAGER_ROLE
from tests.discord.harness import DiscordHarness, discord_bot, discord_config

ANN = "960000000000000001"  # a member
MIA = "960000000000000002"  # a manager through the config's role list
BOB = "960000000000000003"  # joins later; DMs closed


@pytest.fixture
async def dbot(db_url: str) -> AsyncIterator[DiscordHarness]:
    """The bot connected to the fake guild "Riverside Makers": Ann a member, Mia a manager (role "Hosts")."""
    config = discord_config(managers=[MANAGER_ROLE])
    async with discord_bot(config, db_url, START) as h:
        h.add_member(ANN, "Ann")
        h.add_member(MIA, "Mia", roles=[MANAGER_ROLE])
        h.add_member(BOB, "Bob")
        yield h
