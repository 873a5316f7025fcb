"""The router: one unit of work per event, handlers in a fixed priority.

For each event the router opens one database session, resolves the
community and the member, and runs the handlers registered for the event's
type in priority order (spam filter first). A handler returns ``STOP`` to end
the chain (e.g. the spam filter removed the message). The session commits at
the end, and also before each platform call a handler makes (``Context.perform``:
no lock or connection is held while a platform makes the bot wait). On any
error what is not yet committed rolls back, the error is logged with the
event's context, and the bot carries on with the next event. An event that failed
because the database was unreachable, before any platform call, is held instead
and handled again at the next tick (``bot.core.held``).
"""

from __future__ import annotations

import enum
import logging
from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol, cast

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core import roles
from bot.core.actions import SendMessage
from bot.core.commands import Where
from bot.core.community import CommunityInfo
from bot.core.context import Context
from bot.core.events import (
    ALL_EVENTS,
    ButtonPressed,
    CommandInvoked,
    DirectStarted,
    Event,
    FormSubmitted,
    MemberJoined,
    MemberLeft,
    MessageEdited,
    MessagePosted,
    Person,
    Role,
)
from bot.core.held import HeldEvents, database_unreachable
from bot.core.uow import LazySession
from storage.models.states import DmState
from storage.repos.members import MemberRepo, PersonRepo

if TYPE_CHECKING:
    from bot.core.runtime import Runtime

log = logging.getLogger("bot.core.router")


HELD = object()  # what ``_run`` returns for an event the database could not take (handle it again later)


class Flow(enum.Enum):
    CONTINUE = "continue"
    STOP = "stop"


class Handler(Protocol):
    """What a feature registers to hear events.

    ``events`` are the event types it hears and ``where`` where: ``GROUP`` handlers run only in a community
    (``ctx.here`` is there), ``PRIVATE`` only in a private conversation, ``ANYWHERE`` in both. The router
    routes by type, so ``handle`` gets its event typed as one of ``events`` (``tests/test_architecture.py``
    checks that the annotation names exactly those types).
    """

    name: str
    events: tuple[type[Event], ...]
    where: Where

    async def handle(self, ctx: Context, event: Any, /) -> Flow | None: ...


def describe(event: Event) -> str:
    """The event's context for a log line: kind, chat, who and which message; never the text."""
    who = event.actor
    msg = getattr(event, "message", None)
    parts = [type(event).__name__, f"chat={event.chat}"]
    if who is not None:
        parts.append(f"user={who.ref.id}")
    if msg is not None:
        parts.append(f"message={msg.id}")
    return " ".join(parts)


