"""questions, their answers, the helpers, reactions per member and day (#21)

Revision ID: 0004
Revises: 0007
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models.base

revision: str = '0004'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def _community(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ['community_id'], ['communities.id'], name=op.f(f'fk_{table}_community_id_communities'), ondelete='CASCADE'
    )


def upgrade() -> None:
    op.create_table('questions',
    sa.Column('id', _ID, nullable=False),
    sa.Column('community_id', _ID, nullable=False),
    sa.Column('message_id', sa.String(length=64), nullable=False),
    sa.Column('place', sa.String(length=64), nullable=True),
    sa.Column('author_id', sa.String(length=64), nullable=False),
    sa.Column('asked_at', storage.models.base.UTCDateTime(), nullable=False),
    sa.Column('first_reply_at', storage.models.base.UTCDateTime(), nullable=True),
    sa.Column('first_replier_id', sa.String(length=64), nullable=True),
    sa.Column('solved_at', storage.models.base.UTCDateTime(), nullable=True),
    sa.Column('answer_by', sa.String(length=64), nullable=True),
    sa.Column('offered_at', storage.models.base.UTCDateTime(), nullable=True),
    sa.Column('logged_at', storage.models.base.UTCDateTime(), nullable=True),
    sa.Column('nudged_at', storage.models.base.UTCDateTime(), nullable=True),
    _community('questions'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_questions')),
    sa.UniqueConstraint('community_id', 'message_id', name=op.f('uq_questions_community_id'))
    )
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.create_index('ix_questions_time', ['community_id', 'asked_at'], unique=False)

    op.create_table('question_answers',
    sa.Column('id', _ID, nullable=False),
    sa.Column('community_id', _ID, nullable=False),
    sa.Column('question_id', _ID, nullable=False),
    sa.Column('message_id', sa.String(length=64), nullable=False),
    sa.Column('author_id', sa.String(length=64), nullable=False),
    sa.Column('answered_at', storage.models.base.UTCDateTime(), nullable=False),
    _community('question_answers'),
    sa.ForeignKeyConstraint(['question_id'], ['questions.id'], name=op.f('fk_question_answers_question_id_questions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_question_answers')),
    sa.UniqueConstraint('community_id', 'message_id', name=op.f('uq_question_answers_community_id'))
    )
    with op.batch_alter_table('question_answers', schema=None) as batch_op:
        batch_op.create_index('ix_question_answers_author', ['community_id', 'author_id', 'answered_at'], unique=False)

    op.create_table('helpers',
    sa.Column('community_id', _ID, nullable=False),
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('display_name', sa.String(length=256), nullable=False),
    sa.Column('added_by', sa.String(length=64), nullable=False),
    sa.Column('added_at', storage.models.base.UTCDateTime(), nullable=False),
    _community('helpers'),
    sa.PrimaryKeyConstraint('community_id', 'user_id', name=op.f('pk_helpers'))
    )


    op.create_table('reaction_days',
    sa.Column('community_id', _ID, nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('reactions', sa.Integer(), nullable=False),
    _community('reaction_days'),
    sa.PrimaryKeyConstraint('community_id', 'day', 'user_id', name=op.f('pk_reaction_days'))
    )


def downgrade() -> None:
    op.drop_table('reaction_days')
    op.drop_table('helpers')
    with op.batch_alter_table('question_answers', schema=None) as batch_op:
        batch_op.drop_index('ix_question_answers_author')
    op.drop_table('question_answers')
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.drop_index('ix_questions_time')
    op.drop_table('questions')
