"""Content: what the bot publishes for the community: the pinned documents as last published, the rubrics,
the weekly prompts, the calendar with its RSVPs, and the announcements waiting to go out."""

from __future__ import annotations

from datetime import timedelta

from handlers.admin.dashboard.site import Page, Rendered, acting
from storage.repos.announcements import AnnouncementRepo
from storage.repos.calendar import CalendarRepo, RsvpRepo
from storage.repos.pinned import PinnedRepo
from storage.repos.prompts import PromptRepo

CALENDAR_AHEAD = timedelta(days=90)


async def content(page: Page) -> Rendered:
    info = page.here
    now = page.rt.now()
    async with acting(page) as ctx:  # the rubrics feature merges the config's with those added in the chat
        rubrics = await page.rt.rubrics_of(ctx)
        session = ctx.session
        pinned = PinnedRepo(session)
        docs = []
        for slot, doc in sorted((await pinned.docs(info.id)).items()):
            latest = await pinned.history(info.id, slot, limit=1)
            docs.append((slot, doc, latest[0] if latest else None))
        prompts = [p for p in await PromptRepo(session).rows(info.id) if not p.hidden]
        events = await CalendarRepo(session).between(info.id, now - timedelta(days=1), now + CALENDAR_AHEAD)
        going = await RsvpRepo(session).counts([e.id for e in events])
        announcements = await AnnouncementRepo(session).pending(info.id)
    values = {"docs": docs, "rubrics": rubrics, "prompts": prompts, "events": [(e, going.get(e.id)) for e in events]}
    return Rendered("content.html", {**values, "announcements": announcements, "tz": info.tz})
