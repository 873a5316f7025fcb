"""The outbox against the fake Discord: every request checked against the OpenAPI spec."""

from __future__ import annotations

from datetime import timedelta

import pytest

from adapters.discord.adapter import DiscordAdapter, DiscordStartError, make_client
from bot.app import App
from bot.core import actions as a
from bot.core.commands import Command
from bot.core.events import ButtonPressed, CommandInvoked, Role
from bot.core.ids import ChatRef, MessageRef, UserRef
from bot.core.richtext import markup, message_link, plain
from tests.conftest import START
from tests.discord.conftest import ANN, MIA
from tests.discord.fakes import GENERAL, GUILD_ID, MANAGER_ROLE
from tests.discord.harness import DiscordHarness, discord_bot, discord_config

CHAT = ChatRef("discord", GUILD_ID)
MESSAGES = "/channels/{channel_id}/messages"


async def perform(h: DiscordHarness, action: a.Action) -> a.Result:
    return await h.app.rt.perform("discord", action)


async def test_long_texts_go_out_as_embeds_and_edits_follow(dbot: DiscordHarness) -> None:
    long = plain("\n\n".join(f"Rule {i}: " + "be kind " * 40 for i in range(20)))
    sent = await perform(dbot, a.SendMessage(CHAT, long))
    assert isinstance(sent, a.Done) and len(sent.messages) >= 2
    bodies = [r.body for r in dbot.sent()]
    assert all(len(b["embeds"][0]["description"]) <= 4096 for b in bodies)
    assert sent.message is not None
    edited = await perform(dbot, a.EditMessage(sent.message, markup("**short** now")))
    assert edited.ok
    (patch,) = dbot.fake.calls("PATCH", "/channels/{channel_id}/messages/{message_id}")
    assert patch.body["content"] == "**short** now" and patch.body["embeds"] == []
    assert (await perform(dbot, a.DeleteMessage(sent.message))).ok
    gone = await perform(dbot, a.EditMessage(sent.message, plain("again")))
    assert isinstance(gone, a.Failed) and gone.reason is a.FailReason.NOT_FOUND
    assert dbot.fake.violations == []


async def test_a_full_channel_is_never_made_room_in_by_unpinning_the_bots_own_pins(dbot: DiscordHarness) -> None:
    """Unpinning its own oldest pin to make room unpinned another of its documents: a churn every check."""
    ours = dbot.fake.message(GENERAL, "900000000000000001", "old rules")
    dbot.fake.pins[GENERAL] = [ours["id"]] + [dbot.fake.message(GENERAL, ANN, f"pin {i}")["id"] for i in range(49)]
    new = await perform(dbot, a.SendMessage(CHAT, plain("new rules")))
    assert isinstance(new, a.Done) and new.message is not None
    full = await perform(dbot, a.PinMessage(new.message))
    assert isinstance(full, a.Failed) and "50 pins" in full.detail  # the managers are told (pinned log), nothing unpinned
    assert ours["id"] in dbot.fake.pins[GENERAL] and new.message.id not in dbot.fake.pins[GENERAL]
    assert not dbot.fake.calls("DELETE", "/channels/{channel_id}/pins/{message_id}") + dbot.fake.calls(
        "DELETE", "/channels/{channel_id}/messages/pins/{message_id}"
    )
    pinned = await perform(dbot, a.GetPinned(CHAT))
    assert isinstance(pinned, a.Pinned) and len(pinned.pinned) == 50
    assert dbot.fake.violations == []


