"""What a handler gets for one event: the event, its community, one database session, and services."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.actions import Action, AnswerButton, Buttons, Done, Failed, FailReason, Result, SendDirect, SendMessage
from bot.core.community import CommunityInfo
from bot.core.events import CommandInvoked, Event, Person, Role
from bot.core.i18n import Translator
from bot.core.ids import MessageRef, UserRef
from bot.core.richtext import Rich
from bot.core.settings.community import CommunitySettings
from bot.core.uow import settle
from storage.models.states import DmState
from storage.repos.housekeeping import AuditRepo, BotMessageRepo
from storage.repos.members import MemberState, PersonRepo

if TYPE_CHECKING:
    from bot.core.runtime import Runtime

log = logging.getLogger("bot.core.context")


@dataclass(frozen=True, slots=True)
class Quiet:
    """Nothing of a ritual can become due before ``until`` (None: not by time alone); see ``ritual.quiet_until``."""

    until: datetime | None


@dataclass(slots=True)
class RunClaim:
    """The ritual occurrence a run holds: its key and claim token (``rituals.posting.deliver`` fences with it)."""

    key: str
    token: str
    ledger: bool = False  # deliveries may exist under the key (a rerun, or this run wrote some): the runner clears them


class OutsideCommunity(RuntimeError):
    """A feature asked for the community of an event that has none (a private conversation)."""


@dataclass(slots=True)
class Context:
    event: Event
    session: AsyncSession
    rt: Runtime
    community: CommunityInfo | None  # None in a private conversation
    t: Translator  # the community's language (or the person's, in private)
    role: Role = Role.MEMBER
    member: MemberState | None = None
    first_message: bool = False
    # What the router found out about the event before the handlers run:
    rejoin: bool = True  # a join of someone who was here before (False: their very first join)
    repeat_leave: bool = False  # a leave already recorded (the platform reported it twice)
    member_loaded: bool = False  # the member's row was read or written: cached once the event is committed
    quiet: Quiet | None = None  # what a ritual's ``due`` said with ``quiet_until`` (the ritual runner reads it)
    claim: RunClaim | None = None  # the occurrence a ritual's ``run`` holds (set by the ritual runner)
    _after: list[Action] = field(default_factory=list)
    performed: int = 0  # platform calls made (an event that made none can be handled again after a database failure)

    @property
    def now(self) -> datetime:
        return self.event.at

    @property
    def here(self) -> CommunityInfo:
        """The community the event belongs to, for work that only happens in one.

        The router runs community handlers, group commands and rituals only with a community, so this
        raises only for a feature that asks for a community in a private conversation: a bug, named.
        """
        if self.community is None:
            raise OutsideCommunity(f"{type(self.event).__name__} in a private chat has no community")
        return self.community

    @property
    def settings(self) -> CommunitySettings:
        """The community's settings (an event outside a community has none: ask ``ctx.community`` first)."""
        return self.here.settings

    async def perform(self, action: Action) -> Result:
        """Perform now and wait for the platform's answer; what the event stored so far is committed first.

        A platform may hold a call for seconds or a minute (Telegram: 20 messages a minute into a
        group, 429 ``retry_after``, 5xx retried with backoff). A transaction left open across that
        wait holds SQLite's single write lock (every other event's write fails after the busy
        timeout and is rolled back) or, on PostgreSQL, row locks and a pooled connection. So the
        unit of work is committed at each platform call: no lock and no connection is ever held
        while the bot waits on a platform, for every handler and ritual at once.

        The price: an event's writes are atomic between platform calls, not as a whole. If a
        handler fails after asking the platform, what it stored before stays (the platform already
        acted on it, so the database now tells the truth about it) and only the rest is rolled
        back. Queuing sends until after the commit (``after_commit``) keeps the whole event atomic
        but cannot serve sends whose answer is stored (a message id to delete or edit later), and
        reserving the platform's slot before writing does not cover retries; neither would spare
        the join's own write, made before any handler runs.
        """
        await settle(self.session)
        self.performed += 1
        return await self.rt.perform(self.event.chat.platform, action, self.community.id if self.community is not None else None)

    def after_commit(self, action: Action) -> None:
        """Perform once the event's database work is committed (fire and forget)."""
        self._after.append(action)

    async def reply(self, text: Rich, *, buttons: Buttons = (), delete_after: timedelta | None = None, quote: bool = True) -> Result:
        """Answer in the place the event came from; optionally delete the answer later."""
        message = getattr(self.event, "message", None)
        place = message.place if isinstance(message, MessageRef) else None
        result = await self.perform(
            SendMessage(
                self.event.chat, text, place=place, reply_to=message if quote and isinstance(message, MessageRef) else None, buttons=buttons
            )
        )
        if delete_after is not None and isinstance(result, Done) and result.message and self.community is not None:
            self.remember_message(result.message, "ephemeral", delete_at=self.now + delete_after)
        return result

    async def direct(self, person: Person | UserRef, text: Rich, *, buttons: Buttons = ()) -> Result:
        """A DM; records whether the person can be reached so later DMs fall back early."""
        user = person.ref if isinstance(person, Person) else person
        result = await self.perform(SendDirect(user, text, buttons))
        if isinstance(result, Failed) and result.reason is FailReason.DM_CLOSED:
            await PersonRepo(self.session).touch(user.platform, user.id, self.now, dm_state=DmState.CLOSED)
        elif result.ok:
            await PersonRepo(self.session).touch(user.platform, user.id, self.now, dm_state=DmState.OPEN)
        return result

    async def privately(self, ev: CommandInvoked, text: Rich, *, fallback_for: timedelta = timedelta(minutes=1)) -> None:
        """An answer only the member who gave the command sees: the slash command's own (ephemeral) answer on
        Discord, else a DM, else a reply in the chat that deletes itself after ``fallback_for``."""
        if ev.interaction_id is not None:
            self.after_commit(AnswerButton(ev.interaction_id, text.plain()))
            return
        if not (await self.direct(ev.user, text)).ok:
            await self.reply(text, delete_after=fallback_for, quote=False)

    def remember_message(self, message: MessageRef, purpose: str, delete_at: datetime | None = None) -> None:
        BotMessageRepo(self.session).add(self.here.id, message.id, message.place, purpose, self.now, delete_at)

    def audit(
        self, action: str, before: str | None = None, after: str | None = None, actor: UserRef | None = None, via: str | None = None
    ) -> None:
        """Record a manager's action in the audit log (``via``: where it was done from, when not in the chat)."""
        who = actor or self.event.actor
        actor_id = who.ref.id if isinstance(who, Person) else (who.id if isinstance(who, UserRef) else "system")
        AuditRepo(self.session).add(self.here.id, actor_id, action, before, after, self.now, via)

    def translator_for(self, person: Person) -> Translator:
        """The person's own language for DMs, when the community allows it."""
        if self.community is not None and not self.community.settings.follow_member_language:
            return self.t
        return self.rt.catalogs.translator(person.language) if person.language else self.t
