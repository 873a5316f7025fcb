"""Pinned documents: the chat's foundation, routine and this month's events, always current.

The bot publishes and pins up to five documents, edits them in place when
their sources change (settings, a manager's /doc set, the rubric registry,
the event calendar), restores them when someone unpins or deletes them, and
versions every change. See ``lifecycle`` for the rules of a change.
"""

from __future__ import annotations

from pathlib import Path

from bot.core.commands import Command, Where
from bot.core.context import Context
from bot.core.events import Role
from bot.core.runtime import CALENDAR_CHANGED, RUBRICS_CHANGED, Runtime
from handlers.pinned import commands
from handlers.pinned.documents import build_all
from handlers.pinned.lifecycle import Keeper, actor_of
from handlers.pinned.ritual import PinnedRitual
from handlers.pinned.slots import EVENTS, ROUTINE
from storage.repos.pinned import PinnedRepo


async def refresh(ctx: Context, slot: int) -> None:
    """Follow a source change now: edit the published document in place (the ritual publishes new ones)."""
    if ctx.community is None:
        return
    repo = PinnedRepo(ctx.session)
    rows = await repo.docs(ctx.community.id)
    row = rows.get(slot)
    if row is None or not row.message_ids:
        return
    text = (await build_all(ctx, {s: r.override for s, r in rows.items()})).get(slot)
    if text is not None:
        await Keeper(ctx).sync(row, text, actor_of(ctx))


async def _calendar_changed(ctx: Context, _: None) -> None:
    await refresh(ctx, EVENTS)


async def _rubrics_changed(ctx: Context, _: None) -> None:
    await refresh(ctx, ROUTINE)


def setup(rt: Runtime) -> None:
    """Register the feature's commands, signal listeners, ritual and catalogs."""
    rt.commands.add(Command("rules", commands.rules, "pinned.cmd.rules", where=Where.GROUP))
    rt.commands.add(Command("guide", commands.guide, "pinned.cmd.guide", where=Where.GROUP))
    rt.commands.add(
        Command("doc", commands.doc, "pinned.cmd.doc", permission=Role.MANAGER, where=Where.GROUP, usage_key="pinned.doc.usage")
    )
    rt.on(CALENDAR_CHANGED, _calendar_changed)
    rt.on(RUBRICS_CHANGED, _rubrics_changed)
    rt.add_ritual(PinnedRitual())
    rt.add_locales(Path(__file__).parent / "locales")
