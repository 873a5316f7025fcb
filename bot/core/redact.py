"""Keeping secrets out of what the bot prints: a token pasted where a variable's name belongs, a password
in a database URL. Everything that echoes a config value (``check-config``, ``run``'s errors, logs) goes
through ``shown()``."""

from __future__ import annotations

import re
from typing import Any

_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_TELEGRAM_TOKEN = re.compile(r"\d{5,15}:[A-Za-z0-9_-]{30,}")
_DISCORD_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{20,}")
_URL_PASSWORD = re.compile(r"(?P<head>[a-z][a-z0-9+.-]*://[^:/@\s]*:)(?P<password>[^@\s]+)(?P<at>@)", re.I)


def token_kind(value: str) -> str | None:
    """``"Telegram bot token"``, ``"Discord bot token"``, ``"secret"`` when ``value`` looks like one; else None.

    A variable's name is letters, digits and ``_``; anything else long, or a name-shaped value of 16 or
    more characters mixing letters and digits in lower case, is taken for the secret itself."""
    v = value.strip()
    if _TELEGRAM_TOKEN.search(v):
        return "Telegram bot token"
    if _DISCORD_TOKEN.search(v):
        return "Discord bot token"
    if not _ENV_NAME.fullmatch(v):
        return "secret" if len(v) >= 12 else None
    mixed = any(c.islower() for c in v) and any(c.isdigit() for c in v)
    return "secret" if len(v) >= 16 and mixed else None


def redact_text(text: str) -> str:
    """``text`` with URL passwords and token-shaped parts replaced."""
    text = _URL_PASSWORD.sub(lambda m: m["head"] + "***" + m["at"], text)
    text = _TELEGRAM_TOKEN.sub("<a Telegram token, not shown>", text)
    return _DISCORD_TOKEN.sub("<a Discord token, not shown>", text)


def shown(value: Any) -> str:
    """How a config value is echoed back: its repr, secrets redacted; tables and lists by their size only."""
    if isinstance(value, dict):
        return f"a table with {len(value)} key{'s' if len(value) != 1 else ''}"
    if isinstance(value, list):
        return f"a list of {len(value)}"
    if isinstance(value, str) and token_kind(value) in ("Telegram bot token", "Discord bot token"):
        return f"a {token_kind(value)}, not shown"
    return redact_text(repr(value))
