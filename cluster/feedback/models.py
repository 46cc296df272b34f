"""Feedback after a held meeting: one response per attendee, its per-item and per-speaker ratings,
and the record of who was asked (by email, exactly once).

A response keeps its author (so that it is one per person and they can edit it for 14 days), even
when it is anonymous: an anonymous response's author is never shown, exported or used to order
anything an organiser sees.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cluster.auth.models import User
from cluster.extensions import UTCDateTime, db, utcnow
from cluster.mail.outbox import DeliveryState
from cluster.meetings.models import Meeting
from cluster.tenancy.models import TenantOwned

SCALE = {1: "1 – not at all", 2: "2", 3: "3", 4: "4", 5: "5 – very"}
#: What a per-session rating is about: an entry of the agenda, or a guest speaker's session.
RATING_KINDS = {"slot": "Agenda item", "speaker": "Guest speaker"}
COMMENT_FIELDS = {"keep": "Keep", "change": "Change", "add": "Add"}


class FeedbackResponse(TenantOwned, db.Model):
    __table_args__ = (
        sa.UniqueConstraint("meeting_id", "user_id"),
        sa.Index("ix_feedback_response_network", "network_id", "meeting_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meeting.id", ondelete="CASCADE"))
    network_id: Mapped[int] = mapped_column(sa.ForeignKey("network.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    #: Overall usefulness and relevance to the respondent's phase, 1 to 5.
    usefulness: Mapped[int]
    relevance: Mapped[int]
    keep: Mapped[str] = mapped_column(sa.Text, default="")
    change: Mapped[str] = mapped_column(sa.Text, default="")
    add: Mapped[str] = mapped_column(sa.Text, default="")
    anonymous: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    ratings = relationship("FeedbackRating", cascade="all, delete-orphan", order_by="FeedbackRating.id")
    user = relationship(User)
    meeting = relationship(Meeting)


class FeedbackRating(TenantOwned, db.Model):
    """A 1-5 rating of one agenda entry or one speaker's session, within a response."""

    __table_args__ = (sa.UniqueConstraint("response_id", "kind", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        sa.ForeignKey("feedback_response.id", ondelete="CASCADE"), index=True
    )
    #: "slot" (an agenda slot's id) or "speaker" (a speaker booking's id).
    kind: Mapped[str] = mapped_column(sa.String(10))
    subject_id: Mapped[int]
    #: The speaker rated, for a "speaker" rating (their page lists past sessions' feedback).
    speaker_id: Mapped[int | None] = mapped_column(index=True)
    #: What was rated, as it was called then.
    label: Mapped[str] = mapped_column(sa.String(300), default="")
    rating: Mapped[int]


class FeedbackRequest(DeliveryState, TenantOwned, db.Model):
    """The email asking an attendee for feedback: one per person per meeting, on record before it is sent."""

    __table_args__ = (
        sa.UniqueConstraint("meeting_id", "user_id"),
        sa.Index("ix_feedback_request_status_next", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meeting.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
