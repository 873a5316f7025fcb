"""End to end: real aiogram Bot over HTTP against the fake Bot API, the whole core on a SQLite file."""

from __future__ import annotations

import json
import logging

import pytest
from sqlalchemy import select

from bot.core import actions as a
from bot.core.commands import Where
from bot.core.context import Context
from bot.core.events import MemberJoined, Role
from bot.core.ids import ChatRef
from bot.core.richtext import plain
from bot.core.router import Flow
from storage.models import Member
from tests.telegram.conftest import ANN, BOB, GROUP, OWNER, TelegramBot, telegram_bot_running


async def test_member_cannot_use_a_manager_command(telegram_bot: TelegramBot) -> None:
    tg = telegram_bot
    update = tg.scene.message(GROUP, ANN, "/set spam.shadow_mode true")
    await tg.send(update)
    [reply] = tg.fake.sent("sendMessage", GROUP)
    assert tg.fake.texts(GROUP) == ["Sorry, only the community's managers can use /set."]
    assert reply["reply_parameters"]["message_id"] == update["message"]["message_id"]
    assert reply["parse_mode"] == "HTML"


async def test_help_for_a_member_lists_member_commands_only(telegram_bot: TelegramBot) -> None:
    tg = telegram_bot
    await tg.send(tg.scene.message(GROUP, ANN, "/help@town_test_bot"))
    [text] = tg.fake.texts(GROUP)
    assert text.startswith("What I can do here") and "/help" in text
    assert "/settings" not in text


async def test_commands_for_another_bot_are_ignored(telegram_bot: TelegramBot) -> None:
    tg = telegram_bot
    await tg.send(tg.scene.message(GROUP, ANN, "/help@other_bot"))
    assert tg.fake.sent("sendMessage") == []


async def test_telegram_admin_may_use_settings_and_admins_are_cached(telegram_bot: TelegramBot) -> None:
    tg = telegram_bot
    await tg.send(tg.scene.message(GROUP, OWNER, "/settings"))
    await tg.send(tg.scene.message(GROUP, OWNER, "/settings"))
    texts = tg.fake.texts(GROUP)  # each answer may take several messages: the settings are longer than one
    assert texts[0].startswith("Settings of Riverside Makers") and len([t for t in texts if t.startswith("Settings of")]) == 2
    assert len(tg.fake.sent("getChatAdministrators")) == 1  # the second command used the cache


async def test_an_older_bot_api_server_still_tells_who_the_admins_are(telegram_bot: TelegramBot, caplog: pytest.LogCaptureFixture) -> None:
    """A self-hosted server one version behind leaves out a field this aiogram requires: the ids are read anyway, once."""
    tg = telegram_bot
    tg.fake.older_server = True
    tg.fake.admins[GROUP].append(ANN)
    with caplog.at_level(logging.WARNING, logger="adapters.telegram"):
        await tg.send(tg.scene.message(GROUP, ANN, "/settings"))
        await tg.send(tg.scene.message(GROUP, ANN, "hello all"))
        await tg.send(tg.scene.message(GROUP, ANN, "/settings"))
    texts = tg.fake.texts(GROUP)
    assert len([t for t in texts if t.startswith("Settings of Riverside Makers")]) == 2 and not [t for t in texts if "Sorry" in t]
    assert len(tg.fake.sent("getChatAdministrators")) == 1  # cached like any answer, not asked again per message
    warnings = [r for r in caplog.records if "getChatAdministrators" in r.getMessage()]
    assert len(warnings) == 1 and warnings[0].levelno == logging.WARNING and not warnings[0].exc_info


async def test_promotion_refreshes_the_admin_cache(telegram_bot: TelegramBot) -> None:
    tg = telegram_bot
    await tg.send(tg.scene.message(GROUP, ANN, "/settings"))
    assert tg.fake.texts(GROUP)[-1].startswith("Sorry, only the community's managers")
    tg.fake.admins[GROUP].append(ANN)
    await tg.send(tg.scene.member_change(GROUP, ANN, "member", "administrator", by=OWNER))
    await tg.send(tg.scene.message(GROUP, ANN, "/settings"))
    assert tg.fake.texts(GROUP)[1].startswith("Settings of Riverside Makers")  # after the refusal


async def test_member_join_is_recorded_once(telegram_bot: TelegramBot) -> None:
    tg = telegram_bot
    await tg.send(tg.scene.join(GROUP, BOB))
    await tg.send(tg.scene.service_join(GROUP, BOB))  # the same join as a service message: not a second join
    async with tg.app.db.sessions() as s:
        rows = list(await s.scalars(select(Member).where(Member.user_id == str(BOB))))
    assert len(rows) == 1
    assert rows[0].display_name == "Bob <b>&"
    assert len(tg.fake.sent("sendMessage", GROUP)) == 1  # one join, one welcome
    assert len(tg.fake.sent("sendMessage", BOB)) == 1  # and one try at the welcome DM


async def test_service_message_first_then_chat_member_is_one_join(telegram_bot: TelegramBot) -> None:
    tg = telegram_bot
    seen: list[str] = []
    tg.app.rt.router.prepend(_Recorder(seen))
    await tg.send(tg.scene.service_join(GROUP, BOB))
    await tg.send(tg.scene.join(GROUP, BOB))
    assert seen == [str(BOB)]
    await tg.send(tg.scene.member_change(GROUP, BOB, "member", "left"))
    await tg.send(tg.scene.join(GROUP, BOB))  # a real rejoin after leaving counts again
    assert seen == [str(BOB), str(BOB)]


