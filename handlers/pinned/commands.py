"""Member commands /rules and /guide; the managers' /doc set|show|preview|republish."""

from __future__ import annotations

import re

from bot.core.context import Context
from bot.core.events import CommandInvoked
from bot.core.richtext import Rich, join
from handlers.pinned.documents import build_all
from handlers.pinned.lifecycle import Keeper, actor_of
from handlers.pinned.slots import FOUNDATION, ROUTINE, name_key, parse_slot
from storage.repos.pinned import PinnedRepo

_ARGS = re.compile(r"\s*(\S+)\s*(.*)", re.DOTALL)
CLEAR = "-"


async def _documents(ctx: Context) -> dict[int, Rich]:
    rows = await PinnedRepo(ctx.session).docs(ctx.here.id)
    return await build_all(ctx, {slot: row.override for slot, row in rows.items()})


async def _deliver(ctx: Context, ev: CommandInvoked, slot: int) -> None:
    """By DM when the member can get one, else a reply that deletes itself; the command goes too."""
    lifetime = ctx.here.settings.pinned.reply_lifetime
    if ev.message is not None:
        ctx.remember_message(ev.message, "ephemeral", delete_at=ctx.now + lifetime)
    doc = (await _documents(ctx)).get(slot)
    if doc is None:
        await ctx.reply(ctx.t.t("pinned.missing", name=ctx.t.s(name_key(slot))), delete_after=lifetime)
        return
    if (await ctx.direct(ev.user, doc)).ok:
        await ctx.reply(ctx.t.t("pinned.sent_by_dm"), delete_after=lifetime, quote=False)
    else:
        await ctx.reply(doc, delete_after=lifetime)


async def rules(ctx: Context, ev: CommandInvoked) -> None:
    await _deliver(ctx, ev, FOUNDATION)


async def guide(ctx: Context, ev: CommandInvoked) -> None:
    await _deliver(ctx, ev, ROUTINE)


async def doc(ctx: Context, ev: CommandInvoked) -> None:
    """``/doc set|show|preview|republish <document> [text]``."""
    m = _ARGS.match(ev.args)
    sub, rest = (m.group(1).lower(), m.group(2)) if m else ("", "")
    m = _ARGS.match(rest)
    slot = parse_slot(m.group(1)) if m else None
    text = m.group(2).strip() if m else ""
    actions = {"set": _set, "show": _show, "preview": _preview, "republish": _republish}
    if sub not in actions or slot is None or (sub == "set" and not text):
        await ctx.reply(ctx.t.t("pinned.doc.usage"))
        return
    await actions[sub](ctx, slot, text)


async def _set(ctx: Context, slot: int, text: str) -> None:
    repo = PinnedRepo(ctx.session)
    row = await repo.get_or_create(ctx.here.id, slot, ctx.now)
    before = row.override
    row.override = None if text == CLEAR else text
    actor = actor_of(ctx)
    ctx.audit(f"pinned.set #{slot}", before, row.override)
    doc = (await _documents(ctx)).get(slot)
    keeper = Keeper(ctx)
    if doc is not None:
        outcome = await keeper.sync(row, doc, actor)
    elif row.message_ids:
        outcome = await keeper.retire(row, actor)
    else:
        outcome = "unchanged"
    name = ctx.t.s(name_key(slot))
    if outcome == "failed":
        await ctx.reply(ctx.t.t("pinned.doc.failed", slot=slot, name=name))
    elif doc is None:
        await ctx.reply(ctx.t.t("pinned.doc.empty", slot=slot, name=name))
    else:
        await ctx.reply(ctx.t.t("pinned.doc.saved", slot=slot, name=name, version=row.version))


async def _show(ctx: Context, slot: int, _: str) -> None:
    t = ctx.t
    repo = PinnedRepo(ctx.session)
    row = await repo.get(ctx.here.id, slot)
    name = t.s(name_key(slot))
    blocks = [t.t("pinned.doc.show_title", slot=slot, name=name)]
    if row is None or not row.message_ids:
        blocks.append(t.t("pinned.doc.not_published"))
    else:
        blocks.append(t.t("pinned.doc.state", version=row.version, n=len(row.message_ids), ids=", ".join(row.message_ids)))
    source = "pinned.doc.source_manager" if row is not None and row.override else "pinned.doc.source_config"
    blocks.append(t.t(source))
    if row is not None:
        tz = ctx.here.tz
        history = [
            t.t(
                "pinned.doc.history_line",
                version=v.version,
                what=t.s(f"pinned.what.{v.what}"),
                who=v.actor_id,
                when=t.datetime(v.at, tz, "short"),
            )
            for v in await repo.history(ctx.here.id, slot)
        ]
        if history:
            blocks.append(join([t.t("pinned.doc.history_title"), *history], blank_line=False))
    await ctx.reply(join(blocks))


async def _preview(ctx: Context, slot: int, _: str) -> None:
    doc = (await _documents(ctx)).get(slot)
    name = ctx.t.s(name_key(slot))
    if doc is None:
        await ctx.reply(ctx.t.t("pinned.doc.empty", slot=slot, name=name))
        return
    await ctx.reply(join([ctx.t.t("pinned.doc.preview_title", slot=slot, name=name), doc]))


async def _republish(ctx: Context, slot: int, _: str) -> None:
    doc = (await _documents(ctx)).get(slot)
    name = ctx.t.s(name_key(slot))
    if doc is None:
        await ctx.reply(ctx.t.t("pinned.doc.empty", slot=slot, name=name))
        return
    row = await PinnedRepo(ctx.session).get_or_create(ctx.here.id, slot, ctx.now)
    outcome = await Keeper(ctx).publish(row, doc, actor_of(ctx), "republished")
    key = "pinned.doc.failed" if outcome == "failed" else "pinned.doc.republished"
    await ctx.reply(ctx.t.t(key, slot=slot, name=name, version=row.version))
