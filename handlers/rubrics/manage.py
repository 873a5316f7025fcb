"""/rubrics (the guide for everyone) and /rubric add|edit|remove|list (managers).

Managers' changes are stored as rows in ``rubric_defs`` (never in the config
file), audited, and announced with the ``rubrics_changed`` signal so the
pinned guide follows.
"""

from __future__ import annotations

import json
from datetime import timedelta

from pydantic import ValidationError

from bot.core import runtime
from bot.core.context import Context
from bot.core.events import CommandInvoked
from bot.core.richtext import Rich, join
from bot.core.settings.rubrics import Rubric
from handlers.rubrics.parse import normalise
from handlers.rubrics.registry import Registry, registry_for, state
from storage.repos.rubrics import RubricRepo

LIST_FIELDS = ("aliases", "allowed_in", "required_in")
TEXT_FIELDS = ("title", "description", "example")
COUNT_PERIOD = timedelta(days=30)


def _tags(names: list[str] | tuple[str, ...]) -> str:
    return " ".join(f"#{n}" for n in names)


def rubric_block(ctx: Context, r: Rubric) -> Rich:
    t = ctx.t
    parts = [t.t("rubrics.guide.tag", tag=r.tag, title=r.title or r.tag)]
    if r.description:
        parts.append(t.t("rubrics.guide.description", description=r.description))
    if r.example:
        parts.append(t.t("rubrics.guide.example", example=r.example))
    if r.aliases:
        parts.append(t.t("rubrics.guide.aliases", aliases=_tags(r.aliases)))
    return join(parts, blank_line=False)


async def guide(ctx: Context, ev: CommandInvoked) -> None:
    reg = await registry_for(ctx)
    if not reg.rubrics:
        await ctx.reply(ctx.t.t("rubrics.guide.empty"))
        return
    blocks = [ctx.t.t("rubrics.guide.header"), *(rubric_block(ctx, r) for r in reg.rubrics), ctx.t.t("rubrics.guide.footer")]
    await ctx.reply(join(blocks))


async def manage(ctx: Context, ev: CommandInvoked) -> None:
    sub, _, rest = ev.args.strip().partition(" ")
    action = {"add": _add, "edit": _edit, "remove": _remove, "list": _list}.get(sub.lower())
    if action is None:
        await ctx.reply(ctx.t.t("rubrics.manage.usage"))
        return
    await action(ctx, rest.strip())


def _conflict(reg: Registry, rubric: Rubric) -> str | None:
    """A name of ``rubric`` that another rubric already uses."""
    for name in rubric.names:
        other = reg.get(name)
        if other is not None and other.tag != rubric.tag:
            return name
    return None


async def _save(ctx: Context, reg: Registry, rubric: Rubric, before: Rubric | None, action: str) -> bool:
    clash = _conflict(reg, rubric)
    if clash:
        await ctx.reply(ctx.t.t("rubrics.manage.conflict", name=clash, other=reg.by_name[clash].tag))
        return False
    data = rubric.model_dump(mode="json", exclude={"tag"})
    await RubricRepo(ctx.session).save_definition(ctx.here.id, rubric.tag, data, False, _actor(ctx), ctx.now)
    await _changed(ctx, action, before, rubric)
    return True


def _actor(ctx: Context) -> str:
    user = ctx.event.actor
    return user.ref.id if user is not None else ""


async def _changed(ctx: Context, action: str, before: Rubric | None, after: Rubric | None) -> None:
    state(ctx.rt).forget(ctx.here.id)
    ctx.audit(
        f"rubric.{action}",
        json.dumps(before.model_dump(mode="json"), ensure_ascii=False) if before else None,
        json.dumps(after.model_dump(mode="json"), ensure_ascii=False) if after else None,
    )
    await ctx.rt.signal(runtime.RUBRICS_CHANGED, ctx, None)


def _problem(exc: ValidationError) -> str:
    return str(exc.errors()[0]["msg"]).removeprefix("Value error, ")


