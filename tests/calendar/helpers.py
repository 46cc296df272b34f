"""Helpers for calendar tests, and for the access matrix's calendar routes."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from cluster.calendar.models import CalendarEntry
from cluster.extensions import db
from cluster.tenancy.models import Organisation


def add_entries(organisation: Organisation, *rows: tuple[str, str, str, str]) -> list[CalendarEntry]:
    """Calendar entries from (kind, name, start, end) with ISO dates, committed."""
    made = [
        CalendarEntry(
            organisation_id=organisation.id,
            kind=kind,
            name=name,
            starts_on=date.fromisoformat(start),
            ends_on=date.fromisoformat(end),
        )
        for kind, name, start, end in rows
    ]
    db.session.add_all(made)
    db.session.commit()
    return made


def calendar_entry_id(side) -> int:
    """The id of an INSET day of the access matrix's organisation ``side`` (made on first use)."""
    organisation = db.session.scalar(sa.select(Organisation).where(Organisation.slug == side.slug))
    entry = db.session.scalar(
        sa.select(CalendarEntry).where(CalendarEntry.organisation_id == organisation.id)
    )
    if entry is None:
        entry = add_entries(organisation, ("inset", "INSET day", "2026-09-02", "2026-09-02"))[0]
    return entry.id


#: A plausible school year in England, 2026 to 2027: six half terms, their holidays, two INSET days.
YEAR_2026_27 = (
    ("inset", "INSET day", "2026-09-02", "2026-09-02"),
    ("term", "Autumn 1", "2026-09-03", "2026-10-23"),
    ("holiday", "October half term", "2026-10-26", "2026-10-30"),
    ("term", "Autumn 2", "2026-11-02", "2026-12-18"),
    ("holiday", "Christmas holiday", "2026-12-21", "2027-01-01"),
    ("inset", "INSET day", "2027-01-04", "2027-01-04"),
    ("term", "Spring 1", "2027-01-04", "2027-02-12"),
    ("holiday", "February half term", "2027-02-15", "2027-02-19"),
    ("term", "Spring 2", "2027-02-22", "2027-03-26"),
    ("holiday", "Easter holiday", "2027-03-29", "2027-04-09"),
    ("term", "Summer 1", "2027-04-12", "2027-05-28"),
    ("holiday", "May half term", "2027-05-31", "2027-06-04"),
    ("term", "Summer 2", "2027-06-07", "2027-07-21"),
)


def school_year(organisation: Organisation) -> list[CalendarEntry]:
    return add_entries(organisation, *YEAR_2026_27)
