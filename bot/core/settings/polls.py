"""Poll settings: who may start a poll, and how long one stays open when no closing time is given."""

from __future__ import annotations

from datetime import timedelta

from pydantic import BaseModel, Field, field_validator

from bot.core.settings.types import STRICT, Duration, span

MAX_OPEN = timedelta(days=90)  # a poll open longer is forgotten by everyone, results included


class PollSettings(BaseModel):
    model_config = STRICT

    members_may_create: bool = Field(default=False, description="Members may start polls with /poll too (else managers only)")
    default_duration: Duration = Field(default=span("1d"), description="How long a poll stays open without --close")
    chart: bool = Field(default=True, description="Post the results with a bar chart")
    comments_to_inbox: bool = Field(default=True, description="A reply to a poll lands in the feedback inbox, beside /feedback")

    @field_validator("default_duration")
    @classmethod
    def _duration(cls, v: timedelta) -> timedelta:
        if not timedelta(minutes=5) <= v <= MAX_OPEN:
            raise ValueError('must be between 5 minutes and 90 days, like "1d" or "12h"')
        return v
