"""members' reports of messages

Revision ID: 0008
Revises: 0004
Create Date: 2026-12-03 18:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models.base

revision: str = '0008'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('spam_reports',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('community_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('message_id', sa.String(length=64), nullable=False),
    sa.Column('author_id', sa.String(length=64), nullable=False),
    sa.Column('reporter_id', sa.String(length=64), nullable=False),
    sa.Column('weight', sa.Float(), nullable=False),
    sa.Column('record_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('created_at', storage.models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_spam_reports_community_id_communities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['record_id'], ['spam_records.id'], name=op.f('fk_spam_reports_record_id_spam_records'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_spam_reports')),
    sa.UniqueConstraint('community_id', 'message_id', 'reporter_id', name=op.f('uq_spam_reports_community_id'))
    )
    op.create_index('ix_spam_reports_reporter', 'spam_reports', ['community_id', 'reporter_id', 'created_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_spam_reports_reporter', table_name='spam_reports')
    op.drop_table('spam_reports')
