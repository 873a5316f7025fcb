"""Publish, edit in place, restore, version, report; nothing twice across a restart."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from adapters.local.simulator import LocalPlatform, SimMessage
from bot.app import App
from bot.core.clock import VirtualClock
from bot.core.commands import Command
from bot.core.context import Context
from bot.core.events import CommandInvoked
from bot.core.runtime import CALENDAR_CHANGED, RUBRICS_CHANGED
from bot.harness import LocalBot, local_config
from storage.db import Database
from storage.models import AuditEntry
from storage.models.pinned import PinnedDoc, PinnedVersion
from storage.models.rituals import CalendarEvent
from tests.conftest import START
from tests.pinned.conftest import PINNED

CET = "Central European Standard Time"  # the community's zone, named where the reader's own can't be shown


def documents(bot: LocalBot) -> list[SimMessage]:
    """The bot's messages in the main place (the moderators' log is elsewhere)."""
    return [m for m in bot.sim.bot_messages("town") if m.place is None]


def log_lines(bot: LocalBot) -> list[str]:
    return [m.text for m in bot.sim.bot_messages("town") if m.place == "modlog"]


async def rows(bot: LocalBot) -> dict[int, PinnedDoc]:
    async with bot.app.db.sessions() as s:
        return {d.slot: d for d in await s.scalars(select(PinnedDoc))}


async def test_first_tick_publishes_and_pins_the_documents_in_order(pbot: LocalBot) -> None:
    await pbot.tick()
    docs = documents(pbot)
    assert [d.text.split("\n")[0] for d in docs] == ["Welcome to Riverside Makers", "How we do things here", "Events in November 2026"]
    assert pbot.sim.chats["town"].pinned == [d.id for d in docs]
    assert "#question — Questions: Ask the community" in docs[1].text and "Show-and-tell on Fridays" in docs[1].text
    assert "Nothing is planned yet" in docs[2].text
    assert {s: r.message_ids for s, r in (await rows(pbot)).items()} == {1: [docs[0].id], 2: [docs[1].id], 3: [docs[2].id]}
    assert len(log_lines(pbot)) == 3 and "#1 (foundation) was published" in log_lines(pbot)[0]
    await pbot.tick()  # nothing changed: nothing happens
    assert len(pbot.sim.bot_messages("town")) == 6


async def test_a_community_without_a_foundation_gets_nothing_pinned(bot: LocalBot) -> None:
    await bot.tick()
    assert bot.sim.bot_messages("town") == [] and bot.sim.chats["town"].pinned == []


async def test_doc_set_edits_in_place_and_versions_the_change(pbot: LocalBot) -> None:
    await pbot.tick()
    before = {m.id for m in pbot.sim.bot_messages("town")}
    foundation = documents(pbot)[0]
    await pbot.sim.post("town", "mia", "/doc set rules # Our house\n**Be kind.** Questions: {ask} in #help")
    assert foundation.edits == 1 and foundation.text == "Our house\nBe kind. Questions: {ask} in #help"
    assert foundation.rich is not None and foundation.rich.lines[1].spans[0].bold
    new = [m for m in pbot.sim.bot_messages("town") if m.id not in before]
    assert [m.place for m in new] == [None, "modlog"]  # the confirmation, then (after commit) the log line; no new document
    assert "version 2" in new[0].text and "edited in place, version 2 (by mia)" in new[1].text
    assert pbot.sim.chats["town"].pinned[0] == foundation.id
    async with pbot.app.db.sessions() as s:
        versions = [(v.slot, v.version, v.actor_id, v.what) for v in await s.scalars(select(PinnedVersion).order_by(PinnedVersion.id))]
        audit = [(a.actor_id, a.action) for a in await s.scalars(select(AuditEntry))]
    assert versions[-1] == (1, 2, "mia", "edited") and audit == [("mia", "pinned.set #1")]
    await pbot.sim.post("town", "mia", "/doc set 1 -")  # back to the configured text, again in place
    assert foundation.edits == 2 and foundation.text.startswith("Welcome to Riverside Makers")


async def _add_event(ctx: Context, ev: CommandInvoked) -> None:
    """What the calendar feature does: store an event, then tell the others."""
    assert ctx.community is not None
    ctx.session.add(
        CalendarEvent(
            community_id=ctx.community.id, title=ev.args, starts_at=datetime(2026, 11, 30, 17, tzinfo=UTC), ends_at=None,
            timezone="Europe/Budapest", place="**Library** <hall>", created_at=ctx.now, updated_at=ctx.now,
        )
    )  # fmt: skip
    await ctx.session.flush()
    await ctx.rt.signal(CALENDAR_CHANGED, ctx, None)


async def _rubrics_changed(ctx: Context, ev: CommandInvoked) -> None:
    await ctx.rt.signal(RUBRICS_CHANGED, ctx, None)


async def test_calendar_change_edits_the_events_document_in_place_and_escapes_titles(pbot: LocalBot) -> None:
    pbot.app.rt.commands.add(Command("testevent", _add_event, "pinned.cmd.doc"))
    await pbot.tick()
    events = documents(pbot)[2]
    count = len(pbot.sim.bot_messages("town"))
    await pbot.sim.post("town", "mia", "/testevent Repair café [free](https://evil.example) __now__ {x}")
    assert events.edits == 1 and len(pbot.sim.bot_messages("town")) == count + 1  # the log line only
    assert (
        "Mon, Nov 30, 6:00 PM, " + CET + ": Repair café [free](https://evil.example) __now__ {x} (**Library** <hall>)"
        in events.text
    )
    assert events.rich is not None
    item = events.rich.lines[-1]
    assert not any(s.link or s.italic for s in item.spans)
    assert next(s.text for s in item.spans if s.bold).startswith("Mon, Nov 30, 6:00 PM")  # the event time, bold
    assert "edited in place" in log_lines(pbot)[-1] and "(by mia)" in log_lines(pbot)[-1]


async def test_rubrics_signal_without_a_change_edits_nothing(pbot: LocalBot) -> None:
    pbot.app.rt.commands.add(Command("testrubrics", _rubrics_changed, "pinned.cmd.doc"))
    await pbot.tick()
    await pbot.sim.post("town", "mia", "/testrubrics")
    assert all(m.edits == 0 for m in documents(pbot))
    assert (await rows(pbot))[2].version == 1


async def test_an_unpinned_document_is_pinned_again_at_the_next_check(pbot: LocalBot) -> None:
    await pbot.tick()
    chat = pbot.sim.chats["town"]
    routine = documents(pbot)[1]
    chat.pinned.remove(routine.id)
    pbot.clock.advance(timedelta(minutes=1))
    await pbot.tick()
    assert routine.id not in chat.pinned  # checks come every check_every (10 minutes)
    pbot.clock.advance(timedelta(minutes=10))
    await pbot.tick()
    assert routine.id in chat.pinned and len(documents(pbot)) == 3
    assert "unpinned document #2 (routine); I pinned it again" in log_lines(pbot)[-1]
    assert (await rows(pbot))[2].message_ids == [routine.id]


async def test_a_deleted_document_is_posted_again(pbot: LocalBot) -> None:
    await pbot.tick()
    chat = pbot.sim.chats["town"]
    foundation = documents(pbot)[0]
    foundation.deleted = True  # an admin deleted it
    chat.pinned.remove(foundation.id)
    pbot.clock.advance(timedelta(minutes=10))
    await pbot.tick()
    again = documents(pbot)
    assert len(again) == 3 and again[-1].text == foundation.text and again[-1].id in chat.pinned
    assert (await rows(pbot))[1].message_ids == [again[-1].id]
    assert "was deleted; I posted and pinned it again" in log_lines(pbot)[-1]


async def test_nothing_is_published_twice_across_a_restart(db_url: str) -> None:
    clock = VirtualClock(START)
    sim = LocalPlatform(clock)
    sim.add_chat("town", "Riverside Makers", admins=("mia",))
    config = local_config(PINNED)
    for _ in range(2):  # the same platform and database, a new process
        app = App(config, Database(db_url), clock, {"local": sim})
        await app.start()
        sim.connect(app.handle)
        await app.rituals.tick(clock.now())
        clock.advance(timedelta(minutes=11))
        await app.rituals.tick(clock.now())
        await app.close()
    sent = [e for e in sim.log if e.what == "send" and not e.text.startswith("📌")]
    assert len(sent) == 3 and len(sim.chats["town"].pinned) == 3


async def test_a_long_document_is_split_keeps_every_part_and_shrinks_in_place(pbot: LocalBot) -> None:
    await pbot.tick()
    long_text = "\n\n".join(f"## Rule {i}\n" + f"Rule {i} explained. " * 40 for i in range(20))
    await pbot.sim.post("town", "mia", "/doc set 1 " + long_text)
    ids = (await rows(pbot))[1].message_ids
    parts = [pbot.sim.messages[i] for i in ids]
    assert len(parts) == 4 and all(len(p.text) <= 4096 for p in parts)
    assert all(i in pbot.sim.chats["town"].pinned for i in ids)
    text = "\n\n".join(p.text for p in parts)
    assert [int(n) for n in re.findall(r"^Rule (\d+)$", text, flags=re.MULTILINE)] == list(range(20))
    await pbot.sim.post("town", "mia", "/doc set 1 Short rules now.")
    assert (await rows(pbot))[1].message_ids == [ids[0]]
    assert parts[0].text == "Short rules now." and all(p.deleted for p in parts[1:])


async def test_pin_failure_is_reported_once_and_retried_later(pbot: LocalBot) -> None:
    pbot.sim.chats["town"].bot_is_admin = False
    await pbot.tick()
    await pbot.tick()
    assert len(documents(pbot)) == 3 and pbot.sim.chats["town"].pinned == []  # posted once, not pinned
    assert sum("couldn't update" in line for line in log_lines(pbot)) == 3  # one report per document
    pbot.sim.chats["town"].bot_is_admin = True
    pbot.clock.advance(timedelta(minutes=10))
    await pbot.tick()
    assert len(documents(pbot)) == 3 and len(pbot.sim.chats["town"].pinned) == 3
