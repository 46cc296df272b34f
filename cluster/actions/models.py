"""Actions agreed at meetings or from feedback, and the "you said, we did" page that pairs what
members said (themes the organiser writes) with the actions taken."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cluster.auth.models import User
from cluster.extensions import UTCDateTime, db, utcnow
from cluster.feedback.models import FeedbackResponse
from cluster.meetings.models import Meeting
from cluster.networks.models import Network
from cluster.schools.models import School
from cluster.tenancy.models import TenantOwned

ACTION_STATUSES = {"open": "Open", "done": "Done", "dropped": "Dropped"}


class FeedbackTheme(TenantOwned, db.Model):
    """ "You said": a theme of a network's feedback, summarised by an organiser."""

    __table_args__ = (sa.Index("ix_feedback_theme_network", "network_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(sa.ForeignKey("network.id", ondelete="CASCADE"))
    #: The meeting whose feedback it came from, if one.
    meeting_id: Mapped[int | None] = mapped_column(sa.ForeignKey("meeting.id", ondelete="SET NULL"))
    summary: Mapped[str] = mapped_column(sa.String(500))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    meeting = relationship(Meeting)
    quotes = relationship("ThemeQuote", cascade="all, delete-orphan", order_by="ThemeQuote.id")


class ThemeQuote(TenantOwned, db.Model):
    """A comment from a feedback response quoted under a theme (the text is read from the
    response, so an edit shows; anonymous ones are never attributed)."""

    __table_args__ = (sa.UniqueConstraint("theme_id", "response_id", "field"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    theme_id: Mapped[int] = mapped_column(sa.ForeignKey("feedback_theme.id", ondelete="CASCADE"), index=True)
    response_id: Mapped[int] = mapped_column(sa.ForeignKey("feedback_response.id", ondelete="CASCADE"))
    #: "keep", "change" or "add".
    field: Mapped[str] = mapped_column(sa.String(10))

    response = relationship(FeedbackResponse)


class YouSaidPage(TenantOwned, db.Model):
    """A network's "you said, we did" settings: whether the whole organisation may read it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(sa.ForeignKey("network.id", ondelete="CASCADE"), unique=True)
    shared_with_organisation: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Action(TenantOwned, db.Model):
    """Something a person or a school agreed to do, with a due date, until it is done or dropped."""

    __table_args__ = (
        sa.Index("ix_action_network_status", "network_id", "status", "due_on"),
        sa.Index("ix_action_owner_user", "owner_user_id", "status"),
        sa.Index("ix_action_owner_school", "owner_school_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(sa.ForeignKey("network.id", ondelete="CASCADE"))
    #: The meeting it was recorded at, if any.
    meeting_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("meeting.id", ondelete="SET NULL"), index=True
    )
    theme_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("feedback_theme.id", ondelete="SET NULL"), index=True
    )
    description: Mapped[str] = mapped_column(sa.String(1000))
    #: Exactly one of the two owners is set: a person, or a school (any of its SENCOs may close it).
    owner_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    owner_school_id: Mapped[int | None] = mapped_column(sa.ForeignKey("school.id", ondelete="SET NULL"))
    due_on: Mapped[date] = mapped_column(sa.Date)
    status: Mapped[str] = mapped_column(sa.String(10), default="open")
    outcome: Mapped[str] = mapped_column(sa.Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: When it was marked done or dropped.
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    network = relationship(Network)
    meeting = relationship(Meeting)
    theme = relationship("FeedbackTheme")
    owner_user = relationship(User, foreign_keys=[owner_user_id])
    owner_school = relationship(School)
    created_by = relationship(User, foreign_keys=[created_by_id])

    @property
    def status_label(self) -> str:
        return ACTION_STATUSES.get(self.status, self.status)

    @property
    def owner_name(self) -> str:
        if self.owner_user is not None:
            return self.owner_user.name
        if self.owner_school is not None:
            return self.owner_school.name
        return "No owner"

    def is_overdue(self, today: date) -> bool:
        return self.status == "open" and self.due_on < today
