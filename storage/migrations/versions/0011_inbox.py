"""the inbox of delivered updates

Revision ID: 0011
Revises: 0005
Create Date: 2026-12-03 23:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models.base

revision: str = '0011'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('inbox_updates',
    sa.Column('platform', sa.String(length=16), nullable=False),
    sa.Column('update_id', sa.BigInteger(), nullable=False),
    sa.Column('payload', sa.Text(), nullable=True),
    sa.Column('owner', sa.String(length=64), nullable=False),
    sa.Column('lease_until', storage.models.base.UTCDateTime(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('received_at', storage.models.base.UTCDateTime(), nullable=False),
    sa.Column('handled_at', storage.models.base.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('platform', 'update_id', name=op.f('pk_inbox_updates'))
    )
    op.create_index('ix_inbox_updates_open', 'inbox_updates', ['platform', 'handled_at', 'lease_until'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_inbox_updates_open', table_name='inbox_updates')
    op.drop_table('inbox_updates')
