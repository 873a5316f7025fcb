"""Where the platforms' published specifications are absent (a clone with nothing beside it), the fakes check
requests against what the client libraries themselves know instead: aiogram's method and type models (names,
fields, required fields, scalar types) and the REST routes discord.py defines. Both are built here in the
shape of the published documents, so the fakes' checks run unchanged, only less strictly.
"""

from __future__ import annotations

import inspect
import re
import types
import typing
from typing import Any

_SCALARS: dict[Any, str] = {int: "Integer", str: "String", bool: "Boolean", float: "Float"}


def _type_names(annotation: Any) -> list[str]:
    """Spec type names for an annotation; [] when it is not a plain scalar or file (then unchecked)."""
    args = typing.get_args(annotation) if typing.get_origin(annotation) in (typing.Union, types.UnionType) else (annotation,)
    names: list[str] = []
    for arg in args:
        if arg is type(None):
            continue
        if arg in _SCALARS:
            names.append(_SCALARS[arg])
        elif getattr(arg, "__name__", "") == "InputFile":
            names.append("InputFile")
        else:
            return []
    return names


def _fields(model: Any) -> list[dict[str, Any]]:
    return [
        {"name": f.alias or name, "required": f.is_required(), "types": _type_names(f.annotation), "description": ""}
        for name, f in model.model_fields.items()
    ]


def telegram_document() -> dict[str, Any]:
    """A Bot API document in the published spec's shape, from aiogram's models."""
    import aiogram
    import aiogram.methods
    import aiogram.types

    methods: dict[str, Any] = {}
    for obj in vars(aiogram.methods).values():
        api_name = getattr(obj, "__api_method__", None)
        if inspect.isclass(obj) and isinstance(api_name, str):
            methods[api_name] = {"fields": _fields(obj)}
    kinds: dict[str, Any] = {}
    for name, obj in vars(aiogram.types).items():
        if inspect.isclass(obj) and hasattr(obj, "model_fields"):
            kinds[name] = {"fields": _fields(obj)}
    return {"version": f"{aiogram.__api_version__} (aiogram {aiogram.__version__} models)", "methods": methods, "types": kinds}


# discord.py names a few path parameters differently from the OpenAPI document; the fake uses the document's.
_DISCORD_TEMPLATE_NAMES = {
    "/guilds/{guild_id}/members/{member_id}": "/guilds/{guild_id}/members/{user_id}",
    "/interactions/{webhook_id}/{webhook_token}/callback": "/interactions/{interaction_id}/{interaction_token}/callback",
}
_ROUTE = re.compile(r"Route\(\s*'([A-Z]+)',\s*'([^']+)'")


def discord_document() -> dict[str, Any]:
    """An OpenAPI document with the REST routes discord.py defines: operations known, bodies not checked."""
    import discord.http
    import discord.webhook.async_

    paths: dict[str, dict[str, Any]] = {}
    any_body = {"schema": {}}
    multipart = {"schema": {"properties": {"payload_json": {}, **{f"files[{i}]": {} for i in range(10)}}}}
    for module in (discord.http, discord.webhook.async_):
        for method, template in _ROUTE.findall(inspect.getsource(module)):
            template = _DISCORD_TEMPLATE_NAMES.get(template, template)
            op: dict[str, Any] = {}
            if method in ("POST", "PUT", "PATCH"):
                op["requestBody"] = {"content": {"application/json": any_body, "multipart/form-data": multipart}}
            paths.setdefault(template, {})[method.lower()] = op
    return {"paths": paths, "components": {"schemas": {}}}