async def test_moderation_actions(dbot: DiscordHarness) -> None:
    user = UserRef("discord", ANN)
    assert (await perform(dbot, a.RestrictMember(CHAT, user, START + timedelta(hours=1)))).ok
    assert (await perform(dbot, a.UnrestrictMember(CHAT, user))).ok
    assert (await perform(dbot, a.KickMember(CHAT, user))).ok
    assert (await perform(dbot, a.BanMember(CHAT, user, delete_recent=True))).ok
    assert ANN in dbot.fake.bans
    assert (await perform(dbot, a.UnbanMember(CHAT, user))).ok
    assert ANN not in dbot.fake.bans
    patches = dbot.fake.calls("PATCH", "/guilds/{guild_id}/members/{user_id}")
    assert patches[0].body["communication_disabled_until"] and patches[1].body["communication_disabled_until"] is None
    (ban,) = dbot.fake.calls("PUT", "/guilds/{guild_id}/bans/{user_id}")
    assert ban.query["delete_message_seconds"] == "86400"  # discord.py sends it as a query parameter
    assert isinstance(await perform(dbot, a.DecideJoinRequest(CHAT, user, True)), a.Unsupported)
    assert dbot.fake.violations == []


async def test_buttons_carry_their_data_and_presses_come_back(dbot: DiscordHarness) -> None:
    pressed: list[tuple[ButtonPressed, str]] = []

    async def on_press(ctx, ev: ButtonPressed, rest: str) -> None:  # type: ignore[no-untyped-def]
        pressed.append((ev, rest))
        ctx.after_commit(a.AnswerButton(ev.callback_id, "thanks!"))

    dbot.app.rt.buttons.add("test", on_press)
    buttons = ((a.Button("Yes", data="test:yes"), a.Button("Docs", url="https://example.org")),)
    sent = await perform(dbot, a.SendMessage(CHAT, plain("Ready?"), buttons=buttons))
    assert sent.ok
    body = dbot.sent()[-1].body
    assert body["components"][0]["components"][0]["custom_id"] == "test:yes"
    message = dbot.fake.messages[sent.message.id]  # type: ignore[union-attr]
    iid = await dbot.press(MIA, message, "test:yes")
    ((event, rest),) = pressed
    assert rest == "yes" and event.callback_id == iid and event.role is Role.MANAGER
    (answer,) = dbot.answered(iid)
    assert answer.body["data"]["content"] == "thanks!" and answer.body["data"]["flags"] == 64  # ephemeral
    assert dbot.fake.violations == []


async def test_a_command_without_reply_is_acknowledged(db_url: str) -> None:
    seen: list[CommandInvoked] = []

    async def quiet(ctx, ev: CommandInvoked) -> None:  # type: ignore[no-untyped-def]
        seen.append(ev)

    def prepare(app: App) -> None:
        app.rt.commands.add(Command("quiet", quiet, "cmd.help"))

    async with discord_bot(discord_config(), db_url, START, prepare) as h:
        h.add_member(ANN, "Ann")
        await h.slash(ANN, "quiet", "some args", locale="uk")
        assert seen[0].args == "some args" and seen[0].user.language == "uk"
        assert seen[0].message is not None and seen[0].message.place == GENERAL
        removed = "/webhooks/{webhook_id}/{webhook_token}/messages/@original"
        await h.until(lambda: h.fake.calls("DELETE", removed), "the acknowledgement to be removed")
        assert h.fake.violations == []


async def test_missing_privileged_intents_stop_start_up_with_the_fix(db_url: str) -> None:
    from bot.core.clock import VirtualClock
    from storage.db import Database
    from tests.discord.fakes import FakeDiscord

    fake = FakeDiscord(close_on_identify=4014)
    url = await fake.start()
    import discord
    import yarl
    from discord.gateway import DiscordWebSocket

    old = discord.http.Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    discord.http.Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = url + "/api/v10", yarl.URL(url.replace("http", "ws") + "/gateway")
    config = discord_config()
    app = App(config, Database(db_url), VirtualClock(START))
    try:
        bridge = DiscordAdapter(app.rt, config, make_client(config))
        with pytest.raises(DiscordStartError, match="MESSAGE CONTENT INTENT"):
            await bridge.run("fake-token")
    finally:
        discord.http.Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = old
        await app.close()
        await fake.stop()


