"""what kind of event it is: AMA, demo, workshop, meetup, challenge (#22.6)

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-04 20:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0022'
down_revision: str | None = '0021'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('calendar_events') as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=16), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('calendar_events') as batch_op:
        batch_op.drop_column('kind')
