"""The configuration file: pydantic models read from TOML, validated at start.

Nothing here runs at import time: ``load_config(path)`` reads, merges and
validates, and raises ``ConfigError`` whose message names the file, the field
path and the fix. Tokens never live in the file: the file names the
environment variables that hold them.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

from bot.core.ids import Platform
from bot.core.settings import CommunitySettings
from bot.core.settings.types import STRICT, Duration


class ConfigError(Exception):
    """A configuration problem, with a message written for the person fixing it."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        n = len(problems)
        head = f"{source}: {n} problem{'s' if n != 1 else ''} in the configuration"
        super().__init__(head + "\n" + "\n".join(f"  - {p}" for p in problems))


class WebhookConfig(BaseModel):
    model_config = STRICT

    listen_host: str = "127.0.0.1"
    listen_port: int = Field(default=8080, ge=0, le=65535)
    path: str = "/telegram/webhook"
    public_url: str = Field(default="", description="The https URL Telegram should call, e.g. https://bot.example.org/telegram/webhook")
    secret_env: str = "TELEGRAM_WEBHOOK_SECRET"


class TelegramConfig(BaseModel):
    model_config = STRICT

    enabled: bool = False
    token_env: str = "TELEGRAM_BOT_TOKEN"
    api_base: str = Field(default="https://api.telegram.org", description="A self-hosted Bot API server, or a local fake in tests")
    mode: Literal["polling", "webhook"] = "polling"
    webhook: WebhookConfig = Field(default_factory=WebhookConfig)
    admin_cache: Duration = Field(default="5m")  # type: ignore[assignment]


class DiscordConfig(BaseModel):
    model_config = STRICT

    enabled: bool = False
    token_env: str = "DISCORD_BOT_TOKEN"
    shards: int | None = Field(default=None, ge=1, description="Leave empty for one connection; a number shards with AutoShardedClient")


class BotConfig(BaseModel):
    model_config = STRICT

    database_url: str = Field(default="sqlite+aiosqlite:///community-bot.sqlite3", description="SQLAlchemy async URL")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    tick: Duration = Field(default="30s", description="How often rituals check what is due")  # type: ignore[assignment]
    documents_dir: str = Field(
        default="", description="The only folder pinned documents' .md files are read from (config values only; chat-typed values are text)"
    )


class UnlistedConfig(BaseModel):
    """Chats the config does not list (anyone can add the bot to a group): a decision, not an accident."""

    model_config = STRICT

    serve: bool = Field(default=True, description="Serve chats not listed under [[communities]], with [defaults]; false ignores them")
    admins: Literal["manager", "moderator", "member"] = Field(
        default="manager", description="What an unlisted chat's own admins may do: manager (change its settings), moderator, member"
    )
    max: int = Field(default=500, ge=0, description="At most this many unlisted chats are served; more are ignored, with a warning")
    idle_after: Duration = Field(  # type: ignore[assignment]
        default="14d", description="Rituals skip an unlisted chat with no activity for this long (until it is active again)"
    )


class CommunityConfig(BaseModel):
    model_config = STRICT

    platform: Platform
    chat_id: str = Field(description="Telegram: the group's id (e.g. -1001234567890); Discord: the server (guild) id")
    name: str = ""
    main_place: str | None = Field(default=None, description="Discord: the channel id the bot posts to; Telegram: a forum topic id")
    managers: list[str] = Field(default_factory=list, description="User ids (and Discord role ids) that may use manager commands")
    moderators: list[str] = Field(default_factory=list)
    settings: CommunitySettings = Field(default_factory=CommunitySettings)

    @field_validator("chat_id", mode="before")
    @classmethod
    def _id_as_text(cls, v: Any) -> Any:
        return str(v) if isinstance(v, int) and not isinstance(v, bool) else v

    @field_validator("managers", "moderators", mode="before")
    @classmethod
    def _ids_as_text(cls, v: Any) -> Any:
        if isinstance(v, list):
            return [str(x) if isinstance(x, int) and not isinstance(x, bool) else x for x in v]
        return v


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    bot: BotConfig = Field(default_factory=BotConfig)
    telegram: TelegramConfig = Field(default_factory=TelegramConfig)
    discord: DiscordConfig = Field(default_factory=DiscordConfig)
    defaults: CommunitySettings = Field(default_factory=CommunitySettings)
    communities: list[CommunityConfig] = Field(default_factory=list)
    unlisted: UnlistedConfig = Field(default_factory=UnlistedConfig)

    def community(self, platform: str, chat_id: str) -> CommunityConfig | None:
        for c in self.communities:
            if c.platform == platform and c.chat_id == chat_id:
                return c
        return None


