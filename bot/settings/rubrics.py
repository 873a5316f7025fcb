"""Hashtag rubric settings: the community's registry of hashtags."""

from __future__ import annotations

from pydantic import BaseModel, Field, field_validator

from bot.settings.types import STRICT, Duration


def normalise_tag(tag: str) -> str:
    return tag.strip().lstrip("#").casefold()


class Rubric(BaseModel):
    model_config = STRICT

    tag: str
    title: str = ""
    description: str = ""
    example: str = ""
    aliases: list[str] = Field(default_factory=list)
    required_in: list[str] = Field(default_factory=list, description="Places (topic or channel ids) where every post needs this tag")

    @field_validator("tag")
    @classmethod
    def _tag(cls, v: str) -> str:
        t = normalise_tag(v)
        if not t or any(c.isspace() for c in t):
            raise ValueError(f'{v!r} is not a hashtag; write it like "intro" or "#question"')
        return t

    @field_validator("aliases")
    @classmethod
    def _aliases(cls, v: list[str]) -> list[str]:
        return [normalise_tag(a) for a in v]


class RubricSettings(BaseModel):
    model_config = STRICT

    enabled: bool = True
    intro_tag: str = "intro"
    question_tag: str = "question"
    store_excerpts: bool = True
    nudge_untagged: bool = True
    delete_untagged: bool = False
    hint_lifetime: Duration = Field(default="2m")  # type: ignore[assignment]
    rubrics: list[Rubric] = Field(
        default_factory=lambda: [
            Rubric(tag="intro", title="Introductions", description="Say who you are and what brings you here", aliases=["introduction"]),
            Rubric(tag="question", title="Questions", description="Ask the community", aliases=["q"]),
            Rubric(tag="event", title="Events", description="Meetups and calls"),
        ]
    )
