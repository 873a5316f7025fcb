"""The outbox against the fake Bot API: DMs, flow control, retries, errors, long texts."""

from __future__ import annotations

import asyncio

import pytest
from aiohttp import ClientSession

from adapters.telegram.adapter import SECRET_HEADER, serve_webhook
from bot.core import actions as a
from bot.core.context import Context
from bot.core.events import DirectStarted, Person
from bot.core.ids import ChatRef, MessageRef, UserRef
from bot.core.richtext import markup, plain
from storage.repos.members import PersonRepo
from tests.conftest import START
from tests.telegram.conftest import ANN, BOB, GROUP, OWNER, TelegramBot, telegram_bot_running
from tests.telegram.fake_api import parse_html

CHAT = ChatRef("telegram", str(GROUP))


def _send(text: str = "hello") -> a.SendMessage:
    return a.SendMessage(CHAT, plain(text))


async def _direct_in_context(tg: TelegramBot, user_id: int) -> a.Result:
    """A DM through the core's Context, which records whether the person can be reached."""
    user = Person(UserRef("telegram", str(user_id)), "x")
    event = DirectStarted(ChatRef("telegram", str(user_id), private=True), START, user)
    async with tg.app.db.sessions() as s:
        ctx = Context(event, s, tg.app.rt, None, tg.app.rt.catalogs.translator("en"))
        result = await ctx.direct(user, markup("Welcome, {name}!", name="<i>you</i>"))
        await s.commit()
    return result


async def test_dm_refused_with_403_is_recorded_as_closed(telegram_bot: TelegramBot) -> None:
    tg = telegram_bot
    result = await _direct_in_context(tg, BOB)
    assert result == a.Failed(a.FailReason.DM_CLOSED, "Forbidden: bot can't initiate conversation with a user")
    assert (await _direct_in_context(tg, ANN)).ok
    async with tg.app.db.sessions() as s:
        repo = PersonRepo(s)
        bob, ann = await repo.get("telegram", str(BOB)), await repo.get("telegram", str(ANN))
    assert bob is not None and bob.dm_state == "closed"
    assert ann is not None and ann.dm_state == "open"
    [dm] = tg.fake.sent("sendMessage", ANN)
    assert dm["text"] == "Welcome, &lt;i&gt;you&lt;/i&gt;!"


async def test_group_burst_is_paced_not_refused(telegram_bot: TelegramBot) -> None:
    tg = telegram_bot
    before = tg.fake.time.now()
    results = [await tg.adapter.outbox.perform(_send(f"news {i}")) for i in range(45)]
    assert all(r.ok for r in results)
    assert tg.fake.throttled == 0  # the flow control waited its turn: Telegram never had to say 429
    assert tg.fake.time.now() - before >= 120  # 45 messages at 20 a minute need two full minutes of waiting


async def test_429_retry_after_is_honoured(telegram_bot: TelegramBot) -> None:
    tg = telegram_bot
    tg.fake.per_group_minute = 3  # Telegram is stricter than the bot's own pacing
    results = [await tg.adapter.outbox.perform(_send(f"n{i}")) for i in range(5)]
    assert all(r.ok for r in results)
    assert tg.fake.throttled >= 1
    assert any(s >= 50 for s in tg.fake.time.slept)  # waited the retry_after Telegram named


async def test_server_errors_and_dropped_connections_are_retried(telegram_bot: TelegramBot) -> None:
    tg = telegram_bot
    tg.fake.fail_next("sendMessage", 502)
    tg.fake.fail_next("sendMessage", None)  # connection dropped mid-request
    assert (await tg.adapter.outbox.perform(_send())).ok
    assert len(tg.fake.texts(GROUP)) == 1
    tg.fake.fail_next("sendMessage", 500, times=10)
    failed = await tg.adapter.outbox.perform(_send())
    assert isinstance(failed, a.Failed) and failed.reason is a.FailReason.UNAVAILABLE


