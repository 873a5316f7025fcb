"""Spam filter settings: the newcomer sandbox, flood limits, the strike ladder."""

from __future__ import annotations

from pydantic import BaseModel, Field

from bot.settings.types import STRICT, Duration


class SpamSettings(BaseModel):
    model_config = STRICT

    enabled: bool = True
    shadow_mode: bool = Field(default=False, description="Log what would happen without acting")
    newcomer_period: Duration = Field(default="24h")  # type: ignore[assignment]
    newcomer_clean_messages: int = Field(default=3, ge=0)
    flood_messages: int = Field(default=6, ge=2)
    flood_window: Duration = Field(default="10s")  # type: ignore[assignment]
    stop_phrases: list[str] = Field(default_factory=list)
    block_patterns: list[str] = Field(default_factory=list)
    allowed_domains: list[str] = Field(default_factory=list)
    strike_decay: Duration = Field(default="30d")  # type: ignore[assignment]
    mute_for: Duration = Field(default="1h")  # type: ignore[assignment]
    ban_obvious_newcomer_spam: bool = True
    threshold: float = Field(default=0.8, gt=0, le=1, description="Score at which a message counts as spam")
