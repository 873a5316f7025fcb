"""All models, imported so that ``Base.metadata`` knows every table.

A feature keeps its tables in its own module here, imported below.
"""

from storage.models import (  # noqa: F401  (registers tables)
    admin,
    dashboard,
    feeds,
    inbox,
    interests,
    listening,
    onboarding,
    pinned,
    polls,
    recognition,
    recurrence,
    rituals,
    rubrics,
    spam,
)
from storage.models.base import Base, UTCDateTime
from storage.models.core import ActivityDay, AuditEntry, BotMessage, Community, Delivery, Member, Person, RitualRun

__all__ = ["ActivityDay", "AuditEntry", "Base", "BotMessage", "Community", "Delivery", "Member", "Person", "RitualRun", "UTCDateTime"]
