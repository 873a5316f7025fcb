"""ritual claim tokens (a fence: only the claim's holder renews or finishes it); when a community's settings changed

Revision ID: 0006
Revises: 0008 (re-chain as needed)
Create Date: 2026-12-03 18:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models.base

revision: str = '0006'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('ritual_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claim_token', sa.String(length=32), nullable=False, server_default=''))
    with op.batch_alter_table('communities', schema=None) as batch_op:
        batch_op.add_column(sa.Column('settings_changed_at', storage.models.base.UTCDateTime(), nullable=True))
        batch_op.create_index('ix_communities_settings_changed_at', ['settings_changed_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('communities', schema=None) as batch_op:
        batch_op.drop_index('ix_communities_settings_changed_at')
        batch_op.drop_column('settings_changed_at')
    with op.batch_alter_table('ritual_runs', schema=None) as batch_op:
        batch_op.drop_column('claim_token')
