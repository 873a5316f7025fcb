"""The features end to end on Discord: the real discord.py client against the fake, the whole core behind it.

Each scenario asserts on the requests the fake REST server received (every one checked against the
OpenAPI spec), as Discord would have seen them.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.core.events import CommandInvoked, LeaveKind, MemberJoined, MemberLeft, MessagePosted
from bot.core.ids import ChatRef, MessageRef
from storage.models.onboarding import Newcomer
from tests.conftest import START
from tests.discord.conftest import ANN, BOB, MIA
from tests.discord.fakes import FORUM, GENERAL, GUILD_ID, LOG, MANAGER_ROLE, Recorded
from tests.discord.harness import DiscordHarness, discord_bot, discord_config

CY = "960000000000000004"  # a newcomer who spams
MESSAGES = "/channels/{channel_id}/messages"
MESSAGE = "/channels/{channel_id}/messages/{message_id}"
PIN = "/channels/{channel_id}/messages/pins/{message_id}"
BAN = "/guilds/{guild_id}/bans/{user_id}"
SPAM = "💰💰 Earn $500 a day from home!!! Crypto signals, DM me now: t.me/max_profit_signals 💰💰"

SETTINGS: dict[str, Any] = {
    "log_place": LOG,
    "pinned": {"mission": "We fix things together.", "rules": ["Be kind", "No selling"]},
    "rituals": {"weekly_prompt": {"weekday": "mon", "time": "10:00", "prompts": ["What are you making this week?"]}},
}


@pytest.fixture
async def fbot(db_url: str) -> AsyncIterator[DiscordHarness]:
    """The bot with a log channel, pinned rules and a weekly prompt; Ann a member, Mia a manager."""
    async with discord_bot(discord_config(SETTINGS, managers=[MANAGER_ROLE]), db_url, START) as h:
        for uid, name, roles in ((ANN, "Ann", None), (MIA, "Mia", [MANAGER_ROLE]), (BOB, "Bob *the* @everyone", None), (CY, "Cy", None)):
            h.add_member(uid, name, roles=roles)
        yield h


def posts_to(h: DiscordHarness, channel: str) -> list[Recorded]:
    return [r for r in h.sent() if r.path == f"/channels/{channel}/messages"]


def text_of(r: Recorded) -> str:
    body = r.body.get("data", r.body)  # an interaction callback carries the message in "data"
    return body.get("content") or "\n".join(e.get("description", "") for e in body.get("embeds") or [])


def answer(h: DiscordHarness, interaction_id: str) -> str:
    (callback,) = h.answered(interaction_id)
    return text_of(callback)


async def test_a_join_is_welcomed_in_the_main_channel_and_by_dm(fbot: DiscordHarness) -> None:
    await fbot.join(BOB)
    dm_channel = next(c for c, u in fbot.fake.dm_channels.items() if u == BOB)
    (dm,) = posts_to(fbot, dm_channel)
    (welcome,) = posts_to(fbot, GENERAL)
    assert f"<@{BOB}>" in welcome.body["content"] and "Riverside Makers" in welcome.body["content"]
    assert "*the*" not in welcome.body["content"] and "@everyone" not in welcome.body["content"]
    assert welcome.body["allowed_mentions"]["parse"] == [] and welcome.body["allowed_mentions"]["users"] in ([BOB], [int(BOB)])
    assert "Be kind" in dm.body["content"]  # the rules in short
    assert fbot.fake.violations == []


async def test_closed_dms_leave_the_welcome_to_say_how_to_continue(fbot: DiscordHarness) -> None:
    fbot.fake.dm_closed.add(BOB)
    await fbot.join(BOB)
    dm_channel = next(c for c, u in fbot.fake.dm_channels.items() if u == BOB)
    (refused,) = posts_to(fbot, dm_channel)  # tried once: 403, code 50007
    (welcome,) = posts_to(fbot, GENERAL)
    # Discord has no deep link to a DM: the group welcome says how to get the welcome DM instead.
    assert fbot.app.rt.deep_link("discord", "x") is None
    assert "#intro" in welcome.body["content"] and "allow direct messages" in welcome.body["content"]
    async with fbot.app.db.sessions() as s:
        row = await s.scalar(select(Newcomer).where(Newcomer.user_id == BOB))
    assert row is not None and row.dm_pending and row.dm_sent_at is None
    assert refused.body["content"]
    # Bob opens his DMs and writes: the welcome that waited comes at once, and only once.
    fbot.fake.dm_closed.discard(BOB)
    await fbot.dm(BOB, "hi?")
    (_, delivered) = posts_to(fbot, dm_channel)
    assert "Be kind" in delivered.body["content"]
    await fbot.dm(BOB, "thanks!")
    assert len(posts_to(fbot, dm_channel)) == 2
    async with fbot.app.db.sessions() as s:
        row = await s.scalar(select(Newcomer).where(Newcomer.user_id == BOB))
    assert row is not None and not row.dm_pending and row.dm_sent_at is not None
    assert fbot.fake.violations == []


async def test_newcomer_spam_is_deleted_the_spammer_banned_and_not_spam_restores(fbot: DiscordHarness) -> None:
    await fbot.join(CY)
    spam = await fbot.post(CY, SPAM)
    deleted = [c.path for c in fbot.fake.calls("DELETE", MESSAGE)]
    assert f"/channels/{GENERAL}/messages/{spam['id']}" in deleted  # the spam, and the welcome that greeted Cy alone
    welcome = next(m for m in fbot.fake.posted if m["channel_id"] == GENERAL and f"<@{CY}>" in m["content"])
    assert f"/channels/{GENERAL}/messages/{welcome['id']}" in deleted
    assert CY in fbot.fake.bans
    # The card is posted after the ban; Discord reports the ban as a removal and a ban: all in before Mia acts.
    await fbot.until(lambda: posts_to(fbot, LOG) and sum(isinstance(e, MemberLeft) for e in fbot.events) == 2, "the card and the ban")
    (card,) = posts_to(fbot, LOG)
    buttons = {b["label"]: b["custom_id"] for b in card.body["components"][0]["components"]}
    not_spam = next(cid for cid in buttons.values() if cid.startswith("sp:ns:"))
    card_msg = fbot.fake.messages[next(m for m, v in fbot.fake.messages.items() if v["channel_id"] == LOG)]
    iid = await fbot.press(MIA, card_msg, not_spam)
    assert CY not in fbot.fake.bans and fbot.fake.calls("DELETE", BAN)
    restored = posts_to(fbot, GENERAL)[-1]
    assert "max\\_profit\\_signals" in restored.body["content"]  # the text back, escaped, as a quote by the bot
    # (the press may be acknowledged before the card is redrawn when handling takes a while)
    closed = await fbot.until(lambda: fbot.fake.calls("PATCH", MESSAGE), "the card to be closed")
    assert closed[-1].path == f"/channels/{LOG}/messages/{card_msg['id']}"
    assert fbot.answered(iid)
    assert fbot.fake.violations == []


async def test_a_message_command_is_a_command_replying_to_that_message(fbot: DiscordHarness) -> None:
    ad = await fbot.post(ANN, "selling my old bike, cheap, write me")
    seen: list[CommandInvoked] = []
    original = fbot.app.rt.handle

    async def spy(event: Any) -> Any:
        if isinstance(event, CommandInvoked):
            seen.append(event)
        return await original(event)

    fbot.app.rt.handle = spy  # type: ignore[method-assign]
    iid = await fbot.menu(MIA, "Report as spam", ad)
    (cmd,) = seen
    assert cmd.name == "spam" and cmd.reply_to == MessageRef(ChatRef("discord", GUILD_ID), ad["id"], GENERAL)
    assert fbot.fake.calls("DELETE", MESSAGE)[-1].path == f"/channels/{GENERAL}/messages/{ad['id']}"
    assert fbot.answered(iid)
    (put,) = fbot.fake.calls("PUT", "/applications/{application_id}/guilds/{guild_id}/commands")
    menus = {c["name"]: c for c in put.body if c.get("type") == 3}
    assert set(menus) == {"Report as spam", "Not spam", "Report to moderators"}
    assert menus["Not spam"]["name_localizations"]["ru"] == "Это не спам"
    assert fbot.fake.violations == []


async def test_a_member_reports_a_message_from_its_menu_and_only_they_see_the_answer(fbot: DiscordHarness) -> None:
    own = await fbot.post(ANN, "selling my old bike, cheap, write me")
    iid = await fbot.menu(ANN, "Report to moderators", own)
    (answer,) = fbot.answered(iid)
    assert answer.body["type"] == 4 and answer.body["data"]["flags"] & 64  # ephemeral: only Ann sees it
    assert "can't be reported" in answer.body["data"]["content"]  # her own message
    other = await fbot.post(BOB, "selling my old bike, cheap, write me")
    iid = await fbot.menu(ANN, "Report to moderators", other)
    (answer,) = fbot.answered(iid)
    assert "Thanks for the report" in answer.body["data"]["content"] and answer.body["data"]["flags"] & 64
    assert fbot.fake.calls("DELETE", MESSAGE) == []  # one report removes nothing
    assert fbot.fake.violations == []


async def test_a_jump_link_in_a_slash_commands_args_names_the_message(fbot: DiscordHarness) -> None:
    ad = await fbot.post(ANN, "selling my old bike, cheap, write me")
    link = f"https://discord.com/channels/{GUILD_ID}/{GENERAL}/{ad['id']}"
    await fbot.slash(MIA, "spam", link)
    assert fbot.fake.calls("DELETE", MESSAGE)[-1].path == f"/channels/{GENERAL}/messages/{ad['id']}"


async def test_a_question_is_indexed_and_found_and_forum_tags_count_as_hashtags(fbot: DiscordHarness) -> None:
    asked = await fbot.post(ANN, "#question How do I solder SMD parts?")
    thread_id = fbot.fake.snowflake()
    await fbot.fake.dispatch("THREAD_CREATE", forum_thread(thread_id, "Kiln temperatures?", ["950000000000000002"]))
    await fbot.post(MIA, "What temperature for stoneware?", channel_id=thread_id, id=thread_id)
    forum_post = fbot.events[-1]
    assert isinstance(forum_post, MessagePosted) and forum_post.hashtags == ("#question",)
    iid = await fbot.slash(BOB, "find", "#question")
    found = answer(fbot, iid)
    assert f"https://discord.com/channels/{GUILD_ID}/{GENERAL}/{asked['id']}" in found
    assert f"https://discord.com/channels/{GUILD_ID}/{thread_id}/{thread_id}" in found
    assert fbot.fake.violations == []


def forum_thread(thread_id: str, name: str, tags: list[str]) -> dict[str, Any]:
    return {
        "id": thread_id,
        "guild_id": GUILD_ID,
        "parent_id": FORUM,
        "owner_id": MIA,
        "type": 11,
        "name": name,
        "applied_tags": tags,
        "thread_metadata": {
            "archived": False,
            "auto_archive_duration": 1440,
            "archive_timestamp": "2026-11-30T09:00:00+00:00",
            "locked": False,
        },
        "message_count": 0,
        "member_count": 1,
        "rate_limit_per_user": 0,
        "flags": 0,
        "newly_created": True,
    }


async def test_pinned_rules_are_published_then_edited_in_place(fbot: DiscordHarness) -> None:
    await fbot.app.tick()
    assert any("Be kind" in text_of(r) for r in posts_to(fbot, GENERAL))
    rules_id = next(m for m, v in fbot.fake.messages.items() if "Be kind" in (v["content"] + str(v["embeds"])))
    assert rules_id in fbot.fake.pins[GENERAL]
    assert any(r.path == f"/channels/{GENERAL}/messages/pins/{rules_id}" for r in fbot.fake.calls("PUT", PIN))
    posted = len(posts_to(fbot, GENERAL))
    iid = await fbot.slash(MIA, "doc", "set rules Be kind. Fix, don't toss.")
    assert answer(fbot, iid)
    assert len(posts_to(fbot, GENERAL)) == posted  # no new message in the channel: edited in place
    assert "edited in place" in text_of(posts_to(fbot, LOG)[-1])  # and the moderators' log says so
    patch = fbot.fake.calls("PATCH", MESSAGE)[-1]
    assert patch.path == f"/channels/{GENERAL}/messages/{rules_id}"
    assert "Fix, don't toss." in text_of(patch)
    assert fbot.fake.violations == []


async def test_the_weekly_prompt_is_posted_at_its_time(fbot: DiscordHarness) -> None:
    await fbot.app.tick()  # 09:00: too early (the pinned documents go out)
    assert not any("What are you making" in text_of(r) for r in fbot.sent())
    fbot.clock.advance(timedelta(hours=1))
    await fbot.app.tick()
    (prompt,) = [r for r in posts_to(fbot, GENERAL) if "What are you making this week?" in text_of(r)]
    assert "Question of the week" in prompt.body["content"]
    assert fbot.fake.violations == []


async def test_an_event_is_added_and_an_rsvp_press_is_answered(fbot: DiscordHarness) -> None:
    await fbot.slash(MIA, "event", "add 2026-12-03 18:00 Repair café | Library hall | Bring your broken toaster")
    # The card is a channel message (not the interaction's answer), so later changes can redraw it by id.
    card = next(r for r in posts_to(fbot, GENERAL) if r.body.get("components") and "Repair café" in text_of(r))
    assert "🕒 <t:1796320800:F>–<t:1796328000:t> (<t:1796320800:R>)" in text_of(card)  # #22.2: each reader's own time
    assert "Universal Time" not in text_of(card)  # the zone is the reader's, so none is named
    going = next(
        b["custom_id"] for row in card.body["components"] for b in row["components"] if b.get("custom_id", "").count(":going") == 1
    )
    card_msg = next(v for v in fbot.fake.messages.values() if v.get("components") == card.body["components"])
    pressed = await fbot.press(ANN, card_msg, going)
    (callback,) = fbot.answered(pressed)
    assert callback.body["type"] == 4 and callback.body["data"]["flags"] == 64  # "You're going", to Ann alone
    redraw = fbot.fake.calls("PATCH", MESSAGE)[-1]  # the card shows the new count
    assert redraw.path == f"/channels/{GENERAL}/messages/{card_msg['id']}"
    assert fbot.fake.violations == []


async def test_an_admin_command_is_refused_to_a_member(fbot: DiscordHarness) -> None:
    iid = await fbot.slash(ANN, "event", "add 2026-12-03 18:00 Party")
    assert "managers" in answer(fbot, iid)
    assert not any("Party" in text_of(r) for r in fbot.sent())
    assert fbot.fake.violations == []


async def test_the_welcome_dms_buttons_work_in_the_dm(fbot: DiscordHarness) -> None:
    """Discord sends a press in a DM without guild_id or member: it still reaches the community it belongs to."""
    await fbot.join(BOB)
    dm_channel = next(c for c, u in fbot.fake.dm_channels.items() if u == BOB)
    (dm,) = posts_to(fbot, dm_channel)
    dm_msg = next(v for v in fbot.fake.messages.values() if v["channel_id"] == dm_channel)
    buttons = {b["label"]: b["custom_id"] for row in dm.body["components"] for b in row["components"] if "custom_id" in b}
    rules = next(cid for label, cid in buttons.items() if "ule" in label)
    pressed = await fbot.press(BOB, dm_msg, rules)
    assert fbot.answered(pressed)  # no "This interaction failed"
    (_, rules_dm) = posts_to(fbot, dm_channel)
    assert "Be kind" in text_of(rules_dm)
    assert fbot.fake.violations == []


async def test_the_bots_own_ban_is_not_taken_for_a_leave(fbot: DiscordHarness) -> None:
    """Discord sends GUILD_MEMBER_REMOVE for a ban too: a banned spammer gets no goodbye and no farewell DM."""
    await fbot.join(CY)
    await fbot.post(CY, SPAM)
    assert CY in fbot.fake.bans
    await fbot.until(lambda: sum(isinstance(e, MemberLeft) for e in fbot.events) >= 2, "the removal and the ban to arrive")
    assert {e.kind for e in fbot.events if isinstance(e, MemberLeft)} == {LeaveKind.BANNED}
    assert not [r for r in posts_to(fbot, GENERAL) if "Cy" in text_of(r) and "left" in text_of(r)]
    dm_channel = next(c for c, u in fbot.fake.dm_channels.items() if u == CY)
    assert not [r for r in posts_to(fbot, dm_channel) if "?" in text_of(r) and "left" in text_of(r).lower()]
    assert fbot.fake.violations == []


async def test_a_member_in_rules_screening_is_welcomed_once_they_pass_it(fbot: DiscordHarness) -> None:
    """``pending`` is true until the member passes the server's rules screening: welcome them after, not before."""
    client = fbot.bridge.client
    seen = asyncio.Event()
    listener = client.on_member_join  # type: ignore[attr-defined]

    async def spy(member: Any) -> None:
        await listener(member)
        seen.set()

    client.on_member_join = spy  # type: ignore[attr-defined]
    await fbot.fake.dispatch("GUILD_MEMBER_ADD", {**fbot.fake.member(BOB), "guild_id": GUILD_ID, "pending": True})
    await asyncio.wait_for(seen.wait(), 10)  # the join was handled (or passed over) by now
    assert not [e for e in fbot.events if isinstance(e, MemberJoined)]
    assert not [r for r in posts_to(fbot, GENERAL) if f"<@{BOB}>" in text_of(r)]
    await fbot.fake.dispatch("GUILD_MEMBER_UPDATE", {**fbot.fake.member(BOB), "guild_id": GUILD_ID, "pending": False})
    await fbot.until(lambda: [e for e in fbot.events if isinstance(e, MemberJoined)], "the join after screening")
    assert [r for r in posts_to(fbot, GENERAL) if f"<@{BOB}>" in text_of(r)]  # welcomed now
    assert fbot.fake.violations == []


