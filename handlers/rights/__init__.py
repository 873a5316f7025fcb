"""The bot's own rights in a community: what is missing, and what breaks without it, told to the managers.

Adapters report the rights as ``BotStatusChanged``: Telegram when the bot is added, promoted or demoted;
Discord at each start and when it joins a server. The message goes to the moderators' log (or the main
chat when there is none), in the community's language, once per change of what is missing (per process:
a restart with a right still missing says it again, which is the point).
"""

from __future__ import annotations

from pathlib import Path

from bot.core import priorities
from bot.core.actions import SendMessage
from bot.core.commands import Where
from bot.core.context import Context
from bot.core.events import BotStatusChanged, Event
from bot.core.ids import ChatRef
from bot.core.router import Flow
from bot.core.runtime import Runtime

# (the event's field, the catalog key naming the right and what breaks without it)
RIGHTS = (("can_delete", "rights.delete"), ("can_restrict", "rights.restrict"), ("can_pin", "rights.pin"))
# Reported by some platforms only (``extra``): checked where present.
EXTRA = (("can_attach", "rights.attach"), ("can_events", "rights.events"), ("can_log", "rights.log"))
# Needed only to show participation levels (``levels.enabled`` and ``levels.show``): Telegram's member tags, Discord's roles.
LEVELS = (("can_tag", "rights.tag"), ("can_roles", "rights.roles"))
# Needed only for a topic per event (``rituals.events.topic_per_event``), in Telegram forum groups.
TOPICS = (("can_topics", "rights.topics"),)


def missing_rights(ev: BotStatusChanged, levels: bool = False, topics: bool = False) -> list[str]:
    keys = [key for field, key in RIGHTS if not getattr(ev, field)]
    extra = EXTRA + (LEVELS if levels else ()) + (TOPICS if topics else ())
    return keys + [key for name, key in extra if ev.extra.get(name) is False]


class RightsCheck:
    name = "rights"
    events: tuple[type[Event], ...] = (BotStatusChanged,)
    where = Where.GROUP

    def __init__(self) -> None:
        self._told: dict[ChatRef, frozenset[str]] = {}

    async def handle(self, ctx: Context, ev: BotStatusChanged, /) -> Flow | None:
        info = ctx.here
        if not ev.is_member:
            return None
        s = info.settings
        missing = missing_rights(ev, s.levels.enabled and s.levels.show, s.rituals.events.topic_per_event)
        if self._told.get(ev.chat, frozenset()) == frozenset(missing):
            return None
        self._told[ev.chat] = frozenset(missing)
        if not missing:
            return None
        t = ctx.t
        text = t.t(f"rights.missing.{ev.chat.platform}")
        for key in missing:
            text = text + t.t(key)
        text = text + t.t(f"rights.fix.{ev.chat.platform}")
        # A log the bot cannot post to would swallow this too: then the main chat hears it.
        place = None if "rights.log" in missing else info.settings.log_place
        await ctx.perform(SendMessage(info.chat, text, place=place))
        return None


def setup(rt: Runtime) -> None:
    rt.add_handler(RightsCheck(), priorities.COMMANDS + 1)
    rt.add_locales(Path(__file__).parent / "locales")
