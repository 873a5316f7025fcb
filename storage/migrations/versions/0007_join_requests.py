"""join requests answered by the bot

Revision ID: 0007
Revises: 0002
Create Date: 2026-12-03 18:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models.base

revision: str = '0007'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('onboarding_join_requests',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('community_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('display_name', sa.String(length=256), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('asked_at', storage.models.base.UTCDateTime(), nullable=False),
    sa.Column('deadline', storage.models.base.UTCDateTime(), nullable=True),
    sa.Column('decided_at', storage.models.base.UTCDateTime(), nullable=True),
    sa.Column('decided_by', sa.String(length=64), nullable=True),
    sa.Column('card_chat', sa.String(length=64), nullable=True),
    sa.Column('card_message', sa.String(length=64), nullable=True),
    sa.Column('card_place', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_onboarding_join_requests_community_id_communities'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_onboarding_join_requests')),
    sa.UniqueConstraint('community_id', 'user_id', name=op.f('uq_onboarding_join_requests_community_id'))
    )
    op.create_index('ix_onboarding_join_requests_due', 'onboarding_join_requests', ['community_id', 'state', 'deadline'], unique=False)
    op.create_index('ix_onboarding_join_requests_user', 'onboarding_join_requests', ['user_id', 'state'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_onboarding_join_requests_user', table_name='onboarding_join_requests')
    op.drop_index('ix_onboarding_join_requests_due', table_name='onboarding_join_requests')
    op.drop_table('onboarding_join_requests')
