"""known spam pictures

Revision ID: 0012
Revises: 0003
Create Date: 2026-12-04 07:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models.base

revision: str = '0012'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('spam_images',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('community_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('record_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('confirmed', sa.Boolean(), nullable=False),
    sa.Column('created_at', storage.models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_spam_images_community_id_communities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['record_id'], ['spam_records.id'], name=op.f('fk_spam_images_record_id_spam_records'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_spam_images'))
    )
    op.create_index('ix_spam_images_community', 'spam_images', ['community_id', 'confirmed'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_spam_images_community', table_name='spam_images')
    op.drop_table('spam_images')
