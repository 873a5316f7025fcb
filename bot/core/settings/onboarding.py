"""Onboarding settings: welcomes, the welcome DM, the campaign, the rules gate, goodbyes."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated, Literal

from pydantic import BaseModel, Field, field_validator, model_validator

from bot.core.settings.types import STRICT, Duration, Placeholders, span

WELCOME_PLACEHOLDERS = ("member", "community", "rules_link", "guide_link", "intro_tag")
WelcomeText = Annotated[str, Placeholders(WELCOME_PLACEHOLDERS)]
_STEP_ID = re.compile(r"^[a-z0-9_-]{1,24}$")


class CampaignStep(BaseModel):
    model_config = STRICT

    id: str = Field(description="A short stable name for the step, e.g. 'day1'")
    after: Duration = Field(description="How long after joining the step is due")
    text: WelcomeText = Field(default="", description="The step's message; empty uses the built-in text for this id")
    skip_if: Literal["none", "posted", "posted_intro"] = "none"
    kind: Literal["message", "survey", "interests"] = Field(
        default="message",
        description="message: the step's text; survey: the short 'How was your start here?' survey; interests: what they are into",
    )

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not _STEP_ID.match(v):
            raise ValueError(f"{v!r} is not a step id; use up to 24 lowercase letters, digits, '-' or '_', e.g. 'day1'")
        return v


class GateSettings(BaseModel):
    """The rules gate: read-only until the newcomer shows they read the rules."""

    model_config = STRICT

    mode: Literal["button", "answer", "choice"] = Field(
        default="button", description="button: 'I have read the rules'; answer: free text in a DM; choice: buttons, one right"
    )
    question: str = Field(default="", description="Asked in 'answer' and 'choice' mode")
    answers: list[str] = Field(default_factory=list, description="'answer' mode: accepted answers, matched case-insensitively")
    choices: list[str] = Field(default_factory=list, description="'choice' mode: the buttons' labels")
    right_choice: int = Field(default=0, ge=0, description="'choice' mode: which of the choices is right, counting from 0")
    timeout: Duration = Field(default=span("30m"))
    on_fail: Literal["kick", "stay_muted"] = "kick"
    retry_after: Duration = Field(default=span("1h"), description="How long a removed newcomer waits before trying again")

    @model_validator(mode="after")
    def _consistent(self) -> GateSettings:
        if self.mode == "answer" and not (self.question and self.answers):
            raise ValueError("the 'answer' gate needs a question and at least one accepted answer in answers")
        if self.mode == "choice":
            if not self.question or len(self.choices) < 2:
                raise ValueError("the 'choice' gate needs a question and at least two choices")
            if self.right_choice >= len(self.choices):
                raise ValueError(f"right_choice is {self.right_choice} but there are {len(self.choices)} choices; count from 0")
        return self


class OnboardingSettings(BaseModel):
    model_config = STRICT

    enabled: bool = True
    welcome_text: WelcomeText = ""  # empty: the catalog's text in the community's language
    welcome_dm: bool = True
    welcome_dm_text: WelcomeText = ""
    rules_url: str = Field(default="", description="Link to the pinned rules; empty: the welcome just names them")
    guide_url: str = Field(default="", description="Link to the rubric guide; empty: the welcome just names it")
    join_wave_joins: int = Field(default=5, ge=2, description="More joins than this within join_wave_window make one combined welcome")
    join_wave_window: Duration = Field(default=span("60s"))
    clean_welcome: bool = True
    delete_service_messages: bool = False
    goodbye: bool = False
    goodbye_text: Annotated[str, Placeholders(("member", "community"))] = ""
    farewell_question: bool = Field(default=False, description="DM a member who leaves one feedback question")
    rules_gate: bool = False
    join_requests: Literal["gate", "moderators", "approve", "off"] = Field(
        default="gate",
        description=(
            "Telegram join requests. gate: the rules and the gate's button or question by DM before entry, approved on"
            " success, declined when the gate's timeout passes (the moderators' card when the DM fails); moderators: a"
            " card in the moderators' log with Approve and Decline; approve: let everyone in; off: the chat's admins decide"
        ),
    )
    gate: GateSettings = Field(default_factory=GateSettings)
    gate_role: str = Field(
        default="",
        description=(
            "Discord: the role the rules gate gives newcomers until they pass (make one that may not send messages;"
            " the bot needs Manage Roles, its role above it). Without it there is no gate on Discord: a timed-out"
            " member could not press the gate's button"
        ),
    )
    campaign_grace: Duration = Field(default=span("6h"))
    rejoin_keeps_campaign: Duration = Field(default=span("30d"), description="A rejoin within this time does not restart the campaign")
    campaign: list[CampaignStep] = Field(default_factory=list)

    @field_validator("campaign")
    @classmethod
    def _unique_steps(cls, v: list[CampaignStep]) -> list[CampaignStep]:
        seen: set[str] = set()
        for step in v:
            if step.id in seen:
                raise ValueError(f"two campaign steps are called {step.id!r}; give each step its own id")
            seen.add(step.id)
        return sorted(v, key=lambda s: s.after)

    @field_validator("gate_role")
    @classmethod
    def _role_id(cls, v: str) -> str:
        v = v.strip().removeprefix("<@&").removesuffix(">")
        if v and not (v.isdigit() and 15 <= len(v) <= 21):
            raise ValueError(f"{v!r} is not a Discord role id; copy it with Developer Mode on (right-click the role, Copy Role ID)")
        return v

    @field_validator("rules_url", "guide_url")
    @classmethod
    def _url(cls, v: str) -> str:
        if v and not v.startswith(("https://", "http://", "tg://")):
            raise ValueError(f"{v!r} is not a link; write a full https:// address")
        return v

    @property
    def last_step_after(self) -> timedelta:
        return self.campaign[-1].after if self.campaign else timedelta(0)
