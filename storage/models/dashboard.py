"""The managers' dashboard: one-time sign-in links and the sessions they open.

Only hashes of the secrets are stored (a copy of the database opens nothing). Both tables name a person
by platform and user id, so ``/forgetme`` deletes their rows (and with them any open session).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, Clipped, UTCDateTime
from storage.models.core import BigId


class DashboardLink(Base):
    """A sign-in link sent by ``/dashboard``: good once, for a few minutes."""

    __tablename__ = "dashboard_links"
    __table_args__ = (Index("ix_dashboard_links_token", "token_hash", unique=True), Index("ix_dashboard_links_user", "platform", "user_id"))

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64))  # sha256 of the token in the link
    platform: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(Clipped(256), default="")
    communities: Mapped[list[int]] = mapped_column(JSON, default=list)  # where the person manages, decided when asked
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class DashboardSession(Base):
    """A signed-in browser: the cookie holds the token, the form pages hold ``csrf``."""

    __tablename__ = "dashboard_sessions"
    __table_args__ = (Index("ix_dashboard_sessions_token", "token_hash", unique=True),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    csrf: Mapped[str] = mapped_column(String(64))
    platform: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(Clipped(256), default="")
    communities: Mapped[list[int]] = mapped_column(JSON, default=list)
    language: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # signed out


def _declare() -> None:
    from storage import forget as f

    for model, label in ((DashboardLink, "forget.table.dashboard_links"), (DashboardSession, "forget.table.dashboard_sessions")):
        f.declare(f.Rule(model, "user_id", "delete", ("user_id", "display_name"), label, platform_scoped=True))


_declare()
