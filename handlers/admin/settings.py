"""/settings and /set: view and change a community's settings, audited."""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError

from bot.core.config import deep_merge
from bot.core.context import Context
from bot.core.events import CommandInvoked
from bot.core.richtext import join, plain
from bot.core.settings import CommunitySettings
from bot.core.uow import settle
from storage.repos.communities import CommunityRepo


# Lists and nested tables are changed through their own commands (rubrics, prompts, ...).
def _flat(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in data.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(_flat(v, key + "."))
        elif not isinstance(v, list):
            out[key] = v
    return out


def _parse_value(raw: str) -> Any:
    low = raw.strip().lower()
    if low in ("true", "on", "yes"):
        return True
    if low in ("false", "off", "no"):
        return False
    if low in ("none", "null", "-"):
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return raw.strip()


async def show(ctx: Context, ev: CommandInvoked) -> None:
    flat = _flat(ctx.here.settings.model_dump(mode="json"))
    lines = [f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in sorted(flat.items())]
    await ctx.reply(join([ctx.t.t("admin.settings.header", community=ctx.here.name), plain("\n".join(lines))]))


async def change(ctx: Context, ev: CommandInvoked) -> None:
    info = ctx.here
    key, _, raw = ev.args.strip().partition(" ")
    if not key or not raw.strip():
        await ctx.reply(ctx.t.t("admin.settings.usage"))
        return
    current = _flat(info.settings.model_dump(mode="json"))
    if key not in current:
        await ctx.reply(ctx.t.t("admin.settings.unknown", key=key))
        return
    value = _parse_value(raw)
    patch: dict[str, Any] = {}
    node = patch
    parts = key.split(".")
    for p in parts[:-1]:
        node = node.setdefault(p, {})
    node[parts[-1]] = value
    repo = CommunityRepo(ctx.session)
    row = await repo.get(info.id)
    overrides = deep_merge(row.settings or {} if row else {}, patch)
    try:
        CommunitySettings.model_validate(deep_merge(ctx.rt.directory.base_settings(info.chat), overrides))
    except ValidationError as exc:
        problem = exc.errors()[0]["msg"].removeprefix("Value error, ")
        await ctx.reply(ctx.t.t("admin.settings.invalid", key=key, value=raw.strip(), problem=problem))
        return
    await repo.set_overrides(info.id, overrides, ctx.now)
    before = json.dumps(current[key], ensure_ascii=False)
    new_info = ctx.rt.directory.preview(info, overrides)
    after = json.dumps(_flat(new_info.settings.model_dump(mode="json"))[key], ensure_ascii=False)
    ctx.audit(f"set {key}", before, after)
    await settle(ctx.session)  # committed before it is served (other processes read it at their next tick)
    ctx.rt.directory.adopt(new_info, ctx.now)
    ctx.community = new_info
    await ctx.reply(ctx.t.t("admin.settings.changed", key=key, before=before, after=after))
