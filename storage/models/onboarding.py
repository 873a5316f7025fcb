"""Tables of the onboarding feature: newcomers (welcome, gate, campaign, activation) and campaign step outcomes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, Clipped, TextEnum, UTCDateTime
from storage.models.core import BigId
from storage.models.states import CampaignState, GateState, JoinRequestState


class Newcomer(Base):
    """A member who joined while the bot was there: their welcome, gate, campaign and first steps.

    ``joined_at`` is when the current campaign round started (a rejoin within
    the keep window does not move it); the ``first_*`` columns are activation
    milestones the analytics read (time since joining = milestone - joined_at).
    """

    __tablename__ = "onboarding_newcomers"
    __table_args__ = (
        UniqueConstraint("community_id", "user_id"),
        Index("ix_onboarding_newcomers_campaign", "community_id", "campaign_state", "joined_at"),
        Index("ix_onboarding_newcomers_welcomed", "community_id", "welcomed"),
        Index("ix_onboarding_newcomers_user", "user_id", "dm_pending"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(Clipped(256), default="")
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime)
    round: Mapped[int] = mapped_column(Integer, default=1)  # campaign round: a rejoin after the keep window starts a new one
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    welcomed: Mapped[bool] = mapped_column(Boolean, default=True)  # False: waits for the join wave's combined welcome
    dm_pending: Mapped[bool] = mapped_column(Boolean, default=False)  # the welcome DM waits for the member to start the bot
    dm_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    campaign_state: Mapped[CampaignState] = mapped_column(TextEnum(CampaignState), default=CampaignState.ACTIVE)
    gate_state: Mapped[GateState] = mapped_column(TextEnum(GateState), default=GateState.NONE)
    gate_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    retry_after: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_message_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_rubric_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_intro_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_reply_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    farewell_asked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    farewell_answer: Mapped[str | None] = mapped_column(Text)


class CampaignStepRun(Base):
    """What happened to one campaign step for one newcomer: sent, or skipped and why."""

    __tablename__ = "onboarding_campaign_steps"
    __table_args__ = (UniqueConstraint("newcomer_id", "round", "step"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    newcomer_id: Mapped[int] = mapped_column(ForeignKey("onboarding_newcomers.id", ondelete="CASCADE"))
    round: Mapped[int] = mapped_column(Integer)
    step: Mapped[str] = mapped_column(String(24))
    outcome: Mapped[str] = mapped_column(String(24))  # sent | skipped_posted | skipped_intro | late | dm_closed | inactive
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class JoinRequest(Base):
    """Someone asked to join (Telegram join requests): answered by the bot's DM gate or by the moderators.

    ``state``: ``dm`` (the rules and the gate went by DM; approved on success, declined when ``deadline`` passes),
    ``card`` (a moderators' card waits, ``card_message`` in the log), ``approved`` or ``declined``.
    """

    __tablename__ = "onboarding_join_requests"
    __table_args__ = (
        UniqueConstraint("community_id", "user_id"),
        Index("ix_onboarding_join_requests_due", "community_id", "state", "deadline"),
        Index("ix_onboarding_join_requests_user", "user_id", "state"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(Clipped(256), default="")
    state: Mapped[JoinRequestState] = mapped_column(TextEnum(JoinRequestState))
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime)
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by: Mapped[str | None] = mapped_column(String(64))  # the moderator, or None when the gate decided
    card_chat: Mapped[str | None] = mapped_column(String(64))
    card_message: Mapped[str | None] = mapped_column(String(64))
    card_place: Mapped[str | None] = mapped_column(String(64))


def _declare() -> None:
    from storage import forget as f

    # Its campaign steps go with it (ON DELETE CASCADE); they name no one themselves.
    f.declare(
        f.Rule(
            Newcomer, "user_id", "delete", ("user_id", "display_name", "farewell_answer"), "forget.table.newcomers", order=60,
        )
    )  # fmt: skip
    f.not_personal(CampaignStepRun, "newcomer_id", "goes with its newcomer row")
    f.declare(f.Rule(JoinRequest, "user_id", "delete", ("user_id", "display_name"), "forget.table.join_requests", order=60))
    f.declare(
        f.Rule(
            JoinRequest, "decided_by", "anonymise", ("decided_by",), "forget.table.join_decisions",
            values={"decided_by": f.FORGOTTEN}, why="forget.why.moderation", order=55,
        )
    )  # fmt: skip


_declare()
