"""Guest speakers follow their meeting: when it moves, their session moves with it (and they get
the new time with an updated ``.ics``); when it is cancelled, they are told. Speakers have no
account, so nobody else would tell them."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from cluster.extensions import db, utcnow
from cluster.meetings.models import Meeting
from cluster.meetings.signals import meeting_announced, meeting_rescheduled
from cluster.speakers import notify
from cluster.speakers.models import SpeakerBooking

#: The bookings that still concern a speaker.
LIVE = ("asked", "confirmed")


def _live_bookings(meeting: Meeting) -> list[SpeakerBooking]:
    return list(
        db.session.scalars(
            sa.select(SpeakerBooking)
            .where(SpeakerBooking.meeting_id == meeting.id, SpeakerBooking.status.in_(LIVE))
            .order_by(SpeakerBooking.id)
        )
    )


def move_sessions(meeting: Meeting, old_starts_at: datetime, **_) -> None:
    """Keep each session at the same point of the meeting (flushes; the caller commits)."""
    shift = meeting.starts_at - old_starts_at
    for booking in _live_bookings(meeting):
        if booking.starts_at is not None:
            booking.starts_at += shift
        booking.sequence += 1
        booking.updated_at = utcnow()
    db.session.flush()


def tell_speakers(meeting: Meeting, change: str, **_) -> None:
    """After the commit: the new time (or the cancellation) to each speaker still expected."""
    for booking in _live_bookings(meeting):
        if change == "cancelled":
            notify.cancellation(booking)
        else:
            notify.rescheduled(booking)


def connect() -> None:
    """Follow every meeting's moves and cancellations (connecting twice changes nothing)."""
    meeting_rescheduled.connect(move_sessions)
    meeting_announced.connect(tell_speakers)
