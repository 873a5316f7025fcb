"""calendar events mirrored into a platform's events list (Discord scheduled events)

Revision ID: 0015
Revises: 0013
Create Date: 2026-12-04 17:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models.base

revision: str = '0015'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('event_mirrors',
    sa.Column('event_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('platform', sa.String(length=16), nullable=False),
    sa.Column('native', sa.String(length=64), nullable=False),
    sa.Column('occurrence', sa.String(length=10), nullable=False),
    sa.Column('starts_at', storage.models.base.UTCDateTime(), nullable=False),
    sa.Column('ends_at', storage.models.base.UTCDateTime(), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['calendar_events.id'], name=op.f('fk_event_mirrors_event_id_calendar_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', 'platform', name=op.f('pk_event_mirrors')),
    sa.UniqueConstraint('platform', 'native', name=op.f('uq_event_mirrors_platform')),
    )
    op.create_index(op.f('ix_event_mirrors_ends_at'), 'event_mirrors', ['ends_at'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_event_mirrors_ends_at'), table_name='event_mirrors')
    op.drop_table('event_mirrors')
