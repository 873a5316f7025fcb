"""translate(): Telegram updates as the Bot API sends them -> neutral events."""

from __future__ import annotations

from typing import Any

import pytest
from aiogram.types import Update

from adapters.telegram.translate import Me, translate
from bot.core.events import (
    BotStatusChanged,
    ButtonPressed,
    CommandInvoked,
    DirectStarted,
    JoinRequested,
    LeaveKind,
    MemberJoined,
    MemberLeft,
    MessageEdited,
    MessageKind,
    MessagePosted,
    Role,
)
from bot.core.ids import ChatRef, MessageRef, UserRef
from tests.conftest import START
from tests.telegram.conftest import ANN, BOB, GROUP, OWNER
from tests.telegram.fake_api import FakeTelegram
from tests.telegram.updates import Scene

ME = Me(5000001, "town_test_bot")


@pytest.fixture
def scene() -> Scene:
    fake = FakeTelegram()
    fake.add_chat(GROUP, "Riverside Makers")
    fake.add_chat(-1009, "Forum", forum=True)
    for uid, name in ((OWNER, "Olga"), (ANN, "Ann"), (BOB, "Bob")):
        fake.add_user(uid, name, username=name.lower())
    return Scene(fake)


def tr(update: dict[str, Any]) -> Any:
    return translate(Update.model_validate({"update_id": 1, **update}), ME, START)


def test_text_with_entities(scene: Scene) -> None:
    ev = tr(scene.message(GROUP, ANN, "🎉 #Events at https://x.org/a?b=1 with @olga"))
    assert isinstance(ev, MessagePosted)
    assert ev.chat == ChatRef("telegram", str(GROUP)) and ev.author.ref == UserRef("telegram", str(ANN))
    assert ev.hashtags == ("Events",)  # offsets are UTF-16: the emoji before counts twice
    assert ev.links == ("https://x.org/a?b=1",) and ev.mentions == ("olga",)
    assert ev.kind is MessageKind.TEXT and ev.role is Role.MEMBER and ev.author.language == "en"


def test_caption_media_forward_and_external_reply(scene: Scene) -> None:
    ev = tr(scene.message(GROUP, ANN, "look #photos", caption=True))
    assert ev.kind is MessageKind.PHOTO and ev.text == "look #photos" and ev.hashtags == ("photos",)
    assert ev.images == ("tg:u1",)  # the photo's content id: known again if moderators confirmed it as spam (#19.7)
    origin = {"type": "hidden_user", "sender_user_name": "Someone", "date": 1}
    assert tr(scene.message(GROUP, ANN, "fwd", forward_origin=origin)).forwarded
    external = {"origin": origin}
    assert tr(scene.message(GROUP, ANN, "quoted", external_reply=external)).forwarded
    sticker = {"file_id": "s", "file_unique_id": "s", "type": "regular", "width": 1, "height": 1, "is_animated": False, "is_video": False}
    msg = scene.message(GROUP, ANN, "x")
    del msg["message"]["text"]
    msg["message"]["sticker"] = sticker
    assert tr(msg).kind is MessageKind.STICKER


def test_forum_topic_and_replies(scene: Scene) -> None:
    first = scene.message(GROUP, OWNER, "original")["message"]
    ev = tr(scene.message(GROUP, ANN, "answer", reply_to_message=first))
    assert ev.reply_to == MessageRef(ChatRef("telegram", str(GROUP)), str(first["message_id"]))
    assert ev.reply_to_author == UserRef("telegram", str(OWNER))
    topic_root = {**scene.message(-1009, OWNER, "x")["message"], "forum_topic_created": {"name": "Tips", "icon_color": 1}}
    del topic_root["text"]
    ev = tr(scene.message(-1009, ANN, "in topic", thread=12, reply_to_message=topic_root))
    assert ev.message.place == "12" and ev.reply_to is None  # the topic root is not a reply


def test_commands(scene: Scene) -> None:
    ev = tr(scene.message(GROUP, ANN, "/Set@Town_Test_Bot spam.x  true "))
    assert isinstance(ev, CommandInvoked) and (ev.name, ev.args) == ("set", "spam.x  true")
    other = tr(scene.message(GROUP, ANN, "/set@other_bot x"))
    assert isinstance(other, MessagePosted)  # another bot's command: an ordinary message (the spam filter still sees it)
    assert isinstance(tr(scene.message(GROUP, ANN, "not /a command")), MessagePosted)
    start = tr(scene.start(ANN, "welcome-42"))
    assert isinstance(start, DirectStarted) and start.payload == "welcome-42" and start.chat.private
    assert isinstance(tr(scene.message(GROUP, ANN, "/start")), CommandInvoked)  # /start in a group is just a command


