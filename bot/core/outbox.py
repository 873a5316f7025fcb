"""The contract between the core and an adapter's outbox."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar, Protocol

from bot.core.actions import Action, Result


class Outbox(Protocol):
    """Performs actions on one platform. Never raises for platform errors: it answers ``Failed``.

    ``UNSUPPORTED`` names the actions (of ``actions.ALL_ACTIONS``) it never performs, and why; it answers
    them ``Unsupported`` and the feature falls back (e.g. text instead of a file).
    """

    UNSUPPORTED: ClassVar[Mapping[type[Action], str]]

    async def perform(self, action: Action) -> Result: ...
