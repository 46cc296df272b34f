"""merge agenda digests resources

Revision ID: d577ec8351b6
Revises: 5b7e2c9d4a31, 7d1e5c0a9b42, af6600a0b694
Create Date: 2026-11-23 13:50:21.011903

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd577ec8351b6'
down_revision = ('5b7e2c9d4a31', '7d1e5c0a9b42', 'af6600a0b694')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
