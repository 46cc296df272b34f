"""An organisation's school calendar: terms, holidays and INSET days."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from cluster.extensions import UTCDateTime, db, utcnow
from cluster.tenancy.models import TenantOwned

#: Kinds of calendar entry. Terms are when schools are open; holidays and INSET days are not
#: good days for a network meeting.
CALENDAR_KINDS = {"term": "Term", "holiday": "School holiday", "inset": "INSET day"}


class CalendarEntry(TenantOwned, db.Model):
    """A dated span of the organisation's school year, inclusive of both ends."""

    __table_args__ = (sa.Index("ix_calendar_entry_org_dates", "organisation_id", "starts_on", "ends_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(10))
    name: Mapped[str] = mapped_column(sa.String(120))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def kind_label(self) -> str:
        return CALENDAR_KINDS.get(self.kind, self.kind)
