"""Schools of an organisation, as listed in GIAS (Get Information About Schools)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from cluster.extensions import UTCDateTime, db, utcnow
from cluster.tenancy.models import TenantOwned

#: GIAS PhaseOfEducation values, in GIAS code order.
PHASES = [
    "Not applicable",
    "Nursery",
    "Primary",
    "Middle deemed primary",
    "Secondary",
    "Middle deemed secondary",
    "16 plus",
    "All-through",
]

#: How a phase groups for a network's balance: primary, secondary or special/other.
PHASE_GROUPS = {
    "Nursery": "primary",
    "Primary": "primary",
    "Middle deemed primary": "primary",
    "Secondary": "secondary",
    "Middle deemed secondary": "secondary",
    "16 plus": "secondary",
    "All-through": "all-through",
    "Not applicable": "special",
}


class School(TenantOwned, db.Model):
    __table_args__ = (sa.UniqueConstraint("organisation_id", "urn"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The six-digit Unique Reference Number from GIAS; empty for a provider without one.
    urn: Mapped[str | None] = mapped_column(sa.String(6))
    name: Mapped[str] = mapped_column(sa.String(200))
    phase: Mapped[str] = mapped_column(sa.String(40))
    #: GIAS TypeOfEstablishment (name), e.g. "Community special school" or "Pupil referral unit".
    establishment_type: Mapped[str] = mapped_column(sa.String(120), default="")
    la_code: Mapped[str] = mapped_column(sa.String(3), default="")
    la_name: Mapped[str] = mapped_column(sa.String(120), default="")
    status: Mapped[str] = mapped_column(sa.String(60), default="Open")
    town: Mapped[str] = mapped_column(sa.String(120), default="")
    postcode: Mapped[str] = mapped_column(sa.String(10), default="")
    #: GIAS NumberOfPupils (empty when unknown): small schools have small year groups, which
    #: moderation's small-cohort warning takes into account.
    number_on_roll: Mapped[int | None] = mapped_column(sa.Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    @property
    def is_special(self) -> bool:
        kind = self.establishment_type.lower()
        return "special" in kind or "pupil referral" in kind or "alternative provision" in kind

    @property
    def phase_group(self) -> str:
        """Primary, secondary, all-through or special, as a network balances its meetings."""
        if self.is_special:
            return "special"
        return PHASE_GROUPS.get(self.phase, "special")
