"""campaigns, members, teams, snapshots, notices and signatures

Revision ID: 0001
Revises: 
Create Date: 2026-11-21
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('campaign',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_ref', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('wrapped_key', sa.LargeBinary(), nullable=True),
    sa.Column('title_sealed', sa.LargeBinary(), nullable=True),
    sa.Column('description_sealed', sa.LargeBinary(), nullable=True),
    sa.Column('headcount', sa.Integer(), nullable=True),
    sa.Column('headcount_auto', sa.Boolean(), nullable=False),
    sa.Column('threshold_percent', sa.Float(), nullable=False),
    sa.Column('private', sa.Boolean(), nullable=False),
    sa.Column('retention_days', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('archived_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('workspace_ref', 'name')
    )
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaign_workspace_ref'), ['workspace_ref'], unique=False)

    op.create_table('meta',
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('value', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('milestone',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('percent', sa.Float(), nullable=False),
    sa.Column('reached_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('campaign_id', 'percent')
    )
    with op.batch_alter_table('milestone', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_milestone_campaign_id'), ['campaign_id'], unique=False)

    op.create_table('snapshot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('taken_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('supporters', sa.Integer(), nullable=False),
    sa.Column('headcount', sa.Integer(), nullable=True),
    sa.Column('members', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('snapshot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_snapshot_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_snapshot_taken_at'), ['taken_at'], unique=False)

    op.create_table('team',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('team_ref', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('name_sealed', sa.LargeBinary(), nullable=True),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('campaign_id', 'team_ref')
    )
    with op.batch_alter_table('team', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_team_campaign_id'), ['campaign_id'], unique=False)

    op.create_table('member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('member_ref', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('contact_sealed', sa.LargeBinary(), nullable=True),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('grievance_blocked', sa.Boolean(), nullable=False),
    sa.Column('joined_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('campaign_id', 'member_ref')
    )
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_member_campaign_id'), ['campaign_id'], unique=False)

    op.create_table('snapshot_team',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('snapshot_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('supporters', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['snapshot_id'], ['snapshot.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('snapshot_team', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_snapshot_team_snapshot_id'), ['snapshot_id'], unique=False)

    op.create_table('notice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('body_sealed', sa.LargeBinary(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notice_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notice_member_id'), ['member_id'], unique=False)

    op.create_table('signature',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('mode', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('name_sealed', sa.LargeBinary(), nullable=True),
    sa.Column('released_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('signed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('subject', 'subject_id', 'member_id')
    )
    with op.batch_alter_table('signature', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signature_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_signature_member_id'), ['member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_signature_subject_id'), ['subject_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('signature', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signature_subject_id'))
        batch_op.drop_index(batch_op.f('ix_signature_member_id'))
        batch_op.drop_index(batch_op.f('ix_signature_campaign_id'))

    op.drop_table('signature')
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notice_member_id'))
        batch_op.drop_index(batch_op.f('ix_notice_campaign_id'))

    op.drop_table('notice')
    with op.batch_alter_table('snapshot_team', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_snapshot_team_snapshot_id'))

    op.drop_table('snapshot_team')
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_member_campaign_id'))

    op.drop_table('member')
    with op.batch_alter_table('team', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_team_campaign_id'))

    op.drop_table('team')
    with op.batch_alter_table('snapshot', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_snapshot_taken_at'))
        batch_op.drop_index(batch_op.f('ix_snapshot_campaign_id'))

    op.drop_table('snapshot')
    with op.batch_alter_table('milestone', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_milestone_campaign_id'))

    op.drop_table('milestone')
    op.drop_table('meta')
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_campaign_workspace_ref'))

    op.drop_table('campaign')
