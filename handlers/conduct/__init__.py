"""Conduct, not only spam (#21.8): moderators' ``/warn`` climbs the same strike ladder as the spam filter.

- ``rules``: which rule a reason names (a number, or words of one rule of ``pinned.rules``);
- ``warn``: educate, warn, remove; each warning in the moderators' log;
- ``saved``: moderators' saved replies (``/reply <name>``).
"""

from __future__ import annotations

from pathlib import Path

from bot.core.commands import Command, Where
from bot.core.events import Role
from bot.core.runtime import Runtime
from handlers.conduct.saved import saved_reply
from handlers.conduct.warn import warn


def setup(rt: Runtime) -> None:
    """Register /warn, /reply and the feature's texts."""
    rt.commands.add(Command("warn", warn, "conduct.cmd.warn", permission=Role.MODERATOR, where=Where.GROUP, usage_key="conduct.warn.usage"))
    rt.commands.add(
        Command("reply", saved_reply, "conduct.cmd.reply", permission=Role.MODERATOR, where=Where.GROUP, usage_key="conduct.saved.usage")
    )
    rt.add_locales(Path(__file__).parent / "locales")
