"""Reminders before each event (24 h and 1 h by default): to the group, and by DM to those going; and
"starting now" in the group when it begins (with its link).

Nothing is stored per reminder beyond its run: they follow from the events. A cancelled event
is no longer scheduled, so its reminders are simply never due (withdrawn); a
moved event gets new keys (the start is part of the key), so its reminders
come at the new time and the old ones never do. A series reminds for each
occurrence the same way (the key names the occurrence's start, and the runner's
``ritual_runs`` row says it was sent, so a restart neither repeats nor loses one).

Each message of a reminder (the group post, each DM) is its own delivery (``rituals.posting.deliver``): a
crash in the middle repeats at most the one message in flight, and the rerun after the claim lease sends
the rest, even when the event began meanwhile (a "3m" reminder is finished after the start, worded so).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from functools import partial

from bot.core.actions import Failed
from bot.core.context import Context
from bot.core.ids import UserRef
from bot.core.richtext import join
from bot.core.ritual import CLAIM_LEASE, Occurrence
from handlers.calendar.event_view import in_time, when_text
from rituals import instances
from rituals.instances import Instance
from rituals.posting import TRANSIENT, deliver, post, retry_later
from storage.models.states import EventStatus, Rsvp
from storage.repos.calendar import CalendarRepo, RsvpRepo
from storage.repos.deliveries import COMMUNITY_CHAT
from storage.repos.housekeeping import RitualRunRepo
from storage.repos.recurrence import OccurrenceRsvpRepo

log = logging.getLogger("handlers.calendar.reminders")

MAX_QUIET = timedelta(hours=1)  # look again at least hourly (settings may change)
NOW = timedelta(0)  # the "starting now" post is a reminder with no time before the start
STARTING_LATE = timedelta(minutes=15)  # later than this after the start, "starting now" would be wrong: not posted
RETRIED = (None, "stale", "failed")  # an occurrence with no run, or one whose run died or failed, is due


def reminder_key(event_id: int, offset: timedelta, starts_ts: int) -> str:
    return f"remind:{event_id}:{int(offset.total_seconds())}:{starts_ts}"


class EventReminders:
    name = "event_reminders"

    def __init__(self) -> None:
        # Per community: no reminder can be due before this (so idle ticks cost no query). Cleared on calendar changes.
        self._quiet_until: dict[int, datetime] = {}

    def invalidate(self, community_id: int) -> None:
        self._quiet_until.pop(community_id, None)

    async def due(self, ctx: Context) -> list[Occurrence]:
        cid = ctx.here.id
        settings = ctx.here.settings.rituals.events
        if not settings.enabled or not settings.reminders:
            return []
        quiet = self._quiet_until.get(cid)
        if quiet is not None and ctx.now < quiet:
            return []
        offsets = sorted([*settings.reminders, *([NOW] if settings.starting_now else [])])  # shortest first
        tz = ctx.here.tz
        horizon = ctx.now + offsets[-1] + timedelta(seconds=1)
        # What began lately too: "starting now" is due at the start, and a reminder cut short is finished after it.
        items = await instances.between(ctx.session, cid, tz, ctx.now - STARTING_LATE, horizon)
        wanted: dict[str, Occurrence] = {}  # due unless it ran
        unfinished: dict[str, Occurrence] = {}  # due only to finish a run cut short (a stale claim, a failed run)
        upcoming: list[datetime] = []  # reminder times still ahead
        for i in items:
            latest = True  # only the latest due reminder of each event is new: no "24 h" right before the "1 h" one
            for offset in offsets:
                due_at = i.starts_at - offset
                if due_at > ctx.now:
                    upcoming.append(due_at)
                    continue
                if i.timed_at is not None and due_at < i.timed_at:
                    break  # the event was added (or moved) after this reminder's time: the announcement did its job
                key = reminder_key(i.event.id, offset, int(i.starts_at.timestamp()))
                data: dict[str, int | str] = {"event_id": i.event.id, "offset": int(offset.total_seconds())}
                if i.occurrence is not None:
                    data["occurrence"] = i.occurrence
                began = i.starts_at <= ctx.now and offset != NOW
                (wanted if latest and not began else unfinished)[key] = Occurrence(key, due_at, data)
                latest = False
        runs = await RitualRunRepo(ctx.session).statuses(cid, [*wanted, *unfinished], ctx.now - CLAIM_LEASE)
        due = [occ for key, occ in wanted.items() if runs.get(key) in RETRIED]
        due += [occ for key, occ in unfinished.items() if key in runs and runs[key] in RETRIED]
        if not due and "claimed" not in runs.values():  # a claim may be left by a dying process: look again next tick
            later = await instances.next_start(ctx.session, cid, tz, horizon)
            if later is not None:
                upcoming.append(later - offsets[-1])
            self._quiet_until[cid] = min([*upcoming, ctx.now + MAX_QUIET])
        return due

    async def run(self, ctx: Context, occurrence: Occurrence) -> None:
        c = ctx.here
        item = await instance_now(ctx, int(occurrence.data["event_id"]), occurrence.data.get("occurrence"))
        offset = timedelta(seconds=int(occurrence.data["offset"]))
        if item is None or item.event.status != EventStatus.SCHEDULED or item.starts_at - offset != occurrence.due_at:
            log.info("reminder %s withdrawn: the event was cancelled or moved", occurrence.key)
            return
        event = item.event
        settings = c.settings.rituals.events
        t = ctx.t
        if offset == NOW:
            await _starting_now(ctx, item)
            return
        # "in 1 hour" as posted (the 24 h and 1 h reminders must read differently), and the live countdown after it.
        when = when_text(t, item.starts_at, item.ends_at, c.tz, ctx.now)
        soon = in_time(t, offset)
        place = [t.t("calendar.card.place", place=event.place)] if event.place else []
        place += [t.t("calendar.card.link", link=event.link)] if event.link else []
        began = ctx.now >= item.starts_at  # a reminder finished after a crash
        if settings.remind_group and not (began and settings.starting_now):  # else "starting now" took its place
            text = join([t.t("calendar.reminder", title=event.title, soon=soon, when=when), *place], blank_line=False)
            await deliver(ctx, COMMUNITY_CHAT, partial(post, ctx, text))
        if settings.remind_going:
            said = (
                t.t("calendar.reminder_dm_began", title=event.title, when=when)
                if began
                else t.t("calendar.reminder_dm", title=event.title, soon=soon, when=when)
            )
            text = join([said, *place], blank_line=False)
            busy = False
            for user_id in await going(ctx, item):
                result = await deliver(ctx, user_id, partial(ctx.direct, UserRef(c.chat.platform, user_id), text))
                busy = busy or (isinstance(result, Failed) and result.reason in TRANSIENT)
            if busy:
                await retry_later(ctx, "the platform was busy; the rest are reminded at the next tick")


async def _starting_now(ctx: Context, item: Instance) -> None:
    """To the group only: those going had their reminders, and the link is here for everyone."""
    if ctx.now - item.starts_at > STARTING_LATE:
        log.info("'starting now' for event %s skipped: the bot was away when it began", item.event.id)
        return
    t, event = ctx.t, item.event
    lines = [t.t("calendar.starting_now", title=event.title)]
    lines += [t.t("calendar.card.place", place=event.place)] if event.place else []
    lines += [t.t("calendar.card.link", link=event.link)] if event.link else []
    await post(ctx, join(lines, blank_line=False))


async def instance_now(ctx: Context, event_id: int, day: str | None) -> Instance | None:
    """The event (or the series' occurrence on that original date) as it stands now."""
    event = await CalendarRepo(ctx.session).of_community(ctx.here.id, event_id)
    if event is None:
        return None
    if day is None:
        return Instance(event, event.starts_at, event.ends_at, timed_at=event.timed_at)
    return await instances.find(ctx.session, event, day, ctx.here.tz)


async def going(ctx: Context, item: Instance) -> list[str]:
    """Who said they are going: to the event, or to the series unless they said otherwise for this date."""
    if item.occurrence is None:
        return [row.user_id for row in await RsvpRepo(ctx.session).with_status(item.event.id, Rsvp.GOING)]
    answers = (await OccurrenceRsvpRepo(ctx.session).answers([item.key]))[item.key]
    return [user for user, status in answers.items() if status == Rsvp.GOING]
