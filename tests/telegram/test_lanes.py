"""Long polling in lanes: each chat's updates in order, a stuck chat holding up no other, no spinning poller."""

from __future__ import annotations

import asyncio

from aiogram.types import Update

from adapters.telegram.lanes import Lanes, lane_of, priority_of
from adapters.telegram.slots import Slots, aside
from bot.core.events import Event
from tests.telegram.conftest import ANN, BOB, GROUP, TelegramBot

OTHER = GROUP - 1


async def test_a_stuck_chat_holds_up_no_other_and_the_poller_waits_instead_of_spinning(telegram_bot: TelegramBot) -> None:
    tg = telegram_bot
    tg.fake.add_chat(OTHER, "Other makers")
    release, other_done = asyncio.Event(), asyncio.Event()
    order: list[tuple[str, int]] = []
    translate = tg.adapter._event

    async def slow_in_group(update: Update) -> Event | None:
        """Updates of GROUP wait (as behind a send paced by flow control) until released."""
        lane = lane_of(update).split(":")[0]
        if lane == str(GROUP):
            await release.wait()
        order.append((lane, update.update_id))
        if lane == str(OTHER):
            other_done.set()
        return await translate(update)

    tg.adapter._event = slow_in_group  # type: ignore[method-assign]
    first = await tg.fake.push(tg.scene.message(GROUP, ANN, "first"))
    second = await tg.fake.push(tg.scene.message(GROUP, ANN, "second"))
    elsewhere = await tg.fake.push(tg.scene.message(OTHER, ANN, "meanwhile, elsewhere"))

    await asyncio.wait_for(other_done.wait(), 10)
    assert order == [(str(OTHER), elsewhere)]  # the other chat did not wait for the stuck one
    # Taken into the inbox, the updates are confirmed at once, stuck or not, and the poller goes back
    # to a long poll: it does not ask again and again for what it already holds (#17.9).
    await asyncio.wait_for(_confirmed_past(tg, elsewhere), 10)
    polls = len(tg.fake.sent("getUpdates"))
    await asyncio.sleep(1.5)  # a stretch of real time in which the old poller re-asked about once a second
    assert len(tg.fake.sent("getUpdates")) == polls

    release.set()
    await asyncio.wait_for(tg.adapter.handled(elsewhere), 10)
    assert [u for lane, u in order if lane == str(GROUP)] == [first, second]  # a chat's order kept
    assert order.count((str(OTHER), elsewhere)) == 1
    assert tg.adapter.redelivered == 0  # nothing came twice: nothing was left unconfirmed


async def _confirmed_past(tg: TelegramBot, update_id: int) -> None:
    while not any(int(p.get("offset") or 0) > update_id for p in tg.fake.sent("getUpdates")):
        await tg.fake.wait_for("getUpdates", len(tg.fake.sent("getUpdates")) + 1)


async def test_lanes_bound_the_backlog_and_survive_a_failing_job() -> None:
    lanes = Lanes(limit=2)
    gate = asyncio.Event()
    ran: list[str] = []

    async def job(name: str) -> None:
        await gate.wait()
        if name == "boom":
            raise RuntimeError("a bug in one handler")
        ran.append(name)

    await lanes.submit("a", lambda: job("boom"))
    await lanes.submit("a", lambda: job("a2"))
    third = asyncio.create_task(lanes.submit("b", lambda: job("b1")))
    await asyncio.sleep(0)
    assert not third.done() and lanes.pending == 2  # full: the intake waits
    gate.set()
    await asyncio.wait_for(third, 5)
    await asyncio.wait_for(lanes.drain(), 5)
    assert sorted(ran) == ["a2", "b1"] and lanes.pending == 0  # the failing job did not stop its lane


