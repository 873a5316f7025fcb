"""Indexes rubric posts as they are posted, edited and deleted; hints and nudges.

A message without a ``#`` costs one substring test here and, if it replies to
something or sits in a place with a required rubric, a look into in-memory
caches: no query. Only tagged posts, edits, deletions and replies to recent
rubric posts reach the database.
"""

from __future__ import annotations

from bot.core.actions import DeleteMessage
from bot.core.commands import Where
from bot.core.context import Context
from bot.core.events import Event, MessageDeleted, MessageEdited, MessageKind, MessagePosted, Person, Role
from bot.core.ids import MessageRef
from bot.core.router import Flow
from bot.core.runtime import RUBRIC_POSTED
from bot.core.settings.rubrics import Rubric
from handlers.rubrics.parse import hashtags
from handlers.rubrics.registry import Registry, recent_posts, registry_for, state
from storage.repos.rubrics import IndexEntry, RubricRepo

EXCERPT_CHARS = 160
MAIN_PLACE = "main"  # how settings name a chat's main place in ``required_in``
RECENT_CAP = 50_000  # beyond this many remembered post ids, reload them from the database


def excerpt(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= EXCERPT_CHARS else flat[: EXCERPT_CHARS - 1].rstrip() + "…"


def matched_rubrics(reg: Registry, tags: tuple[str, ...]) -> list[Rubric]:
    """The registered rubrics among the tags (aliases resolved), each once."""
    out: dict[str, Rubric] = {}
    for t in tags:
        r = reg.get(t)
        if r is not None:
            out.setdefault(r.tag, r)
    return list(out.values())


def entries_for(ctx: Context, author: Person, message: MessageRef, text: str, rubrics: list[Rubric]) -> list[IndexEntry]:
    keep = ctx.settings.rubrics.store_excerpts
    ex = excerpt(text) if keep else None
    return [IndexEntry(r.tag, author.ref.id, author.display_name, message.id, message.place, ctx.now, ex) for r in rubrics]


def places_of(ev: MessagePosted) -> tuple[str, ...]:
    """Where a post counts as posted for ``required_in``/``allowed_in``: its place, and the place holding it
    (a Discord forum post's forum channel)."""
    place = ev.message.place or MAIN_PLACE
    return (place, ev.parent_place) if ev.parent_place is not None else (place,)


class RubricIndexer:
    name = "rubrics"
    events: tuple[type[Event], ...] = (MessagePosted, MessageEdited, MessageDeleted)
    where = Where.GROUP

    async def handle(self, ctx: Context, ev: MessagePosted | MessageEdited | MessageDeleted, /) -> Flow | None:
        if not ctx.settings.rubrics.enabled:
            return None
        if isinstance(ev, MessagePosted):
            if not ev.author.is_bot and ev.role is not Role.SELF:
                await self._posted(ctx, ev)
        elif isinstance(ev, MessageEdited):
            await self._edited(ctx, ev)
        else:
            await self._deleted(ctx, ev)
        return None

    async def _posted(self, ctx: Context, ev: MessagePosted) -> None:
        if ev.kind is MessageKind.COMMAND:
            return
        tags = hashtags(ev.text, ev.hashtags)
        if not tags and ev.reply_to is not None:
            await self._count_reply(ctx, ev.reply_to)
        reg = await registry_for(ctx)  # cached: no query after the community's first event
        places = places_of(ev)
        required = reg.required.get(places[0], ())
        if ev.parent_place is not None and ev.opens_place:  # a forum post needs what its forum requires (its comments do not)
            required += reg.required.get(ev.parent_place, ())
        if not tags and not required:
            return
        matched = matched_rubrics(reg, tags)
        if matched:
            await RubricRepo(ctx.session).index(
                ctx.here.id, entries_for(ctx, ev.author, ev.message, ev.text, matched)
            )
            ids = await recent_posts(ctx, ctx.now)
            ids.add(ev.message.id)
            if len(ids) > RECENT_CAP:
                state(ctx.rt).rubric_posts.pop(ctx.here.id, None)
            await ctx.rt.signal(RUBRIC_POSTED, ctx, tuple(r.tag for r in matched))
        if ctx.role is not Role.MEMBER:
            return
        if tags and len(matched) < len(tags) and not ev.forwarded:
            await self._hint(ctx, reg, tags, matched)
        if required and not any(r in required for r in matched):
            await self._nudge(ctx, ev, required)
        elif misplaced := [r for r in matched if r.allowed_in and not any(p in r.allowed_in for p in places)]:
            await self._misplaced(ctx, ev, misplaced[0])

    async def _count_reply(self, ctx: Context, parent: MessageRef) -> None:
        if parent.id in await recent_posts(ctx, ctx.now):
            await RubricRepo(ctx.session).add_reply(ctx.here.id, parent.id)

    async def _once(self, ctx: Context, user_id: str, key: str) -> bool:
        day = ctx.now.astimezone(ctx.here.tz).date()
        return await RubricRepo(ctx.session).hint_once(ctx.here.id, user_id, key, day)

    async def _hint(self, ctx: Context, reg: Registry, tags: tuple[str, ...], matched: list[Rubric]) -> None:
        """One "did you mean" for the first near-miss, at most once per member, tag and day."""
        s = ctx.settings.rubrics
        ev = ctx.event
        assert isinstance(ev, MessagePosted)
        if not s.hints:
            return
        for t in tags:
            if reg.get(t) is not None:
                continue
            meant = reg.suggest(t)
            if meant is None or meant in matched:
                continue
            if await self._once(ctx, ev.author.ref.id, f"hint:{t}"):
                await ctx.reply(ctx.t.t("rubrics.hint", typed=t, tag=meant.tag), delete_after=s.hint_lifetime)
            return

    async def _nudge(self, ctx: Context, ev: MessagePosted, required: tuple[Rubric, ...]) -> None:
        """An untagged post where a rubric is required: a polite word, deletion only if configured."""
        s = ctx.settings.rubrics
        tags = ", ".join(f"#{r.tag}" for r in required)
        if s.delete_untagged:
            ctx.after_commit(DeleteMessage(ev.message))
            await ctx.reply(
                ctx.t.t("rubrics.nudge_deleted", tags=tags, name=ev.author.display_name), delete_after=s.hint_lifetime, quote=False
            )
        elif s.nudge_untagged and await self._once(ctx, ev.author.ref.id, f"need:{ev.message.place or MAIN_PLACE}"):
            await ctx.reply(ctx.t.t("rubrics.nudge", tags=tags), delete_after=s.hint_lifetime)

    async def _misplaced(self, ctx: Context, ev: MessagePosted, rubric: Rubric) -> None:
        """A rubric used outside the places it belongs to: indexed all the same, with a word once a day."""
        s = ctx.settings.rubrics
        if s.hints and await self._once(ctx, ev.author.ref.id, f"place:{rubric.tag}"):
            await ctx.reply(ctx.t.t("rubrics.misplaced", tag=rubric.tag), delete_after=s.hint_lifetime)

    async def _edited(self, ctx: Context, ev: MessageEdited) -> None:
        tags = hashtags(ev.text, ev.hashtags)
        matched = matched_rubrics(await registry_for(ctx), tags) if tags else []
        await RubricRepo(ctx.session).reindex(
            ctx.here.id, ev.message.id, entries_for(ctx, ev.author, ev.message, ev.text, matched)
        )

    async def _deleted(self, ctx: Context, ev: MessageDeleted) -> None:
        await RubricRepo(ctx.session).forget(ctx.here.id, ev.message.id)
        ids = state(ctx.rt).rubric_posts.get(ctx.here.id)
        if ids is not None:
            ids.discard(ev.message.id)