class _Recorder:
    name = "recorder"
    events = (MemberJoined,)
    where = Where.GROUP

    def __init__(self, seen: list[str]) -> None:
        self.seen = seen

    async def handle(self, ctx: Context, ev: MemberJoined, /) -> Flow | None:
        self.seen.append(ev.member.ref.id)
        return None


async def test_unknown_and_broken_updates_are_not_fatal(telegram_bot: TelegramBot) -> None:
    tg = telegram_bot
    await tg.send(
        {
            "poll": {
                "id": "1",
                "question": "?",
                "options": [],
                "total_voter_count": 0,
                "is_closed": False,
                "is_anonymous": True,
                "type": "regular",
                "allows_multiple_answers": False,
            }
        }
    )
    await tg.send(tg.scene.message(GROUP, ANN, "/help"))
    assert len(tg.fake.sent("sendMessage")) == 1


async def test_forum_topic_reply_stays_in_the_topic(telegram_bot: TelegramBot) -> None:
    tg = telegram_bot
    await tg.send(tg.scene.message(GROUP, ANN, "/help", thread=77))
    [reply] = tg.fake.sent("sendMessage", GROUP)
    assert reply["message_thread_id"] == "77"


async def test_pressing_a_button_on_a_bot_message(telegram_bot: TelegramBot) -> None:
    tg = telegram_bot
    card = a.SendMessage(ChatRef("telegram", str(GROUP)), plain("card"), buttons=((a.Button("Undo", data="nobody:1"),),))
    assert (await tg.adapter.outbox.perform(card)).ok
    await tg.press(OWNER, "Undo")
    assert len(tg.fake.sent("answerCallbackQuery")) == 1


async def test_button_press_is_answered(telegram_bot: TelegramBot) -> None:
    tg = telegram_bot
    update = tg.scene.callback(GROUP, ANN, 5, "nobody:owns-this")
    await tg.send(update)
    [answer] = tg.fake.sent("answerCallbackQuery")
    assert answer["callback_query_id"] == update["callback_query"]["id"]


async def test_command_menus_per_scope_and_language(telegram_bot: TelegramBot) -> None:
    menus = telegram_bot.fake.commands
    groups = {c["command"] for c in menus[('{"type": "all_group_chats"}', None)]}
    admins = {c["command"] for c in menus[('{"type": "all_chat_administrators"}', None)]}
    private = {c["command"] for c in menus[('{"type": "all_private_chats"}', None)]}
    registry = telegram_bot.app.rt.commands
    staff_only = {c.name for c in registry.all() if c.permission is not Role.MEMBER}
    assert {"help", "find", "rubrics", "rules", "events"} <= groups  # members' commands from several features
    assert not groups & staff_only  # members are not offered what they may not use
    assert {"settings", "set", "doc", "event", "spam"} <= admins and groups <= admins
    assert "help" in private and not private & {"find", "settings", "spam"}  # group-only commands stay out of DMs
    assert ('{"type": "all_private_chats"}', "en") in menus and ('{"type": "all_group_chats"}', "zh") in menus
    here = menus[(f'{{"chat_id": {GROUP}, "type": "chat_administrators"}}', None)]
    assert any(c["description"] == "Show this community's settings (managers)" for c in here)


async def test_named_staff_who_are_no_telegram_admins_get_their_own_menu(db_url: str, caplog: pytest.LogCaptureFixture) -> None:
    """Managers and moderators named by user id get the staff menu in their group (BotCommandScopeChatMember);
    a named Telegram admin keeps the administrators' menu; someone named who is not in the group is refused, logged."""
    absent = 777
    staff = {"managers": [str(BOB), str(OWNER)], "moderators": [str(ANN), str(absent)]}
    community = {"platform": "telegram", "chat_id": str(GROUP), "name": "Riverside Makers", **staff}
    with caplog.at_level(logging.WARNING, "adapters.telegram.commands"):
        async with telegram_bot_running(db_url, {"communities": [community]}) as tg:
            menus, registry = tg.fake.commands, tg.app.rt.commands

            def menu(user_id: int) -> set[str] | None:
                found = menus.get((json.dumps({"chat_id": GROUP, "type": "chat_member", "user_id": user_id}, sort_keys=True), None))
                return None if found is None else {c["command"] for c in found}

            managers = {c.name for c in registry.for_role(Role.MANAGER) if c.where is not Where.PRIVATE}
            moderators = {c.name for c in registry.for_role(Role.MODERATOR) if c.where is not Where.PRIVATE}
            assert moderators < managers
            assert menu(BOB) == managers
            assert menu(ANN) == moderators
            assert menu(OWNER) is None  # a Telegram admin: the administrators' menu is theirs already
            assert menu(absent) is None
    assert any(f"user {absent}" in r.getMessage() and "user not found" in r.getMessage() for r in caplog.records)


async def test_an_update_aiogram_cannot_read_does_not_block_the_others(telegram_bot: TelegramBot) -> None:
    tg = telegram_bot
    broken = tg.scene.message(GROUP, ANN, "hi")
    del broken["message"]["chat"]  # not a valid Message: aiogram refuses the whole getUpdates answer
    await tg.fake.push(broken)
    await tg.send(tg.scene.message(GROUP, ANN, "/help"))
    assert len(tg.fake.texts(GROUP)) == 1
