"""published figures: talking point support, petition signatures, listed names

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03

Every figure a person can read is copied at each count snapshot; these columns
hold the copies that had no home yet. `talking_point.merged` counts the
grievances merged into a point (one each, whoever wrote them).
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('talking_point', schema=None) as batch_op:
        batch_op.add_column(sa.Column('merged', sa.Integer(), nullable=False,
                                      server_default='0'))
        batch_op.add_column(sa.Column('supporters', sa.Integer(), nullable=False,
                                      server_default='0'))
        batch_op.add_column(sa.Column('counted_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))

    with op.batch_alter_table('petition', schema=None) as batch_op:
        batch_op.add_column(sa.Column('signatures', sa.Integer(), nullable=False,
                                      server_default='0'))
        batch_op.add_column(sa.Column('counted_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))

    with op.batch_alter_table('signature', schema=None) as batch_op:
        batch_op.add_column(sa.Column('listed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('signature', schema=None) as batch_op:
        batch_op.drop_column('listed_at')

    with op.batch_alter_table('petition', schema=None) as batch_op:
        batch_op.drop_column('counted_at')
        batch_op.drop_column('signatures')

    with op.batch_alter_table('talking_point', schema=None) as batch_op:
        batch_op.drop_column('counted_at')
        batch_op.drop_column('supporters')
        batch_op.drop_column('merged')
