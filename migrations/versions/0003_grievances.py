"""grievances, liaison replies, talking points

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('talking_point',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('text_sealed', sa.LargeBinary(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('talking_point', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_talking_point_campaign_id'), ['campaign_id'], unique=False)

    op.create_table('grievance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('ref', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('tag', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('text_sealed', sa.LargeBinary(), nullable=True),
    sa.Column('claimed_by', sa.Integer(), nullable=True),
    sa.Column('point_id', sa.Integer(), nullable=True),
    sa.Column('filed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('revealed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('announced_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('reminded_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('closed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['claimed_by'], ['member.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['point_id'], ['talking_point.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('campaign_id', 'ref')
    )
    with op.batch_alter_table('grievance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grievance_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_grievance_filed_at'), ['filed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_grievance_member_id'), ['member_id'], unique=False)

    op.create_table('point_support',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('point_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('supported_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['point_id'], ['talking_point.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('point_id', 'member_id')
    )
    with op.batch_alter_table('point_support', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_point_support_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_point_support_member_id'), ['member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_point_support_point_id'), ['point_id'], unique=False)

    op.create_table('grievance_reply',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('grievance_id', sa.Integer(), nullable=False),
    sa.Column('speaker', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('declined', sa.Boolean(), nullable=False),
    sa.Column('body_sealed', sa.LargeBinary(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['grievance_id'], ['grievance.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('grievance_reply', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grievance_reply_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_grievance_reply_grievance_id'), ['grievance_id'], unique=False)

    op.create_table('blocked_author',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('member_ref', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('campaign_id', 'member_ref')
    )
    with op.batch_alter_table('blocked_author', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_blocked_author_campaign_id'), ['campaign_id'], unique=False)


def downgrade() -> None:
    op.drop_table('blocked_author')
    op.drop_table('grievance_reply')
    op.drop_table('point_support')
    op.drop_table('grievance')
    op.drop_table('talking_point')
