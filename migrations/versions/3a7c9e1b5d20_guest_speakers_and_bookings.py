"""guest speakers directory and bookings

Revision ID: 3a7c9e1b5d20
Revises: d577ec8351b6
Create Date: 2026-11-23 15:15:00

"""
from alembic import op
import sqlalchemy as sa


revision = '3a7c9e1b5d20'
down_revision = 'd577ec8351b6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('speaker',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('agency', sa.String(length=40), nullable=False),
    sa.Column('organisation_name', sa.String(length=200), nullable=False),
    sa.Column('topics', sa.String(length=1000), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('consent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('consent_recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('consent_note', sa.Text(), nullable=False),
    sa.Column('contact_erased_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('contact_erased_by_id', sa.Integer(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_speaker_organisation_id_organisation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['consent_recorded_by_id'], ['user.id'], name=op.f('fk_speaker_consent_recorded_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['contact_erased_by_id'], ['user.id'], name=op.f('fk_speaker_contact_erased_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_speaker_created_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_speaker')),
    )
    op.create_index(op.f('ix_speaker_organisation_id'), 'speaker', ['organisation_id'])
    op.create_index('ix_speaker_org_name', 'speaker', ['organisation_id', 'name'])
    op.create_table('speaker_booking',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('speaker_id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('agenda_slot_id', sa.Integer(), nullable=True),
    sa.Column('topic', sa.String(length=200), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('minutes', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('response_token_hash', sa.String(length=64), nullable=True),
    sa.Column('responded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_speaker_booking_organisation_id_organisation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['speaker_id'], ['speaker.id'], name=op.f('fk_speaker_booking_speaker_id_speaker'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_speaker_booking_meeting_id_meeting'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['agenda_slot_id'], ['agenda_slot.id'], name=op.f('fk_speaker_booking_agenda_slot_id_agenda_slot'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['invited_by_id'], ['user.id'], name=op.f('fk_speaker_booking_invited_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_speaker_booking')),
    sa.UniqueConstraint('response_token_hash', name=op.f('uq_speaker_booking_response_token_hash')),
    )
    op.create_index(op.f('ix_speaker_booking_organisation_id'), 'speaker_booking', ['organisation_id'])
    op.create_index(op.f('ix_speaker_booking_meeting_id'), 'speaker_booking', ['meeting_id'])
    op.create_index('ix_speaker_booking_speaker_starts', 'speaker_booking', ['speaker_id', 'starts_at'])


def downgrade():
    op.drop_table('speaker_booking')
    op.drop_table('speaker')
