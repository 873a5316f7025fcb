"""participation levels on members (#21.3)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-04 20:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models.base

revision: str = '0018'
down_revision: str | None = '0017'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.add_column(sa.Column('level', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('level_since', storage.models.base.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('level_shown', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('staff', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.drop_column('staff')
        batch_op.drop_column('level_shown')
        batch_op.drop_column('level_since')
        batch_op.drop_column('level')