async def test_refusals_become_results(telegram_bot: TelegramBot, caplog: pytest.LogCaptureFixture) -> None:
    outbox = telegram_bot.adapter.outbox
    gone = await outbox.perform(a.EditMessage(MessageRef(CHAT, "999"), plain("x")))
    assert isinstance(gone, a.Failed) and gone.reason is a.FailReason.NOT_FOUND
    telegram_bot.fake.fail_next("banChatMember", 400)
    bad = await outbox.perform(a.BanMember(CHAT, UserRef("telegram", str(BOB))))
    assert isinstance(bad, a.Failed) and bad.reason is a.FailReason.BAD_REQUEST
    assert f"Telegram refused BanMember (chat=telegram:{GROUP})" in caplog.text  # logged with its context
    long_data = await outbox.perform(a.SendMessage(CHAT, plain("x"), buttons=((a.Button("b", data="p:" + "x" * 70),),)))
    assert isinstance(long_data, a.Failed) and long_data.reason is a.FailReason.BAD_REQUEST


async def test_every_action_reaches_telegram(telegram_bot: TelegramBot) -> None:
    tg = telegram_bot
    outbox = tg.adapter.outbox
    user = UserRef("telegram", str(BOB))
    sent = await outbox.perform(a.SendMessage(CHAT, plain("rules"), buttons=((a.Button("Undo", data="spam:undo:1"),),)))
    assert isinstance(sent, a.Done) and sent.message is not None
    msg = sent.message
    assert (await outbox.perform(a.EditMessage(msg, plain("rules v2")))).ok
    assert (await outbox.perform(a.EditMessage(msg, plain("rules v2")))).ok  # "not modified" is fine
    assert (await outbox.perform(a.PinMessage(msg))).ok
    pinned = await outbox.perform(a.GetPinned(CHAT))  # Telegram tells only the newest pin: that one, and the expected alive
    assert isinstance(pinned, a.Pinned) and len(pinned.pinned) <= 1
    assert (await outbox.perform(a.UnpinMessage(msg))).ok
    tg.fake.join_requests[(GROUP, BOB)] = tg.fake.time.now()  # Bob asked to join (the fake answers each request once)
    tg.fake.callbacks["cb1"] = tg.fake.time.now()  # a press just now (the fake answers each press once, while it is fresh)
    for action in (
        a.RestrictMember(CHAT, user, START),
        a.UnrestrictMember(CHAT, user),
        a.BanMember(CHAT, user, delete_recent=True),
        a.UnbanMember(CHAT, user),
        a.KickMember(CHAT, user),
        a.AnswerButton("cb1", "Undone", alert=True),
        a.DecideJoinRequest(CHAT, user, approve=True),
        a.DeleteMessage(msg),
    ):
        assert (await outbox.perform(action)).ok, action
    answered_twice = await outbox.perform(a.DecideJoinRequest(CHAT, user, approve=False))
    assert isinstance(answered_twice, a.Failed)  # HIDE_REQUESTER_MISSING: a request is answered once
    more = [(await outbox.perform(_send(str(i)))).message for i in range(3)]
    assert (await outbox.delete_many([m for m in more if m is not None])).ok
    methods = [c.method for c in tg.fake.calls]
    for m in (
        "restrictChatMember",
        "banChatMember",
        "unbanChatMember",
        "approveChatJoinRequest",
        "declineChatJoinRequest",
        "answerCallbackQuery",
        "pinChatMessage",
        "unpinChatMessage",
        "deleteMessage",
        "deleteMessages",
        "editMessageText",
    ):
        assert m in methods, m
    mute, unmute = tg.fake.sent("restrictChatMember")
    assert unmute["permissions"]["can_send_messages"] is True
    assert mute["permissions"]["can_react_to_messages"] is False  # a muted or sandboxed member cannot react either
    assert unmute["permissions"]["can_react_to_messages"] is True
    assert mute["permissions"]["can_send_messages"] is False
    assert mute["until_date"] == str(int(START.timestamp()) + 35)  # an end of now becomes the shortest Telegram keeps
    assert tg.fake.sent("sendMessage")[0]["reply_markup"] == {"inline_keyboard": [[{"text": "Undo", "callback_data": "spam:undo:1"}]]}


