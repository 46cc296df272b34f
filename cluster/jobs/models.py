"""What the scheduler keeps: its heartbeat, and the meeting reminders it has sent."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cluster.extensions import UTCDateTime, db
from cluster.jobs.outbox import DeliveryState
from cluster.tenancy.models import TenantOwned


class SchedulerHeartbeat(db.Model):
    """One row per scheduler, written every minute: a health check reads how old it is, and a
    second scheduler started by mistake sees that one is already running."""

    #: "scheduler": there is one.
    name: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    beat_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: Which process: "host:pid".
    owner: Mapped[str] = mapped_column(sa.String(200), default="")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)


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
    user = relationship("User")
