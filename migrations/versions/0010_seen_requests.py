"""seen requests: hashes of signed requests already run, so a replay is not run again

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('seen_request',
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('expires_at', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('digest')
    )
    with op.batch_alter_table('seen_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_seen_request_expires_at'), ['expires_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('seen_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_seen_request_expires_at'))

    op.drop_table('seen_request')
