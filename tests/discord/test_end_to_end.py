"""The real discord.py client against the fake Discord, with the whole core behind it."""

from __future__ import annotations

from sqlalchemy import select

from adapters.discord.render import message_link
from bot.core.actions import Failed, FailReason, SendMessage
from bot.core.context import Context
from bot.core.events import MessagePosted, Person, Role
from bot.core.ids import ChatRef, MessageRef, UserRef
from bot.core.richtext import Mention, markup, plain
from storage.models import Member
from storage.models import Person as PersonRow
from tests.discord.conftest import ANN, BOB, MIA
from tests.discord.fakes import FORUM, GENERAL, GUILD_ID
from tests.discord.harness import DiscordHarness

CALLBACK = "/interactions/{interaction_id}/{interaction_token}/callback"


async def test_start_up_identifies_with_privileged_intents_and_publishes_commands(dbot: DiscordHarness) -> None:
    assert dbot.fake.identify is not None
    intents = dbot.fake.identify["intents"]
    assert intents & (1 << 1), "GUILD_MEMBERS intent"
    assert intents & (1 << 15), "MESSAGE_CONTENT intent"
    (put,) = dbot.fake.calls("PUT", "/applications/{application_id}/guilds/{guild_id}/commands")
    by_name = {c["name"]: c for c in put.body}
    assert {"help", "settings", "set"} <= set(by_name)
    assert by_name["help"]["default_member_permissions"] is None
    assert int(by_name["settings"]["default_member_permissions"]) == 1 << 5  # MANAGE_GUILD
    args = by_name["help"]["options"][0]
    assert args["name"] == "args" and args["required"] is False
    assert {"ru", "hu", "pl", "zh-CN", "it", "uk"} <= set(args["description_localizations"])
    assert by_name["help"]["description"]
    assert dbot.fake.violations == []


async def test_help_answers_the_interaction(dbot: DiscordHarness) -> None:
    iid = await dbot.slash(ANN, "help")
    (answer,) = dbot.answered(iid)
    assert answer.body["type"] == 4
    assert "/help" in answer.body["data"]["content"]
    assert "/settings" not in answer.body["data"]["content"]  # members see member commands only
    assert dbot.fake.violations == []


async def test_settings_for_a_manager_refused_to_a_member(dbot: DiscordHarness) -> None:
    member_iid = await dbot.slash(ANN, "settings")
    refusal = dbot.answered(member_iid)[0].body["data"]["content"]
    assert "managers" in refusal
    manager_iid = await dbot.slash(MIA, "settings")
    data = dbot.answered(manager_iid)[0].body["data"]
    # /settings now lists every feature's settings: longer than a message (2000), it answers with embeds
    assert data.get("content") is None
    shown = "\n".join(e["description"] for e in data["embeds"])
    assert "Riverside Makers" in shown and "language" in shown
    assert dbot.fake.violations == []


async def test_member_join_is_recorded(dbot: DiscordHarness) -> None:
    await dbot.join(BOB)
    async with dbot.app.db.sessions() as s:
        member = await s.scalar(select(Member).where(Member.user_id == BOB))
    assert member is not None and member.joined_at is not None
    assert member.display_name == "Bob"


async def test_a_message_is_counted(dbot: DiscordHarness) -> None:
    await dbot.post(ANN, "hello everyone")
    await dbot.post(ANN, "me again")
    await dbot.app.rt.flush()
    async with dbot.app.db.sessions() as s:
        member = await s.scalar(select(Member).where(Member.user_id == ANN))
    assert member is not None and member.message_count == 2


async def test_closed_dms_are_recorded(dbot: DiscordHarness) -> None:
    dbot.fake.dm_closed.add(BOB)
    await dbot.join(BOB)
    joined = dbot.events[-1]
    async with dbot.app.db.sessions() as session:  # a DM asked the way a feature asks it, in a unit of work
        ctx = Context(joined, session, dbot.app.rt, None, dbot.app.rt.catalogs.translator("en"))
        result = await ctx.direct(Person(UserRef("discord", BOB), "Bob"), plain("welcome!"))
        await session.commit()
    assert isinstance(result, Failed) and result.reason is FailReason.DM_CLOSED
    async with dbot.app.db.sessions() as s:
        row = await s.scalar(select(PersonRow).where(PersonRow.user_id == BOB))
    assert row is not None and row.dm_state == "closed"
    assert dbot.fake.calls("POST", "/users/@me/channels")
    assert dbot.fake.violations == []


async def test_sends_reach_the_main_channel(dbot: DiscordHarness) -> None:
    text = markup("Hi {who}, meet {name}", who=Mention(UserRef("discord", ANN), "Ann"), name="*@everyone* <@1>")
    result = await dbot.app.rt.perform("discord", SendMessage(ChatRef("discord", "910000000000000001"), text))
    assert result.ok
    (req,) = dbot.fake.calls("POST", "/channels/{channel_id}/messages")
    assert req.path == f"/channels/{GENERAL}/messages"
    assert req.body["content"].startswith(f"Hi <@{ANN}>, meet \\*")
    assert req.body["allowed_mentions"]["parse"] == []  # no @everyone, no roles
    assert [str(u) for u in req.body["allowed_mentions"]["users"]] == [ANN]
    assert dbot.fake.violations == []


async def test_forum_post_tags_become_hashtags_and_replies_are_linked(dbot: DiscordHarness) -> None:
    thread_id = dbot.fake.snowflake()
    await dbot.fake.dispatch(
        "THREAD_CREATE",
        {
            "id": thread_id,
            "guild_id": GUILD_ID,
            "parent_id": FORUM,
            "owner_id": ANN,
            "type": 11,
            "name": "My lamp",
            "applied_tags": ["950000000000000001"],
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
        },
    )
    first = await dbot.post(ANN, "I built a lamp https://example.org/lamp", channel_id=thread_id, id=thread_id)
    posted = dbot.events[-1]
    assert isinstance(posted, MessagePosted)
    assert posted.hashtags == ("#show_tell",)
    assert posted.links == ("https://example.org/lamp",)
    assert posted.message.place == thread_id and posted.chat == ChatRef("discord", GUILD_ID)
    await dbot.post(
        MIA,
        "lovely",
        channel_id=thread_id,
        type=19,
        message_reference={"message_id": first["id"], "channel_id": thread_id, "guild_id": GUILD_ID},
        referenced_message=first,
    )
    reply = dbot.events[-1]
    assert isinstance(reply, MessagePosted)
    assert reply.reply_to == MessageRef(ChatRef("discord", GUILD_ID), first["id"], thread_id)
    assert reply.reply_to_author == UserRef("discord", ANN)
    assert reply.role is Role.MANAGER  # through the config's manager role
    assert message_link(GUILD_ID, thread_id, first["id"]) == f"https://discord.com/channels/{GUILD_ID}/{thread_id}/{first['id']}"
