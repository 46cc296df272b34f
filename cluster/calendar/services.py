"""The school calendar: bank holidays (shipped data) and the organisation's terms, holidays
and INSET days, and which days are poor choices for a meeting."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from importlib.resources import files

import sqlalchemy as sa

from cluster.calendar.models import CALENDAR_KINDS, CalendarEntry
from cluster.extensions import db, utcnow
from cluster.tenancy.models import Organisation
from cluster.timeutil import local_date


@lru_cache(maxsize=1)
def bank_holidays() -> dict[date, str]:
    """England and Wales bank holidays, from the gov.uk bank-holidays JSON shipped in the package."""
    data = json.loads(
        files("cluster.calendar").joinpath("data/bank-holidays.json").read_text(encoding="utf-8")
    )
    return {
        date.fromisoformat(event["date"]): event["title"] for event in data["england-and-wales"]["events"]
    }


@dataclass(frozen=True)
class DayFlag:
    kind: str  # "bank_holiday", "holiday", "inset", "weekend"; the planner adds "past", "meeting", "repeat"
    text: str


def day_flags(organisation: Organisation, days: list[date]) -> dict[date, list[DayFlag]]:
    """Why each of ``days`` is a poor day for a meeting (empty list when it is fine).

    One query whatever the number of days: the organisation's holidays and INSET days that
    overlap the span of ``days``.
    """
    if not days:
        return {}
    entries = db.session.scalars(
        sa.select(CalendarEntry).where(
            CalendarEntry.organisation_id == organisation.id,
            CalendarEntry.kind.in_(("holiday", "inset")),
            CalendarEntry.starts_on <= max(days),
            CalendarEntry.ends_on >= min(days),
        )
    ).all()
    holidays = bank_holidays()
    flags: dict[date, list[DayFlag]] = {}
    for day in days:
        found = []
        if day in holidays:
            found.append(DayFlag("bank_holiday", f"Bank holiday: {holidays[day]}"))
        for entry in entries:
            if entry.starts_on <= day <= entry.ends_on:
                label = "School holiday" if entry.kind == "holiday" else "INSET day"
                found.append(DayFlag(entry.kind, f"{label}: {entry.name}"))
        if day.weekday() >= 5:
            found.append(DayFlag("weekend", "Weekend"))
        flags[day] = found
    return flags


# The school year ------------------------------------------------------------------------------


def academic_year_of(day: date) -> int:
    """The academic year ``day`` falls in, named by the year it starts: years run from
    1 September to 31 August, so 2027-05-31 is in academic year 2026 ("2026 to 2027")."""
    return day.year if day.month >= 9 else day.year - 1


def academic_year_span(start_year: int) -> tuple[date, date]:
    """The first and last days (inclusive) of the academic year starting in ``start_year``."""
    return date(start_year, 9, 1), date(start_year + 1, 8, 31)


def academic_year_label(start_year: int) -> str:
    return f"{start_year} to {start_year + 1}"


def london_today() -> date:
    """Today in England (the calendar's days are England's, whatever the server's zone)."""
    return local_date(utcnow())


# Entries ---------------------------------------------------------------------------------------

#: Control characters: never wanted in a name, and PostgreSQL refuses NUL in text.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean_text(value: str | None) -> str:
    """``value`` without control characters (tabs and line breaks stay) and outer white space."""
    return CONTROL_CHARACTERS.sub("", value or "").strip()


#: A calendar entry longer than this is a typing mistake (usually in a year).
LONGEST_ENTRY = timedelta(days=366)
NAME_LENGTH = 120


def entries(organisation: Organisation, since: date | None = None) -> list[CalendarEntry]:
    stmt = sa.select(CalendarEntry).where(CalendarEntry.organisation_id == organisation.id)
    if since:
        stmt = stmt.where(CalendarEntry.ends_on >= since)
    return list(db.session.scalars(stmt.order_by(CalendarEntry.starts_on, CalendarEntry.kind)))


def entries_between(organisation: Organisation, start: date, end: date) -> list[CalendarEntry]:
    """The organisation's entries overlapping ``start``..``end`` (inclusive), in date order: one query."""
    return list(
        db.session.scalars(
            sa.select(CalendarEntry)
            .where(
                CalendarEntry.organisation_id == organisation.id,
                CalendarEntry.starts_on <= end,
                CalendarEntry.ends_on >= start,
            )
            .order_by(CalendarEntry.starts_on, CalendarEntry.ends_on, CalendarEntry.kind, CalendarEntry.name)
        )
    )


def entry_problems(kind: str, name: str, starts_on: date, ends_on: date) -> dict[str, str]:
    """What is wrong with an entry, by field (``kind``, ``name``, ``ends_on``); empty when it is fine.

    The kind is term, holiday or inset; the name is given and at most 120 characters; the entry
    ends on or after the day it starts and lasts at most a year.
    """
    problems = {}
    if kind not in CALENDAR_KINDS:
        problems["kind"] = "Choose term, school holiday or INSET day"
    if not name.strip():
        problems["name"] = "Enter a name, like Autumn 1 or October half term"
    elif len(name.strip()) > NAME_LENGTH:
        problems["name"] = f"The name must be {NAME_LENGTH} characters or fewer"
    if ends_on < starts_on:
        problems["ends_on"] = "The end date must be the same as or after the start date"
    elif ends_on - starts_on >= LONGEST_ENTRY:
        problems["ends_on"] = "An entry cannot last more than a year: check the years"
    return problems


def is_duplicate(organisation: Organisation, kind: str, name: str, starts_on: date, ends_on: date) -> bool:
    """Whether the organisation already has this entry (same kind, name in any case, and dates)."""
    return (
        db.session.scalar(
            sa.select(CalendarEntry.id)
            .where(
                CalendarEntry.organisation_id == organisation.id,
                CalendarEntry.kind == kind,
                sa.func.lower(CalendarEntry.name) == name.strip().lower(),
                CalendarEntry.starts_on == starts_on,
                CalendarEntry.ends_on == ends_on,
            )
            .limit(1)
        )
        is not None
    )


def add_entry(
    organisation: Organisation, kind: str, name: str, starts_on: date, ends_on: date
) -> CalendarEntry:
    """Add an entry that passes :func:`entry_problems` (ValueError otherwise). Flushes."""
    problems = entry_problems(kind, name, starts_on, ends_on)
    if problems:
        raise ValueError("; ".join(problems.values()))
    entry = CalendarEntry(
        organisation_id=organisation.id, kind=kind, name=name.strip(), starts_on=starts_on, ends_on=ends_on
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def delete_entry(entry: CalendarEntry) -> None:
    """Remove an entry. Meetings already planned are not touched: their flags are worked out
    whenever they are shown, not stored."""
    db.session.delete(entry)
    db.session.flush()


def terms(organisation: Organisation, start: date, end: date) -> list[CalendarEntry]:
    """The organisation's terms (or half terms) overlapping ``start``..``end``, in order."""
    return list(
        db.session.scalars(
            sa.select(CalendarEntry)
            .where(
                CalendarEntry.organisation_id == organisation.id,
                CalendarEntry.kind == "term",
                CalendarEntry.starts_on <= end,
                CalendarEntry.ends_on >= start,
            )
            .order_by(CalendarEntry.starts_on)
        )
    )


@dataclass(frozen=True)
class CalendarRow:
    """A line of the calendar page: an organisation's entry, or a bank holiday (``entry`` None)."""

    kind_label: str
    name: str
    starts_on: date
    ends_on: date
    entry: CalendarEntry | None = None


@dataclass(frozen=True)
class CalendarYear:
    start_year: int
    rows: list[CalendarRow]

    @property
    def label(self) -> str:
        return academic_year_label(self.start_year)


def calendar_years(organisation: Organisation, first_year: int, count: int = 2) -> list[CalendarYear]:
    """``count`` academic years from ``first_year``: the organisation's entries (one query) and
    the bank holidays. An entry is listed in the year it starts (or the first year, for one that
    began before it)."""
    start, end = academic_year_span(first_year)[0], academic_year_span(first_year + count - 1)[1]
    found = entries_between(organisation, start, end)
    years = []
    for year in range(first_year, first_year + count):
        mine = [e for e in found if max(academic_year_of(e.starts_on), first_year) == year]
        years.append(CalendarYear(year, calendar_rows(mine, *academic_year_span(year))))
    return years


def calendar_rows(found: list[CalendarEntry], start: date, end: date) -> list[CalendarRow]:
    """``found`` and the bank holidays between ``start`` and ``end``, in date order (pure)."""
    rows = [CalendarRow(e.kind_label, e.name, e.starts_on, e.ends_on, e) for e in found]
    rows += [
        CalendarRow("Bank holiday", title, day, day)
        for day, title in bank_holidays().items()
        if start <= day <= end
    ]
    return sorted(rows, key=lambda r: (r.starts_on, r.ends_on, r.entry is not None, r.name))