class Router:
    def __init__(self, rt: Runtime, handlers: Sequence[Handler]) -> None:
        self.rt = rt
        self.handlers = list(handlers)
        table: dict[tuple[type[Event], bool], list[Handler]] = defaultdict(list)
        for h in self.handlers:
            for kind in h.events:
                for private in (False, True):
                    if h.where is Where.ANYWHERE or (h.where is Where.PRIVATE) == private:
                        table[kind, private].append(h)
        # (event type, in a private chat) -> its handlers in priority order
        self.table: dict[tuple[type[Event], bool], tuple[Handler, ...]] = {
            (k, private): tuple(table.get((k, private), ())) for k in ALL_EVENTS for private in (False, True)
        }
        self.errors = 0
        self.handled = 0
        self.held = HeldEvents()

    def prepend(self, handler: Handler) -> None:
        """Run ``handler`` before every other for its events (tests: a handler that fails, stops or records)."""
        for key in self.table:
            if key[0] in handler.events and (handler.where is Where.ANYWHERE or (handler.where is Where.PRIVATE) == key[1]):
                self.table[key] = (handler, *self.table[key])

    def remove(self, handler: Handler) -> None:
        for key, handlers in self.table.items():
            self.table[key] = tuple(h for h in handlers if h is not handler)

    async def dispatch(self, event: Event) -> Context | None:
        """Handle one event. Never raises for a handler's error; returns the context for tests."""
        rt = self.rt
        if self._in_log_chat(event) and not isinstance(event, CommandInvoked | ButtonPressed | FormSubmitted):
            return None  # the moderators' own talk in their separate log chat is not the community's
        if (
            not event.chat.private
            and rt.directory.cached(event.chat) is None
            and rt.directory.log_home(event.chat) is None
            and not rt.directory.admit(event.chat)
        ):
            return None  # a chat the config does not list, and [unlisted] says not to serve it
        if self.held.waiting(event.chat):  # the chat's earlier events wait for the database: this one behind them
            await self._hold(event)
            return None
        result = await self._run(event)
        if result is HELD:
            await self._hold(event)
            return None
        return cast(Context | None, result)

    async def _run(self, event: Event) -> Context | object | None:
        """One unit of work; ``HELD`` when the database could not be reached before any platform call."""
        rt = self.rt
        ctx: Context | None = None
        lazy = LazySession(rt.db.sessions)
        session = cast(AsyncSession, lazy)
        try:
            ctx = await self._context(session, event)
            if ctx.community is not None:
                rt.directory.seen(ctx.community.id, event.at)
            for handler in self.table.get((type(event), ctx.community is None), ()):
                if await handler.handle(ctx, event) is Flow.STOP:
                    break
            await lazy.commit()
            if ctx.member is not None and ctx.member_loaded:
                rt.tracker.remember(ctx.member)  # cached only once its row is surely there
        except Exception as exc:
            try:
                await lazy.rollback()
            except Exception:  # the database itself may be what failed
                log.warning("rollback failed too: %s", describe(event))
            if database_unreachable(exc) and (ctx is None or ctx.performed == 0):
                return HELD  # nothing happened anywhere: it can be handled again as if it came later
            self.errors += 1
            log.exception("handler error, event rolled back: %s", describe(event))
            if database_unreachable(exc):
                await self._not_done(event)
            return None
        finally:
            if lazy.opened:  # rituals' quiet hints end (the batched activity counters do not count)
                rt.mark_changed(ctx.community.id if ctx is not None and ctx.community is not None else None)
            await lazy.close()
        self.handled += 1
        for action in ctx._after:
            await rt.perform(event.chat.platform, action, ctx.community.id if ctx.community is not None else None)
        if rt.tracker.should_flush:
            await rt.flush()
        return ctx

    async def _hold(self, event: Event) -> None:
        if not len(self.held):
            log.warning("the database is unreachable: holding events until it returns (at most %d)", self.held.limit)
        if not self.held.hold(event):
            log.error("the database is unreachable and %d events are held already: dropped %s", self.held.limit, describe(event))
            await self._not_done(event)

    async def _not_done(self, event: Event) -> None:
        """Tell whoever gave a command that it was not done (the database failed it, and it cannot wait)."""
        if not isinstance(event, CommandInvoked):
            return
        info = self.rt.directory.cached(event.chat)
        t = self.rt.catalogs.translator(info.settings.language if info is not None else event.user.language)
        place = event.message.place if event.message is not None else None
        await self.rt.perform(event.chat.platform, SendMessage(event.chat, t.t("core.error"), place=place, reply_to=event.message))

    async def replay_held(self) -> int:
        """Handle the held events again, chat by chat in order; stop at the first the database still refuses."""
        if not len(self.held):
            return 0
        done = 0
        for chat in self.held.chats():
            while (event := self.held.first(chat)) is not None:
                if await self._run(event) is HELD:
                    log.info("the database is still unreachable: %d events held, %d handled", len(self.held), done)
                    return done
                self.held.done(chat)
                done += 1
        log.info("the database is back: %d held events handled", done)
        return done

    async def _context(self, session: AsyncSession, event: Event) -> Context:
        rt = self.rt
        chat = event.chat
        if chat.private:
            person = event.actor
            language = person.language if person is not None else None
            if isinstance(event, DirectStarted):
                await PersonRepo(session).touch(
                    event.user.ref.platform, event.user.ref.id, event.at, language=language, dm_state=DmState.OPEN
                )
            return Context(event, session, rt, None, rt.catalogs.translator(language), role=Role.MEMBER)
        home = rt.directory.log_home(chat)
        info = rt.directory.cached(home or chat)
        if info is None:
            info = await rt.directory.resolve(home or chat, event.at)
        ctx = Context(event, session, rt, info, rt.catalogs.translator(info.settings.language))
        if home is not None and isinstance(event, CommandInvoked | ButtonPressed | FormSubmitted):
            # A press or command in the moderators' separate log chat acts on the community it logs; being
            # in that chat (which its admins control) is what makes someone a moderator there.
            role = self._role(info, event.user, event.role)
            ctx.role = role if role.rank >= Role.MODERATOR.rank else Role.MODERATOR
            return ctx
        if isinstance(event, MessagePosted):
            ctx.role = self._role(info, event.author, event.role)
            st, loaded = await rt.tracker.state(session, info.id, event.author.ref.id, event.author.display_name, event.author.is_bot)
            ctx.member = st
            ctx.first_message = st.first_message_at is None
            ctx.member_loaded = loaded
        elif isinstance(event, CommandInvoked | ButtonPressed | FormSubmitted):
            ctx.role = self._role(info, event.user, event.role)
        elif isinstance(event, MessageEdited):
            ctx.role = self._role(info, event.author, event.role)
        elif isinstance(event, MemberJoined):
            p = event.member
            st, rejoin = await MemberRepo(session).joined(info.id, p.ref.id, p.display_name, p.is_bot, event.at)
            rt.tracker.forget(info.id, p.ref.id)
            ctx.member = st
            ctx.member_loaded = True
            ctx.rejoin = rejoin
        elif isinstance(event, MemberLeft):
            ctx.repeat_leave = not await MemberRepo(session).left(info.id, event.member.ref.id, event.kind.value, event.at)
            rt.tracker.forget(info.id, event.member.ref.id)
        return ctx

    def _in_log_chat(self, event: Event) -> bool:
        return not event.chat.private and self.rt.directory.log_home(event.chat) is not None

    def _role(self, info: CommunityInfo, person: Person, platform_role: Role) -> Role:
        return roles.decide(info, person, platform_role, Role[self.rt.config.unlisted.admins.upper()])
