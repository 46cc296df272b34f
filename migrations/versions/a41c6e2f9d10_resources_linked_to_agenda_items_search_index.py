"""resources: link to an agenda item, index the meeting link, search words, full-text index on PostgreSQL

Revision ID: a41c6e2f9d10
Revises: d577ec8351b6
Create Date: 2026-11-23 15:40:00

On PostgreSQL, search matches words through a GIN index on ``to_tsvector('simple', search_text)``
(cluster/resources/queries.py); SQLite, the embedded default, scans with LIKE. Either way the
stored search text becomes its words, each after a space (``search_document``).
"""
import re

from alembic import op
import sqlalchemy as sa


revision = 'a41c6e2f9d10'
down_revision = 'd577ec8351b6'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('resource', schema=None) as batch_op:
        batch_op.add_column(sa.Column('agenda_item_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_resource_agenda_item_id_agenda_item'), 'agenda_item',
                                    ['agenda_item_id'], ['id'], ondelete='SET NULL')
        batch_op.create_index(batch_op.f('ix_resource_agenda_item_id'), ['agenda_item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_resource_meeting_id'), ['meeting_id'], unique=False)
    resource = sa.table('resource', sa.column('id', sa.Integer), sa.column('search_text', sa.Text))
    bind = op.get_bind()
    for row in bind.execute(sa.select(resource.c.id, resource.c.search_text)).all():
        words = "".join(" " + word for word in re.findall(r"\w+", (row.search_text or "").lower()))
        bind.execute(sa.update(resource).where(resource.c.id == row.id).values(search_text=words))
    if bind.dialect.name == 'postgresql':
        op.execute("CREATE INDEX ix_resource_search_fts ON resource USING gin (to_tsvector('simple', search_text))")


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP INDEX IF EXISTS ix_resource_search_fts")
    with op.batch_alter_table('resource', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_resource_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_resource_agenda_item_id'))
        batch_op.drop_constraint(batch_op.f('fk_resource_agenda_item_id_agenda_item'), type_='foreignkey')
        batch_op.drop_column('agenda_item_id')
