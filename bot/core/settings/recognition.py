"""Settings of questions (every question gets an answer) and recognition (kudos, the spotlight)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from bot.core.settings.types import STRICT, Duration, TimeOfDay, clock, span


class QuestionSettings(BaseModel):
    model_config = STRICT

    enabled: bool = Field(default=True, description="Follow #question posts: first reply, solved mark, helpers, metrics")
    offer_after: Duration = Field(default=span("2h"), description="A question with no reply this long is offered to the helpers")
    log_after: Duration = Field(default=span("24h"), description="Still no reply this long: a line in the moderators' log")
    nudge_after: Duration = Field(default=span("12h"), description="This long after the first reply, the asker is asked to mark it solved")
    solved_reaction: str = Field(default="✅", description="The asker's reaction on an answer (or the question) that marks it solved")
    offer_helpers: int = Field(default=5, ge=1, le=20, description="At most this many helpers are mentioned in one offer (1 to 20)")
    welcome_intros: Duration = Field(
        default=span("24h"), description="A newcomer's #intro with no reply this long is offered to the helpers to welcome (0: never)"
    )


class KudosSettings(BaseModel):
    model_config = STRICT

    enabled: bool = Field(default=True, description="A reply that says thanks (or the reaction below) credits the person thanked")
    reaction: str = Field(default="🙏", description='The reaction that counts as thanks ("" for none)')
    spotlight: bool = Field(default=True, description="A monthly post naming the members who helped most (never message counts)")
    spotlight_time: TimeOfDay = Field(default=clock("10:00"), description="On the 1st of the month, in the community's time zone")
    spotlight_size: int = Field(default=5, ge=1, le=20, description="At most this many members named (1 to 20)")
    leaders_nudge: bool = Field(default=True, description="Monthly, the moderators' log names members who help and could be helpers")
    anniversaries: bool = Field(default=True, description="A short daily post names members who joined on this day in an earlier year")
    anniversary_time: TimeOfDay = Field(default=clock("12:00"), description="When, in the community's time zone")


class ComebackSettings(BaseModel):
    """Quiet members invited back: one low-effort invitation by DM, at most once per period."""

    model_config = STRICT

    enabled: bool = Field(default=False, description="DM members who have been quiet a while, inviting them back (opt-outs honoured)")
    quiet_for: Duration = Field(default=span("30d"), description="A member silent this long (posted nothing) counts as quiet")
    every: Duration = Field(default=span("30d"), description="At most one invitation per member in this period")
    time: TimeOfDay = Field(default=clock("11:00"), description="When the day's invitations go out, in the community's time zone")
    batch: int = Field(default=200, ge=1, le=5000, description="At most this many invitations a day")