async def test_spam_is_not_held_up_behind_a_groups_queued_command_answers(telegram_bot: TelegramBot) -> None:
    """Command answers wait for the group's send limit; a newcomer's message beside them must not (#17.1)."""
    tg = telegram_bot
    release, message_done = asyncio.Event(), asyncio.Event()
    translate = tg.adapter._event

    async def commands_held(update: Update) -> Event | None:
        if update.message is not None and (update.message.text or "").startswith("/find"):
            await release.wait()  # as behind 24 paced /find answers
        elif update.message is not None and update.message.text == "plain message":
            message_done.set()
        return await translate(update)

    tg.adapter._event = commands_held  # type: ignore[method-assign]
    for _ in range(3):
        await tg.fake.push(tg.scene.message(GROUP, ANN, "/find #question"))
    await tg.fake.push(tg.scene.message(GROUP, ANN, "plain message"))
    try:
        await asyncio.wait_for(message_done.wait(), 10)  # handled while the commands still wait
    finally:
        release.set()


async def test_spam_is_not_held_up_behind_a_join_whose_welcome_waits(telegram_bot: TelegramBot) -> None:
    """A welcome waits for the group's send limit too: the join's lane is not the messages' lane (#17.1)."""
    tg = telegram_bot
    release, message_done = asyncio.Event(), asyncio.Event()
    translate = tg.adapter._event

    async def joins_held(update: Update) -> Event | None:
        if update.chat_member is not None:
            await release.wait()  # as a welcome behind a full minute of the group's sends
        elif update.message is not None and update.message.text == "plain message":
            message_done.set()
        return await translate(update)

    tg.adapter._event = joins_held  # type: ignore[method-assign]
    await tg.fake.push(tg.scene.join(GROUP, BOB))
    await tg.fake.push(tg.scene.message(GROUP, ANN, "plain message"))
    try:
        await asyncio.wait_for(message_done.wait(), 10)
    finally:
        release.set()


async def test_one_newcomers_spam_is_not_held_up_behind_anothers_still_being_handled(telegram_bot: TelegramBot) -> None:
    """The handler of a scam waits on its ban and notices (paced in a busy group): the next newcomer's must not wait."""
    tg = telegram_bot
    release, second_done = asyncio.Event(), asyncio.Event()
    translate = tg.adapter._event

    async def first_held(update: Update) -> Event | None:
        if update.message is not None and update.message.from_user is not None:
            if update.message.from_user.id == BOB and update.message.text == "first":
                await release.wait()  # still busy with its notices
            elif update.message.from_user.id == ANN:
                second_done.set()
        return await translate(update)

    tg.adapter._event = first_held  # type: ignore[method-assign]
    await tg.fake.push(tg.scene.message(GROUP, BOB, "first"))
    edited = tg.scene.message(GROUP, BOB, "first, edited")
    await tg.fake.push(tg.scene.message(GROUP, ANN, "second"))
    try:
        await asyncio.wait_for(second_done.wait(), 10)
    finally:
        release.set()
    edit = Update.model_validate({"update_id": 2, "edited_message": edited["message"]})
    assert lane_of(edit) == lane_of(Update.model_validate({"update_id": 3, **edited}))  # a member's edit follows their messages


async def test_a_free_slot_goes_to_a_members_message_first_and_one_waiting_for_telegram_lends_its_slot() -> None:
    """Slots bound the updates worked on at once (a burst's hundreds of writers kept a scam waiting seconds)."""
    slots = Slots(1)
    order: list[str] = []
    lent, resumed, done = asyncio.Event(), asyncio.Event(), asyncio.Event()

    async def waits_for_telegram() -> None:
        async with slots.held(priority_of(f"{GROUP}:commands")):
            async with aside():  # as flow.Paced does around a request
                lent.set()
                await resumed.wait()
            order.append("command resumed")
            done.set()

    async def job(name: str, key: str) -> None:
        async with slots.held(priority_of(key)):
            order.append(name)

    first = asyncio.create_task(waits_for_telegram())
    await lent.wait()
    await job("message while the command waits", f"{GROUP}:{ANN}")  # the lent slot serves it
    async with slots.held(priority_of(f"{GROUP}:{BOB}")):  # now all taken: who comes next?
        joins = asyncio.create_task(job("join", f"{GROUP}:members"))
        message = asyncio.create_task(job("message", f"{GROUP}:{ANN}"))
        await asyncio.sleep(0)
        resumed.set()
        await asyncio.sleep(0)
    await asyncio.gather(first, joins, message)
    assert order == ["message while the command waits", "command resumed", "message", "join"]
    assert slots.busy == 0
