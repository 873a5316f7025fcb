"""Spam filter settings: the newcomer sandbox, flood limits, the strike ladder."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Literal

from pydantic import BaseModel, Field, field_validator

from bot.core.settings.types import STRICT, Duration, span

MUTE_MIN, MUTE_MAX = timedelta(seconds=30), timedelta(days=366)


class SpamSettings(BaseModel):
    model_config = STRICT

    enabled: bool = True
    shadow_mode: bool = Field(default=False, description="Log what would happen without acting")
    policy: Literal["ladder", "delete"] = Field(
        default="ladder", description='"ladder": delete and strike (DM, then mute, then remove); "delete": only delete'
    )
    newcomer_period: Duration = Field(default=span("24h"))
    newcomer_clean_messages: int = Field(default=3, ge=0)
    flood_messages: int = Field(default=6, ge=2)
    flood_window: Duration = Field(default=span("10s"))
    stop_phrases: list[str] = Field(default_factory=list)
    block_patterns: list[str] = Field(default_factory=list, description="Regular expressions; a match removes the message")
    allowed_domains: list[str] = Field(default_factory=list)
    strike_decay: Duration = Field(default=span("30d"))
    mute_for: Duration = Field(default=span("1h"), description="30s to 366d: Telegram takes a shorter or longer mute as forever")
    ban_obvious_newcomer_spam: bool = True
    threshold: float = Field(default=0.8, gt=0, le=1, description="Score at which a message counts as spam")
    obvious_threshold: float = Field(default=0.95, gt=0, le=1, description="Score at which a newcomer's spam means a ban at once")
    shared_banlist: bool = Field(default=False, description="Ask the shared ban list (CAS-style) about newcomers")
    shared_images: bool = Field(
        default=False, description="Block pictures that moderators of any community of this bot confirmed as spam, not only this one's"
    )
    second_opinion: bool = Field(
        default=False,
        description="Before removing a message, ask the bot's LLM ([spam_llm] in the config); it may only keep it for the moderators",
    )
    reports: bool = Field(default=True, description="Members may /report a message (as a reply) to the moderators")
    report_threshold: float = Field(
        default=2.0,
        ge=0.5,
        le=20,
        description="Weight of reports that brings the moderators a card: a report counts 1, a newcomer's 0.5, less after false reports",
    )
    report_limit: int = Field(default=5, ge=1, le=100, description="Reports one member may make in an hour")

    @field_validator("mute_for")
    @classmethod
    def _mute_within_telegram_bounds(cls, value: timedelta) -> timedelta:
        if not MUTE_MIN <= value <= MUTE_MAX:
            raise ValueError('must be from "30s" to "366d": Telegram treats a mute under 30 seconds or over 366 days as forever')
        return value

    @field_validator("block_patterns")
    @classmethod
    def _patterns_compile(cls, value: list[str]) -> list[str]:
        for p in value:
            try:
                re.compile(p)
            except re.error as exc:
                raise ValueError(f"block pattern {p!r} is not a valid regular expression ({exc}); fix or remove it") from None
        return value

    @field_validator("allowed_domains")
    @classmethod
    def _domains_plain(cls, value: list[str]) -> list[str]:
        for d in value:
            if "/" in d or " " in d or "." not in d:
                raise ValueError(f'allowed domain {d!r} must be a bare domain such as "github.com" (no scheme, no path)')
        return [d.lower() for d in value]


class SpamLlmConfig(BaseModel):
    """The bot's LLM second opinion (#19.6): an OpenAI-compatible chat completions API, off unless configured.

    A deployment's matter, not a community's (``/set`` cannot point members' texts at another server):
    communities only choose to ask it (``spam.second_opinion``). It may only *veto* a removal, turning it
    into a card for the moderators; a slow, failing, over-budget or unreadable answer leaves the filter's
    own decision. Texts are sent with ``store: false`` and kept nowhere by the bot.
    """

    model_config = STRICT

    enabled: bool = False
    url: str = Field(default="", description="Base URL of an OpenAI-compatible API, e.g. http://127.0.0.1:8080/v1 (a local server works)")
    model: str = Field(default="", description="The model's name, as the server knows it")
    key_env: str = Field(default="", description="Name of the environment variable holding the API key (empty: no key)")
    timeout: Duration = Field(default="3s", description="1s to 30s: no answer by then, the filter decides alone")  # type: ignore[assignment]
    monthly_requests: int = Field(default=2000, ge=0, le=10_000_000, description="At most this many questions a calendar month (UTC)")
    max_chars: int = Field(default=1500, ge=100, le=8000, description="Of a message, at most this much is sent")

    @field_validator("timeout")
    @classmethod
    def _timeout_bounds(cls, value: timedelta) -> timedelta:
        if not timedelta(seconds=1) <= value <= timedelta(seconds=30):
            raise ValueError('must be from "1s" to "30s"')
        return value

    @field_validator("url")
    @classmethod
    def _http(cls, value: str) -> str:
        if value and not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/")
