"""petitions, sponsors, approvals, deliveries

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21
"""

from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401
import sqlmodel  # noqa: F401

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('petition',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('ref', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('stage', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('title_sealed', sa.LargeBinary(), nullable=True),
    sa.Column('addressee_sealed', sa.LargeBinary(), nullable=True),
    sa.Column('points_sealed', sa.LargeBinary(), nullable=True),
    sa.Column('ask_sealed', sa.LargeBinary(), nullable=True),
    sa.Column('return_reason_sealed', sa.LargeBinary(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('review_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('opened_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('returned_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('delivered_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['member.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('ref')
    )
    with op.batch_alter_table('petition', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_petition_campaign_id'), ['campaign_id'], unique=False)

    op.create_table('petition_approval',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('petition_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('approved_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['petition_id'], ['petition.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('petition_id', 'member_id')
    )
    with op.batch_alter_table('petition_approval', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_petition_approval_member_id'), ['member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_petition_approval_petition_id'), ['petition_id'], unique=False)

    op.create_table('petition_delivery',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('petition_id', sa.Integer(), nullable=False),
    sa.Column('requested_by', sa.Integer(), nullable=False),
    sa.Column('requested_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('confirmed_by', sa.Integer(), nullable=True),
    sa.Column('confirmed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['confirmed_by'], ['member.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['petition_id'], ['petition.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['requested_by'], ['member.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('petition_id')
    )
    with op.batch_alter_table('petition_delivery', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_petition_delivery_requested_by'), ['requested_by'], unique=False)

    op.create_table('petition_sponsor',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('petition_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('sponsored_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['petition_id'], ['petition.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('petition_id', 'member_id')
    )
    with op.batch_alter_table('petition_sponsor', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_petition_sponsor_member_id'), ['member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_petition_sponsor_petition_id'), ['petition_id'], unique=False)


def downgrade() -> None:
    for table in ("petition_sponsor", "petition_delivery", "petition_approval", "petition"):
        op.drop_table(table)
