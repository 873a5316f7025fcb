"""Discord's published OpenAPI document as a request checker: path and method known, JSON body valid."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

SPEC_PATH = Path("/work/shared/specs/discord-openapi.json")

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
                body = (op.get("requestBody") or {}).get("content", {}).get("application/json", {}).get("schema")
                return Operation(template, method.upper(), body, bool((op.get("requestBody") or {}).get("required")))
        return None

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
    return DiscordSpec(json.loads(SPEC_PATH.read_text(encoding="utf-8")))
