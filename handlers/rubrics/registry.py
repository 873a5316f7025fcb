"""The community's rubric registry, as every feature reads it.

Rubrics come from the config (``settings.rubrics.rubrics``) and from managers'
``/rubric add|edit|remove`` (rows in ``rubric_defs``, which override or hide
config rubrics by tag). The merged registry is cached per community in
memory, so a message never costs a query for it: the first event of a
community in a process loads it once, a change through ``/rubric`` or
``/set`` replaces it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from weakref import WeakKeyDictionary

from pydantic import ValidationError

from bot.core.context import Context
from bot.core.runtime import Runtime
from bot.core.settings import CommunitySettings
from bot.core.settings.rubrics import Rubric
from handlers.rubrics.parse import closest
from storage.repos.rubrics import RubricRepo

log = logging.getLogger("handlers.rubrics")


@dataclass(frozen=True, slots=True)
class Registry:
    """One community's rubrics with fast lookups by tag or alias and by place."""

    rubrics: tuple[Rubric, ...]
    by_name: dict[str, Rubric] = field(default_factory=dict)
    required: dict[str, tuple[Rubric, ...]] = field(default_factory=dict)  # place -> rubrics one of which is required

    @classmethod
    def build(cls, rubrics: list[Rubric]) -> Registry:
        by_name: dict[str, Rubric] = {}
        required: dict[str, list[Rubric]] = {}
        for r in rubrics:
            for name in r.names:
                by_name.setdefault(name, r)
            for place in r.required_in:
                required.setdefault(place, []).append(r)
        return cls(tuple(rubrics), by_name, {p: tuple(rs) for p, rs in required.items()})

    def get(self, name: str) -> Rubric | None:
        """The rubric a tag or alias (normalised) names."""
        return self.by_name.get(name)

    def suggest(self, tag: str) -> Rubric | None:
        """The rubric an unknown tag was probably meant to be."""
        name = closest(tag, self.by_name)
        return self.by_name[name] if name else None


def merge(config: list[Rubric], rows: list[Any]) -> list[Rubric]:
    """Config rubrics, overridden, hidden or joined by managers' rows (in their order)."""
    merged: dict[str, Rubric] = {r.tag: r for r in config}
    for row in rows:
        if row.removed:
            merged.pop(row.tag, None)
            continue
        try:
            merged[row.tag] = Rubric.model_validate({**row.data, "tag": row.tag})
        except ValidationError:
            log.warning("rubric #%s in the database no longer validates; ignored", row.tag)
    return list(merged.values())


@dataclass(slots=True)
class _Cached:
    settings: CommunitySettings  # the settings object it was built from: a /set replaces it
    registry: Registry


@dataclass(slots=True)
class RubricState:
    """What the feature keeps in memory per running bot."""

    registries: dict[int, _Cached] = field(default_factory=dict)
    rubric_posts: dict[int, set[str]] = field(default_factory=dict)  # recent rubric post ids, for counting replies
    queries: dict[str, tuple[str, str]] = field(default_factory=dict)  # long /find queries behind page buttons

    def forget(self, community_id: int) -> None:
        self.registries.pop(community_id, None)


_STATES: WeakKeyDictionary[Runtime, RubricState] = WeakKeyDictionary()

RECENT = timedelta(days=8)  # replies are counted for posts this young (the digest looks back a week)


def state(rt: Runtime) -> RubricState:
    st = _STATES.get(rt)
    if st is None:
        st = _STATES[rt] = RubricState()
    return st


async def registry_for(ctx: Context) -> Registry:
    if ctx.community is None:
        return Registry.build([])
    info = ctx.community
    st = state(ctx.rt)
    cached = st.registries.get(info.id)
    if cached is None or cached.settings is not info.settings:
        rows = await RubricRepo(ctx.session).definitions(info.id)
        cached = _Cached(info.settings, Registry.build(merge(list(info.settings.rubrics.rubrics), rows)))
        st.registries[info.id] = cached
    return cached.registry


async def rubrics_for(ctx: Context) -> list[Rubric]:
    """The community's rubrics: those from the config merged with the managers' additions and edits."""
    return list((await registry_for(ctx)).rubrics)


async def recent_posts(ctx: Context, now: datetime) -> set[str]:
    """Ids of the community's rubric posts of the last days (loaded once, then kept up to date)."""
    st = state(ctx.rt)
    ids = st.rubric_posts.get(ctx.here.id)
    if ids is None:
        ids = await RubricRepo(ctx.session).message_ids_since(ctx.here.id, now - RECENT)
        st.rubric_posts[ctx.here.id] = ids
    return ids
