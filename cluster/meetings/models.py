"""Network meetings, the replies to them (RSVPs), who attended, and the reminders sent the day before."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cluster.auth.models import User
from cluster.extensions import UTCDateTime, db, utcnow
from cluster.mail.outbox import DeliveryState
from cluster.networks.models import Network
from cluster.schools.models import School
from cluster.tenancy.models import TenantOwned

MEETING_STATUSES = {"draft": "Draft", "scheduled": "Scheduled", "cancelled": "Cancelled", "held": "Held"}
RSVP_RESPONSES = {"yes": "Coming", "maybe": "Maybe", "no": "Not coming"}
ATTENDANCE_MODES = {"in_person": "In person", "online": "Online"}


class Meeting(TenantOwned, db.Model):
    __table_args__ = (sa.Index("ix_meeting_network_starts", "network_id", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(sa.ForeignKey("network.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(sa.String(200))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    host_school_id: Mapped[int | None] = mapped_column(sa.ForeignKey("school.id", ondelete="SET NULL"))
    #: Free-text place when the host is not a member school (or extra directions).
    address: Mapped[str] = mapped_column(sa.String(500), default="")
    online_url: Mapped[str] = mapped_column(sa.String(500), default="")
    refreshments: Mapped[str] = mapped_column(sa.String(500), default="")
    capacity: Mapped[int | None]
    #: Markdown; rendered through the sanitiser.
    description: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[str] = mapped_column(sa.String(12), default="draft")
    cancel_reason: Mapped[str] = mapped_column(sa.String(500), default="")
    #: Stable iCalendar UID, never reused or changed.
    uid: Mapped[str] = mapped_column(sa.String(120), unique=True)
    #: iCalendar SEQUENCE: goes up whenever time, place or status change.
    sequence: Mapped[int] = mapped_column(default=0)
    #: When time, place or status last changed (the feed's LAST-MODIFIED and DTSTAMP).
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    series_id: Mapped[int | None] = mapped_column(sa.ForeignKey("meeting_series.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    network = relationship(Network)
    host_school = relationship(School)
    created_by = relationship(User)

    @property
    def status_label(self) -> str:
        return MEETING_STATUSES[self.status]


class MeetingSeries(TenantOwned, db.Model):
    """A programme planned at once, e.g. "every second Tuesday of each half term, 13:30-16:00"."""

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(sa.ForeignKey("network.id", ondelete="CASCADE"), index=True)
    #: The rule in words, as the organiser chose it.
    description: Mapped[str] = mapped_column(sa.String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Rsvp(TenantOwned, db.Model):
    """A person's reply to a meeting. One per person per meeting."""

    __table_args__ = (sa.UniqueConstraint("meeting_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    response: Mapped[str] = mapped_column(sa.String(8))
    mode: Mapped[str] = mapped_column(sa.String(10), default="in_person")
    #: Dietary and access needs: shown to organisers only.
    needs: Mapped[str] = mapped_column(sa.String(500), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    user = relationship(User)


class Attendance(TenantOwned, db.Model):
    """The register: a school (and, when known, the person) present at a held meeting."""

    __table_args__ = (sa.UniqueConstraint("meeting_id", "school_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    school_id: Mapped[int] = mapped_column(sa.ForeignKey("school.id", ondelete="CASCADE"), index=True)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MeetingReminder(DeliveryState, TenantOwned, db.Model):
    """A reminder, the day before, to someone who said they are coming (or may come) to a meeting.

    One per person per meeting per start time: committed before the email is sent, so that a
    second run never reminds anyone twice, while a meeting moved to another day is reminded of
    again before its new time.
    """

    __table_args__ = (
        sa.UniqueConstraint("meeting_id", "user_id", "starts_at"),
        sa.Index("ix_meeting_reminder_status_next", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meeting.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    #: The start time the reminder is for.
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)

    meeting = relationship("Meeting")
    user = relationship(User)
