"""Date polls: candidate slots, and each member's yes / if need be / no per slot."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cluster.auth.models import User
from cluster.extensions import UTCDateTime, db, utcnow
from cluster.networks.models import Network
from cluster.tenancy.models import TenantOwned

POLL_STATUSES = {"open": "Open", "closed": "Closed", "finalised": "Meeting scheduled"}
ANSWERS = {"yes": "Yes", "maybe": "If need be", "no": "No"}


class DatePoll(TenantOwned, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(sa.ForeignKey("network.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    status: Mapped[str] = mapped_column(sa.String(10), default="open")
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    meeting_id: Mapped[int | None] = mapped_column(sa.ForeignKey("meeting.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    network = relationship(Network)
    slots: Mapped[list[PollSlot]] = relationship(back_populates="poll", order_by="PollSlot.starts_at")

    @property
    def status_label(self) -> str:
        return POLL_STATUSES[self.status]


class PollSlot(TenantOwned, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(sa.ForeignKey("date_poll.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    place: Mapped[str] = mapped_column(sa.String(300), default="")
    #: The slot the organiser picked when finalising the poll.
    chosen: Mapped[bool] = mapped_column(default=False)

    poll: Mapped[DatePoll] = relationship(back_populates="slots")


class PollAnswer(TenantOwned, db.Model):
    """One answer per person per slot (and one more for their school's deputy, if they answer for them)."""

    __table_args__ = (sa.UniqueConstraint("slot_id", "user_id", "for_deputy"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(sa.ForeignKey("date_poll.id", ondelete="CASCADE"), index=True)
    slot_id: Mapped[int] = mapped_column(sa.ForeignKey("poll_slot.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    #: True when the member answered on behalf of their school's named deputy.
    for_deputy: Mapped[bool] = mapped_column(default=False)
    answer: Mapped[str] = mapped_column(sa.String(6))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class PollComment(TenantOwned, db.Model):
    """A respondent's comment on the poll as a whole (one per person, editable)."""

    __table_args__ = (sa.UniqueConstraint("poll_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(sa.ForeignKey("date_poll.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(sa.String(1000), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    user = relationship(User)


class PollReminder(TenantOwned, db.Model):
    """When the organiser last reminded the members who had not answered (and how many)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(sa.ForeignKey("date_poll.id", ondelete="CASCADE"), index=True)
    sent_to: Mapped[int]
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
