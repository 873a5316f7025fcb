"""Polls on Telegram, end to end: the real aiogram Bot sends ``sendPoll``, votes come as ``poll_answer`` and
``poll`` updates through getUpdates, and the closing ritual calls ``stopPoll`` and posts the results."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select

from bot.core.actions import ClosePoll, Failed, FailReason, SendPoll
from bot.core.ids import ChatRef, MessageRef
from storage.models.polls import Poll, PollTally, PollVote
from tests.telegram.conftest import ANN, BOB, GROUP, OWNER, TelegramBot
from tests.telegram.fake_api import parse_html


async def vote(tg: TelegramBot, user: int, poll_id: str, options: list[int]) -> None:
    for update_id in await tg.fake.vote(user, poll_id, options):
        await asyncio.wait_for(tg.adapter.handled(update_id), 10)


async def test_poll_votes_and_results(telegram_bot: TelegramBot) -> None:
    tg = telegram_bot
    await tg.send(tg.scene.message(GROUP, OWNER, "/poll Which evening? | Mon | Wed | Fri --multi --close 2h"))
    (call,) = [c for c in tg.fake.sent("sendPoll") if c.status == 200]
    assert [o["text"] for o in call["options"]] == ["Mon", "Wed", "Fri"]
    assert call["is_anonymous"] == "false" and call["allows_multiple_answers"] == "true"
    asked = {kind for c in tg.fake.sent("getUpdates") for kind in c.get("allowed_updates") or []}
    assert {"poll_answer", "poll"} <= asked  # Telegram sends neither unless asked
    poll_id = next(iter(tg.fake.polls))
    await vote(tg, ANN, poll_id, [0, 1])
    await vote(tg, BOB, poll_id, [1])
    await vote(tg, BOB, poll_id, [2])
    async with tg.app.db.sessions() as s:
        assert sorted((v.user_id, v.option) for v in await s.scalars(select(PollVote))) == [
            (str(ANN), 0), (str(ANN), 1), (str(BOB), 2)
        ]  # fmt: skip

    tg.clock.advance(timedelta(hours=2))
    await tg.tick()
    assert [c.status for c in tg.fake.sent("stopPoll")] == [200]
    (photo,) = [c for c in tg.fake.sent("sendPhoto") if c.status == 200]
    caption = parse_html(photo["caption"])
    assert "Results: Which evening?" in caption and "2 people voted" in caption and "A tie: Mon / Wed / Fri" in caption
    await vote(tg, ANN, poll_id, [2])  # closed: Telegram sends nothing more


async def test_anonymous_poll_keeps_counts_only(telegram_bot: TelegramBot) -> None:
    tg = telegram_bot
    await tg.send(tg.scene.message(GROUP, OWNER, "/poll Honest feedback: the workshop? | Great | Fine | Meh --anonymous"))
    poll_id = next(iter(tg.fake.polls))
    assert tg.fake.polls[poll_id]["is_anonymous"] is True
    await vote(tg, ANN, poll_id, [0])
    await vote(tg, BOB, poll_id, [2])
    async with tg.app.db.sessions() as s:
        assert [t.votes for t in await s.scalars(select(PollTally).order_by(PollTally.option))] == [1, 0, 1]
        assert list(await s.scalars(select(PollVote))) == []
        (poll,) = await s.scalars(select(Poll))
        assert poll.voters == 2


async def test_the_fake_refuses_what_telegram_refuses(telegram_bot: TelegramBot) -> None:
    tg = telegram_bot
    chat = ChatRef("telegram", str(GROUP))
    too_many = await tg.app.rt.perform("telegram", SendPoll(chat, "Q", tuple(str(i) for i in range(13))))
    assert isinstance(too_many, Failed) and "options" in too_many.detail
    await tg.send(tg.scene.message(GROUP, ANN, "just a message"))
    member_message = max(mid for (c, mid) in tg.fake.messages if c == GROUP)
    refused = await tg.app.rt.perform("telegram", ClosePoll(MessageRef(chat, str(member_message))))
    assert isinstance(refused, Failed) and refused.reason is FailReason.BAD_REQUEST
