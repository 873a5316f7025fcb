"""Hashtag rubric settings: the community's registry of hashtags, the index and the weekly digest."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, field_validator, model_validator

from bot.core.settings.types import STRICT, Duration, TimeOfDay, Weekday, clock, day, span

MAX_TAG = 64  # rubric_defs.tag and rubric_posts.tag hold 64


def normalise_tag(tag: str) -> str:
    """``"#Question"`` -> ``"question"``: the form tags are compared and stored in."""
    return tag.strip().lstrip("#＃").casefold()


def _check_tag(v: str) -> str:
    t = normalise_tag(v)
    if not t or not all(c.isalnum() or c == "_" for c in t) or t.isdigit():
        raise ValueError(f'{v[:40]!r} is not a hashtag; write it like "intro" or "#question" (letters, digits and _ only)')
    if len(t) > MAX_TAG:
        raise ValueError(f"{v[:40]!r}… is too long for a hashtag: at most {MAX_TAG} characters")
    return t


class Rubric(BaseModel):
    model_config = STRICT

    tag: str
    title: str = ""
    description: str = ""
    example: str = ""
    aliases: list[str] = Field(default_factory=list)
    allowed_in: list[str] = Field(default_factory=list, description="Places (topic or channel ids) where the tag belongs; empty: anywhere")
    required_in: list[str] = Field(default_factory=list, description="Places (topic or channel ids) where every post needs this tag")

    @field_validator("tag")
    @classmethod
    def _tag(cls, v: str) -> str:
        return _check_tag(v)

    @field_validator("aliases")
    @classmethod
    def _aliases(cls, v: list[str]) -> list[str]:
        return [_check_tag(a) for a in v]

    @property
    def names(self) -> tuple[str, ...]:
        """The tag and its aliases, normalised."""
        return (self.tag, *self.aliases)


class RubricDigestSettings(BaseModel):
    model_config = STRICT

    enabled: bool = True
    weekday: Weekday = Field(default=day("sun"))
    time: TimeOfDay = Field(default=clock("10:00"))
    to: Literal["community", "managers"] = Field(
        default="community", description='"community" posts it in the chat; "managers" sends it by DM'
    )
    per_rubric: int = Field(default=5, ge=1, le=20, description="At most this many posts per rubric (1 to 20)")
    rank: Literal["replies", "reactions"] = Field(
        default="replies", description='How each rubric\'s posts are ordered: "replies" (most replied first) or "reactions"'
    )


class RubricSettings(BaseModel):
    model_config = STRICT

    enabled: bool = True
    intro_tag: str = "intro"
    question_tag: str = "question"
    store_excerpts: bool = Field(default=True, description="Keep a short excerpt of each rubric post; off: only tag, author, time and link")
    nudge_untagged: bool = True
    delete_untagged: bool = Field(default=False, description="Delete untagged posts where a rubric is required (after the nudge)")
    hints: bool = Field(default=True, description='"Did you mean #question?" for a tag close to a registered one')
    hint_lifetime: Duration = Field(default=span("2m"))
    page_size: int = Field(default=5, ge=1, le=20, description="Posts per page of /find and /mine (1 to 20)")
    digest: RubricDigestSettings = Field(default_factory=RubricDigestSettings)
    rubrics: list[Rubric] = Field(
        default_factory=lambda: [
            Rubric(tag="intro", title="Introductions", description="Say who you are and what brings you here", aliases=["introduction"]),
            Rubric(tag="question", title="Questions", description="Ask the community", aliases=["q"]),
            Rubric(tag="event", title="Events", description="Meetups and calls"),
        ]
    )

    @model_validator(mode="after")
    def _unique_names(self) -> RubricSettings:
        seen: dict[str, str] = {}
        tags = [r.tag for r in self.rubrics]
        if len(tags) != len(set(tags)):
            raise ValueError("a rubric tag is listed twice; keep one entry per tag")
        for r in self.rubrics:
            for name in r.names:
                if name in seen and seen[name] != r.tag:
                    raise ValueError(f"#{name} belongs to both #{seen[name]} and #{r.tag}; give each tag and alias to one rubric only")
                seen[name] = r.tag
        return self
