"""moderation cases: scale, cases, judgments, views, attachments, agreement statistics; schools' number on roll

Revision ID: 9c4d2e7a1b55
Revises: d577ec8351b6
Create Date: 2026-11-23 15:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '9c4d2e7a1b55'
down_revision = 'd577ec8351b6'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('school', sa.Column('number_on_roll', sa.Integer(), nullable=True))
    op.create_table('moderation_scale',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('retention_months', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_moderation_scale_organisation_id_organisation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_moderation_scale')),
    sa.UniqueConstraint('organisation_id', name=op.f('uq_moderation_scale_organisation_id'))
    )
    op.create_index(op.f('ix_moderation_scale_organisation_id'), 'moderation_scale', ['organisation_id'], unique=False)
    op.create_table('agreement_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=False),
    sa.Column('scale_size', sa.Integer(), nullable=False),
    sa.Column('levels', sa.JSON(), nullable=False),
    sa.Column('proposed_position', sa.Integer(), nullable=True),
    sa.Column('outcome_position', sa.Integer(), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['network_id'], ['network.id'], name=op.f('fk_agreement_record_network_id_network'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_agreement_record_organisation_id_organisation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_record'))
    )
    op.create_index('ix_agreement_record_network_closed', 'agreement_record', ['network_id', 'closed_on'], unique=False)
    op.create_index(op.f('ix_agreement_record_organisation_id'), 'agreement_record', ['organisation_id'], unique=False)
    op.create_table('scale_level',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scale_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=120), nullable=False),
    sa.Column('descriptor', sa.Text(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_scale_level_organisation_id_organisation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['scale_id'], ['moderation_scale.id'], name=op.f('fk_scale_level_scale_id_moderation_scale'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scale_level'))
    )
    op.create_index(op.f('ix_scale_level_organisation_id'), 'scale_level', ['organisation_id'], unique=False)
    op.create_index('ix_scale_level_scale_position', 'scale_level', ['scale_id', 'position'], unique=False)
    op.create_table('moderation_case',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=True),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.Column('year_group', sa.String(length=4), nullable=False),
    sa.Column('primary_need', sa.String(length=4), nullable=False),
    sa.Column('secondary_need', sa.String(length=4), nullable=False),
    sa.Column('current_level_id', sa.Integer(), nullable=True),
    sa.Column('proposed_level_id', sa.Integer(), nullable=True),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('apdr', sa.Text(), nullable=False),
    sa.Column('pupil_voice', sa.Text(), nullable=False),
    sa.Column('parent_voice', sa.Text(), nullable=False),
    sa.Column('agency_advice', sa.Text(), nullable=False),
    sa.Column('assessments', sa.Text(), nullable=False),
    sa.Column('parents_know', sa.Boolean(), nullable=False),
    sa.Column('anonymised', sa.Boolean(), nullable=False),
    sa.Column('hide_school', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('closes_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('shared_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('outcome_level_id', sa.Integer(), nullable=True),
    sa.Column('outcome_reason', sa.Text(), nullable=False),
    sa.Column('outcome_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('agenda_slot_id', sa.Integer(), nullable=True),
    sa.Column('retention_until', sa.Date(), nullable=True),
    sa.Column('agreement_record_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agenda_slot_id'], ['agenda_slot.id'], name=op.f('fk_moderation_case_agenda_slot_id_agenda_slot'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['agreement_record_id'], ['agreement_record.id'], name=op.f('fk_moderation_case_agreement_record_id_agreement_record'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['current_level_id'], ['scale_level.id'], name=op.f('fk_moderation_case_current_level_id_scale_level')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_moderation_case_meeting_id_meeting'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['network_id'], ['network.id'], name=op.f('fk_moderation_case_network_id_network'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_moderation_case_organisation_id_organisation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['outcome_level_id'], ['scale_level.id'], name=op.f('fk_moderation_case_outcome_level_id_scale_level')),
    sa.ForeignKeyConstraint(['proposed_level_id'], ['scale_level.id'], name=op.f('fk_moderation_case_proposed_level_id_scale_level')),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_moderation_case_school_id_school'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['user.id'], name=op.f('fk_moderation_case_submitted_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_moderation_case'))
    )
    op.create_index(op.f('ix_moderation_case_meeting_id'), 'moderation_case', ['meeting_id'], unique=False)
    op.create_index('ix_moderation_case_network_status', 'moderation_case', ['network_id', 'status'], unique=False)
    op.create_index(op.f('ix_moderation_case_organisation_id'), 'moderation_case', ['organisation_id'], unique=False)
    op.create_index(op.f('ix_moderation_case_retention_until'), 'moderation_case', ['retention_until'], unique=False)
    op.create_index(op.f('ix_moderation_case_submitted_by_id'), 'moderation_case', ['submitted_by_id'], unique=False)
    op.create_table('case_attachment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('file_name', sa.String(length=200), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('extracted_text', sa.Text(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['moderation_case.id'], name=op.f('fk_case_attachment_case_id_moderation_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_case_attachment_organisation_id_organisation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user.id'], name=op.f('fk_case_attachment_uploaded_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_attachment'))
    )
    op.create_index(op.f('ix_case_attachment_case_id'), 'case_attachment', ['case_id'], unique=False)
    op.create_index(op.f('ix_case_attachment_content_hash'), 'case_attachment', ['content_hash'], unique=False)
    op.create_index(op.f('ix_case_attachment_organisation_id'), 'case_attachment', ['organisation_id'], unique=False)
    op.create_table('case_observer',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['moderation_case.id'], name=op.f('fk_case_observer_case_id_moderation_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_case_observer_organisation_id_organisation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_case_observer_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('case_id', 'user_id', name=op.f('pk_case_observer'))
    )
    op.create_index(op.f('ix_case_observer_organisation_id'), 'case_observer', ['organisation_id'], unique=False)
    op.create_index(op.f('ix_case_observer_user_id'), 'case_observer', ['user_id'], unique=False)
    op.create_table('case_view',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('what', sa.String(length=200), nullable=False),
    sa.Column('viewed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['moderation_case.id'], name=op.f('fk_case_view_case_id_moderation_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_case_view_organisation_id_organisation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_case_view_user_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_view'))
    )
    op.create_index(op.f('ix_case_view_case_id'), 'case_view', ['case_id'], unique=False)
    op.create_index(op.f('ix_case_view_organisation_id'), 'case_view', ['organisation_id'], unique=False)
    op.create_table('judgment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('level_id', sa.Integer(), nullable=False),
    sa.Column('rationale', sa.String(length=1000), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['moderation_case.id'], name=op.f('fk_judgment_case_id_moderation_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['level_id'], ['scale_level.id'], name=op.f('fk_judgment_level_id_scale_level')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_judgment_organisation_id_organisation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_judgment_user_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_judgment')),
    sa.UniqueConstraint('case_id', 'user_id', name=op.f('uq_judgment_case_id_user_id'))
    )
    op.create_index(op.f('ix_judgment_case_id'), 'judgment', ['case_id'], unique=False)
    op.create_index(op.f('ix_judgment_organisation_id'), 'judgment', ['organisation_id'], unique=False)
    op.create_index(op.f('ix_judgment_user_id'), 'judgment', ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('school') as batch:
        batch.drop_column('number_on_roll')
    op.drop_index(op.f('ix_judgment_user_id'), table_name='judgment')
    op.drop_index(op.f('ix_judgment_organisation_id'), table_name='judgment')
    op.drop_index(op.f('ix_judgment_case_id'), table_name='judgment')
    op.drop_table('judgment')
    op.drop_index(op.f('ix_case_view_organisation_id'), table_name='case_view')
    op.drop_index(op.f('ix_case_view_case_id'), table_name='case_view')
    op.drop_table('case_view')
    op.drop_index(op.f('ix_case_observer_user_id'), table_name='case_observer')
    op.drop_index(op.f('ix_case_observer_organisation_id'), table_name='case_observer')
    op.drop_table('case_observer')
    op.drop_index(op.f('ix_case_attachment_organisation_id'), table_name='case_attachment')
    op.drop_index(op.f('ix_case_attachment_content_hash'), table_name='case_attachment')
    op.drop_index(op.f('ix_case_attachment_case_id'), table_name='case_attachment')
    op.drop_table('case_attachment')
    op.drop_index(op.f('ix_moderation_case_submitted_by_id'), table_name='moderation_case')
    op.drop_index(op.f('ix_moderation_case_retention_until'), table_name='moderation_case')
    op.drop_index(op.f('ix_moderation_case_organisation_id'), table_name='moderation_case')
    op.drop_index('ix_moderation_case_network_status', table_name='moderation_case')
    op.drop_index(op.f('ix_moderation_case_meeting_id'), table_name='moderation_case')
    op.drop_table('moderation_case')
    op.drop_index('ix_scale_level_scale_position', table_name='scale_level')
    op.drop_index(op.f('ix_scale_level_organisation_id'), table_name='scale_level')
    op.drop_table('scale_level')
    op.drop_index(op.f('ix_agreement_record_organisation_id'), table_name='agreement_record')
    op.drop_index('ix_agreement_record_network_closed', table_name='agreement_record')
    op.drop_table('agreement_record')
    op.drop_index(op.f('ix_moderation_scale_organisation_id'), table_name='moderation_scale')
    op.drop_table('moderation_scale')