async def test_the_removal_dm_reaches_the_spammer_and_the_appeal_works_from_it(fbot: DiscordHarness) -> None:
    """Discord refuses DMs to someone who shares no server with the bot: the removal DM goes before the ban."""
    await fbot.join(CY)
    await fbot.post(CY, SPAM)
    assert CY in fbot.fake.bans
    dm_channel = next(c for c, u in fbot.fake.dm_channels.items() if u == CY)

    def appeal_button() -> str | None:
        return next((b["custom_id"] for m in fbot.fake.messages.values() if m["channel_id"] == dm_channel
                     for row in m.get("components") or [] for b in row["components"] if b.get("custom_id", "").startswith("sp:ap:")), None)

    appeal = await fbot.until(appeal_button, "the removal DM with its appeal button")
    dm_msg = next(m for m in fbot.fake.messages.values() if m["channel_id"] == dm_channel and appeal in json.dumps(m.get("components")))
    cards_before = len(posts_to(fbot, LOG))
    pressed = await fbot.press(CY, dm_msg, appeal)  # from the DM, with no server shared any more
    assert fbot.answered(pressed)
    await fbot.until(lambda: len(posts_to(fbot, LOG)) > cards_before, "the appeal card in the log")
    assert fbot.fake.violations == []


async def test_managers_named_by_a_role_get_the_weekly_report(fbot: DiscordHarness) -> None:
    """The config names the Hosts role, not people: its members get the report (a DM to a role id is no DM)."""
    await fbot.post(ANN, "good morning")
    await fbot.app.tick()  # Monday 09:00: the pinned documents first
    await fbot.app.tick()  # then the weekly report
    mia_dm = [c for c, u in fbot.fake.dm_channels.items() if u == MIA]
    assert mia_dm, "Mia (a Host) got no DM"
    reports = [m for m in fbot.fake.posted if m["channel_id"] == mia_dm[0] and "Weekly report" in (m.get("content") or "")]
    assert len(reports) == 1
    assert all(u != ANN for u in fbot.fake.dm_channels.values())  # Ann is no Host
    assert not [r for r in fbot.fake.requests if r.path == f"/users/{MANAGER_ROLE}"]  # no DM channel for the role's id


