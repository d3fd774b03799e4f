"""indexes the snapshot job counts from: signers per campaign, members per campaign and team

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-21

Each replaces a single-column campaign_id index that it starts with, so writes keep
the same number of indexes (bench/threshold.py, docs/PERFORMANCE.md).
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('signature', schema=None) as batch_op:
        batch_op.create_index('ix_signature_campaign_member', ['campaign_id', 'member_id'],
                              unique=False)
        batch_op.drop_index(batch_op.f('ix_signature_campaign_id'))

    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.create_index('ix_member_campaign_team', ['campaign_id', 'team_id', 'status'],
                              unique=False)
        batch_op.drop_index(batch_op.f('ix_member_campaign_id'))


def downgrade() -> None:
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_member_campaign_id'), ['campaign_id'], unique=False)
        batch_op.drop_index('ix_member_campaign_team')

    with op.batch_alter_table('signature', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signature_campaign_id'), ['campaign_id'],
                              unique=False)
        batch_op.drop_index('ix_signature_campaign_member')
