"""Settings: every community setting a chat's ``/set`` can change, with the same validation and answers, and the
settings models' own descriptions (the ones config.example.toml is generated from) as help."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from bot.core.settings.types import Placeholders
from bot.core.web import WebResponse
from handlers.admin.dashboard.site import Page, Rendered, acting
from handlers.admin.settings import apply, flat
from storage.repos.housekeeping import AuditRepo

AUDIT_SHOWN = 30


def descriptions(model: BaseModel, prefix: str = "") -> dict[str, str]:
    """Dotted key -> what the settings model says of it (and the placeholders a text may use)."""
    out: dict[str, str] = {}
    for name, field in type(model).model_fields.items():
        value = getattr(model, name)
        key = f"{prefix}{name}"
        if isinstance(value, BaseModel):
            out.update(descriptions(value, key + "."))
            continue
        marks = [m.describe() for m in field.metadata if isinstance(m, Placeholders)]
        text = "; ".join(p for p in (field.description, *marks) if p)
        if text:
            out[key] = text
    return out


async def settings_page(page: Page) -> Rendered:
    info = page.here
    current = flat(info.settings.model_dump(mode="json"))
    helps = descriptions(info.settings)
    sections: dict[str, list[tuple[str, str, str]]] = {}
    for key in sorted(current):
        section = key.split(".")[0] if "." in key else ""
        sections.setdefault(section, []).append((key, _shown(current[key]), helps.get(key, "")))
    async with page.rt.db.sessions() as session:
        audit = await AuditRepo(session).recent(info.id, AUDIT_SHOWN)
    return Rendered("settings.html", {"sections": sorted(sections.items()), "audit": audit, "tz": info.tz})


def _shown(value: Any) -> str:
    """A value as ``/set`` takes it back: text as written, the rest as JSON."""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


async def change(page: Page) -> WebResponse:
    key = page.request.form.get("key", "").strip()
    raw = page.request.form.get("value", "")
    async with acting(page) as ctx:
        outcome = await apply(ctx, key, raw if raw.strip() else '""', via=page.via)
    return page.back("settings", page.t.s(outcome.key, **outcome.values), refused=not outcome.ok, anchor=key)
