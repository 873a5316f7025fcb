"""The community's upcoming events, as /events and its buttons show them."""

from __future__ import annotations

from datetime import timedelta

from bot.core.context import Context
from storage.models.rituals import CalendarEvent
from storage.repos.calendar import CalendarRepo

MAX_LISTED = 15


async def upcoming(ctx: Context) -> list[CalendarEvent]:
    """Scheduled events that have not started yet, within the configured horizon."""
    assert ctx.community is not None
    days = ctx.community.settings.rituals.events.list_days
    events = await CalendarRepo(ctx.session).between(ctx.community.id, ctx.now, ctx.now + timedelta(days=days))
    return events[:MAX_LISTED]
