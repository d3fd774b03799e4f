"""digests: the per-membership digest switch, and campaign-wide announcements

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03

Member pings no longer follow events: every member gets one scheduled digest
ping, unless they turned it off. Public events are one announcement row per
campaign, shown by every member's inbox, instead of one notice per member.
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('announcement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('body_sealed', sa.LargeBinary(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('announcement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_announcement_campaign_id'), ['campaign_id'],
                              unique=False)

    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.add_column(sa.Column('digest', sa.Boolean(), nullable=False,
                                      server_default=sa.true()))
        batch_op.add_column(sa.Column('announcements_seen', sa.Integer(), nullable=False,
                                      server_default='0'))


def downgrade() -> None:
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.drop_column('announcements_seen')
        batch_op.drop_column('digest')

    with op.batch_alter_table('announcement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_announcement_campaign_id'))

    op.drop_table('announcement')
