"""Interests (#21.6): what members are into, asked at join, so newcomers are introduced to people like them."""

from __future__ import annotations

from pydantic import BaseModel, Field, field_validator

from bot.core.settings.types import STRICT, TimeOfDay, Weekday, clock, day

MAX_CHOICES = 12  # buttons in one DM, a few rows of them
MAX_LENGTH = 40


class InterestSettings(BaseModel):
    model_config = STRICT

    choices: list[str] = Field(
        default_factory=list, description='What members may say they are into, e.g. ["3D printing", "Sewing", "Bikes"]; empty: not asked'
    )
    introduce: bool = Field(default=True, description="A weekly post introduces the week's newcomers to members who share an interest")
    weekday: Weekday = Field(default=day("fri"))
    time: TimeOfDay = Field(default=clock("17:30"), description="When the introductions go out, in the community's time zone")

    @field_validator("choices")
    @classmethod
    def _choices(cls, v: list[str]) -> list[str]:
        cleaned = [c.strip() for c in v]
        if len(cleaned) > MAX_CHOICES:
            raise ValueError(f"at most {MAX_CHOICES} interests (one button each); found {len(cleaned)}")
        if any(not c or len(c) > MAX_LENGTH for c in cleaned):
            raise ValueError(f"each interest is 1 to {MAX_LENGTH} characters, like '3D printing'")
        if len({c.casefold() for c in cleaned}) != len(cleaned):
            raise ValueError("an interest is listed twice")
        return cleaned
