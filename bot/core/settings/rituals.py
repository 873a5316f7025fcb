"""Ritual settings: the weekly prompt, the event calendar, newcomers of the week."""

from __future__ import annotations

from datetime import timedelta

from pydantic import BaseModel, Field, field_validator

from bot.core.settings.types import STRICT, Duration, TimeOfDay, Weekday, clock, day, span


class WeeklyPromptSettings(BaseModel):
    model_config = STRICT

    enabled: bool = True
    weekday: Weekday = Field(default=day("mon"))
    time: TimeOfDay = Field(default=clock("10:00"))
    pin: bool = Field(default=False, description="Pin the prompt for the week (the previous one is unpinned)")
    as_poll: bool = Field(default=False, description="Ask a prompt written like /poll (Question? | A | B) as a poll")
    prompts: list[str] = Field(default_factory=list, description="Empty: the built-in prompts in the community's language")

    @field_validator("prompts")
    @classmethod
    def _prompts(cls, v: list[str]) -> list[str]:
        cleaned = [p.strip() for p in v]
        if any(not p for p in cleaned):
            raise ValueError("a prompt is empty; remove it or write the question")
        if any(len(p) > 1000 for p in cleaned):
            raise ValueError("a prompt is longer than 1000 characters; shorten it")
        return cleaned


class EventSettings(BaseModel):
    model_config = STRICT

    enabled: bool = True
    reminders: list[Duration] = Field(default_factory=lambda: [span("24h"), span("1h")])
    remind_group: bool = Field(default=True, description="Post each reminder in the community chat")
    remind_going: bool = Field(default=True, description="Also remind by DM those who said they are going")
    starting_now: bool = Field(default=True, description="Post 'starting now' with the event's link when it begins")
    ask_after: bool = Field(default=True, description="After an event, ask those who said they were going how it was (one DM, buttons)")
    topic_per_event: bool = Field(
        default=False, description="Telegram forum groups: each event gets a topic of its own, closed after the event"
    )
    default_duration: Duration = Field(default=span("2h"), description="Length of an event added without an end time")
    list_days: int = Field(default=60, ge=1, le=366, description="How far ahead /events looks, in days")

    @field_validator("reminders")
    @classmethod
    def _reminders(cls, v: list[timedelta]) -> list[timedelta]:
        if any(r <= timedelta(0) or r > timedelta(days=14) for r in v):
            raise ValueError('each reminder must be between 1 minute and 14 days before the event, like "24h" or "1h"')
        return sorted(set(v), reverse=True)


class NewcomersSettings(BaseModel):
    model_config = STRICT

    enabled: bool = True
    weekday: Weekday = Field(default=day("fri"))
    time: TimeOfDay = Field(default=clock("17:00"))
    intro_tag: str = Field(default="intro", description="The rubric newcomers introduce themselves with")


class RitualSettings(BaseModel):
    model_config = STRICT

    grace: Duration = Field(default=span("6h"), description="A missed occurrence older than this is skipped, not sent late")
    weekly_prompt: WeeklyPromptSettings = Field(default_factory=WeeklyPromptSettings)
    events: EventSettings = Field(default_factory=EventSettings)
    newcomers: NewcomersSettings = Field(default_factory=NewcomersSettings)
