"""The community's upcoming events and occurrences, as /events and its buttons show them, with their answers."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from bot.core.context import Context
from rituals import instances
from rituals.instances import Instance
from storage.repos.calendar import RsvpRepo
from storage.repos.recurrence import OccurrenceRsvpRepo

MAX_LISTED = 15


async def upcoming(ctx: Context, days: int | None = None, *, limit: int | None = None) -> list[Instance]:
    """Scheduled events and occurrences that have not started yet, within ``days`` (else the configured horizon)."""
    c = ctx.here
    days = days or c.settings.rituals.events.list_days
    found = await instances.between(ctx.session, c.id, c.tz, ctx.now, ctx.now + timedelta(days=days))
    return found[: limit or MAX_LISTED]


async def counts_of(ctx: Context, items: list[Instance]) -> dict[tuple[int, str], Counter[str]]:
    """How many answered what, per event or occurrence: a series' answers count for each of its occurrences,
    overridden by answers to the one occurrence. Three queries for a whole list."""
    one_off = await RsvpRepo(ctx.session).counts([i.event.id for i in items if i.occurrence is None])
    answers = await OccurrenceRsvpRepo(ctx.session).answers(i.key for i in items if i.occurrence is not None)
    out: dict[tuple[int, str], Counter[str]] = {}
    for i in items:
        out[i.key] = one_off[i.event.id] if i.occurrence is None else Counter(answers[i.key].values())
    return out
