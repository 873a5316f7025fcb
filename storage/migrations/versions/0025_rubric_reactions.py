"""reactions on rubric posts, for the digest's ranking (#21.5)

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-04 21:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0025'
down_revision: str | None = '0024'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('rubric_posts') as batch_op:
        batch_op.add_column(sa.Column('reactions', sa.Integer(), nullable=False, server_default='0'))


def downgrade() -> None:
    with op.batch_alter_table('rubric_posts') as batch_op:
        batch_op.drop_column('reactions')
