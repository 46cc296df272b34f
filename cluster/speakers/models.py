"""The organisation's directory of guest speakers and their bookings into meetings.

A speaker's contact details are personal data kept only with their agreement: the record of
consent (when, by whom, a note) travels with them, and erasing the details is itself recorded.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cluster.auth.models import User
from cluster.extensions import UTCDateTime, db, utcnow
from cluster.meetings.models import Meeting
from cluster.tenancy.models import TenantOwned

AGENCIES = {
    "educational_psychology": "Educational psychology",
    "speech_language_therapy": "Speech and language therapy",
    "camhs": "CAMHS",
    "sendiass": "SENDIASS",
    "parent_carer_forum": "Parent carer forum",
    "specialist_teaching": "Specialist teaching service",
    "occupational_therapy": "Occupational therapy",
    "social_care": "Social care",
    "charity": "Charity",
    "other": "Other",
}
BOOKING_STATUSES = {
    "asked": "Asked",
    "confirmed": "Confirmed",
    "declined": "Declined",
    "cancelled": "Cancelled",
}
#: Bookings that still take a place in the meeting.
ACTIVE_STATUSES = ("asked", "confirmed")


class Speaker(TenantOwned, db.Model):
    """A guest speaker the organisation's networks can invite."""

    __table_args__ = (sa.Index("ix_speaker_org_name", "organisation_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    agency: Mapped[str] = mapped_column(sa.String(40))
    #: The service or body they come from, e.g. "Northbrook EP Service".
    organisation_name: Mapped[str] = mapped_column(sa.String(200), default="")
    #: Comma-separated, lower case (like resources' tags).
    topics: Mapped[str] = mapped_column(sa.String(1000), default="")
    email: Mapped[str] = mapped_column(sa.String(254), default="")
    phone: Mapped[str] = mapped_column(sa.String(40), default="")
    #: When the speaker agreed that their contact details be stored; empty: no details may be kept.
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    consent_recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    consent_note: Mapped[str] = mapped_column(sa.Text, default="")
    #: When (and by whom) the contact details were last erased.
    contact_erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    contact_erased_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    #: Markdown; rendered through the sanitiser.
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    consent_recorded_by = relationship(User, foreign_keys=[consent_recorded_by_id])
    contact_erased_by = relationship(User, foreign_keys=[contact_erased_by_id])

    @property
    def agency_label(self) -> str:
        return AGENCIES.get(self.agency, self.agency)

    @property
    def topic_list(self) -> list[str]:
        return [t for t in self.topics.split(",") if t]

    @property
    def has_contact(self) -> bool:
        return bool(self.email or self.phone)


class SpeakerBooking(TenantOwned, db.Model):
    """A speaker invited to a meeting, for a topic at a time within it."""

    __table_args__ = (sa.Index("ix_speaker_booking_speaker_starts", "speaker_id", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    speaker_id: Mapped[int] = mapped_column(sa.ForeignKey("speaker.id", ondelete="CASCADE"))
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    agenda_slot_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agenda_slot.id", ondelete="SET NULL"))
    topic: Mapped[str] = mapped_column(sa.String(200))
    #: The session's start within the meeting; empty when not yet fixed.
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    minutes: Mapped[int | None] = mapped_column()
    status: Mapped[str] = mapped_column(sa.String(12), default="asked")
    invited_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    #: Goes up whenever the session changes in a way the speaker's calendar must follow (iCal SEQUENCE).
    sequence: Mapped[int] = mapped_column(default=0)
    #: SHA-256 of the single-use token in the invitation email's answer links; cleared once used.
    response_token_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    #: When the speaker answered through the emailed link.
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    speaker = relationship("Speaker")
    meeting = relationship(Meeting)
    invited_by = relationship(User, foreign_keys=[invited_by_id])

    @property
    def status_label(self) -> str:
        return BOOKING_STATUSES.get(self.status, self.status)

    @property
    def active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def outside_meeting(self) -> bool:
        """The session no longer falls within its meeting (the meeting was moved after the booking)."""
        if self.starts_at is None:
            return False
        ends = self.starts_at + timedelta(minutes=self.minutes or 0)
        return self.starts_at < self.meeting.starts_at or ends > self.meeting.ends_at
