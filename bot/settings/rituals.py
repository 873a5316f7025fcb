"""Ritual settings: the weekly prompt, the event calendar, newcomers of the week."""

from __future__ import annotations

from pydantic import BaseModel, Field

from bot.settings.types import STRICT, Duration, TimeOfDay, Weekday


class WeeklyPromptSettings(BaseModel):
    model_config = STRICT

    enabled: bool = True
    weekday: Weekday = Field(default="mon")  # type: ignore[assignment]
    time: TimeOfDay = Field(default="10:00")  # type: ignore[assignment]
    pin: bool = False
    prompts: list[str] = Field(default_factory=list, description="Empty: the built-in prompts in the community's language")


class EventSettings(BaseModel):
    model_config = STRICT

    enabled: bool = True
    reminders: list[Duration] = Field(default_factory=lambda: ["24h", "1h"])  # type: ignore[arg-type]
    announce_new: bool = True


class RitualSettings(BaseModel):
    model_config = STRICT

    grace: Duration = Field(default="6h", description="A missed occurrence older than this is skipped, not sent late")  # type: ignore[assignment]
    weekly_prompt: WeeklyPromptSettings = Field(default_factory=WeeklyPromptSettings)
    events: EventSettings = Field(default_factory=EventSettings)
    newcomers_of_week: bool = True
