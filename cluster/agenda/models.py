"""Agenda items proposed by the schools, their supports and comments, each network's standing
items, and each meeting's timed agenda with minutes per entry.

An :class:`AgendaItem` is a proposal until the organiser places it into a meeting's
:class:`Agenda` as an :class:`AgendaSlot`; breaks, standing items and "matters arising" are
slots without a proposal. Unbounded collections (supports, comments, slots, revisions) have no
relationship to load by accident: they are read by queries in :mod:`cluster.agenda.queries`.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cluster.auth.models import User
from cluster.extensions import UTCDateTime, db, utcnow
from cluster.meetings.models import Meeting
from cluster.networks.models import Network
from cluster.schools.models import School
from cluster.tenancy.models import TenantOwned

ITEM_KINDS = {
    "information": "Information",
    "discussion": "Discussion",
    "decision": "Decision",
    "moderation": "Moderation",
    "training": "Training",
    "guest_speaker": "Guest speaker request",
}
#: The phases an item can concern; "all" stands for the three together.
PHASES = {"primary": "Primary", "secondary": "Secondary", "special": "Special", "all": "All phases"}
ITEM_STATUSES = {"open": "Open", "placed": "On an agenda", "done": "Discussed", "declined": "Declined"}
AGENDA_STATUSES = {"draft": "Draft", "published": "Published", "closed": "Closed"}
SLOT_KINDS = {
    "matters": "Matters arising",
    "standing": "Standing item",
    "item": "Proposed item",
    "break": "Break",
}
OUTCOMES = {"discussed": "Discussed", "not_reached": "Not reached", "deferred": "Deferred"}


class AgendaItem(TenantOwned, db.Model):
    """A proposal for a network's agenda, from a member school."""

    __table_args__ = (
        sa.Index("ix_agenda_item_network_status_created", "network_id", "status", "created_at"),
        sa.Index("ix_agenda_item_network_status_support", "network_id", "status", "support_count"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(sa.ForeignKey("network.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(sa.String(200))
    #: Markdown; rendered through the sanitiser.
    description: Mapped[str] = mapped_column(sa.Text, default="")
    kind: Mapped[str] = mapped_column(sa.String(20))
    for_primary: Mapped[bool] = mapped_column(default=False)
    for_secondary: Mapped[bool] = mapped_column(default=False)
    for_special: Mapped[bool] = mapped_column(default=False)
    minutes_needed: Mapped[int] = mapped_column(default=15)
    #: The meeting the proposer hopes for; empty for "any meeting".
    target_meeting_id: Mapped[int | None] = mapped_column(sa.ForeignKey("meeting.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(sa.String(10), default="open")
    #: Supports, counted here so that thousands of proposals sort by support in the database.
    support_count: Mapped[int] = mapped_column(default=0)
    comment_count: Mapped[int] = mapped_column(default=0)
    proposed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    #: The proposer's school when they proposed it (people move schools; the proposal stays theirs).
    proposer_school_id: Mapped[int | None] = mapped_column(sa.ForeignKey("school.id", ondelete="SET NULL"))
    #: When it last went back to the proposals list from a meeting, and from which one.
    deferred_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deferred_from_meeting_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("meeting.id", ondelete="SET NULL")
    )
    #: "not_reached" or "deferred", as recorded when the meeting's agenda was closed.
    deferred_reason: Mapped[str] = mapped_column(sa.String(20), default="")
    decline_reason: Mapped[str] = mapped_column(sa.String(1000), default="")
    declined_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    declined_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    network = relationship(Network)
    proposed_by = relationship(User, foreign_keys=[proposed_by_id])
    proposer_school = relationship(School)
    target_meeting = relationship(Meeting, foreign_keys=[target_meeting_id])
    deferred_from = relationship(Meeting, foreign_keys=[deferred_from_meeting_id])

    @property
    def kind_label(self) -> str:
        return ITEM_KINDS.get(self.kind, self.kind)

    @property
    def status_label(self) -> str:
        return ITEM_STATUSES.get(self.status, self.status)

    @property
    def phases(self) -> list[str]:
        """The phase keys, "all" when it concerns every phase."""
        flags = [
            ("primary", self.for_primary),
            ("secondary", self.for_secondary),
            ("special", self.for_special),
        ]
        chosen = [name for name, on in flags if on]
        return ["all"] if len(chosen) == 3 else chosen

    @property
    def phases_label(self) -> str:
        return ", ".join(PHASES[p] for p in self.phases) or "No phase given"


class AgendaSupport(TenantOwned, db.Model):
    """A member's support for a proposal: one per person per item."""

    __table_args__ = (sa.UniqueConstraint("item_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("agenda_item.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    school_id: Mapped[int | None] = mapped_column(sa.ForeignKey("school.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AgendaComment(TenantOwned, db.Model):
    __table_args__ = (sa.Index("ix_agenda_comment_item_created", "item_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("agenda_item.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    author_school_id: Mapped[int | None] = mapped_column(sa.ForeignKey("school.id", ondelete="SET NULL"))
    #: Plain text, shown escaped.
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author = relationship(User)
    author_school = relationship(School)


class StandingItem(TenantOwned, db.Model):
    """An item a network has on every agenda, such as "LA update" or "School updates"."""

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(sa.ForeignKey("network.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    minutes: Mapped[int] = mapped_column(default=10)
    presenter: Mapped[str] = mapped_column(sa.String(200), default="")
    #: True for items that close a meeting (school updates, any other business): new proposals
    #: are placed before them.
    at_end: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Agenda(TenantOwned, db.Model):
    """A meeting's timed agenda (one per meeting) and the state of its minutes."""

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meeting.id", ondelete="CASCADE"), unique=True)
    network_id: Mapped[int] = mapped_column(sa.ForeignKey("network.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(sa.String(10), default="draft")
    #: Goes up with every change to the plan: a stale plan form is refused rather than applied.
    plan_version: Mapped[int] = mapped_column(default=0)
    #: The plan_version members were last sent (a later plan has unpublished changes).
    published_version: Mapped[int | None]
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    published_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    #: Matters arising as published (title, detail, source), so the published agenda does not change.
    matters_snapshot: Mapped[list | None] = mapped_column(sa.JSON)
    minute_taker_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    minutes_updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    meeting = relationship(Meeting)
    minute_taker = relationship(User, foreign_keys=[minute_taker_id])

    @property
    def status_label(self) -> str:
        return AGENDA_STATUSES[self.status]

    @property
    def is_public(self) -> bool:
        """Members see published and closed agendas (and their minutes); drafts are the organisers'."""
        return self.status in ("published", "closed")

    @property
    def has_unpublished_changes(self) -> bool:
        return self.status == "published" and self.published_version != self.plan_version


class AgendaSlot(TenantOwned, db.Model):
    """One entry of a timed agenda, with its minutes and decisions."""

    __table_args__ = (sa.Index("ix_agenda_slot_agenda_position", "agenda_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_id: Mapped[int] = mapped_column(sa.ForeignKey("agenda.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = mapped_column(sa.String(10))
    item_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("agenda_item.id", ondelete="SET NULL"), index=True
    )
    standing_item_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("standing_item.id", ondelete="SET NULL")
    )
    title: Mapped[str] = mapped_column(sa.String(200))
    minutes: Mapped[int] = mapped_column(default=10)
    presenter: Mapped[str] = mapped_column(sa.String(200), default="")
    at_end: Mapped[bool] = mapped_column(default=False)
    #: "", or an entry of OUTCOMES once the agenda is closed after the meeting.
    outcome: Mapped[str] = mapped_column(sa.String(12), default="")
    #: When the proposer was told their item is on the agenda (each is told once).
    proposer_told_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Markdown minutes and decisions.
    minutes_text: Mapped[str] = mapped_column(sa.Text, default="")
    decisions: Mapped[str] = mapped_column(sa.Text, default="")
    #: Goes up with every save of the minutes: a save from an older version is a conflict.
    minutes_version: Mapped[int] = mapped_column(default=0)
    minutes_updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    minutes_updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    item = relationship("AgendaItem")
    minutes_updated_by = relationship(User, foreign_keys=[minutes_updated_by_id])

    @property
    def kind_label(self) -> str:
        return SLOT_KINDS[self.kind]

    @property
    def has_minutes(self) -> bool:
        return bool(self.minutes_text.strip() or self.decisions.strip())


class MinutesRevision(TenantOwned, db.Model):
    """Every saved version of one entry's minutes: who changed them and when."""

    __table_args__ = (sa.UniqueConstraint("slot_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slot_id: Mapped[int] = mapped_column(sa.ForeignKey("agenda_slot.id", ondelete="CASCADE"))
    version: Mapped[int]
    minutes_text: Mapped[str] = mapped_column(sa.Text, default="")
    decisions: Mapped[str] = mapped_column(sa.Text, default="")
    edited_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    edited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    edited_by = relationship(User)