async def _add(ctx: Context, rest: str) -> None:
    """``#tag Title | description | example``"""
    head, _, tail = rest.partition(" ")
    fields = [f.strip() for f in tail.split("|")] if tail.strip() else []
    if not head:
        await ctx.reply(ctx.t.t("rubrics.manage.usage"))
        return
    values = dict(zip(TEXT_FIELDS, fields, strict=False))
    try:
        rubric = Rubric.model_validate({"tag": head, **values})
    except ValidationError as exc:
        await ctx.reply(ctx.t.t("rubrics.manage.invalid", problem=_problem(exc)))
        return
    reg = await registry_for(ctx)
    if reg.get(rubric.tag) is not None:
        await ctx.reply(ctx.t.t("rubrics.manage.exists", tag=rubric.tag))
        return
    if await _save(ctx, reg, rubric, None, "add"):
        await ctx.reply(ctx.t.t("rubrics.manage.added", tag=rubric.tag))


async def _edit(ctx: Context, rest: str) -> None:
    """``#tag field value``; list fields take space-separated values, ``-`` clears."""
    parts = rest.split(" ", 2)
    if len(parts) < 3 or parts[1].lower() not in TEXT_FIELDS + LIST_FIELDS:
        await ctx.reply(ctx.t.t("rubrics.manage.edit_usage", fields=", ".join(TEXT_FIELDS + LIST_FIELDS)))
        return
    reg = await registry_for(ctx)
    current = reg.get(normalise(parts[0]))
    if current is None:
        await ctx.reply(ctx.t.t("rubrics.manage.unknown", tag=normalise(parts[0])))
        return
    name, raw = parts[1].lower(), parts[2].strip()
    value: str | list[str] = "" if raw == "-" else raw
    if name in LIST_FIELDS:
        value = [] if raw == "-" else raw.replace(",", " ").split()
        if name != "aliases":
            value = [v.lstrip("#") for v in value]
    try:
        updated = Rubric.model_validate({**current.model_dump(), name: value})
    except ValidationError as exc:
        await ctx.reply(ctx.t.t("rubrics.manage.invalid", problem=_problem(exc)))
        return
    if await _save(ctx, reg, updated, current, "edit"):
        await ctx.reply(ctx.t.t("rubrics.manage.edited", tag=updated.tag, field=name))


async def _remove(ctx: Context, rest: str) -> None:
    reg = await registry_for(ctx)
    tag = normalise(rest.split(" ")[0]) if rest else ""
    current = reg.get(tag)
    if current is None or current.tag != tag:
        await ctx.reply(ctx.t.t("rubrics.manage.unknown", tag=tag))
        return
    await RubricRepo(ctx.session).save_definition(ctx.here.id, tag, {}, True, _actor(ctx), ctx.now)
    await _changed(ctx, "remove", current, None)
    await ctx.reply(ctx.t.t("rubrics.manage.removed", tag=tag))


async def _list(ctx: Context, rest: str) -> None:
    """Every rubric with its names, places and posts of the last 30 days."""
    reg = await registry_for(ctx)
    counts = await RubricRepo(ctx.session).counts(
        ctx.here.id, ctx.now - COUNT_PERIOD, ctx.now + timedelta(seconds=1)
    )
    lines = [ctx.t.t("rubrics.list.header")]
    for r in reg.rubrics:
        key = "rubrics.list.line" if r.aliases else "rubrics.list.line_plain"
        lines.append(ctx.t.t(key, tag=r.tag, names=_tags(r.aliases), n=counts.get(r.tag, 0)))
        if r.required_in:
            lines.append(ctx.t.t("rubrics.list.required", places=", ".join(r.required_in)))
        if r.allowed_in:
            lines.append(ctx.t.t("rubrics.list.allowed", places=", ".join(r.allowed_in)))
    await ctx.reply(join(lines, blank_line=False))
