"""campaign language and time zone

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03

A lead may give a campaign a language (`/campaign language NAME es`) and an
IANA time zone (`/campaign timezone NAME Europe/Berlin`). Messages several
people see, and any answer whose reader's own language or zone is unknown,
use them; empty means the deployment's CONCERTED_LOCALE and CONCERTED_TIMEZONE.
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sqlmodel.sql.sqltypes.AutoString(length=16),
                                      nullable=True))
        batch_op.add_column(sa.Column('timezone', sqlmodel.sql.sqltypes.AutoString(length=64),
                                      nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.drop_column('timezone')
        batch_op.drop_column('language')
