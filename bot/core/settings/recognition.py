"""Settings of questions (every question gets an answer) and recognition (kudos, the spotlight)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from bot.core.settings.types import STRICT, Duration


class QuestionSettings(BaseModel):
    model_config = STRICT

    enabled: bool = Field(default=True, description="Follow #question posts: first reply, solved mark, helpers, metrics")
    offer_after: Duration = Field(default="2h", description="A question with no reply this long is offered to the helpers")  # type: ignore[assignment]
    log_after: Duration = Field(default="24h", description="Still no reply this long: a line in the moderators' log")  # type: ignore[assignment]
    nudge_after: Duration = Field(default="12h", description="This long after the first reply, the asker is asked to mark it solved")  # type: ignore[assignment]
    solved_reaction: str = Field(default="✅", description="The asker's reaction on an answer (or the question) that marks it solved")
    offer_helpers: int = Field(default=5, ge=1, le=20, description="At most this many helpers are mentioned in one offer (1 to 20)")
