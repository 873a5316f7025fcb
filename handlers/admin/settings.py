"""/settings and /set: view and change a community's settings, audited."""

from __future__ import annotations

import json
from dataclasses import dataclass
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
def flat(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in data.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(flat(v, key + "."))
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
    values = flat(ctx.here.settings.model_dump(mode="json"))
    lines = [f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in sorted(values.items())]
    await ctx.reply(join([ctx.t.t("admin.settings.header", community=ctx.here.name), plain("\n".join(lines))]))


@dataclass(frozen=True, slots=True)
class Changed:
    """What ``apply`` made of a change: the catalog key of its answer and the answer's values."""

    ok: bool
    key: str
    values: dict[str, str]


async def apply(ctx: Context, key: str, raw: str, via: str | None = None) -> Changed:
    """Validate, store and audit one setting (``/set`` and the dashboard alike); the community is served with it
    once committed. ``via``: where the change came from when not the chat (the audit log keeps it)."""
    info = ctx.here
    current = flat(info.settings.model_dump(mode="json"))
    if key not in current:
        return Changed(False, "admin.settings.unknown", {"key": key})
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
        return Changed(False, "admin.settings.invalid", {"key": key, "value": raw.strip(), "problem": problem})
    await repo.set_overrides(info.id, overrides, ctx.now)
    before = json.dumps(current[key], ensure_ascii=False)
    new_info = ctx.rt.directory.preview(info, overrides)
    after = json.dumps(flat(new_info.settings.model_dump(mode="json"))[key], ensure_ascii=False)
    ctx.audit(f"set {key}", before, after, via=via)
    await settle(ctx.session)  # committed before it is served (other processes read it at their next tick)
    ctx.rt.directory.adopt(new_info, ctx.now)
    ctx.community = new_info
    return Changed(True, "admin.settings.changed", {"key": key, "before": before, "after": after})


async def change(ctx: Context, ev: CommandInvoked) -> None:
    key, _, raw = ev.args.strip().partition(" ")
    if not key or not raw.strip():
        await ctx.reply(ctx.t.t("admin.settings.usage"))
        return
    outcome = await apply(ctx, key, raw)
    await ctx.reply(ctx.t.t(outcome.key, **outcome.values))
