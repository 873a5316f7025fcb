"""The settings every community has, with their defaults."""

from __future__ import annotations

from pydantic import BaseModel, Field

from bot.core.settings.admin import AdminSettings
from bot.core.settings.interests import InterestSettings
from bot.core.settings.levels import LevelSettings
from bot.core.settings.listening import FeedbackSettings, SurveySettings
from bot.core.settings.onboarding import OnboardingSettings
from bot.core.settings.pinned import PinnedSettings
from bot.core.settings.polls import PollSettings
from bot.core.settings.recognition import ComebackSettings, KudosSettings, QuestionSettings
from bot.core.settings.rituals import RitualSettings
from bot.core.settings.rubrics import RubricSettings
from bot.core.settings.spam import SpamSettings
from bot.core.settings.types import STRICT, Language, TimeZoneName


class CommunitySettings(BaseModel):
    model_config = STRICT

    language: Language = "en"
    follow_member_language: bool = Field(default=True, description="DMs in the member's own language when we have it")
    timezone: TimeZoneName = "UTC"
    log_place: str | None = Field(default=None, description="Where the moderators' log goes: a topic/channel id, or a separate chat id")
    onboarding: OnboardingSettings = Field(default_factory=OnboardingSettings)
    pinned: PinnedSettings = Field(default_factory=PinnedSettings)
    rubrics: RubricSettings = Field(default_factory=RubricSettings)
    spam: SpamSettings = Field(default_factory=SpamSettings)
    rituals: RitualSettings = Field(default_factory=RitualSettings)
    admin: AdminSettings = Field(default_factory=AdminSettings)
    polls: PollSettings = Field(default_factory=PollSettings)
    questions: QuestionSettings = Field(default_factory=QuestionSettings)
    kudos: KudosSettings = Field(default_factory=KudosSettings)
    comeback: ComebackSettings = Field(default_factory=ComebackSettings)
    levels: LevelSettings = Field(default_factory=LevelSettings)
    interests: InterestSettings = Field(default_factory=InterestSettings)
    surveys: SurveySettings = Field(default_factory=SurveySettings)
    feedback: FeedbackSettings = Field(default_factory=FeedbackSettings)
