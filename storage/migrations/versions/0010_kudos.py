"""kudos (one per pair and day) and the spotlight opt-outs (#21.2)

Revision ID: 0010
Revises: 0011
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models.base

revision: str = '0010'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def _community(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ['community_id'], ['communities.id'], name=op.f(f'fk_{table}_community_id_communities'), ondelete='CASCADE'
    )


def upgrade() -> None:
    op.create_table('kudos',
    sa.Column('id', _ID, nullable=False),
    sa.Column('community_id', _ID, nullable=False),
    sa.Column('giver_id', sa.String(length=64), nullable=False),
    sa.Column('receiver_id', sa.String(length=64), nullable=False),
    sa.Column('message_id', sa.String(length=64), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('given_at', storage.models.base.UTCDateTime(), nullable=False),
    _community('kudos'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kudos')),
    sa.UniqueConstraint('community_id', 'giver_id', 'receiver_id', 'day', name=op.f('uq_kudos_community_id'))
    )
    with op.batch_alter_table('kudos', schema=None) as batch_op:
        batch_op.create_index('ix_kudos_receiver', ['community_id', 'receiver_id', 'given_at'], unique=False)
        batch_op.create_index('ix_kudos_time', ['community_id', 'given_at'], unique=False)

    op.create_table('spotlight_opt_outs',
    sa.Column('community_id', _ID, nullable=False),
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('since', storage.models.base.UTCDateTime(), nullable=False),
    _community('spotlight_opt_outs'),
    sa.PrimaryKeyConstraint('community_id', 'user_id', name=op.f('pk_spotlight_opt_outs'))
    )


def downgrade() -> None:
    op.drop_table('spotlight_opt_outs')
    with op.batch_alter_table('kudos', schema=None) as batch_op:
        batch_op.drop_index('ix_kudos_time')
        batch_op.drop_index('ix_kudos_receiver')
    op.drop_table('kudos')