async def test_members_messages_can_be_deleted(telegram_bot: TelegramBot) -> None:
    tg = telegram_bot
    spam = tg.scene.message(GROUP, BOB, "buy now")
    await tg.send(spam)
    mid = spam["message"]["message_id"]
    assert (await tg.adapter.outbox.perform(a.DeleteMessage(MessageRef(CHAT, str(mid))))).ok
    assert tg.fake.deleted == [(GROUP, mid)]


async def test_long_text_is_split_into_valid_html_parts(telegram_bot: TelegramBot) -> None:
    tg = telegram_bot
    evil = "<b>&amp; Bob's *stuff* " * 600  # ~14k characters from a user, every one escaped
    doc = markup("**Header**\n\n**{evil}**", evil=evil)
    result = await tg.adapter.outbox.perform(a.SendMessage(CHAT, doc))
    assert isinstance(result, a.Done) and len(result.messages) >= 4
    parts = tg.fake.sent("sendMessage", GROUP)
    assert all(len(p["text"]) <= 4096 for p in parts)
    visible = "".join(parse_html(p["text"]) for p in parts)
    assert visible.replace(" ", "") == ("Header" + evil).replace(" ", "")


async def test_webhook_mode_checks_the_secret_and_handles_updates(db_url: str) -> None:
    async with telegram_bot_running(db_url, poll=False) as tg:
        await tg.adapter.register_webhook("https://bot.example.org/tg/hook", "s3cret")
        assert tg.fake.webhook["secret_token"] == "s3cret"
        assert set(tg.fake.webhook["allowed_updates"]) >= {"chat_member", "my_chat_member", "callback_query", "chat_join_request"}
        runner = await serve_webhook(tg.adapter, "127.0.0.1", 0, "/tg/hook", "s3cret")
        try:
            host, port = runner.addresses[0][:2]
            url = f"http://{host}:{port}/tg/hook"
            update = {"update_id": 1, **tg.scene.message(GROUP, ANN, "/help")}
            async with ClientSession() as http:
                async with http.post(url, json=update, headers={SECRET_HEADER: "wrong"}) as resp:
                    assert resp.status == 401
                assert tg.fake.sent("sendMessage") == []
                async with http.post(url, json=update, headers={SECRET_HEADER: "s3cret"}) as resp:
                    assert resp.status == 200  # answered at once; the update waits its turn in its chat's lane
                await asyncio.wait_for(tg.adapter.handled(1), 10)
                async with http.post(url, data="not json", headers={SECRET_HEADER: "s3cret"}) as resp:
                    assert resp.status == 400
        finally:
            await runner.cleanup()
        [reply] = tg.fake.texts(GROUP)
        assert reply.startswith("What I can do here")


PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32  # the signature is what the fake (like Telegram) looks at


async def test_files_are_uploaded_as_documents_or_photos(telegram_bot: TelegramBot) -> None:
    tg = telegram_bot
    tg.fake.chats[GROUP]["is_forum"] = True  # topic 7 of a forum group
    tg.fake.topics[GROUP] = {7}
    outbox = tg.adapter.outbox
    ics = a.SendFile(
        CHAT, "calendar.ics", b"BEGIN:VCALENDAR\r\n", markup("Events of {name}", name="<Riverside & co>"), "text/calendar", "7"
    )
    done = await outbox.perform(ics)
    assert isinstance(done, a.Done) and done.message == MessageRef(CHAT, done.message.id, "7")
    [doc] = tg.fake.sent("sendDocument", GROUP)
    upload = doc.upload("document")
    assert (upload.filename, upload.data, upload.content_type) == ("calendar.ics", b"BEGIN:VCALENDAR\r\n", "text/calendar")
    assert doc["parse_mode"] == "HTML" and parse_html(doc["caption"]) == "Events of <Riverside & co>"
    assert doc["message_thread_id"] == "7"
    chart = await outbox.perform(a.SendFile(UserRef("telegram", str(ANN)), "activity.png", PNG, plain("This week")))
    assert chart.ok
    [photo] = tg.fake.sent("sendPhoto", ANN)
    assert photo.upload("photo").data == PNG and tg.fake.sent("sendDocument", ANN) == []
    assert photo.upload("photo").content_type == "image/png"  # no type declared: the name tells it, not octet-stream


