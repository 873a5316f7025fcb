"""The calendar mirrored into Discord's Guild Scheduled Events (#22.3): the real discord.py client against the fake,
which refuses what Discord refuses (no Create Events right: 403 50013; an external event without its end or
location: 400 50035)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import discord
import pytest
from sqlalchemy import select

from storage.models.recurrence import EventMirror
from storage.models.rituals import CalendarEvent, EventRsvp
from tests.conftest import START
from tests.discord.conftest import ANN, MIA
from tests.discord.fakes import BOT_INVITE_PERMISSIONS, CREATE_EVENTS, GENERAL, LOG, MANAGE_EVENTS, MANAGER_ROLE
from tests.discord.harness import DiscordHarness, discord_bot, discord_config

EVENTS = "/guilds/{guild_id}/scheduled-events"
EVENT = "/guilds/{guild_id}/scheduled-events/{guild_scheduled_event_id}"
MESSAGE = "/channels/{channel_id}/messages/{message_id}"
SETTINGS = {"log_place": LOG}


@pytest.fixture
async def ebot(db_url: str) -> AsyncIterator[DiscordHarness]:
    async with discord_bot(discord_config(SETTINGS, managers=[MANAGER_ROLE]), db_url, START) as h:
        h.add_member(MIA, "Mia", roles=[MANAGER_ROLE])
        yield h


async def mirrors(h: DiscordHarness) -> list[EventMirror]:
    async with h.app.db.session() as s:
        return list(await s.scalars(select(EventMirror)))


async def test_an_event_is_created_moved_and_cancelled_in_discords_list(ebot: DiscordHarness) -> None:
    await ebot.slash(MIA, "event", "add 2026-12-03 18:00 Repair café | Library hall | Bring your broken toaster")
    (create,) = ebot.fake.calls("POST", EVENTS)
    assert create.status == 200
    assert create.body["entity_type"] == 3 and create.body["privacy_level"] == 2
    assert create.body["entity_metadata"] == {"location": "Library hall"}
    assert create.body["scheduled_start_time"].startswith("2026-12-03T18:00")
    assert create.body["scheduled_end_time"].startswith("2026-12-03T20:00")  # the default two hours
    (native,) = ebot.fake.scheduled_events.values()
    (row,) = await mirrors(ebot)
    assert row.native == native["id"]

    await ebot.slash(MIA, "event", f"edit {row.event_id} when 2026-12-04 19:00")
    (patch,) = ebot.fake.calls("PATCH", EVENT)
    assert patch.path.endswith(native["id"]) and patch.body["scheduled_start_time"].startswith("2026-12-04T19:00")
    assert len(ebot.fake.calls("POST", EVENTS)) == 1  # updated, never a twin
    await ebot.slash(MIA, "event", f"edit {row.event_id} capacity 10")  # not shown in Discord: nothing sent
    assert len(ebot.fake.calls("PATCH", EVENT)) == 1

    await ebot.slash(MIA, "event", f"cancel {row.event_id}")
    (delete,) = ebot.fake.calls("DELETE", EVENT)
    assert delete.status == 204 and ebot.fake.scheduled_events == {}
    assert await mirrors(ebot) == []
    assert ebot.fake.violations == []


async def test_a_series_shows_its_next_occurrence_and_rolls_forward(ebot: DiscordHarness) -> None:
    await ebot.slash(MIA, "event", "add 2026-12-01 18:00 repeat weekly Office hours | https://meet.example/oh")
    (create,) = ebot.fake.calls("POST", EVENTS)
    assert create.body["scheduled_start_time"].startswith("2026-12-01T18:00")
    assert create.body["entity_metadata"] == {"location": "https://meet.example/oh"}
    ebot.clock.advance(timedelta(days=1, hours=9, minutes=1))  # 2026-12-01 18:01: the first one has started
    await ebot.app.tick()
    assert len(ebot.fake.calls("POST", EVENTS)) == 2
    assert ebot.fake.calls("POST", EVENTS)[-1].body["scheduled_start_time"].startswith("2026-12-08T18:00")
    await ebot.app.tick()
    assert len(ebot.fake.calls("POST", EVENTS)) == 2  # once
    (row,) = await mirrors(ebot)
    assert row.occurrence == "2026-12-08"
    assert ebot.fake.violations == []


async def test_without_create_events_the_managers_hear_it_and_the_calendar_works(db_url: str) -> None:
    perms = BOT_INVITE_PERMISSIONS & ~CREATE_EVENTS & ~MANAGE_EVENTS
    async with discord_bot(discord_config(SETTINGS, managers=[MANAGER_ROLE]), db_url, START, bot_permissions=perms) as h:
        h.add_member(MIA, "Mia", roles=[MANAGER_ROLE])
        told = [m for m in h.fake.posted if m["channel_id"] == LOG and "Create Events" in m["content"]]
        assert len(told) == 1
        await h.slash(MIA, "event", "add 2026-12-03 18:00 Repair café | Library hall")
        (refused,) = h.fake.calls("POST", EVENTS)
        assert refused.status == 403
        assert any("Repair café" in (m["content"] or "") and m["channel_id"] == GENERAL for m in h.fake.posted)  # the card
        assert await mirrors(h) == []
        await h.until(lambda: h.bridge._background == set(), "the rights check after the refusal")
        assert len([m for m in h.fake.posted if m["channel_id"] == LOG and "Create Events" in m["content"]]) == 1  # once
        assert h.fake.violations == []


async def test_the_fake_refuses_an_external_event_without_its_end(ebot: DiscordHarness) -> None:
    http = ebot.client.http
    with pytest.raises(discord.HTTPException) as err:
        await http.create_guild_scheduled_event(
            int(ebot.fake.guild()["id"]),
            name="x",
            privacy_level=2,
            entity_type=3,
            scheduled_start_time="2026-12-03T18:00:00+00:00",
            entity_metadata={"location": "hall"},
        )
    assert err.value.status == 400 and err.value.code == 50035


async def test_interested_in_discord_counts_as_going_and_taking_it_back_as_maybe(ebot: DiscordHarness) -> None:
    await ebot.slash(MIA, "event", "add 2026-12-03 18:00 Repair café | Library hall")
    (native,) = ebot.fake.scheduled_events.values()
    ebot.add_member(ANN, "Ann")
    edits = len(ebot.fake.calls("PATCH", MESSAGE))
    await ebot.fake.interested(ANN, native["id"])
    await ebot.until(lambda: len(ebot.fake.calls("PATCH", MESSAGE)) > edits, "the card redrawn")
    async with ebot.app.db.session() as s:
        (rsvp,) = list(await s.scalars(select(EventRsvp)))
    assert (rsvp.user_id, rsvp.status, rsvp.display_name) == (ANN, "going", "Ann")
    await ebot.fake.interested(ANN, native["id"], added=False)
    await ebot.until(lambda: len(ebot.fake.calls("PATCH", MESSAGE)) > edits + 1, "the card redrawn again")
    async with ebot.app.db.session() as s:
        (rsvp,) = list(await s.scalars(select(EventRsvp)))
    assert rsvp.status == "maybe"
    assert ebot.fake.violations == []


async def test_an_event_a_manager_makes_in_discord_comes_into_the_calendar(ebot: DiscordHarness) -> None:
    await ebot.fake.create_in_client(
        MIA,
        name="Soldering 101",
        scheduled_start_time="2026-12-05T15:00:00+00:00",
        scheduled_end_time="2026-12-05T17:00:00+00:00",
        privacy_level=2,
        entity_type=3,
        entity_metadata={"location": "Workshop"},
        description="Bring safety glasses",
    )
    card = await ebot.until(
        lambda: next((m for m in ebot.fake.posted if "Soldering 101" in (m["content"] or "")), None), "the imported event's card"
    )
    assert "Discord" in card["content"] and card["channel_id"] == GENERAL
    async with ebot.app.db.session() as s:
        (event,) = list(await s.scalars(select(CalendarEvent)))
    assert (event.title, event.place, event.host_id) == ("Soldering 101", "Workshop", MIA)
    assert ebot.fake.calls("POST", EVENTS) == [] and ebot.fake.calls("PATCH", EVENT) == []  # no twin, nothing sent back
    assert len(await mirrors(ebot)) == 1
    assert ebot.fake.violations == []


async def test_a_mirror_a_manager_deleted_in_discord_is_made_again_at_the_next_change(ebot: DiscordHarness) -> None:
    await ebot.slash(MIA, "event", "add 2026-12-03 18:00 Repair café | Library hall")
    (row,) = await mirrors(ebot)
    ebot.fake.scheduled_events.clear()  # deleted in the client
    await ebot.slash(MIA, "event", f"edit {row.event_id} title Repair café (bring tools)")
    (patch,) = ebot.fake.calls("PATCH", EVENT)
    assert patch.status == 404
    (again,) = ebot.fake.scheduled_events.values()
    assert again["name"] == "Repair café (bring tools)"
    (row,) = await mirrors(ebot)
    assert row.native == again["id"]
    assert ebot.fake.violations == []


async def test_an_event_made_in_discord_needs_manage_events_to_be_changed_there(db_url: str) -> None:
    perms = BOT_INVITE_PERMISSIONS & ~MANAGE_EVENTS  # Create Events alone: the bot's own events only
    async with discord_bot(discord_config(SETTINGS, managers=[MANAGER_ROLE]), db_url, START, bot_permissions=perms) as h:
        h.add_member(MIA, "Mia", roles=[MANAGER_ROLE])
        assert len([m for m in h.fake.posted if m["channel_id"] == LOG and "Manage Events" in m["content"]]) == 1
        made = await h.fake.create_in_client(
            MIA,
            name="Soldering 101",
            scheduled_start_time="2026-12-05T15:00:00+00:00",
            scheduled_end_time="2026-12-05T17:00:00+00:00",
            privacy_level=2,
            entity_type=3,
            entity_metadata={"location": "Workshop"},
        )
        await h.until(lambda: any("Soldering 101" in (m["content"] or "") for m in h.fake.posted), "the imported event's card")
        (row,) = await mirrors(h)
        await h.slash(MIA, "event", f"edit {row.event_id} place Library")
        (patch,) = h.fake.calls("PATCH", EVENT)
        assert patch.status == 403 and h.fake.scheduled_events[made["id"]]["entity_metadata"] == {"location": "Workshop"}
        async with h.app.db.session() as s:
            event = await s.get(CalendarEvent, row.event_id)
            assert event is not None and event.place == "Library"  # the bot's calendar changed all the same
        assert h.fake.violations == []
