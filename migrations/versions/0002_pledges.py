"""pledges, introductions between co-signers

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('pledge',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('text_sealed', sa.LargeBinary(), nullable=True),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('deadline', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('reached_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('release_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('released_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('expired_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('supporters', sa.Integer(), nullable=False),
    sa.Column('named', sa.Integer(), nullable=False),
    sa.Column('counted_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('pledge', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pledge_campaign_id'), ['campaign_id'], unique=False)

    op.create_table('introduction_pool',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('pledge_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('team_only', sa.Boolean(), nullable=False),
    sa.Column('joined_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['pledge_id'], ['pledge.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('pledge_id', 'member_id')
    )
    with op.batch_alter_table('introduction_pool', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_introduction_pool_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_introduction_pool_member_id'), ['member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_introduction_pool_pledge_id'), ['pledge_id'], unique=False)

    op.create_table('introduction',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('pledge_id', sa.Integer(), nullable=False),
    sa.Column('ref', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('requester_id', sa.Integer(), nullable=False),
    sa.Column('other_id', sa.Integer(), nullable=False),
    sa.Column('requester_accepted', sa.Boolean(), nullable=False),
    sa.Column('other_accepted', sa.Boolean(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('decided_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['other_id'], ['member.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['pledge_id'], ['pledge.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['requester_id'], ['member.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('ref')
    )
    with op.batch_alter_table('introduction', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_introduction_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_introduction_other_id'), ['other_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_introduction_pledge_id'), ['pledge_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_introduction_requester_id'), ['requester_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('introduction', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_introduction_requester_id'))
        batch_op.drop_index(batch_op.f('ix_introduction_pledge_id'))
        batch_op.drop_index(batch_op.f('ix_introduction_other_id'))
        batch_op.drop_index(batch_op.f('ix_introduction_campaign_id'))

    op.drop_table('introduction')
    with op.batch_alter_table('introduction_pool', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_introduction_pool_pledge_id'))
        batch_op.drop_index(batch_op.f('ix_introduction_pool_member_id'))
        batch_op.drop_index(batch_op.f('ix_introduction_pool_campaign_id'))

    op.drop_table('introduction_pool')
    with op.batch_alter_table('pledge', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pledge_campaign_id'))

    op.drop_table('pledge')
