"""The running bot: services shared by every event, and the feature registry."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Generic, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.actions import Action, AnswerButton, Done, Failed, FailReason, Result, Unsupported
from bot.core.clock import Clock
from bot.core.commands import ButtonRegistry, CommandRegistry
from bot.core.community import CommunityDirectory, CommunityInfo
from bot.core.config import Config
from bot.core.context import Context
from bot.core.events import ButtonPressed, Event, FormSubmitted
from bot.core.i18n import Catalogs, Translator
from bot.core.ids import MessageRef, UserRef
from bot.core.outbox import Outbox
from bot.core.richtext import Rich
from bot.core.ritual import Ritual
from bot.core.router import Handler, Router
from bot.core.settings.rubrics import Rubric
from bot.core.tracking import MemberTracker
from bot.core.web import WEB_CALLBACK, WebRoutes
from storage.db import Database

log = logging.getLogger("bot.core.runtime")

P = TypeVar("P")


@dataclass(frozen=True, slots=True)
class Signal(Generic[P]):
    """Something one feature tells others, with a payload of type ``P`` (``rt.on`` / ``rt.signal``)."""

    name: str

# A feature's figure for the analytics: (session, community_id, start, end) -> value over [start, end).
MetricFn = Callable[[AsyncSession, int, datetime, datetime], Awaitable[int | float | None]]  # None: not known for the period
# Deletes what a feature stores about one member of one community (``/forgetme``): (session, community_id, user_id).
ForgetHook = Callable[[AsyncSession, int, str], Awaitable[None]]
# A feature's few lines for /stats: (session, community, translator, start, end) -> lines over [start, end) (none: nothing to show).
StatsSection = Callable[[AsyncSession, CommunityInfo, Translator, datetime, datetime], Awaitable[list[Rich]]]
# What a feature shows a member in /mydata beyond row counts: (session, platform, user id, translator) -> lines.
MydataSection = Callable[[AsyncSession, str, str, Translator], Awaitable[list[Rich]]]
# The community's hashtag rubrics as the rubrics feature merges them (config + managers' edits); other
# features (pinned document #2, newcomers of the week) read them through ``Runtime.rubrics_of``.
RubricsOf = Callable[[Context], Awaitable[list[Rubric]]]
# A campaign step another feature sends (``kind`` in the step's settings, e.g. "survey"): (ctx, user, translator)
# -> the DM's result; the onboarding campaign calls it where it would send the step's text.
CampaignStepFn = Callable[[Context, UserRef, Translator], Awaitable[Result]]

# Signals features raise for each other, each with its payload's type; listeners run in the caller's unit of work.
CALENDAR_CHANGED: Signal[None] = Signal("calendar_changed")  # events added, edited or cancelled: pinned document #3 follows
RUBRICS_CHANGED: Signal[None] = Signal("rubrics_changed")  # the rubric registry changed: pinned document #2 follows


@dataclass(slots=True)
class PollRequest:
    text: str  # as /poll takes it: "Question? | A | B [--multi] [--close 2d]"
    place: str | None
    posted: MessageRef | None = None




@dataclass(frozen=True, slots=True)
class RemovedMember:
    community_id: int
    user_id: str
    kind: str  # "banned" or "kicked", as in members.left_kind


@dataclass(frozen=True, slots=True)
class FarewellAnswer:
    community_id: int
    user_id: str
    display_name: str
    text: str


@dataclass(frozen=True, slots=True)
class ForgottenMember:
    community_id: int
    user_id: str


# The bot banned or kicked a member (the platform may not report it); the leave is already recorded in ``members``.
MEMBER_REMOVED: Signal[RemovedMember] = Signal("member_removed")
# A member's post (the event, a ``MessagePosted``) was indexed under these rubric tags; the questions feature
# follows #question posts from here.
RUBRIC_POSTED: Signal[tuple[str, ...]] = Signal("rubric_posted")
# The weekly prompt would be a poll: the polls feature posts it and sets ``posted`` (left None when it could
# not, and the prompt goes out as text).
POLL_REQUESTED: Signal[PollRequest] = Signal("poll_requested")
# A member asked to be forgotten (/forgetme), before their rows go: features undo what the platform shows of them.
MEMBER_FORGOTTEN: Signal[ForgottenMember] = Signal("member_forgotten")
# A member answered the farewell question by DM: the feedback inbox keeps it.
FAREWELL_ANSWERED: Signal[FarewellAnswer] = Signal("farewell_answered")


CORE_LOCALES = Path(__file__).parent / "locales"


@dataclass(frozen=True, slots=True)
class _Registered:
    priority: int
    order: int
    handler: Handler


async def _configured_rubrics(ctx: Context) -> list[Rubric]:
    return list(ctx.community.settings.rubrics.rubrics) if ctx.community is not None else []


class Runtime:
    """Holds what every handler shares. Features register into it, then ``start`` builds the router."""

    def __init__(self, config: Config, db: Database, clock: Clock, outboxes: dict[str, Outbox] | None = None) -> None:
        self.config = config
        self.db = db
        self.clock = clock
        self.outboxes: dict[str, Outbox] = dict(outboxes or {})
        self.directory = CommunityDirectory(config, db.sessions)
        self.tracker = MemberTracker()
        self.commands = CommandRegistry()
        self.buttons: ButtonRegistry[ButtonPressed] = ButtonRegistry()
        self.forms: ButtonRegistry[FormSubmitted] = ButtonRegistry()  # filled-in forms (AskForm), as buttons are
        self.rituals: list[Ritual] = []
        self.locale_folders: list[Path] = [CORE_LOCALES]
        self._handlers: list[_Registered] = []
        self._catalogs: Catalogs | None = None
        self._router: Router | None = None
        self._listeners: dict[str, list[Callable[[Context, Any], Awaitable[None]]]] = {}
        self.metrics: dict[str, MetricFn] = {}
        self.forget_hooks: list[ForgetHook] = []
        self.stats_sections: list[StatsSection] = []
        self.mydata_sections: list[MydataSection] = []
        self.web = WebRoutes()  # pages of the bot's web server ([web] in the config)
        self.action_failures = 0
        # Actions that failed for good, per community (None: not known), shown to managers in /stats.
        self.undelivered: Counter[int | None] = Counter()
        # Units of work that stored something, per community (None: a community we cannot tell): rituals'
        # quiet hints (bot/core/ritual.py ``quiet_until``) hold only while these stay the same.
        self._changes: Counter[int | None] = Counter()
        # Adapters fill this: platform -> deep link to a private chat with the bot carrying a payload.
        self.deep_links: dict[str, Callable[[str], str | None]] = {}
        # The rubrics feature replaces this with its merged registry; without it, the config's rubrics.
        self.rubrics_of: RubricsOf = _configured_rubrics
        # Campaign step kinds beyond plain messages, by name (the surveys feature adds "survey").
        self.campaign_steps: dict[str, CampaignStepFn] = {}

    # ---- registration (features call these in their ``setup``) ----
    def add_handler(self, handler: Handler, priority: int) -> None:
        self._handlers.append(_Registered(priority, len(self._handlers), handler))

    def add_ritual(self, ritual: Ritual) -> None:
        self.rituals.append(ritual)

    def add_locales(self, folder: Path) -> None:
        self.locale_folders.append(folder)

    def add_metric(self, name: str, fn: MetricFn) -> None:
        """A figure for /stats, the weekly report and the CSV export; its label is the catalog key ``metric.<name>``."""
        if name in self.metrics:
            raise ValueError(f"metric {name!r} is registered twice")
        self.metrics[name] = fn

    def add_stats_section(self, fn: StatsSection) -> None:
        """Lines a feature adds at the end of /stats (e.g. the period's polls)."""
        self.stats_sections.append(fn)

    def add_mydata_section(self, fn: MydataSection) -> None:
        """Lines a feature adds to /mydata: the person's own records in words (e.g. what they voted)."""
        self.mydata_sections.append(fn)

    def add_forget_hook(self, fn: ForgetHook) -> None:
        """Called by /forgetme, inside its unit of work, for each community the member is forgotten in."""
        self.forget_hooks.append(fn)

    def on(self, signal: Signal[P], listener: Callable[[Context, P], Awaitable[None]]) -> None:
        """Subscribe to a signal one feature raises for others (e.g. ``CALENDAR_CHANGED``)."""
        self._listeners.setdefault(signal.name, []).append(listener)

    async def signal(self, signal: Signal[P], ctx: Context, payload: P) -> None:
        """Tell the listeners, inside the caller's unit of work."""
        for listener in self._listeners.get(signal.name, ()):
            await listener(ctx, payload)

    def start(self) -> None:
        self._catalogs = Catalogs(self.locale_folders)
        ordered = sorted(self._handlers, key=lambda r: (r.priority, r.order))
        self._router = Router(self, [r.handler for r in ordered])

    # ---- services ----
    @property
    def catalogs(self) -> Catalogs:
        if self._catalogs is None:
            raise RuntimeError("Runtime.start() was not called")
        return self._catalogs

    @property
    def router(self) -> Router:
        if self._router is None:
            raise RuntimeError("Runtime.start() was not called")
        return self._router

    def now(self) -> datetime:
        return self.clock.now()

    def deep_link(self, platform: str, payload: str) -> str | None:
        """A link that opens a private chat with the bot and hands it ``payload``; None where the platform has none."""
        make = self.deep_links.get(platform)
        return make(payload) if make else None

    def mark_changed(self, community_id: int | None) -> None:
        """Something was stored about this community (None: about one we cannot tell, so about any)."""
        self._changes[community_id] += 1

    def change_stamp(self, community_id: int) -> tuple[int, int]:
        return self._changes[community_id], self._changes[None]

    async def handle(self, event: Event) -> Context | None:
        """Handle one event (the context comes back for tests)."""
        return await self.router.dispatch(event)

    async def perform(self, platform: str, action: Action, community_id: int | None = None) -> Result:
        if isinstance(action, AnswerButton) and action.callback_id.startswith(WEB_CALLBACK):
            self.web.answers[action.callback_id] = action.text or ""  # a dashboard press: the page shows the answer
            return Done()
        outbox = self.outboxes.get(platform)
        if outbox is None:
            return Unsupported(f"no outbox for {platform}")
        try:
            result = await outbox.perform(action)
        except Exception as exc:  # an outbox must not raise, but one bug must not stop the bot
            log.exception("outbox raised on %s", type(action).__name__)
            result = Failed(FailReason.UNAVAILABLE, type(exc).__name__)
        if isinstance(result, Failed):
            self.action_failures += 1
            if result.reason not in (FailReason.DM_CLOSED, FailReason.NOT_FOUND, FailReason.TOO_OLD):  # expected
                self.undelivered[community_id] += 1
        return result

    async def flush(self) -> None:
        """Write buffered member counts and activity."""
        if not len(self.tracker):
            return
        batch = self.tracker.take()
        async with self.db.sessions() as session:
            try:
                await self.tracker.write(session, batch)
                await session.commit()
            except Exception:
                await session.rollback()
                self.tracker.restore(batch)
                log.exception("could not write activity counters; they stay buffered")
