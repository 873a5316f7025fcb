"""Pinned document settings: the texts of the chat's pinned documents and how they are kept."""

from __future__ import annotations

from datetime import timedelta

from pydantic import BaseModel, Field, field_validator

from bot.core.settings.types import STRICT, Duration, span

MAX_EXTRA = 2  # documents #4 and #5


def is_markdown_path(value: str) -> bool:
    """A one-line value ending in ``.md`` names a Markdown file (in the config file only: ``bot/core/documents.py``)."""
    v = value.strip()
    return bool(v) and "\n" not in v and v.lower().endswith((".md", ".markdown"))


class PinnedSettings(BaseModel):
    model_config = STRICT

    enabled: bool = True
    # Document #1, the foundation: either one Markdown text/file, or built from the fields below.
    foundation: str = Field(default="", description="The whole foundation document: Markdown text, or a .md file in [bot] documents_dir")
    mission: str = ""
    audience: str = ""
    rules: list[str] = Field(default_factory=list)
    consequences: str = ""
    links: list[str] = Field(default_factory=list)
    contact: str = ""
    # Document #2, the routine: rubrics come from the rubric registry.
    routine: str = Field(default="", description="An introduction above the rubrics: Markdown text, or a .md file in [bot] documents_dir")
    traditions: list[str] = Field(default_factory=list)
    who_to_ask: list[str] = Field(default_factory=list)
    knowledge: list[str] = Field(default_factory=list, description="Knowledge-base links shown in the routine document")
    # Documents #4 and #5: free documents.
    extra: list[str] = Field(default_factory=list, description="Up to two more documents: Markdown text, or .md files in documents_dir")
    place: str | None = Field(default=None, description="Where to pin: a topic/channel id; empty means the community's main place")
    check_every: Duration = Field(default=span("10m"), description="How often to check that the documents are still pinned")
    reply_lifetime: Duration = Field(default=span("2m"), description="How long a /rules answer stays in the chat when DMs are closed")

    @field_validator("extra")
    @classmethod
    def _extra(cls, v: list[str]) -> list[str]:
        if len(v) > MAX_EXTRA:
            raise ValueError(f"at most {MAX_EXTRA} extra documents (#4 and #5); remove {len(v) - MAX_EXTRA}")
        return v

    @field_validator("check_every")
    @classmethod
    def _check_every(cls, v: timedelta) -> timedelta:
        if v < timedelta(minutes=1):
            raise ValueError('check at most once a minute; write it like "10m"')
        return v
