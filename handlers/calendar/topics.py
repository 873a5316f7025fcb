"""A forum topic per event (#22.5, ``rituals.events.topic_per_event``): on Telegram forum groups each one-off
event gets a topic of its own for questions, lifts and photos, opened when it is added and closed after it
(by the after-event ritual). Where the chat has no topics (Discord, a plain group) nothing happens; a
refusal (no forum, no ``can_manage_topics``) is told to the manager who added the event, once per event."""

from __future__ import annotations

import logging

from bot.core.actions import CloseTopic, CreateTopic, Failed, SendMessage, TopicCreated
from bot.core.context import Context
from bot.core.ids import MessageRef
from rituals.event_kinds import titled
from storage.models.rituals import CalendarEvent
from storage.repos.housekeeping import BotMessageRepo

log = logging.getLogger("handlers.calendar.topics")


def purpose(event: CalendarEvent) -> str:
    return f"topic:{event.id}"


async def open_topic(ctx: Context, event: CalendarEvent) -> None:
    c = ctx.here
    if not c.settings.rituals.events.topic_per_event:
        return
    t = ctx.t
    name = titled(t, event.kind, event.title)
    result = await ctx.perform(CreateTopic(c.chat, name))
    if isinstance(result, Failed):
        log.info("no topic for event %s in %s: %s", event.id, c.name, result.detail)
        await ctx.reply(t.t("calendar.topic.refused"), quote=False)
        return
    if not isinstance(result, TopicCreated):
        return  # a platform without topics
    ctx.remember_message(MessageRef(c.chat, result.place, result.place), purpose(event))
    await ctx.perform(SendMessage(c.chat, t.t("calendar.topic.opened", title=name), place=result.place))


async def close_topic(ctx: Context, event: CalendarEvent) -> None:
    """Once: the row that says where the topic is goes with it, so a rerun of the ritual closes nothing twice."""
    c = ctx.here
    repo = BotMessageRepo(ctx.session)
    posted = await repo.latest(c.id, purpose(event))
    if posted is None or posted.place is None:
        return
    await repo.forget([posted.id])
    name = titled(ctx.t, event.kind, event.title)
    # Performed now, not after the commit: the run may yet ask for a retry (a busy platform), which drops
    # what waits for its commit, while the row saying where the topic is would be gone already.
    await ctx.perform(SendMessage(c.chat, ctx.t.t("calendar.topic.closing", title=name), place=posted.place))
    await ctx.perform(CloseTopic(c.chat, posted.place))
