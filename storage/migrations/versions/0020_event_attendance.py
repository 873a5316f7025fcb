"""after an event, whether members who said they were going were there, and how it was (#22.5)

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-04 20:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models.base

revision: str = '0020'
down_revision: str | None = '0019'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('event_attendance',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('event_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('occurrence', sa.String(length=10), nullable=False),
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('asked_at', storage.models.base.UTCDateTime(), nullable=False),
    sa.Column('answered_at', storage.models.base.UTCDateTime(), nullable=True),
    sa.Column('attended', sa.Boolean(), nullable=True),
    sa.Column('rating', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['calendar_events.id'], name=op.f('fk_event_attendance_event_id_calendar_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_attendance')),
    sa.UniqueConstraint('event_id', 'occurrence', 'user_id', name=op.f('uq_event_attendance_event_id')),
    )
    op.create_index(op.f('ix_event_attendance_event_id'), 'event_attendance', ['event_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_event_attendance_event_id'), table_name='event_attendance')
    op.drop_table('event_attendance')
