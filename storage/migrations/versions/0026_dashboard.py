"""the managers' dashboard: sign-in links, sessions, where an audited change came from; indexes for a person's activity rows and the invitations back (#23)

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-04 23:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models.base

revision: str = '0026'
down_revision: str | None = '0025'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _person() -> list[sa.Column]:
    return [
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), primary_key=True),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('platform', sa.String(length=16), nullable=False),
        sa.Column('user_id', sa.String(length=64), nullable=False),
        sa.Column('display_name', sa.String(length=256), nullable=False),
        sa.Column('communities', sa.JSON(), nullable=False),
        sa.Column('created_at', storage.models.base.UTCDateTime(), nullable=False),
        sa.Column('expires_at', storage.models.base.UTCDateTime(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table('dashboard_links', *_person(), sa.Column('used_at', storage.models.base.UTCDateTime(), nullable=True))
    op.create_index('ix_dashboard_links_token', 'dashboard_links', ['token_hash'], unique=True)
    op.create_index('ix_dashboard_links_user', 'dashboard_links', ['platform', 'user_id'])
    op.create_table(
        'dashboard_sessions', *_person(),
        sa.Column('csrf', sa.String(length=64), nullable=False),
        sa.Column('language', sa.String(length=16), nullable=True),
        sa.Column('ended_at', storage.models.base.UTCDateTime(), nullable=True),
    )  # fmt: skip
    op.create_index('ix_dashboard_sessions_token', 'dashboard_sessions', ['token_hash'], unique=True)
    with op.batch_alter_table('audit_log') as batch_op:
        batch_op.add_column(sa.Column('via', sa.String(length=80), nullable=True))
    op.create_index('ix_activity_days_user', 'activity_days', ['user_id', 'community_id'])
    op.create_index('ix_members_community_invited', 'members', ['community_id', 'invited_back_at'])


def downgrade() -> None:
    op.drop_index('ix_members_community_invited', table_name='members')
    op.drop_index('ix_activity_days_user', table_name='activity_days')
    with op.batch_alter_table('audit_log') as batch_op:
        batch_op.drop_column('via')
    op.drop_table('dashboard_sessions')
    op.drop_table('dashboard_links')
