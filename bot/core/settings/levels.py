"""Settings of participation levels (#21.3): what each level asks, how promotions are told, where they show.

Three levels above the newcomer (0): member (1), regular (2) and pillar (3), each earned by every one of its
thresholds over the last ``window``: days with a post, posts, replies to others, questions answered, answers
that solved one, thanks received. A level always asks for days active, and above member for something done
for others too, so a burst of messages never earns one.
"""

from __future__ import annotations

import unicodedata
from typing import Literal

from pydantic import BaseModel, Field, field_validator, model_validator

from bot.core.settings.types import STRICT, Duration, TimeOfDay, clock, span

TAG_LIMIT = 16  # characters of a Telegram member tag (Bot API setChatMemberTag: "0-16 characters, emoji are not allowed")
SIGNALS = ("days_active", "posts", "replies", "answers", "solved", "kudos")
HELPING = ("replies", "answers", "solved", "kudos")  # what a member did for others
NAMES = ("member", "regular", "pillar")  # the levels' settings tables, level 1 to 3


def has_emoji(text: str) -> bool:
    """Pictographs, symbols drawn as emoji, and the joiners and selectors that build them."""
    return any(unicodedata.category(c) == "So" or c in "\u200d\ufe0f\u20e3" or 0x1F000 <= ord(c) <= 0x1FAFF for c in text)


def check_tag(text: str) -> str:
    """A tag Telegram takes: at most 16 characters, no emoji."""
    if len(text) > TAG_LIMIT:
        raise ValueError(f"{text!r} is {len(text)} characters; Telegram's member tags take at most {TAG_LIMIT}")
    if has_emoji(text):
        raise ValueError(f"{text!r} has an emoji; Telegram's member tags take none")
    return text


class LevelRule(BaseModel):
    """What one level asks over the window; all of it."""

    model_config = STRICT

    days_active: int = Field(ge=1, le=366, description="Days with at least one post (1 to 366)")
    posts: int = Field(default=0, ge=0, description="Posts")
    replies: int = Field(default=0, ge=0, description="Replies to other members")
    answers: int = Field(default=0, ge=0, description="#question posts answered")
    solved: int = Field(default=0, ge=0, description="Answers that solved a question")
    kudos: int = Field(default=0, ge=0, description="Thanks received (kudos)")
    tag: str = Field(
        default="", description="Telegram member tag (at most 16 characters, no emoji; \"\": the level's name in the community's language)"
    )
    role: str | None = Field(
        default=None, description="Discord role id given at this level (the bot needs Manage Roles, its role above this one)"
    )

    @field_validator("tag")
    @classmethod
    def _tag(cls, v: str) -> str:
        return check_tag(v)

    @field_validator("role")
    @classmethod
    def _role(cls, v: str | None) -> str | None:
        if v is not None and not v.isdigit():
            raise ValueError(f"{v!r} is not a Discord role id; copy it with Developer Mode on (right-click the role, Copy Role ID)")
        return v


class LevelSettings(BaseModel):
    model_config = STRICT

    enabled: bool = Field(default=False, description="Participation levels: promoted as soon as earned, reviewed monthly, staff excluded")
    window: Duration = Field(default=span("90d"), description="The thresholds count what a member did in this last span")
    announce: Literal["chat", "dm", "off"] = Field(
        default="chat", description='A promotion is told: "chat" (a short line; by DM for members who said /spotlight off), "dm" or "off"'
    )
    announce_from: int = Field(default=2, ge=1, le=3, description="Promotions to this level and higher are told (1 to 3)")
    show: bool = Field(default=True, description="Show the level: a Telegram member tag, the Discord role of the level")
    review_time: TimeOfDay = Field(
        default=clock("09:00"), description="The monthly review (demotions, one level at most) on the 1st, community time"
    )
    member: LevelRule = Field(default_factory=lambda: LevelRule(days_active=3, posts=5, replies=1))
    regular: LevelRule = Field(default_factory=lambda: LevelRule(days_active=10, posts=30, replies=10, answers=2, kudos=2))
    pillar: LevelRule = Field(default_factory=lambda: LevelRule(days_active=25, posts=100, replies=40, answers=8, solved=2, kudos=8))

    @model_validator(mode="after")
    def _ordered(self) -> LevelSettings:
        rules = self.rules
        for name, rule in zip(NAMES[1:], rules[1:], strict=True):
            if not any(getattr(rule, s) for s in HELPING):
                raise ValueError(f"levels.{name} asks for nothing done for others; set at least one of {', '.join(HELPING)} above 0")
        for (low, lower), (high, higher) in zip(zip(NAMES, rules, strict=True), zip(NAMES[1:], rules[1:], strict=True), strict=False):
            for s in SIGNALS:
                if getattr(higher, s) < getattr(lower, s):
                    raise ValueError(
                        f"levels.{high}.{s} ({getattr(higher, s)}) is below levels.{low}.{s} ({getattr(lower, s)}); "
                        "a higher level must ask at least as much"
                    )
        roles = [r.role for r in rules if r.role]
        if len(roles) != len(set(roles)):
            raise ValueError("two levels name the same Discord role; give each level its own role (or none)")
        return self

    @property
    def rules(self) -> tuple[LevelRule, LevelRule, LevelRule]:
        """Level 1, 2 and 3's thresholds."""
        return self.member, self.regular, self.pillar
