"""Moderation: the organisation's scale, anonymised cases, blind judgments, who viewed what,
attachments, and anonymous agreement statistics that outlive the cases.

Cases hold special category data about children (anonymised, but a small cohort can still
identify a pupil): they are purged for good on ``retention_until``; only
:class:`AgreementRecord` rows (no case id, school or text) remain.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cluster.auth.models import User
from cluster.extensions import UTCDateTime, db, utcnow
from cluster.meetings.models import Meeting
from cluster.networks.models import Network
from cluster.schools.models import School
from cluster.tenancy.models import TenantOwned

#: School census type-of-need codes, with their names.
NEEDS = {
    "SPLD": "Specific learning difficulty",
    "MLD": "Moderate learning difficulty",
    "SLD": "Severe learning difficulty",
    "PMLD": "Profound and multiple learning difficulty",
    "SEMH": "Social, emotional and mental health",
    "SLCN": "Speech, language and communication needs",
    "HI": "Hearing impairment",
    "VI": "Vision impairment",
    "MSI": "Multi-sensory impairment",
    "PD": "Physical disability",
    "ASD": "Autistic spectrum disorder",
    "OTH": "Other difficulty or disability",
    "NSA": "SEN support but no specialist assessment of type of need",
}
#: Needs so rare in a mainstream school that school + year group + need may identify the pupil.
LOW_INCIDENCE_NEEDS = frozenset({"PMLD", "MSI", "SLD", "HI", "VI"})
YEAR_GROUPS = {
    "N": "Nursery",
    "R": "Reception",
    **{str(n): f"Year {n}" for n in range(1, 14)},
    "P16": "Post-16 (19 to 25)",
}
STATUSES = {"draft": "Draft", "open": "Open for judging", "closed": "Closed", "withdrawn": "Withdrawn"}
#: The evidence sections, in the order of the form and the case page.
EVIDENCE = {
    "question": "The question for the network",
    "apdr": "Assess, plan, do, review cycles so far",
    "pupil_voice": "Pupil voice",
    "parent_voice": "Parent voice",
    "agency_advice": "Outside agency advice",
    "assessments": "Standardised assessment results",
}


class ModerationScale(TenantOwned, db.Model):
    """The organisation's own judgment scale (one per organisation) and its moderation settings."""

    __table_args__ = (sa.UniqueConstraint("organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    #: Months a closed case is kept after its outcome before it is purged.
    retention_months: Mapped[int] = mapped_column(default=12)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ScaleLevel(TenantOwned, db.Model):
    """One level of a scale, ordered by ``position`` (0 first)."""

    __table_args__ = (sa.Index("ix_scale_level_scale_position", "scale_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scale_id: Mapped[int] = mapped_column(sa.ForeignKey("moderation_scale.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    label: Mapped[str] = mapped_column(sa.String(120))
    #: Markdown; rendered through the sanitiser.
    descriptor: Mapped[str] = mapped_column(sa.Text, default="")


class ModerationCase(TenantOwned, db.Model):
    __table_args__ = (sa.Index("ix_moderation_case_network_status", "network_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(sa.ForeignKey("network.id", ondelete="CASCADE"))
    school_id: Mapped[int | None] = mapped_column(sa.ForeignKey("school.id", ondelete="SET NULL"))
    submitted_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    year_group: Mapped[str] = mapped_column(sa.String(4))
    primary_need: Mapped[str] = mapped_column(sa.String(4))
    secondary_need: Mapped[str] = mapped_column(sa.String(4), default="")
    current_level_id: Mapped[int | None] = mapped_column(sa.ForeignKey("scale_level.id"))
    proposed_level_id: Mapped[int | None] = mapped_column(sa.ForeignKey("scale_level.id"))
    question: Mapped[str] = mapped_column(sa.Text, default="")
    apdr: Mapped[str] = mapped_column(sa.Text, default="")
    pupil_voice: Mapped[str] = mapped_column(sa.Text, default="")
    parent_voice: Mapped[str] = mapped_column(sa.Text, default="")
    agency_advice: Mapped[str] = mapped_column(sa.Text, default="")
    assessments: Mapped[str] = mapped_column(sa.Text, default="")
    parents_know: Mapped[bool] = mapped_column(default=False)
    anonymised: Mapped[bool] = mapped_column(default=False)
    #: Other members see "A school in the network"; organisers still see the school.
    hide_school: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(sa.String(10), default="draft")
    #: Judging closes then (or when the linked meeting starts, whichever is first).
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    shared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome_level_id: Mapped[int | None] = mapped_column(sa.ForeignKey("scale_level.id"))
    outcome_reason: Mapped[str] = mapped_column(sa.Text, default="")
    outcome_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    meeting_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("meeting.id", ondelete="SET NULL"), index=True
    )
    agenda_slot_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agenda_slot.id", ondelete="SET NULL"))
    retention_until: Mapped[date | None] = mapped_column(sa.Date, index=True)
    #: The case's anonymous statistics row (the row never points back at the case).
    agreement_record_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("agreement_record.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    network = relationship(Network, lazy="joined")
    school = relationship(School, lazy="joined")
    submitted_by = relationship(User, lazy="joined")
    current_level = relationship("ScaleLevel", foreign_keys=[current_level_id], lazy="joined")
    proposed_level = relationship("ScaleLevel", foreign_keys=[proposed_level_id], lazy="joined")
    outcome_level = relationship("ScaleLevel", foreign_keys=[outcome_level_id], lazy="joined")
    meeting = relationship(Meeting, lazy="joined")

    @property
    def reference(self) -> str:
        return f"Case {self.id}"

    @property
    def year_label(self) -> str:
        return YEAR_GROUPS.get(self.year_group, self.year_group)

    @property
    def primary_need_label(self) -> str:
        return f"{NEEDS.get(self.primary_need, self.primary_need)} ({self.primary_need})"

    @property
    def secondary_need_label(self) -> str:
        if not self.secondary_need:
            return "None"
        return f"{NEEDS.get(self.secondary_need, self.secondary_need)} ({self.secondary_need})"

    @property
    def status_label(self) -> str:
        return STATUSES.get(self.status, self.status)

    @property
    def title(self) -> str:
        """What lists show: no text the submitter typed."""
        return f"{self.reference}: {self.year_label}, {NEEDS.get(self.primary_need, self.primary_need)}"


class CaseObserver(TenantOwned, db.Model):
    """A network observer the organiser invited to judge one case (e.g. the educational psychologist)."""

    case_id: Mapped[int] = mapped_column(
        sa.ForeignKey("moderation_case.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class Judgment(TenantOwned, db.Model):
    """One person's blind judgment of a case: a level and a short rationale."""

    __table_args__ = (sa.UniqueConstraint("case_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("moderation_case.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"), index=True)
    level_id: Mapped[int] = mapped_column(sa.ForeignKey("scale_level.id"))
    rationale: Mapped[str] = mapped_column(sa.String(1000), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CaseView(TenantOwned, db.Model):
    """The audit log: who opened a case page or one of its attachments, and when."""

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("moderation_case.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    #: "case", or the attachment's file name.
    what: Mapped[str] = mapped_column(sa.String(200), default="case")
    viewed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user = relationship(User)


class CaseAttachment(TenantOwned, db.Model):
    """A file of evidence, stored by content hash in the moderation storage folder."""

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("moderation_case.id", ondelete="CASCADE"), index=True)
    content_hash: Mapped[str] = mapped_column(sa.String(64), index=True)
    file_name: Mapped[str] = mapped_column(sa.String(200))
    content_type: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int]
    #: The text inside (PDF, Word, text), checked for personal data before the case is shared.
    extracted_text: Mapped[str] = mapped_column(sa.Text, default="")
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AgreementRecord(TenantOwned, db.Model):
    """Anonymous statistics of one closed case: no case id, school, person or text, so they
    survive the purge of the case."""

    __table_args__ = (sa.Index("ix_agreement_record_network_closed", "network_id", "closed_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(sa.ForeignKey("network.id", ondelete="CASCADE"))
    closed_on: Mapped[date] = mapped_column(sa.Date)
    scale_size: Mapped[int]
    #: The positions judged (0 = the scale's first level), sorted.
    levels: Mapped[list] = mapped_column(sa.JSON)
    proposed_position: Mapped[int | None]
    outcome_position: Mapped[int | None]
