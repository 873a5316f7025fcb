"""recurring events: series rules, per-occurrence changes and RSVPs

Revision ID: 0005
Revises: 0001
Create Date: 2026-12-03 17:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models.base

revision: str = "0005"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "event_series",
        sa.Column("event_id", BIG, nullable=False),
        sa.Column("rrule", sa.String(length=256), nullable=False),
        sa.Column("last_start", storage.models.base.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"], ["calendar_events.id"], name=op.f("fk_event_series_event_id_calendar_events"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_event_series")),
    )
    op.create_table(
        "event_exceptions",
        sa.Column("id", BIG, nullable=False),
        sa.Column("event_id", BIG, nullable=False),
        sa.Column("occurrence", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("starts_at", storage.models.base.UTCDateTime(), nullable=True),
        sa.Column("ends_at", storage.models.base.UTCDateTime(), nullable=True),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("updated_at", storage.models.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["calendar_events.id"], name=op.f("fk_event_exceptions_event_id_calendar_events"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_exceptions")),
        sa.UniqueConstraint("event_id", "occurrence", name=op.f("uq_event_exceptions_event_id")),
    )
    with op.batch_alter_table("event_exceptions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_exceptions_event_id"), ["event_id"], unique=False)
    op.create_table(
        "occurrence_rsvps",
        sa.Column("id", BIG, nullable=False),
        sa.Column("event_id", BIG, nullable=False),
        sa.Column("occurrence", sa.String(length=10), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=256), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("at", storage.models.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["calendar_events.id"], name=op.f("fk_occurrence_rsvps_event_id_calendar_events"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_occurrence_rsvps")),
        sa.UniqueConstraint("event_id", "occurrence", "user_id", name=op.f("uq_occurrence_rsvps_event_id")),
    )
    with op.batch_alter_table("occurrence_rsvps", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_occurrence_rsvps_event_id"), ["event_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("occurrence_rsvps", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_occurrence_rsvps_event_id"))
    op.drop_table("occurrence_rsvps")
    with op.batch_alter_table("event_exceptions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_exceptions_event_id"))
    op.drop_table("event_exceptions")
    op.drop_table("event_series")