async def test_sharding_by_config() -> None:
    import discord

    config = discord_config()
    assert type(make_client(config)) is discord.Client
    sharded = discord_config()
    sharded = sharded.model_copy(update={"discord": sharded.discord.model_copy(update={"shards": 2})})
    client = make_client(sharded)
    assert isinstance(client, discord.AutoShardedClient) and client.shard_count == 2
    shared = sharded.model_copy(update={"discord": sharded.discord.model_copy(update={"shards": 4, "shard_ids": [2, 3]})})
    client = make_client(shared)  # this process connects two of the four shards; another process the others
    assert isinstance(client, discord.AutoShardedClient) and (client.shard_count, client.shard_ids) == (4, [2, 3])


async def test_a_gone_message_is_not_found(dbot: DiscordHarness) -> None:
    ref = MessageRef(CHAT, "1", None)
    result = await perform(dbot, a.DeleteMessage(ref))
    assert isinstance(result, a.Failed) and result.reason is a.FailReason.NOT_FOUND


async def test_files_go_out_as_multipart_uploads_checked_against_the_spec(dbot: DiscordHarness) -> None:
    csv = b"week,messages\n2026-W48,120\n"
    caption = markup("Report for {name}", name="*@everyone*")
    sent = await perform(dbot, a.SendFile(CHAT, "report.csv", csv, caption, mime="text/csv"))
    assert isinstance(sent, a.Done) and sent.message is not None and sent.message.place == GENERAL
    (req,) = dbot.sent()
    assert [(f.field, f.filename, f.data) for f in req.files] == [("files[0]", "report.csv", csv)]
    assert req.body["attachments"] == [{"id": 0, "filename": "report.csv"}]
    assert req.body["content"] == "Report for \\*@\u200beveryone\\*"  # the value escaped, nobody pinged
    assert req.body["allowed_mentions"]["parse"] == []
    assert dbot.fake.messages[sent.message.id]["attachments"][0]["filename"] == "report.csv"
    assert dbot.fake.violations == []


async def test_a_file_by_dm_and_to_a_member_with_closed_dms(dbot: DiscordHarness) -> None:
    ics = b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
    sent = await perform(dbot, a.SendFile(UserRef("discord", ANN), "events.ics", ics))
    assert isinstance(sent, a.Done) and sent.message is not None and sent.message.chat.private
    (req,) = dbot.sent()
    assert dbot.fake.dm_channels[req.path.split("/")[2]] == ANN
    assert req.files[0].data == ics and req.body.get("content") is None
    dbot.fake.dm_closed.add(MIA)
    closed = await perform(dbot, a.SendFile(ChatRef("discord", MIA, private=True), "events.ics", ics))
    assert isinstance(closed, a.Failed) and closed.reason is a.FailReason.DM_CLOSED
    assert dbot.fake.violations == []


async def test_a_dm_to_a_role_named_as_manager_fails_without_asking_discord(dbot: DiscordHarness) -> None:
    # the config's managers may name a role (MANAGER_ROLE); features that DM "the managers" get a clear failure
    result = await perform(dbot, a.SendDirect(UserRef("discord", MANAGER_ROLE), plain("weekly report")))
    assert isinstance(result, a.Failed) and result.reason is a.FailReason.NOT_FOUND and "role" in result.detail
    assert dbot.fake.calls("POST", "/users/@me/channels") == []


async def test_message_links_fall_back_to_the_main_channel(dbot: DiscordHarness) -> None:
    link = dbot.bridge.outbox.message_link
    assert link(MessageRef(CHAT, "123", "456")) == f"https://discord.com/channels/{GUILD_ID}/456/123"
    assert link(MessageRef(CHAT, "123", None)) == f"https://discord.com/channels/{GUILD_ID}/{GENERAL}/123"
    assert link(MessageRef(ChatRef("discord", ANN, private=True), "123", None)) is None


async def test_a_message_link_span_is_written_as_a_jump_link(dbot: DiscordHarness) -> None:
    text = markup("See {link}.", link=message_link(MessageRef(CHAT, "123"), "open", "message 123"))
    assert (await perform(dbot, a.SendMessage(CHAT, text))).ok
    (req,) = dbot.sent()
    assert req.body["content"] == f"See [open](https://discord.com/channels/{GUILD_ID}/{GENERAL}/123)."
