"""After an event (#22.5): one question by DM to each member who said they were going, "How was it?", with
buttons that also say whether they were there. Attendance is what members tell: the platforms do not say who
came (voice or stage presence on Discord is out of scope), so "attended" is an answer, not a measurement.

Asked once per member and occurrence (a row per question, unique), half an hour after the event ends, and not
later than ``LATEST`` after it (a bot away for a day does not ask about last week's meetup). ``/optout`` is
honoured as for every unasked DM.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core import callbacks
from bot.core.actions import AnswerButton, Button, EditMessage, Failed
from bot.core.context import Context
from bot.core.events import ButtonPressed
from bot.core.ids import UserRef
from bot.core.ritual import CLAIM_LEASE, Occurrence
from handlers.calendar.reminders import going, instance_now
from handlers.calendar.topics import close_topic
from rituals import instances
from rituals.posting import TRANSIENT, retry_later
from storage.models.states import EventStatus
from storage.repos.calendar import AttendanceRepo, CalendarRepo
from storage.repos.housekeeping import RitualRunRepo
from storage.repos.members import PersonRepo

log = logging.getLogger("handlers.calendar.followup")

PREFIX = "aft"
DELAY = timedelta(minutes=30)  # after the end: people are on their way home, the event is fresh
LATEST = timedelta(hours=24)  # no question about an event that ended longer ago than this
MAX_QUIET = timedelta(hours=1)
CHOICES = {"great": (True, 2), "ok": (True, 1), "meh": (True, 0), "missed": (False, None)}
LABELS = {"great": "calendar.after.great", "ok": "calendar.after.ok", "meh": "calendar.after.meh", "missed": "calendar.after.missed"}


def followup_key(event_id: int, starts_ts: int) -> str:
    return f"after:{event_id}:{starts_ts}"


class EventFollowups:
    name = "event_followups"

    def __init__(self) -> None:
        self._quiet_until: dict[int, datetime] = {}  # per community: nothing can be due before this

    def invalidate(self, community_id: int) -> None:
        self._quiet_until.pop(community_id, None)

    async def due(self, ctx: Context) -> list[Occurrence]:
        info = ctx.here
        settings = info.settings.rituals.events
        if not settings.enabled or not (settings.ask_after or settings.topic_per_event):
            return []
        quiet = self._quiet_until.get(info.id)
        if quiet is not None and ctx.now < quiet:
            return []
        length = settings.default_duration
        # Whatever started in the last day (and the longest event's length) may have ended in the window.
        items = await instances.between(ctx.session, info.id, info.tz, ctx.now - LATEST - DELAY - timedelta(days=2), ctx.now)
        wanted: dict[str, Occurrence] = {}
        ahead: list[datetime] = []
        for i in items:
            due_at = (i.ends_at or i.starts_at + length) + DELAY
            if due_at > ctx.now:
                ahead.append(due_at)
            elif ctx.now - due_at <= LATEST:
                data: dict[str, int | str] = {"event_id": i.event.id, "starts": int(i.starts_at.timestamp())}
                if i.occurrence is not None:
                    data["occurrence"] = i.occurrence
                key = followup_key(i.event.id, int(i.starts_at.timestamp()))
                wanted[key] = Occurrence(key, due_at, data)
        done = await RitualRunRepo(ctx.session).settled(info.id, list(wanted), ctx.now - CLAIM_LEASE)
        due = [occ for key, occ in wanted.items() if key not in done]
        if not due and "claimed" not in done.values():
            later = await instances.next_start(ctx.session, info.id, info.tz, ctx.now)
            self._quiet_until[info.id] = min([*ahead, *([later] if later is not None else []), ctx.now + MAX_QUIET])
        return due

    async def run(self, ctx: Context, occurrence: Occurrence) -> None:
        info = ctx.here
        item = await instance_now(ctx, int(occurrence.data["event_id"]), occurrence.data.get("occurrence"))
        if item is None or item.event.status != EventStatus.SCHEDULED or int(item.starts_at.timestamp()) != occurrence.data["starts"]:
            log.info("after-event question %s withdrawn: the event was cancelled or moved", occurrence.key)
            return
        if item.occurrence is None:
            await close_topic(ctx, item.event)
        if not info.settings.rituals.events.ask_after:
            return
        people = await going(ctx, item)
        skip = await PersonRepo(ctx.session).opted_out(info.chat.platform, people)
        repo = AttendanceRepo(ctx.session)
        busy = False
        for user_id in people:
            if user_id in skip:
                continue
            row = await repo.ask(item.event.id, item.occurrence or "", user_id, ctx.now)
            if row is None:  # asked already (a retry after a busy platform)
                continue
            await ctx.session.flush()
            t = ctx.t
            buttons = (
                tuple(Button(t.s(LABELS[c]), f"{PREFIX}:{row.id}:{c}") for c in ("great", "ok", "meh")),
                (Button(t.s(LABELS["missed"]), f"{PREFIX}:{row.id}:missed"),),
            )
            text = t.t("calendar.after.ask", title=item.event.title)
            result = await ctx.direct(UserRef(info.chat.platform, user_id), text, buttons=buttons)
            if isinstance(result, Failed) and result.reason in TRANSIENT:
                await ctx.session.delete(row)  # ask again at the next tick
                busy = True
        if busy:
            await retry_later(ctx, "the platform was busy; the rest are asked at the next tick")


async def on_press(ctx: Context, ev: ButtonPressed, rest: str) -> None:
    """``aft:<row id>:<great|ok|meh|missed>``: the presser's own question only, answered once."""
    parsed = callbacks.parse(rest, callbacks.ID, callbacks.text(8))
    row = await AttendanceRepo(ctx.session).get(parsed[0]) if parsed is not None else None
    t = ctx.translator_for(ev.user)
    event = await CalendarRepo(ctx.session).get(row.event_id) if row is not None else None
    info = ctx.rt.directory.by_id(event.community_id) if event is not None else None
    mine = row is not None and info is not None and row.user_id == ev.user.ref.id and info.chat.platform == ev.user.ref.platform
    if parsed is None or row is None or not mine or parsed[1] not in CHOICES:
        ctx.after_commit(AnswerButton(ev.callback_id, t.s("calendar.after.not_yours"), alert=True))
        return
    if row.answered_at is not None:
        ctx.after_commit(AnswerButton(ev.callback_id, t.s("calendar.after.answered_already")))
        return
    row.attended, row.rating = CHOICES[parsed[1]]
    row.answered_at = ctx.now
    if ev.message is not None:
        key = "calendar.after.thanks" if row.attended else "calendar.after.missed_thanks"
        ctx.after_commit(EditMessage(ev.message, t.t(key, answer=t.s(LABELS[parsed[1]]))))
    ctx.after_commit(AnswerButton(ev.callback_id))


async def attended(session: AsyncSession, community_id: int, start: datetime, end: datetime) -> int:
    """Members who said, after an event in the window, that they were there."""
    return (await AttendanceRepo(session).counts(community_id, start, end))[0]


async def missed(session: AsyncSession, community_id: int, start: datetime, end: datetime) -> int:
    """Members who had said they were going and then could not come."""
    return (await AttendanceRepo(session).counts(community_id, start, end))[1]
