"""The configuration file: pydantic models read from TOML, validated at start.

Nothing here runs at import time: ``load_config(path)`` reads, merges and
validates, and raises ``ConfigError`` whose message names the file, the field
path and the fix. Tokens never live in the file: the file names the
environment variables that hold them.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
import types
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, ValidationInfo, field_validator, model_validator

from bot.core.ids import Platform
from bot.core.redact import shown, token_kind
from bot.core.settings import CommunitySettings
from bot.core.settings.spam import SpamLlmConfig
from bot.core.settings.types import STRICT, Duration, span


class ConfigError(Exception):
    """A configuration problem, with a message written for the person fixing it."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        n = len(problems)
        head = f"{source}: {n} problem{'s' if n != 1 else ''} in the configuration"
        super().__init__(head + "\n" + "\n".join(f"  - {p}" for p in problems))


_ENV_DEFAULTS = {"token_env": "TELEGRAM_BOT_TOKEN", "secret_env": "TELEGRAM_WEBHOOK_SECRET"}


def _env_name(value: str, info: ValidationInfo) -> str:
    """A variable's NAME belongs here; a pasted token or secret is refused without being echoed."""
    kind = token_kind(value)
    if kind is not None:
        example = _ENV_DEFAULTS.get(info.field_name or "", "DISCORD_BOT_TOKEN")
        raise ValueError(
            f"this looks like a {kind} itself (not shown here), not the name of an environment variable. Write a name "
            f'(e.g. {info.field_name} = "{example}"), put the value in that variable (export {example}=...), and since it '
            "has been in a file, consider replacing it (BotFather's /revoke, or Reset Token in Discord's developer portal)"
        )
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", value):
        raise ValueError("the name of an environment variable: letters, digits and _, e.g. TELEGRAM_BOT_TOKEN")
    return value


class WebhookConfig(BaseModel):
    model_config = STRICT

    listen_host: str = "127.0.0.1"
    listen_port: int = Field(default=8080, ge=0, le=65535)
    path: str = "/telegram/webhook"
    public_url: str = Field(default="", description="The https URL Telegram should call, e.g. https://bot.example.org/telegram/webhook")
    secret_env: str = "TELEGRAM_WEBHOOK_SECRET"

    _check_env = field_validator("secret_env")(_env_name)


class TelegramConfig(BaseModel):
    model_config = STRICT

    enabled: bool = False
    token_env: str = "TELEGRAM_BOT_TOKEN"
    api_base: str = Field(default="https://api.telegram.org", description="A self-hosted Bot API server, or a local fake in tests")
    mode: Literal["polling", "webhook"] = "polling"
    webhook: WebhookConfig = Field(default_factory=WebhookConfig)
    admin_cache: Duration = Field(default=span("5m"))

    _check_env = field_validator("token_env")(_env_name)


class DiscordConfig(BaseModel):
    model_config = STRICT

    enabled: bool = False
    token_env: str = "DISCORD_BOT_TOKEN"
    shards: int | None = Field(default=None, ge=1, description="Leave empty for one connection; a number shards with AutoShardedClient")
    shard_ids: list[int] | None = Field(
        default=None, description="The shards this process connects, when several processes share them out (e.g. [0, 1] and [2, 3])"
    )

    _check_env = field_validator("token_env")(_env_name)

    @model_validator(mode="after")
    def _shares(self) -> DiscordConfig:
        ids = self.shard_ids
        if ids is None:
            return self
        if not self.shards:
            raise ValueError("shard_ids needs shards, the total number of shards across all processes (e.g. shards = 4)")
        if not ids:
            raise ValueError("shard_ids is empty: list the shards this process connects, e.g. [0, 1], or leave it out for all")
        wrong = sorted({i for i in ids if not 0 <= i < self.shards})
        if wrong:
            raise ValueError(f"shard_ids {wrong} are outside 0..{self.shards - 1} (shards = {self.shards})")
        if len(set(ids)) != len(ids):
            raise ValueError("shard_ids names a shard twice")
        return self


class WebConfig(BaseModel):
    """The bot's own web server (off by default): the calendar feeds members subscribe to. Run it behind a
    reverse proxy that speaks HTTPS (docs/deployment.md); it listens on loopback unless told otherwise."""

    model_config = STRICT

    enabled: bool = False
    listen_host: str = "127.0.0.1"
    listen_port: int = Field(default=8090, ge=0, le=65535)
    public_url: str = Field(default="", description="Where members reach the server, e.g. https://bot.example.org")

    @field_validator("public_url")
    @classmethod
    def _web_url(cls, v: str) -> str:
        v = v.strip().rstrip("/")
        if v and not (v.startswith("https://") or v.startswith("http://localhost") or v.startswith("http://127.0.0.1")):
            raise ValueError('calendar apps refuse plain http on the internet: write the https address, e.g. "https://bot.example.org"')
        return v

    @model_validator(mode="after")
    def _needs_url(self) -> WebConfig:
        if self.enabled and not self.public_url:
            raise ValueError('enabled, but public_url is empty: members need the server\'s address, e.g. public_url = "https://bot.example.org"')
        return self