async def test_a_member_proposes_an_event_and_a_manager_approves_it_from_the_log(fbot: DiscordHarness) -> None:
    """#22.6: the confirmation is the slash command's own answer, seen by Ann alone; the card waits in the log."""
    iid = await fbot.slash(ANN, "event", "propose 2026-12-05 18:00 Board games night | Library hall")
    (callback,) = fbot.answered(iid)
    assert callback.body["data"]["flags"] == 64 and "went to the managers" in text_of(callback)
    card = next(r for r in posts_to(fbot, LOG) if r.body.get("components") and "Board games night" in text_of(r))
    ids = {b["label"]: b["custom_id"] for row in card.body["components"] for b in row["components"]}
    card_msg = next(v for v in fbot.fake.messages.values() if v.get("components") == card.body["components"])
    refused = await fbot.press(BOB, card_msg, ids["✅ Approve"])
    (no,) = fbot.answered(refused)
    assert "Only the community's managers" in text_of(no)
    assert not any(r.body.get("components") and "Board games night" in text_of(r) for r in posts_to(fbot, GENERAL))
    await fbot.press(MIA, card_msg, ids["✅ Approve"])
    (event_card,) = [r for r in posts_to(fbot, GENERAL) if r.body.get("components") and "Board games night" in text_of(r)]
    assert any(":going" in b.get("custom_id", "") for row in event_card.body["components"] for b in row["components"])
    dm_channel = next(c for c, u in fbot.fake.dm_channels.items() if u == ANN)
    assert "was approved" in text_of(posts_to(fbot, dm_channel)[-1])
    assert fbot.fake.violations == []
