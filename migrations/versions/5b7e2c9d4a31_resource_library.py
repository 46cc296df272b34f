"""resource library: resources, versions, deletions

Revision ID: 5b7e2c9d4a31
Revises: f1fa3cba9c3b
Create Date: 2026-11-23 13:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '5b7e2c9d4a31'
down_revision = 'f1fa3cba9c3b'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('resource',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('area_of_need', sa.String(length=20), nullable=False),
    sa.Column('phase', sa.String(length=20), nullable=False),
    sa.Column('tags', sa.String(length=500), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('url', sa.String(length=1000), nullable=False),
    sa.Column('visibility', sa.String(length=12), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('download_count', sa.Integer(), nullable=False),
    sa.Column('recommended', sa.Boolean(), nullable=False),
    sa.Column('review_on', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_resource_organisation_id_organisation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['network_id'], ['network.id'], name=op.f('fk_resource_network_id_network'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_resource_owner_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_resource_meeting_id_meeting'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_resource')),
    )
    op.create_index('ix_resource_org_created', 'resource', ['organisation_id', 'created_at'])
    op.create_index(op.f('ix_resource_organisation_id'), 'resource', ['organisation_id'])
    op.create_index(op.f('ix_resource_network_id'), 'resource', ['network_id'])
    op.create_table('resource_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('resource_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('file_name', sa.String(length=200), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_resource_version_organisation_id_organisation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['resource_id'], ['resource.id'], name=op.f('fk_resource_version_resource_id_resource'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user.id'], name=op.f('fk_resource_version_uploaded_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_resource_version')),
    sa.UniqueConstraint('resource_id', 'number', name=op.f('uq_resource_version_resource_id_number')),
    )
    op.create_index(op.f('ix_resource_version_organisation_id'), 'resource_version', ['organisation_id'])
    op.create_index(op.f('ix_resource_version_resource_id'), 'resource_version', ['resource_id'])
    op.create_index(op.f('ix_resource_version_content_hash'), 'resource_version', ['content_hash'])
    op.create_table('resource_deletion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('resource_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=True),
    sa.Column('deleted_by_id', sa.Integer(), nullable=True),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_resource_deletion_organisation_id_organisation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['network_id'], ['network.id'], name=op.f('fk_resource_deletion_network_id_network'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['deleted_by_id'], ['user.id'], name=op.f('fk_resource_deletion_deleted_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_resource_deletion')),
    )
    op.create_index(op.f('ix_resource_deletion_organisation_id'), 'resource_deletion', ['organisation_id'])


def downgrade():
    op.drop_table('resource_deletion')
    op.drop_table('resource_version')
    op.drop_table('resource')
