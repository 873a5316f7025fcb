"""Pinned document settings."""

from __future__ import annotations

from pydantic import BaseModel, Field

from bot.settings.types import STRICT


class PinnedSettings(BaseModel):
    model_config = STRICT

    enabled: bool = True
    mission: str = ""
    audience: str = ""
    rules: list[str] = Field(default_factory=list)
    consequences: str = ""
    links: list[str] = Field(default_factory=list)
    contact: str = ""
    traditions: list[str] = Field(default_factory=list)
    who_to_ask: list[str] = Field(default_factory=list)
