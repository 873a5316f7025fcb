"""Listening settings: pulse surveys by DM and the feedback inbox."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, field_validator

from bot.core.settings.types import STRICT, Duration, TimeOfDay, clock, span


class SurveySettings(BaseModel):
    """The pulse survey: the recommend question (0-10) to a sample of members, once per period."""

    model_config = STRICT

    enabled: bool = Field(default=False, description="DM a sample of members the recommend question once per period")
    rhythm: Literal["weekly", "monthly", "quarterly"] = Field(default="monthly", description="How often a new sample is asked")
    time: TimeOfDay = Field(default=clock("11:00"), description="When the first DMs of a period go out, in the community's time zone")
    sample: float = Field(default=0.2, description="The share of members asked each period, e.g. 0.2 for one in five")
    batch: int = Field(default=300, ge=1, le=5000, description="DMs handed to the platform per ritual tick (the outbox paces them)")
    ask_why: bool = Field(default=True, description="After the score, ask an optional 'why?'")
    low_score: int = Field(default=6, ge=0, le=10, description="A score at or below this reaches the moderators' log at once")
    comment_window: Duration = Field(default=span("2d"), description="How long the member's next DM counts as the answer to 'why?'")

    @field_validator("sample")
    @classmethod
    def _share(cls, v: float) -> float:
        if not 0 < v <= 1:
            raise ValueError(f"{v!r} is not a share of members; write a number above 0 and at most 1, e.g. 0.2 for one in five")
        return v


class FeedbackSettings(BaseModel):
    """The feedback inbox: /feedback, the #feedback rubric, farewell answers and survey comments."""

    model_config = STRICT

    enabled: bool = True
    rubric: str = Field(default="feedback", description="Posts with this rubric's hashtag land in the inbox; empty: none")
    anonymous_by_default: bool = Field(default=False, description="Every item is anonymous, as with /feedback anon")
    said_we_did: bool = Field(default=True, description="Post 'You said, we did' on the first day of each month")
    said_we_did_time: TimeOfDay = Field(default=clock("12:00"), description="When that post goes out, in the community's time zone")

    @field_validator("rubric")
    @classmethod
    def _tag(cls, v: str) -> str:
        tag = v.strip().lstrip("#")
        if any(c.isspace() for c in tag) or len(tag) > 64:
            raise ValueError(f"{v!r} is not a hashtag; write one word such as 'feedback'")
        return tag
