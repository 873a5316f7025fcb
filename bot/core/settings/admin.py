"""Settings of the manager's toolkit: the weekly report and the shape of /stats."""

from __future__ import annotations

from pydantic import BaseModel, Field

from bot.core.settings.types import STRICT, TimeOfDay, Weekday, clock, day


class AdminSettings(BaseModel):
    model_config = STRICT

    weekly_report: bool = Field(default=True, description="DM the managers named in the config a report every week")
    report_weekday: Weekday = Field(default=day("mon"))
    report_time: TimeOfDay = Field(default=clock("09:00"), description="In the community's time zone")
    top_count: int = Field(default=5, ge=1, le=20, description="How many top contributors and likely leaders to name (1 to 20)")
    leader_min_replies: int = Field(default=3, ge=1, description="Replies to others needed in the period to count as a likely leader")
