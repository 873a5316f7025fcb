"""what members said they are into (#21.6)

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-04 21:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models.base

revision: str = '0024'
down_revision: str | None = '0023'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('member_interests',
    sa.Column('community_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('interest', sa.String(length=40), nullable=False),
    sa.Column('at', storage.models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_member_interests_community_id_communities'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('community_id', 'user_id', 'interest', name=op.f('pk_member_interests')),
    )


def downgrade() -> None:
    op.drop_table('member_interests')
