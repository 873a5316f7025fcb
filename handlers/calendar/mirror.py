"""The calendar in the platform's own events list (Discord's scheduled events).

Each upcoming event is mirrored once; a series by its next occurrence, rolled forward when that one starts
(the ``EventMirrors`` ritual). What was sent is stored (``storage/repos/mirrors.py``: our event <-> the
platform's id, and a fingerprint of what was sent), so only changes go out and a restart adds no twin.
A platform without an events list answers ``Unsupported`` (asked once per process); a refusal (no
Create Events right: the rights check tells the managers) leaves the bot's own calendar as it is.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from bot.core.actions import Failed, Mirrored, MirrorEvent, UnmirrorEvent, Unsupported
from bot.core.context import Context
from bot.core.ritual import Occurrence, quiet_until
from rituals import instances
from rituals.instances import Instance
from storage.models.recurrence import EventMirror
from storage.repos.mirrors import MirrorRepo

MIRROR_DAYS = 90  # how far ahead events are shown in the platform's list


def fingerprint(item: Instance, ends_at: datetime) -> str:
    """What the platform was told, so an unchanged event is not sent again."""
    e = item.event
    text = "\x1f".join((e.title, item.starts_at.isoformat(), ends_at.isoformat(), e.place, e.link, e.description))
    return hashlib.sha256(text.encode()).hexdigest()[:64]


class Mirror:
    """Keeps the platform's events list in step with the calendar; remembers which platforms have none."""

    def __init__(self) -> None:
        self._unsupported: set[str] = set()

    async def sync(self, ctx: Context) -> None:
        c = ctx.here
        platform = c.chat.platform
        if platform in self._unsupported:
            return
        repo = MirrorRepo(ctx.session)
        mirrored = await repo.of_community(c.id, platform)
        found = await instances.between(ctx.session, c.id, c.tz, ctx.now, ctx.now + timedelta(days=MIRROR_DAYS))
        wanted: dict[int, Instance] = {}
        for item in found:
            wanted.setdefault(item.event.id, item)  # the soonest: a series' next occurrence
        for event_id, old in mirrored.items():
            if event_id in wanted:
                continue
            if old.starts_at > ctx.now:  # cancelled, or moved out of the window: out of the platform's list
                result = await ctx.perform(UnmirrorEvent(c.chat, old.native))
                if not await self._went(ctx, platform, result):
                    return
            await repo.remove(event_id, platform)  # (one that started ends on the platform by itself)
        default = c.settings.rituals.events.default_duration
        for event_id, item in wanted.items():
            m = mirrored.get(event_id)
            ends_at = item.ends_at or item.starts_at + default
            fp = fingerprint(item, ends_at)
            if m is not None and m.fingerprint == fp:
                continue
            # An event that started cannot be moved on the platform: the next occurrence is a new one.
            native = m.native if m is not None and m.starts_at > ctx.now else None
            e = item.event
            result = await ctx.perform(
                MirrorEvent(c.chat, e.title, item.starts_at, ends_at, e.place or e.link, e.description, native=native)
            )
            if not await self._went(ctx, platform, result) or not isinstance(result, Mirrored):
                return
            if m is None:
                m = EventMirror(event_id=event_id, platform=platform)
                repo.add(m)
            m.native, m.occurrence, m.fingerprint = result.native, item.occurrence or "", fp
            m.starts_at, m.ends_at = item.starts_at, ends_at
            await ctx.session.flush()

    async def _went(self, ctx: Context, platform: str, result: object) -> bool:
        """Whether to go on: not where the platform has no events list, nor after a refusal (asked again later)."""
        if isinstance(result, Unsupported):
            self._unsupported.add(platform)
            return False
        return not isinstance(result, Failed)


class EventMirrors:
    """Rolls a series forward in the platform's list once its mirrored occurrence has started."""

    name = "event_mirrors"

    def __init__(self, mirror: Mirror) -> None:
        self.mirror = mirror

    async def due(self, ctx: Context) -> list[Occurrence]:
        c = ctx.here
        outbox = ctx.rt.outboxes.get(c.chat.platform)
        if outbox is None or MirrorEvent in outbox.UNSUPPORTED:
            return []  # a platform without an events list: nothing to roll forward, and no query each tick
        rows = [m for m in (await MirrorRepo(ctx.session).of_community(c.id, c.chat.platform)).values() if m.occurrence]
        started = [m for m in rows if m.starts_at <= ctx.now]
        if not started:
            quiet_until(ctx, min((m.starts_at for m in rows), default=None))
            return []
        return [Occurrence(f"mirror:{m.event_id}:{int(m.starts_at.timestamp())}", m.starts_at) for m in started]

    async def run(self, ctx: Context, occurrence: Occurrence) -> None:
        await self.mirror.sync(ctx)
