"""Onboarding settings: welcomes, the welcome DM, the campaign, the rules gate, goodbyes."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from bot.settings.types import STRICT, Duration, template

WELCOME_PLACEHOLDERS = ("member", "community", "rules_link", "guide_link", "intro_tag")
WelcomeText = template(*WELCOME_PLACEHOLDERS)


class CampaignStep(BaseModel):
    model_config = STRICT

    id: str = Field(description="A short stable name for the step, e.g. 'day1'")
    after: Duration = Field(description="How long after joining the step is due")
    text: WelcomeText = Field(description="The step's message; empty uses the built-in text for this id")  # type: ignore[valid-type]
    skip_if: Literal["none", "posted", "posted_intro"] = "none"


class OnboardingSettings(BaseModel):
    model_config = STRICT

    enabled: bool = True
    welcome_text: WelcomeText = ""  # type: ignore[valid-type]  # empty: the catalog's text in the community's language
    welcome_dm: bool = True
    welcome_dm_text: WelcomeText = ""  # type: ignore[valid-type]
    join_wave_joins: int = Field(default=5, ge=2, description="More joins than this within join_wave_window make one combined welcome")
    join_wave_window: Duration = Field(default="60s")  # type: ignore[assignment]
    clean_welcome: bool = True
    delete_service_messages: bool = False
    goodbye: bool = False
    goodbye_text: template("member", "community") = ""  # type: ignore[valid-type]
    rules_gate: bool = False
    campaign_grace: Duration = Field(default="6h")  # type: ignore[assignment]
    campaign: list[CampaignStep] = Field(default_factory=list)
