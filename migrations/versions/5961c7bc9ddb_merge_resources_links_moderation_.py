"""merge resources links, moderation, speakers, feedback and actions

Revision ID: 5961c7bc9ddb
Revises: 3a7c9e1b5d20, 67c17f4bcd97, 9c4d2e7a1b55, a41c6e2f9d10
Create Date: 2026-11-23 16:32:11.953907

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5961c7bc9ddb'
down_revision = ('3a7c9e1b5d20', '67c17f4bcd97', '9c4d2e7a1b55', 'a41c6e2f9d10')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