def test_a_command_as_a_reply_names_the_message_it_answers(scene: Scene) -> None:
    spam = scene.message(GROUP, BOB, "buy now")["message"]
    ev = tr(scene.message(GROUP, OWNER, "/spam@town_test_bot", reply_to_message=spam))
    assert isinstance(ev, CommandInvoked) and ev.name == "spam"
    assert ev.reply_to == MessageRef(ChatRef("telegram", str(GROUP)), str(spam["message_id"]))
    assert tr(scene.message(GROUP, OWNER, "/spam")).reply_to is None
    topic_root = {**scene.message(-1009, OWNER, "x")["message"], "forum_topic_created": {"name": "Tips", "icon_color": 1}}
    del topic_root["text"]
    assert tr(scene.message(-1009, OWNER, "/spam", thread=12, reply_to_message=topic_root)).reply_to is None


def test_private_text_is_a_message_in_the_private_chat(scene: Scene) -> None:
    ev = tr(scene.message(ANN, ANN, "I read the rules"))  # a gate answer, a farewell answer: onboarding reads these
    assert isinstance(ev, MessagePosted) and ev.chat == ChatRef("telegram", str(ANN), private=True)
    assert ev.text == "I read the rules" and ev.author.ref == UserRef("telegram", str(ANN))
    private_command = tr(scene.message(ANN, ANN, "/help"))
    assert isinstance(private_command, CommandInvoked) and private_command.chat.private


def test_roles_the_platform_decides(scene: Scene) -> None:
    group_chat = scene.fake.chats[GROUP]
    anon = scene.message(GROUP, ANN, "from the group", sender_chat=group_chat)
    assert tr(anon).role is Role.ANONYMOUS_ADMIN
    channel = {"id": -100777, "type": "channel", "title": "News"}
    linked = scene.message(GROUP, ANN, "post", sender_chat=channel, is_automatic_forward=True)
    assert tr(linked).role is Role.LINKED_CHANNEL and tr(linked).author.display_name == "News"
    mine = scene.message(GROUP, ANN, "me")
    mine["message"]["from"] = scene.fake.bot_user
    assert tr(mine).role is Role.SELF


def test_edits(scene: Scene) -> None:
    ev = tr(scene.edited(GROUP, ANN, 1001, "now with #tag"))
    assert isinstance(ev, MessageEdited) and ev.message.id == "1001" and ev.hashtags == ("tag",)


def test_member_changes(scene: Scene) -> None:
    joined = tr(scene.join(GROUP, BOB))
    assert isinstance(joined, MemberJoined) and joined.invited_by is None and joined.service_message is None
    added = tr(scene.member_change(GROUP, BOB, "left", "member", by=ANN))
    assert added.invited_by == UserRef("telegram", str(ANN))
    assert tr(scene.member_change(GROUP, BOB, "member", "left")).kind is LeaveKind.LEFT
    assert tr(scene.member_change(GROUP, BOB, "member", "left", by=OWNER)).kind is LeaveKind.KICKED
    banned = tr(scene.member_change(GROUP, BOB, "member", "kicked", by=OWNER))
    assert isinstance(banned, MemberLeft) and banned.kind is LeaveKind.BANNED
    assert tr(scene.member_change(GROUP, BOB, "member", "administrator", by=OWNER)) is None  # a promotion
    service = tr(scene.service_join(GROUP, BOB))
    assert isinstance(service, MemberJoined) and service.service_message is not None


def test_bot_status_button_and_join_request(scene: Scene) -> None:
    upd = scene.member_change(GROUP, ANN, "member", "administrator", by=OWNER)["chat_member"]
    upd["new_chat_member"]["user"] = upd["old_chat_member"]["user"] = scene.fake.bot_user
    status = tr({"my_chat_member": upd})
    assert isinstance(status, BotStatusChanged) and status.is_admin and status.can_delete and status.can_pin
    pressed = tr(scene.callback(GROUP, ANN, 55, "spam:undo:9"))
    assert isinstance(pressed, ButtonPressed) and pressed.data == "spam:undo:9" and pressed.message.id == "55" and pressed.at == START
    req = tr(scene.join_request(GROUP, BOB, bio="maker"))
    assert isinstance(req, JoinRequested) and req.bio == "maker"


def test_unknown_and_service_updates_give_nothing(scene: Scene) -> None:
    assert tr({}) is None
    assert (
        tr({"message_reaction": {"chat": scene.fake.chats[GROUP], "message_id": 1, "date": 1, "old_reaction": [], "new_reaction": []}})
        is None
    )
    pin = scene.message(GROUP, ANN, "x")
    del pin["message"]["text"]
    pin["message"]["pinned_message"] = scene.message(GROUP, ANN, "old")["message"]
    assert tr(pin) is None
