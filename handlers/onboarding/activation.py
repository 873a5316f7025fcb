"""Activation tracking: a newcomer's first message, first rubric post, first #intro and first reply.

Ordinary messages cost nothing here: only a member's first message, a reply or
a message with a ``#`` is looked at, and which milestones a member has reached
is kept in memory (one query per member per process, none after that).
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass, field

from bot.core.commands import Where
from bot.core.context import Context
from bot.core.events import Event, MessagePosted
from bot.core.router import Flow
from bot.core.settings import CommunitySettings
from storage.repos.onboarding import MILESTONES, NewcomerRepo

_HASHTAG = re.compile(r"#(\w+)")
_MISSING = object()


@dataclass(slots=True)
class Reached:
    milestones: set[str] = field(default_factory=set)

    @property
    def complete(self) -> bool:
        return len(self.milestones) == len(MILESTONES)


def hashtags(ev: MessagePosted) -> set[str]:
    tags = {t.lstrip("#").casefold() for t in ev.hashtags}
    if "#" in ev.text:
        tags.update(m.casefold() for m in _HASHTAG.findall(ev.text))
    return tags


class RubricTags:
    """Every registered tag (and alias) per community, computed once per settings object."""

    def __init__(self) -> None:
        self._cache: dict[int, tuple[CommunitySettings, frozenset[str]]] = {}

    def of(self, community_id: int, settings: CommunitySettings) -> frozenset[str]:
        hit = self._cache.get(community_id)
        if hit is not None and hit[0] is settings:
            return hit[1]
        rub = settings.rubrics
        tags = {rub.intro_tag.casefold()}
        for r in rub.rubrics:
            tags.add(r.tag)
            tags.update(r.aliases)
        frozen = frozenset(tags)
        self._cache[community_id] = (settings, frozen)
        return frozen


class ActivationTracker:
    """A handler on community messages; also told about joins and leaves by the other onboarding handlers."""

    name = "onboarding.activation"
    events: tuple[type[Event], ...] = (MessagePosted,)
    where = Where.GROUP

    def __init__(self, capacity: int = 100_000) -> None:
        self.capacity = capacity
        self._known: OrderedDict[tuple[int, str], Reached | None] = OrderedDict()  # None: not a newcomer
        self.tags = RubricTags()

    def remember(self, community_id: int, user_id: str, reached: Reached | None) -> None:
        key = (community_id, user_id)
        self._known[key] = reached
        self._known.move_to_end(key)
        if len(self._known) > self.capacity:
            self._known.popitem(last=False)

    async def forget_member(self, session: object, community_id: int, user_id: str) -> None:
        """``/forgetme``: the milestones remembered for them go with their newcomer row."""
        self.forget(community_id, user_id)

    def forget(self, community_id: int, user_id: str) -> None:
        self._known.pop((community_id, user_id), None)

    async def handle(self, ctx: Context, ev: MessagePosted, /) -> Flow | None:
        await self.track(ctx, ev)
        return None

    async def track(self, ctx: Context, ev: MessagePosted) -> None:
        info = ctx.here
        if ctx.member is None:
            return
        key = (info.id, ev.author.ref.id)
        reached = self._known.get(key, _MISSING)
        if reached is None:
            return  # not a newcomer: the common case, decided in memory
        is_reply = ev.reply_to_author is not None and ev.reply_to_author != ev.author.ref
        has_tag = "#" in ev.text or bool(ev.hashtags)
        if reached is _MISSING:
            if not (ctx.first_message or is_reply or has_tag):
                return
            row = await NewcomerRepo(ctx.session).get(info.id, ev.author.ref.id)
            reached = Reached({m for m in MILESTONES if getattr(row, m) is not None}) if row else None
            self.remember(info.id, ev.author.ref.id, reached)
        if not isinstance(reached, Reached) or reached.complete:
            return
        new: list[str] = []
        if "first_message_at" not in reached.milestones:
            new.append("first_message_at")
        if is_reply and "first_reply_at" not in reached.milestones:
            new.append("first_reply_at")
        if has_tag:
            tags = hashtags(ev)
            if "first_intro_at" not in reached.milestones and info.settings.rubrics.intro_tag.casefold() in tags:
                new.append("first_intro_at")
            if "first_rubric_at" not in reached.milestones and tags & self.tags.of(info.id, info.settings):
                new.append("first_rubric_at")
        if new:
            await NewcomerRepo(ctx.session).set_milestones(info.id, ev.author.ref.id, ev.at, new)
            reached.milestones.update(new)
