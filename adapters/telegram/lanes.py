"""Updates of one chat in order, chats side by side.

Handled one by one, a single group at Telegram's 20-messages-a-minute limit
(a reply waiting its turn in flow control) would hold up every other group's
updates for up to a minute. Each chat gets its own lane instead: a chat's
updates keep their order (a join before that member's first message, a
message before its edit), different chats never wait for each other. The
backlog is bounded: past ``limit`` queued updates, ``submit`` waits, so a
flood slows the intake instead of growing memory.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable

from aiogram.types import Update

from adapters.telegram.slots import MESSAGE, OTHER, Slots
from adapters.telegram.translate import leading_command

log = logging.getLogger("adapters.telegram.lanes")

Job = Callable[[], Awaitable[object]]


def lane_of(update: Update) -> str:
    """The lane of an update: its author's in its chat, or that chat's command lane; updates without a chat share one.

    A member's messages (and their edits) keep their order; different members' messages in one group
    do not wait for each other: the handler of one newcomer's scam still waits on its ban and its
    notices (paced into a busy group) when the next newcomer's scam comes, and that must be removed
    at once too (``bench/outbound.py``: p99 from 4.5 s to under 1 s). What spans members (a reply to
    a question) finds the question already stored: it was posted, and so handled, earlier in time,
    unless its own handler is still waiting on a send, when the reply is taken as a plain message.

    Commands and button presses (whose answers are paced replies: 24 queued ``/find`` answers in a
    group at its 20-a-minute limit take more than a minute) have a lane of their own beside the chat's
    messages, and so do joins and leaves (each welcome or goodbye waits its turn in the group's limit
    too), so a newcomer's spam is still removed at once behind them. The price: a newcomer's first
    message may be handled before their join, which the core takes as it comes (an unknown member is
    a newcomer to the spam filter either way).
    A private chat keeps one lane (``/start`` before what the person writes next).
    """
    message = update.message
    if message is not None and message.chat.type != "private" and leading_command(message) is not None:
        return f"{message.chat.id}:commands"
    if update.chat_member is not None:
        return f"{update.chat_member.chat.id}:members"
    if message is not None and (message.new_chat_members or message.left_chat_member is not None):
        return f"{message.chat.id}:members"
    for said in (update.message, update.edited_message):
        if said is not None and said.chat.type != "private" and said.from_user is not None:
            return f"{said.chat.id}:{said.from_user.id}"
    for item in (
        update.message,
        update.edited_message,
        update.channel_post,
        update.edited_channel_post,
        update.chat_member,
        update.my_chat_member,
        update.chat_join_request,
        update.message_reaction,
        update.message_reaction_count,
    ):
        if item is not None:
            return str(item.chat.id)
    cq = update.callback_query
    if cq is not None:
        pressed = cq.message
        if pressed is None:
            return f"user:{cq.from_user.id}"
        return str(pressed.chat.id) if pressed.chat.type == "private" else f"{pressed.chat.id}:commands"
    return "-"


def priority_of(key: str) -> int:
    """A member's messages in a group (lane ``chat:user``) go first: the spam filter reads them."""
    return MESSAGE if key.partition(":")[2].isdigit() else OTHER


class Lanes:
    """A FIFO and a worker task per key, started on demand and ended when its queue runs dry.

    At most ``running`` jobs are worked on at once (``slots``: one waiting for Telegram lends its slot out).
    """

    def __init__(self, limit: int = 1000, running: int = 4) -> None:
        self.limit = limit
        self.slots = Slots(running)
        self._queues: dict[str, deque[Job]] = {}
        self._workers: dict[str, asyncio.Task[None]] = {}
        self._pending = 0
        self._changed = asyncio.Condition()

    @property
    def pending(self) -> int:
        """Jobs queued or running."""
        return self._pending

    async def submit(self, key: str, job: Job) -> None:
        """Queue ``job`` behind the others of ``key``; waits only while the backlog is full."""
        if self._pending >= self.limit:
            async with self._changed:
                await self._changed.wait_for(lambda: self._pending < self.limit)
        self._pending += 1
        self._queues.setdefault(key, deque()).append(job)
        if key not in self._workers:
            self._workers[key] = asyncio.create_task(self._work(key), name=f"telegram-lane-{key}")

    async def _work(self, key: str) -> None:
        queue = self._queues[key]
        priority = priority_of(key)
        try:
            while queue:
                job = queue.popleft()
                try:
                    async with self.slots.held(priority):
                        await job()
                except Exception:  # a job must not raise; one bug must not stop its chat's lane
                    log.exception("update job failed in lane %s", key)
                finally:
                    self._pending -= 1
                    async with self._changed:
                        self._changed.notify_all()
        finally:
            # No await between the empty-queue check and here: a submit cannot slip in between.
            del self._queues[key]
            del self._workers[key]

    async def drain(self) -> None:
        """Wait until every queued job has run."""
        async with self._changed:
            await self._changed.wait_for(lambda: self._pending == 0)

    async def close(self) -> None:
        """Stop the workers; queued jobs are dropped (Telegram delivers unconfirmed updates again)."""
        workers = list(self._workers.values())
        for task in workers:
            task.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
        self._pending = 0
