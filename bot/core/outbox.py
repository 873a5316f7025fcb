"""The contract between the core and an adapter's outbox."""

from __future__ import annotations

from typing import Protocol

from bot.core.actions import Action, Result


class Outbox(Protocol):
    """Performs actions on one platform. Never raises for platform errors: it answers ``Failed``."""

    async def perform(self, action: Action) -> Result: ...