class BotConfig(BaseModel):
    model_config = STRICT

    database_url: str = Field(default="sqlite+aiosqlite:///community-bot.sqlite3", description="SQLAlchemy async URL")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    tick: Duration = Field(default=span("30s"), description="How often rituals check what is due")
    documents_dir: str = Field(
        default="", description="The only folder pinned documents' .md files are read from (config values only; chat-typed values are text)"
    )

    keep_ritual_runs: Duration = Field(default=span("90d"), description="How long the record of each scheduled post is kept")
    keep_activity: Duration = Field(
        default=span("400d"), description="How long the per-member daily counters behind /stats are kept (a year and a month)"
    )

    @field_validator("keep_ritual_runs", "keep_activity")
    @classmethod
    def _long_enough(cls, v: Any, info: ValidationInfo) -> Any:
        least = span("7d") if info.field_name == "keep_ritual_runs" else span("62d")
        if v < least:
            raise ValueError(f"keep at least {least.days} days (/stats and the rituals look back that far), e.g. \"{least.days}d\"")
        return v

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, v: str) -> str:
        scheme = v.partition("://")[0].lower()
        dialect, _, driver = scheme.partition("+")
        fixes = {"sqlite": "sqlite+aiosqlite:///community-bot.sqlite3", "postgresql": "postgresql+asyncpg://user:password@host/db"}
        if dialect in fixes and driver not in ASYNC_DRIVERS:
            raise ValueError(f"the bot needs an async driver: write it like {fixes[dialect]!r}")
        if dialect not in ("sqlite", "postgresql"):
            raise ValueError("use SQLite (sqlite+aiosqlite:///file.sqlite3) or PostgreSQL (postgresql+asyncpg://...)")
        return v

    @field_validator("tick")
    @classmethod
    def _positive_tick(cls, v: Any) -> Any:
        if v.total_seconds() <= 0:
            raise ValueError('must be longer than zero, e.g. "30s"')
        return v


ASYNC_DRIVERS = ("aiosqlite", "asyncpg", "psycopg")


class UnlistedConfig(BaseModel):
    """Chats the config does not list (anyone can add the bot to a group): a decision, not an accident."""

    model_config = STRICT

    serve: bool = Field(default=True, description="Serve chats not listed under [[communities]], with [defaults]; false ignores them")
    admins: Literal["manager", "moderator", "member"] = Field(
        default="manager", description="What an unlisted chat's own admins may do: manager (change its settings), moderator, member"
    )
    max: int = Field(default=500, ge=0, description="At most this many unlisted chats are served; more are ignored, with a warning")
    idle_after: Duration = Field(
        default=span("14d"), description="Rituals skip an unlisted chat with no activity for this long (until it is active again)"
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

    @model_validator(mode="after")
    def _id_fits_platform(self) -> CommunityConfig:
        if self.platform == "discord" and not re.fullmatch(r"[1-9][0-9]{15,20}", self.chat_id):
            hint = " (a Telegram-style id)" if self.chat_id.startswith("-") else ""
            raise ValueError(
                f"chat_id {self.chat_id!r}{hint} is not a Discord server id: that is a positive number of 17-20 digits "
                "(Discord: Settings > Advanced > Developer Mode, then right-click the server > Copy Server ID)"
            )
        if self.platform == "telegram" and not re.fullmatch(r"-?[0-9]{1,20}", self.chat_id):
            raise ValueError(f"chat_id {self.chat_id!r} is not a Telegram chat id: a number such as -1001234567890")
        return self

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
    web: WebConfig = Field(default_factory=WebConfig)
    spam_llm: SpamLlmConfig = Field(default_factory=SpamLlmConfig)

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
        return _unknown_key(tuple(err["loc"]))
    if kind == "missing":
        return "required but missing"
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    got = err.get("input")
    if kind.endswith("_type") or kind.endswith("_parsing"):
        return f"{msg} (got {shown(got)})"
    return msg


def _model_at(loc: tuple[int | str, ...]) -> type[BaseModel] | None:
    """The settings model that the key at ``loc`` belongs to (list indexes skipped)."""
    model: type[BaseModel] = Config
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        if field is None:
            return None
        inner = _models_in(field.annotation)
        if inner is None:
            return None
        model = inner
    return model


def _models_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) in (list, typing.Union, types.UnionType, typing.Annotated):
        for arg in typing.get_args(annotation):
            found = _models_in(arg)
            if found is not None:
                return found
    return None


