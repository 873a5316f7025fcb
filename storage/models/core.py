"""Core tables: communities, people, members, activity, audit, ritual runs and their deliveries, bot messages."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, Clipped, TextEnum, UTCDateTime
from storage.models.states import DeliveryStatus, DmState, RunStatus

# SQLite only makes INTEGER PRIMARY KEY an autoincrementing rowid; elsewhere a big integer.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class Community(Base):
    __tablename__ = "communities"
    __table_args__ = (UniqueConstraint("platform", "chat_id"), Index("ix_communities_settings_changed_at", "settings_changed_at"))

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(Clipped(256), default="")
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # overrides set by managers' commands
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # When the overrides last changed: every process's tick reloads what changed lately (one indexed query).
    settings_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Person(Base):
    """A user on a platform, across communities: DM reachability and language live here."""

    __tablename__ = "people"
    __table_args__ = (UniqueConstraint("platform", "user_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[str] = mapped_column(String(64))
    language: Mapped[str | None] = mapped_column(String(16))
    dm_state: Mapped[DmState] = mapped_column(TextEnum(DmState), default=DmState.UNKNOWN)
    dm_opt_out: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Member(Base):
    __tablename__ = "members"
    __table_args__ = (
        UniqueConstraint("community_id", "user_id"),
        Index("ix_members_community_joined", "community_id", "joined_at"),
        Index("ix_members_community_invited", "community_id", "invited_back_at"),  # the invitations back's figures
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(Clipped(256), default="")
    is_bot: Mapped[bool] = mapped_column(Boolean, default=False)
    joined_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # None: present before the bot came
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    left_kind: Mapped[str | None] = mapped_column(String(16))
    first_message_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_message_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    message_count: Mapped[int] = mapped_column(Integer, default=0)
    invited_back_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the last "we miss you" DM (#21.7)
    # Participation level (#21.3): 0 newcomer to 3 pillar; the level the platform shows (a Telegram tag, a Discord
    # role; None: never shown), so a refused or missed change is made again later; staff hold no level.
    level: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    level_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    level_shown: Mapped[int | None] = mapped_column(Integer)
    staff: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class ActivityDay(Base):
    """Per member per day counters. Counts only: no message text is stored for analytics."""

    __tablename__ = "activity_days"
    # A person's rows across days and communities (/mydata, /forgetme, the dashboard's member page) without
    # reading every day of the community: the primary key leads with the day.
    __table_args__ = (Index("ix_activity_days_user", "user_id", "community_id"),)

    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    messages: Mapped[int] = mapped_column(Integer, default=0)
    replies: Mapped[int] = mapped_column(Integer, default=0)


class AuditEntry(Base):
    """Every manager action and every change to settings: who, what, when, before and after."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_community_at", "community_id", "at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    actor_id: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    via: Mapped[str | None] = mapped_column(String(80))  # where it was done from: None in the chat, "dashboard <address>"


class RitualRun(Base):
    """One occurrence of a ritual: claimed before sending, so a restart never repeats it."""

    __tablename__ = "ritual_runs"
    __table_args__ = (UniqueConstraint("community_id", "key"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    ritual: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(160))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[RunStatus] = mapped_column(TextEnum(RunStatus))
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # a claim's: when its owner last renewed it
    detail: Mapped[str] = mapped_column(Text, default="")
    # Whose claim it is: each claim and takeover draws a new token, and the owner's writes name it (a fence).
    claim_token: Mapped[str] = mapped_column(String(32), default="")


class Delivery(Base):
    """One recipient's message of a ritual occurrence that sends many (a reminder's group post and each DM).

    Claimed (committed) before it is sent and marked once the platform took it, so a run cut short and
    done again sends only what is not marked: the message in flight at the crash at most twice, none lost.
    The rows live while their occurrence is open; the runner deletes them when it marks the occurrence
    (and, with them, the community's rows older than the grace: runs never finished, say of a cancelled event).
    """

    __tablename__ = "deliveries"
    __table_args__ = (UniqueConstraint("community_id", "unit", "user_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    unit: Mapped[str] = mapped_column(String(160))  # the occurrence's key (ritual_runs.key)
    user_id: Mapped[str] = mapped_column(String(64))  # the member written to; "" for the community's own chat
    status: Mapped[DeliveryStatus] = mapped_column(TextEnum(DeliveryStatus))
    tries: Mapped[int] = mapped_column(Integer, default=1)  # claims made: a second one found it in flight at a crash
    # The occurrence's claim token when claimed (ritual_runs.claim_token): a run that lost its claim writes nothing.
    token: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(UTCDateTime)  # when claimed: rows of runs never finished go after the grace


class BotMessage(Base):
    """A message the bot posted and still manages (self-deleting replies, the last welcome, ...)."""

    __tablename__ = "bot_messages"
    __table_args__ = (Index("ix_bot_messages_delete_at", "delete_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    message_id: Mapped[str] = mapped_column(String(64))
    place: Mapped[str | None] = mapped_column(String(64))
    purpose: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    delete_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


# ---- how each table forgets a person (storage/forget.py) ----
def _declare() -> None:
    from storage import forget as f

    f.declare(f.Rule(Person, "user_id", "delete", ("user_id",), "forget.table.people", platform_scoped=True, order=90))
    f.declare(f.Rule(Member, "user_id", "delete", ("user_id", "display_name"), "forget.table.members", order=80))
    f.declare(f.Rule(ActivityDay, "user_id", "delete", ("user_id",), "forget.table.activity_days", order=70))
    f.declare(f.Rule(Delivery, "user_id", "delete", ("user_id",), "forget.table.deliveries"))
    f.declare(
        f.Rule(
            AuditEntry, "actor_id", "custom", ("actor_id", "before", "after", "via"), "forget.table.audit_log",
            why="forget.why.record", fn=_forget_in_audit, find=_mentions,
        )
    )  # fmt: skip
    f.not_personal(Community, "chat_id", "the group or server, not a person")


def _mentions(s: Any) -> Any:
    a = AuditEntry.__table__.c
    like = f"%{s.user_id}%"
    return (a.community_id.in_(s.communities())) & ((a.actor_id == s.user_id) | a.before.like(like) | a.after.like(like))


async def _forget_in_audit(session: Any, s: Any) -> int:
    """The entry stays (what was done, when); the person's id goes from who did it and from what it says."""
    import re

    from sqlalchemy import select, update

    from storage.forget import FORGOTTEN

    word = re.compile(rf"(?<![\w@]){re.escape(s.user_id)}(?!\w)")
    n = 0
    q = select(AuditEntry.id, AuditEntry.actor_id, AuditEntry.before, AuditEntry.after, AuditEntry.via).where(_mentions(s))
    for rid, actor, before, after, via in (await session.execute(q)).all():
        values = {
            "actor_id": FORGOTTEN if actor == s.user_id else actor,
            "before": word.sub(FORGOTTEN, before) if before else before,
            "after": word.sub(FORGOTTEN, after) if after else after,
            "via": via.split(" ")[0] if via and actor == s.user_id else via,  # their address goes, "dashboard" stays
        }
        if values != {"actor_id": actor, "before": before, "after": after, "via": via}:
            await session.execute(update(AuditEntry).where(AuditEntry.id == rid).values(**values))
            n += 1
    return n


_declare()