async def test_file_delivery_failures_and_long_captions(telegram_bot: TelegramBot) -> None:
    tg = telegram_bot
    outbox = tg.adapter.outbox
    closed = await outbox.perform(a.SendFile(UserRef("telegram", str(BOB)), "report.csv", b"a,b\n1,2\n"))
    assert isinstance(closed, a.Failed) and closed.reason is a.FailReason.DM_CLOSED
    broken = await outbox.perform(a.SendFile(CHAT, "chart.png", b"not a picture"))
    assert isinstance(broken, a.Failed) and broken.reason is a.FailReason.BAD_REQUEST
    long = await outbox.perform(a.SendFile(CHAT, "notes.txt", b"x", plain("word " * 400)))
    assert long.ok
    [text] = tg.fake.texts(GROUP)
    assert text.startswith("word word")  # the caption went as a message of its own
    [doc] = tg.fake.sent("sendDocument", GROUP)
    assert "caption" not in doc.params
    tg.fake.fail_next("sendDocument", 502)
    assert (await outbox.perform(a.SendFile(CHAT, "again.txt", b"y"))).ok  # retried, the upload sent again
    assert [c.status for c in tg.fake.sent("sendDocument", GROUP)][-2:] == [502, 200]
    assert tg.fake.sent("sendDocument", GROUP)[-1].upload("document").data == b"y"
    assert tg.fake.sent("sendDocument", GROUP)[-1].upload("document").content_type == "text/plain"


def test_the_fake_refuses_uploads_nobody_names() -> None:
    from tests.telegram.fake_api import Upload, check_request

    part = Upload("a.txt", b"x", "text/plain")
    assert check_request("sendDocument", {"chat_id": "1", "document": "attach://f1"}, {"f1": part}) == []
    assert check_request("sendDocument", {"chat_id": "1", "document": "attach://f2"}, {"f1": part}) == [
        "sendDocument.document: names the file part 'f2', which was not sent",
        "sendDocument: file part 'f1' is not named by any field (attach://f1)",
    ]
    assert check_request("sendMessage", {"chat_id": "1", "text": "attach://f1"}, {"f1": part})[0] == "sendMessage.text: takes no upload"
    too_long = check_request("sendPhoto", {"chat_id": "1", "photo": "attach://f1", "caption": "x" * 1025}, {"f1": part})
    assert too_long == ["sendPhoto.caption: must be 0-1024 characters after entities parsing (got 1025)"]


async def test_a_message_that_meets_many_429s_in_a_row_keeps_its_turn_and_arrives(telegram_bot: TelegramBot) -> None:
    """No message the bot decided to send may vanish: a 429 is 'wait', never 'give up' (within the cap)."""
    tg = telegram_bot
    tg.fake.fail_next("sendMessage", 429, times=6)
    result = await tg.adapter.outbox.perform(_send("the welcome"))
    assert result.ok
    assert tg.fake.texts(GROUP) == ["the welcome"]


async def test_a_send_that_finally_fails_is_logged_with_its_chat_and_counted(
    telegram_bot: TelegramBot, caplog: pytest.LogCaptureFixture
) -> None:
    tg = telegram_bot
    tg.fake.fail_next("sendMessage", 500, times=tg.adapter.flow.attempts)
    before = tg.app.rt.action_failures
    failed = await tg.app.rt.perform("telegram", _send("lost?"))
    assert isinstance(failed, a.Failed)
    assert tg.app.rt.action_failures == before + 1
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert any(f"chat=telegram:{GROUP}" in w and "SendMessage" in w for w in warnings)
    # A reply lost for good is counted for the community, and its managers see the count in /stats.
    tg.fake.fail_next("sendMessage", 500, times=tg.adapter.flow.attempts)
    await tg.send(tg.scene.message(GROUP, ANN, "/help"))
    await tg.send(tg.scene.message(GROUP, OWNER, "/stats"))
    assert "Not delivered since the bot started" in tg.fake.texts(GROUP)[-1] and tg.fake.texts(GROUP)[-1].rstrip().endswith("1")
