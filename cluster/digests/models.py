"""Digest preferences, and the record of every digest period (sent, or why not)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cluster.auth.models import User
from cluster.extensions import UTCDateTime, db, utcnow
from cluster.mail.outbox import DeliveryState

FREQUENCIES = {"weekly": "Weekly", "daily": "Daily", "off": "Off"}
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
DEFAULT_FREQUENCY, DEFAULT_WEEKDAY, DEFAULT_HOUR = "weekly", 0, 7


class DigestPreference(db.Model):
    """How often a person wants the digest. People without a row get the defaults: weekly, on
    Monday at 07:00 in their own time zone (``User.time_zone``)."""

    __table_args__ = (
        sa.CheckConstraint("weekday >= 0 AND weekday <= 6", name="weekday_range"),
        sa.CheckConstraint("hour >= 0 AND hour <= 23", name="hour_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), unique=True)
    #: "weekly", "daily" or "off".
    frequency: Mapped[str] = mapped_column(sa.String(8), default=DEFAULT_FREQUENCY)
    #: For weekly digests: 0 for Monday ... 6 for Sunday.
    weekday: Mapped[int] = mapped_column(sa.SmallInteger, default=DEFAULT_WEEKDAY)
    #: The hour on the clock (0-23) in the person's time zone.
    hour: Mapped[int] = mapped_column(sa.SmallInteger, default=DEFAULT_HOUR)
    #: No digest on days that are school holidays in every organisation the person belongs to.
    pause_in_holidays: Mapped[bool] = mapped_column(default=False)
    #: When the person last turned the digest off from an unsubscribe link.
    unsubscribed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    @property
    def frequency_label(self) -> str:
        return FREQUENCIES.get(self.frequency, self.frequency)


class DigestDelivery(DeliveryState, db.Model):
    """One digest period of one person: claimed (committed) before the digest goes to SMTP, so
    that it is sent once however many runs, processes or retries see it; also kept when there
    was nothing to send, or the person was on holiday, so the period is not looked at again.

    "New since your last digest" starts at ``covers_until`` of the person's last *sent* digest.
    """

    __table_args__ = (
        sa.UniqueConstraint("user_id", "period"),
        sa.Index("ix_digest_delivery_status_next", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"))
    #: "W2026-45" (ISO week) for a weekly digest, "D2026-11-02" for a daily one: the period's
    #: key in the person's own time zone.
    period: Mapped[str] = mapped_column(sa.String(16))
    frequency: Mapped[str] = mapped_column(sa.String(8))
    #: The moment the person asked for (e.g. Monday 07:00 local), in UTC.
    scheduled_for: Mapped[datetime] = mapped_column(UTCDateTime)
    #: The window "new since your last digest" covers: (covers_from, covers_until].
    covers_from: Mapped[datetime] = mapped_column(UTCDateTime)
    covers_until: Mapped[datetime] = mapped_column(UTCDateTime)
    #: How many items it held when it was composed.
    item_count: Mapped[int] = mapped_column(default=0)

    user = relationship(User)
