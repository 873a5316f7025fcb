"""events members propose, waiting for a manager's decision (#22.6)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04 18:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models.base

revision: str = '0017'
down_revision: str | None = '0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('event_proposals',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('community_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('proposer_id', sa.String(length=64), nullable=False),
    sa.Column('proposer_name', sa.String(length=256), nullable=False),
    sa.Column('title', sa.String(length=256), nullable=False),
    sa.Column('starts_at', storage.models.base.UTCDateTime(), nullable=False),
    sa.Column('ends_at', storage.models.base.UTCDateTime(), nullable=True),
    sa.Column('place', sa.String(length=512), nullable=False),
    sa.Column('link', sa.String(length=512), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('post_place', sa.String(length=64), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', storage.models.base.UTCDateTime(), nullable=False),
    sa.Column('decided_at', storage.models.base.UTCDateTime(), nullable=True),
    sa.Column('event_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('card_chat', sa.String(length=64), nullable=True),
    sa.Column('card_message', sa.String(length=64), nullable=True),
    sa.Column('card_place', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_event_proposals_community_id_communities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_id'], ['calendar_events.id'], name=op.f('fk_event_proposals_event_id_calendar_events'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_proposals')),
    )
    op.create_index('ix_event_proposals_community_proposer', 'event_proposals', ['community_id', 'proposer_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_event_proposals_community_proposer', table_name='event_proposals')
    op.drop_table('event_proposals')