class Secrets(BaseModel):
    """Tokens read from the environment; ``SecretStr`` keeps them out of reprs and logs."""

    telegram_token: SecretStr | None = None
    telegram_webhook_secret: SecretStr | None = None
    discord_token: SecretStr | None = None


def deep_merge(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for k, v in over.items():
        if isinstance(v, Mapping) and isinstance(out.get(k), Mapping):
            out[k] = deep_merge(out[k], v)
        else:
            out[k] = v
    return out


def _loc(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top level)"


def _describe(err: Mapping[str, Any]) -> str:
    kind = err["type"]
    msg = str(err["msg"])
    if kind == "extra_forbidden":
        return "unknown key; check its spelling against config.example.toml"
    if kind == "missing":
        return "required but missing"
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    got = err.get("input")
    if kind.endswith("_type") or kind.endswith("_parsing"):
        return f"{msg} (got {got!r})"
    return msg


def _problems(exc: ValidationError, prefix: tuple[int | str, ...] = ()) -> list[str]:
    return [f"{_loc(prefix + tuple(e['loc']))}: {_describe(e)}" for e in exc.errors()]


def parse_config(data: Mapping[str, Any], source: str = "<config>") -> Config:
    """Validate a config mapping; each community's settings are merged over ``[defaults]``."""
    problems: list[str] = []
    defaults_raw = data.get("defaults", {}) or {}
    communities_raw = data.get("communities", []) or []
    merged_communities: list[Any] = []
    if isinstance(communities_raw, list) and isinstance(defaults_raw, Mapping):
        for c in communities_raw:
            if isinstance(c, Mapping):
                c = dict(c)
                own = c.get("settings", {}) or {}
                if isinstance(own, Mapping):
                    c["settings"] = deep_merge(defaults_raw, own)
            merged_communities.append(c)
        data = {**data, "communities": merged_communities}
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        problems.extend(_problems(exc))
        raise ConfigError(source, problems) from None
    seen: set[tuple[str, str]] = set()
    for i, c in enumerate(config.communities):
        key = (c.platform, c.chat_id)
        if key in seen:
            problems.append(f"communities[{i}]: {c.platform} chat {c.chat_id} is listed twice; keep one entry")
        seen.add(key)
    problems.extend(_document_problems(config))
    if problems:
        raise ConfigError(source, problems)
    return config


def _document_problems(config: Config) -> list[str]:
    from bot.core import documents

    out = documents.problems(config.bot.documents_dir, "defaults.pinned", config.defaults.pinned)
    for i, c in enumerate(config.communities):
        out.extend(documents.problems(config.bot.documents_dir, f"communities[{i}].settings.pinned", c.settings.pinned))
    return sorted(set(out), key=out.index)


def load_config(path: str | os.PathLike[str]) -> Config:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(str(p), ["the file does not exist; copy config.example.toml to start"]) from None
    except OSError as exc:
        raise ConfigError(str(p), [f"cannot read the file: {exc.strerror}"]) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(str(p), [f"not valid TOML: {exc}"]) from None
    return parse_config(data, str(p))


def load_secrets(config: Config, environ: Mapping[str, str] | None = None, source: str = "<config>") -> Secrets:
    """Read the tokens of enabled platforms from the environment; a missing one is a config error."""
    env = os.environ if environ is None else environ
    problems: list[str] = []

    def need(field: str, var: str) -> SecretStr | None:
        value = env.get(var, "").strip()
        if not value:
            problems.append(f"{field}: the environment variable {var} is empty or not set; export it with the bot's token")
            return None
        return SecretStr(value)

    secrets = Secrets()
    if config.telegram.enabled:
        secrets.telegram_token = need("telegram.token_env", config.telegram.token_env)
        if config.telegram.mode == "webhook":
            secrets.telegram_webhook_secret = need("telegram.webhook.secret_env", config.telegram.webhook.secret_env)
            if not config.telegram.webhook.public_url:
                problems.append("telegram.webhook.public_url: webhook mode needs the https URL Telegram should call")
    if config.discord.enabled:
        secrets.discord_token = need("discord.token_env", config.discord.token_env)
    if problems:
        raise ConfigError(source, problems)
    return secrets
