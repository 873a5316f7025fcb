"""Flow control for Bot API calls: rate limits before, retries after.

Telegram allows about 30 messages a second overall and 20 a minute into one
group. Messages wait their turn (a FIFO per chat, then the global window)
instead of being dropped. Failures are sorted here too: a 429 waits the
``retry_after`` Telegram names (and pauses that chat for everyone), 5xx
answers and network errors (timeouts, dropped connections) are retried with
exponential backoff; anything else is raised for the outbox to translate.

Every request goes through it: ``install`` puts a ``Paced`` request middleware on the Bot's session
when the Bot is made (``adapters.telegram.adapter.make_bot``), so call sites call the Bot's methods
directly and none can skip the limits. The method says which chat it is for (its ``chat_id``) and
whether it posts a message (``MESSAGES``).

Time is injected (``adapters.timing.Timer``) so tests run a minute of traffic without waiting.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from aiogram import Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import TelegramAPIError, TelegramNetworkError, TelegramRetryAfter, TelegramServerError
from aiogram.methods import (
    CopyMessage,
    EditMessageText,
    ForwardMessage,
    SendAnimation,
    SendAudio,
    SendDocument,
    SendMediaGroup,
    SendMessage,
    SendPhoto,
    SendPoll,
    SendVideo,
    SendVoice,
    TelegramMethod,
)
from aiogram.methods.base import Response, TelegramType

from adapters.telegram import presses, slots
from adapters.timing import RealTimer, Timer

log = logging.getLogger("adapters.telegram.flow")

T = TypeVar("T")
_FREE = asyncio.Lock()  # a chat without a lock yet: nothing queued for it


class Window:
    """At most ``limit`` events in any ``period`` seconds (a sliding log).

    Telegram counts a message when it arrives, somewhere between the moment we send it and the
    moment its answer is back. An event is logged when it starts (``add``) and moved to when it
    ended (``done``), so a window measured from our side always covers Telegram's: counting only
    the start let 31 messages arrive within one second when one answer was slower than the next
    (``bench/outbound.py`` saw the 429).
    """

    def __init__(self, limit: int, period: float) -> None:
        self.limit = limit
        self.period = period
        self._times: deque[list[float]] = deque()  # one-element lists: ``done`` moves an entry in place

    def wait(self, now: float) -> float:
        """Seconds until one more event fits; 0 if it fits now."""
        while self._times and self._times[0][0] <= now - self.period:
            self._times.popleft()
        if len(self._times) < self.limit:
            return 0.0
        return max(0.001, self._times[0][0] + self.period - now)

    def add(self, now: float) -> list[float]:
        entry = [now]
        self._times.append(entry)
        return entry

    @staticmethod
    def done(entry: list[float], now: float) -> None:
        entry[0] = max(entry[0], now)


class FlowControl:
    def __init__(
        self,
        timer: Timer | None = None,
        *,
        per_second: int = 30,
        per_group_minute: int = 20,
        attempts: int = 4,
        backoff: float = 0.5,
        max_retry_after: float = 300.0,
        max_rate_wait: float = 3600.0,
    ) -> None:
        self.timer = timer or RealTimer()
        self.attempts = attempts
        self.backoff = backoff
        self.max_retry_after = max_retry_after
        self.max_rate_wait = max_rate_wait  # in all, per call: past an hour of 429s the call fails (and says so)
        self._global = Window(per_second, 1.0)
        self._global_lock = asyncio.Lock()
        self._per_group_minute = per_group_minute
        self._groups: dict[int, Window] = {}
        self._locks: dict[int, asyncio.Lock] = {}
        self._paused: dict[int | None, float] = {}  # chat (None: everything) -> monotonic time to resume
        self.waited = 0.0  # total seconds spent waiting for a turn (for tests and logs)
        self.retries = 0

    def must_wait(self, chat: int | None) -> bool:
        """Whether a message to ``chat`` would wait for its turn now (a 429 pause, the group's or the overall window)."""
        now = self.timer.now()
        if any(self._paused.get(key, 0.0) > now for key in (None, chat)):
            return True
        if chat is None:
            return self._global.wait(now) > 0
        group = self._groups.get(chat)
        queued = self._locks.get(chat, _FREE).locked()  # another message of this chat is waiting its turn
        return queued or (group is not None and group.wait(now) > 0) or self._global.wait(now) > 0

    async def _pause_wait(self, chat: int | None) -> None:
        for key in (None, chat):
            until = self._paused.get(key, 0.0)
            delay = until - self.timer.now()
            if delay > 0:
                self.waited += delay
                await self.timer.sleep(delay)

    async def _turn(self, chat: int) -> list[list[float]]:
        """Wait until one more message may go to ``chat``, then count it; returns its window entries (for ``Window.done``)."""
        entries: list[list[float]] = []
        lock = self._locks.setdefault(chat, asyncio.Lock())
        async with lock:  # FIFO: a burst into one group leaves in order
            await self._pause_wait(chat)
            if chat < 0:  # groups and channels have negative ids
                window = self._groups.setdefault(chat, Window(self._per_group_minute, 60.0))
                while (delay := window.wait(self.timer.now())) > 0:
                    self.waited += delay
                    await self.timer.sleep(delay)
                entries.append(window.add(self.timer.now()))
            async with self._global_lock:
                while (delay := self._global.wait(self.timer.now())) > 0:
                    self.waited += delay
                    await self.timer.sleep(delay)
                entries.append(self._global.add(self.timer.now()))
        if len(self._locks) > 5000:  # one lock per chat ever written to: forget the idle ones
            self._locks = {k: v for k, v in self._locks.items() if v.locked()}
        return entries

    async def call(self, chat: int | None, fn: Callable[[], Awaitable[T]], *, message: bool = False) -> T:
        """Run one API call for ``chat``; ``message=True`` counts it against the send limits."""
        failures = 0
        rate_waited = 0.0
        while True:
            entries: list[list[float]] = []
            if message and chat is not None:
                entries = await self._turn(chat)
            else:
                await self._pause_wait(chat)
            try:
                return await self._timed(fn, entries)
            except TelegramRetryAfter as exc:
                # A 429 says "wait", not "fail": the call keeps its turn as long as Telegram names a
                # sane wait, however many times in a row (a message the bot decided to send must not vanish).
                rate_waited += exc.retry_after
                if exc.retry_after > self.max_retry_after or rate_waited > self.max_rate_wait:
                    raise
                self.retries += 1
                log.warning("429 from Telegram for chat %s: waiting %ss", chat, exc.retry_after)
                self._paused[chat] = self.timer.now() + exc.retry_after
            except (TelegramServerError, TelegramNetworkError) as exc:
                failures += 1
                if failures >= self.attempts:
                    raise
                self.retries += 1
                delay = self.backoff * 2 ** (failures - 1)
                log.warning("%s from Telegram (%s): retry %d in %.1fs", type(exc).__name__, exc.message, failures, delay)
                await self.timer.sleep(delay)

    async def _timed(self, fn: Callable[[], Awaitable[T]], entries: list[list[float]]) -> T:
        """``fn()``; then its window entries move to when the answer came (or the call failed)."""
        try:
            return await fn()
        finally:
            now = self.timer.now()
            for entry in entries:
                Window.done(entry, now)


# The methods that count against the send limits: what posts (or rewrites) a message. Deletions,
# restrictions, bans and reads wait only for a 429 pause, never behind paced sends.
MESSAGES: frozenset[type[TelegramMethod[Any]]] = frozenset(
    {
        SendMessage,
        SendPhoto,
        SendDocument,
        SendPoll,
        EditMessageText,
        SendAnimation,
        SendAudio,
        SendVideo,
        SendVoice,
        SendMediaGroup,
        CopyMessage,
        ForwardMessage,
    }
)


def chat_of(method: TelegramMethod[Any]) -> int | None:
    """The chat a request is for (its ``chat_id``), or None for the bot's own calls (getMe, getUpdates, menus, callbacks)."""
    chat = getattr(method, "chat_id", None)
    return chat if isinstance(chat, int) else None


class Paced(BaseRequestMiddleware):
    """aiogram request middleware: each request waits its turn and is retried by ``FlowControl.call``.

    Meanwhile the update it is made for lends its slot to another (``slots.aside``). A message that must wait
    while a button press is handled answers the press first (``presses``)."""

    def __init__(self, flow: FlowControl) -> None:
        self.flow = flow

    async def __call__(
        self, make_request: NextRequestMiddlewareType[TelegramType], bot: Bot, method: TelegramMethod[TelegramType]
    ) -> Response[TelegramType]:
        chat, message = chat_of(method), type(method) in MESSAGES
        press = presses.unanswered()
        if press is not None and message and self.flow.must_wait(chat):
            press.answered = True  # before the call: it goes through here too
            try:
                await bot.answer_callback_query(callback_query_id=press.callback_id)
            except TelegramAPIError as exc:
                log.warning("could not answer a button press before a paced send: %s", exc.message)
        async with slots.aside():
            return await self.flow.call(chat, functools.partial(make_request, bot, method), message=message)


def install(bot: Bot, flow: FlowControl) -> FlowControl:
    """Pace every request of ``bot`` with ``flow`` (once: a second ``install`` is an error)."""
    if any(isinstance(m, Paced) for m in bot.session.middleware):
        raise ValueError("this Bot is paced already")
    bot.session.middleware(Paced(flow))
    return flow


def flow_of(bot: Bot) -> FlowControl:
    """The flow control installed on ``bot``; a Bot made without it would send unpaced, so that is an error."""
    for m in bot.session.middleware:
        if isinstance(m, Paced):
            return m.flow
    raise ValueError("the Bot has no flow control: make it with adapters.telegram.adapter.make_bot")