def _unknown_key(loc: tuple[int | str, ...]) -> str:
    """"unknown key" with the nearest valid key at that place, or the keys that are valid there."""
    model = _model_at(loc)
    if model is None or not loc:
        return "unknown key; see config.example.toml for the keys"
    keys = sorted(model.model_fields)
    near = difflib.get_close_matches(str(loc[-1]), keys, n=1, cutoff=0.6)
    if near:
        return f"unknown key; did you mean {near[0]!r}?"
    return f"unknown key; the keys here are: {', '.join(keys)}"


def _problems(exc: ValidationError, prefix: tuple[int | str, ...] = ()) -> list[str]:
    return [f"{_loc(prefix + tuple(e['loc']))}: {_describe(e)}" for e in exc.errors()]


def parse_config(data: Mapping[str, Any], source: str = "<config>") -> Config:
    """Validate a config mapping; each community's settings are merged over ``[defaults]``."""
    problems: list[str] = []
    defaults_raw = data.get("defaults", {}) or {}
    communities_raw = data.get("communities", []) or []
    if isinstance(communities_raw, Mapping):
        raise ConfigError(source, ["communities: write each community as [[communities]] (two brackets: one table per community)"])
    merged_communities: list[Any] = []
    if isinstance(communities_raw, list) and isinstance(defaults_raw, Mapping):
        # A mistake in [defaults] is reported once, under "defaults", not again for every community.
        merge = _valid_settings(defaults_raw)
        for c in communities_raw:
            if isinstance(c, Mapping):
                c = dict(c)
                own = c.get("settings", {}) or {}
                if isinstance(own, Mapping) and merge:
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


def _valid_settings(raw: Mapping[str, Any]) -> bool:
    try:
        CommunitySettings.model_validate(raw)
    except ValidationError:
        return False
    return True


def _decode(raw: bytes) -> str:
    """TOML is UTF-8; a BOM is tolerated, anything else is explained instead of a traceback."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ValueError("the file is saved as UTF-16; save it as UTF-8 (TOML files are UTF-8)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ValueError(
            f"the file is not UTF-8 (byte 0x{raw[exc.start]:02x} on line {line}; perhaps Latin-1 or Windows-1252): save it as UTF-8"
        ) from None


def _document_problems(config: Config) -> list[str]:
    from bot.core import documents

    out = documents.problems(config.bot.documents_dir, "defaults.pinned", config.defaults.pinned)
    for i, c in enumerate(config.communities):
        out.extend(documents.problems(config.bot.documents_dir, f"communities[{i}].settings.pinned", c.settings.pinned))
    return sorted(set(out), key=out.index)


def load_config(path: str | os.PathLike[str]) -> Config:
    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise ConfigError(str(p), ["the file does not exist; copy config.example.toml to start"]) from None
    except OSError as exc:
        raise ConfigError(str(p), [f"cannot read the file: {exc.strerror}"]) from None
    try:
        data = tomllib.loads(_decode(raw))
    except ValueError as exc:  # TOMLDecodeError is a ValueError
        raise ConfigError(str(p), [f"not valid TOML: {exc}" if isinstance(exc, tomllib.TOMLDecodeError) else str(exc)]) from None
    if not data:
        raise ConfigError(str(p), ["the file is empty; copy config.example.toml, enable a platform and list your communities"])
    return parse_config(data, str(p))


def load_secrets(config: Config, environ: Mapping[str, str] | None = None, source: str = "<config>") -> Secrets:
    """Read the tokens of enabled platforms from the environment; a missing one is a config error."""
    env = os.environ if environ is None else environ
    problems: list[str] = []

    def need(field: str, var: str, what: str = "the bot's token") -> SecretStr | None:
        value = env.get(var, "").strip()
        if not value:
            problems.append(f"{field}: the environment variable {var} is empty or not set; export it with {what}")
            return None
        return SecretStr(value)

    secrets = Secrets()
    if config.telegram.enabled:
        secrets.telegram_token = need("telegram.token_env", config.telegram.token_env)
        if config.telegram.mode == "webhook":
            secret = "a secret of your choosing (1-256 letters, digits, _ and -, e.g. from `openssl rand -hex 32`)"
            secrets.telegram_webhook_secret = need("telegram.webhook.secret_env", config.telegram.webhook.secret_env, secret)
            if not config.telegram.webhook.public_url:
                problems.append("telegram.webhook.public_url: webhook mode needs the https URL Telegram should call")
    if config.discord.enabled:
        secrets.discord_token = need("discord.token_env", config.discord.token_env)
    if problems:
        raise ConfigError(source, problems)
    return secrets
