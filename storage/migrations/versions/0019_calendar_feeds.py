"""calendar feeds behind unguessable tokens (#22.4)

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-04 20:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models.base

revision: str = '0019'
down_revision: str | None = '0018'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('calendar_feeds',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('community_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('created_at', storage.models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_calendar_feeds_community_id_communities'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_feeds')),
    sa.UniqueConstraint('community_id', 'user_id', name='uq_calendar_feeds_owner'),
    )
    op.create_index('ix_calendar_feeds_token', 'calendar_feeds', ['token'], unique=True)


def downgrade() -> None:
    op.drop_index('ix_calendar_feeds_token', table_name='calendar_feeds')
    op.drop_table('calendar_feeds')
