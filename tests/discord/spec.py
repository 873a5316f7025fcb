"""Discord's published OpenAPI document as a request checker: path and method known, JSON body valid.

Multipart uploads (files) are checked too: the operation must accept ``multipart/form-data``, the
``payload_json`` part is validated like a JSON body, each file part must be a field the spec names
(``files[n]``) and every attachment the payload describes must refer to a file part that was sent.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from tests.platform_models import discord_document

SPEC_NAME = "specs/discord-openapi.json"


def _find_spec() -> Path | None:
    """``shared/`` sits next to the repository (``<root>/../shared``); a git worktree one level deeper
    (``<root>/../../shared``) finds it too. Never an absolute path: CI clones elsewhere. None: a clone with
    nothing beside it, where the routes discord.py defines stand in (tests.platform_models)."""
    root = Path(__file__).resolve().parents[2]
    candidates = [up / "shared" / SPEC_NAME for up in root.parents[:2]]
    return next((path for path in candidates if path.is_file()), None)


SPEC_PATH = _find_spec()
SPEC_PRESENT = SPEC_PATH is not None

# Operations whose body the spec marks required but discord.py 2.7 sends without one (ban options go in
# the query string), which Discord accepts. Listed here, one by one, rather than loosening the check.
BODY_OPTIONAL_IN_PRACTICE = frozenset(
    {
        ("PUT", "/guilds/{guild_id}/bans/{user_id}"),
        ("DELETE", "/guilds/{guild_id}/bans/{user_id}"),
    }
)


@dataclass(frozen=True, slots=True)
class Operation:
    template: str
    method: str
    body_schema: dict[str, Any] | None
    body_required: bool
    multipart_fields: frozenset[str] | None  # the form fields a multipart body may carry; None: no multipart


class DiscordSpec:
    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self._routes: list[tuple[re.Pattern[str], str, int]] = []
        for template in document["paths"]:
            pattern = re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$")
            self._routes.append((pattern, template, template.count("{")))
        self._routes.sort(key=lambda r: r[2])  # literal segments win: /users/@me before /users/{user_id}
        self._validators: dict[tuple[str, str], Draft202012Validator] = {}

    def operation(self, path: str, method: str) -> Operation | None:
        for pattern, template, _ in self._routes:
            if pattern.match(path):
                op = self.document["paths"][template].get(method.lower())
                if op is None:
                    continue
                content = (op.get("requestBody") or {}).get("content", {})
                body = content.get("application/json", {}).get("schema")
                multipart = content.get("multipart/form-data", {}).get("schema")
                fields = _multipart_fields(multipart) if multipart is not None else None
                return Operation(template, method.upper(), body, bool((op.get("requestBody") or {}).get("required")), fields)
        return None

    def multipart_problems(self, path: str, method: str, payload: Any, file_fields: list[str]) -> list[str]:
        """A multipart upload: ``payload_json`` as a JSON body, file parts named as the spec allows, attachments matched."""
        op = self.operation(path, method)
        if op is None:
            return [f"{method} {path}: no such operation in the Discord OpenAPI spec"]
        if op.multipart_fields is None:
            return [f"{method} {op.template}: the spec takes no multipart/form-data body here"]
        out = [f"{method} {op.template}: unknown form field {f!r}" for f in file_fields if f not in op.multipart_fields]
        if payload is None:
            out.append(f"{method} {op.template}: a multipart body without payload_json")
            return out
        out += self.problems(path, method, payload)
        sent = {f[len("files[") : -1] for f in file_fields if f.startswith("files[")}
        for attachment in payload.get("attachments") or []:
            if str(attachment.get("id")) not in sent:
                out.append(f"{method} {op.template}: attachment {attachment.get('id')} has no files[{attachment.get('id')}] part")
        return out

    def problems(self, path: str, method: str, body: Any) -> list[str]:
        """Why a request would be refused by the spec; empty when it is fine."""
        op = self.operation(path, method)
        if op is None:
            return [f"{method} {path}: no such operation in the Discord OpenAPI spec"]
        if body is None:
            required = op.body_required and (op.method, op.template) not in BODY_OPTIONAL_IN_PRACTICE
            return [f"{method} {op.template}: a JSON body is required"] if required else []
        if op.body_schema is None:
            return []
        key = (op.template, op.method)
        validator = self._validators.get(key)
        if validator is None:
            # Local $refs point at #/components/...: give the body schema the document's components.
            schema = {**op.body_schema, "components": _lenient_snowflakes(self.document["components"])}
            validator = self._validators[key] = Draft202012Validator(schema)
        return [f"{method} {op.template}: {e.json_path}: {e.message}" for e in validator.iter_errors(body)][:5]


def _multipart_fields(schema: dict[str, Any]) -> frozenset[str]:
    """The explicitly named form fields of a multipart schema (``files[0]``... next to the JSON request's $ref)."""
    parts = schema.get("allOf", [schema])
    return frozenset(name for part in parts for name in (part.get("properties") or {}))


@cache
def _snowflake_schema() -> dict[str, Any]:
    return {"anyOf": [{"type": "string", "pattern": "^(0|[1-9][0-9]*)$"}, {"type": "integer", "minimum": 0}]}


def _lenient_snowflakes(components: dict[str, Any]) -> dict[str, Any]:
    """Discord takes snowflakes in requests as JSON strings or integers (discord.py sends some as integers);
    the spec only writes the string form. Everything else stays as published."""
    schemas = dict(components["schemas"])
    schemas["SnowflakeType"] = _snowflake_schema()
    return {**components, "schemas": schemas}


@cache
def discord_spec() -> DiscordSpec:
    if SPEC_PATH is None:
        return DiscordSpec(discord_document())
    return DiscordSpec(json.loads(SPEC_PATH.read_text(encoding="utf-8")))
