"""The school calendar: bank holidays (shipped data) and the organisation's terms, holidays
and INSET days, and which days are poor choices for a meeting."""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from importlib.resources import files

import sqlalchemy as sa

from cluster.calendar.models import CALENDAR_KINDS, CalendarEntry
from cluster.extensions import db
from cluster.tenancy.models import Organisation


@lru_cache(maxsize=1)
def bank_holidays() -> dict[date, str]:
    """England and Wales bank holidays, from the gov.uk bank-holidays JSON shipped in the package."""
    data = json.loads(files("cluster.calendar").joinpath("data/bank-holidays.json").read_text(encoding="utf-8"))
    return {date.fromisoformat(event["date"]): event["title"] for event in data["england-and-wales"]["events"]}


@dataclass(frozen=True)
class DayFlag:
    kind: str  # "bank_holiday", "holiday", "inset", "weekend"
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


def entries(organisation: Organisation, since: date | None = None) -> list[CalendarEntry]:
    stmt = sa.select(CalendarEntry).where(CalendarEntry.organisation_id == organisation.id)
    if since:
        stmt = stmt.where(CalendarEntry.ends_on >= since)
    return list(db.session.scalars(stmt.order_by(CalendarEntry.starts_on, CalendarEntry.kind)))


def add_entry(organisation: Organisation, kind: str, name: str, starts_on: date, ends_on: date) -> CalendarEntry:
    if kind not in CALENDAR_KINDS:
        raise ValueError(f"unknown calendar kind {kind!r}")
    if ends_on < starts_on:
        raise ValueError("a calendar entry cannot end before it starts")
    entry = CalendarEntry(organisation_id=organisation.id, kind=kind, name=name.strip(), starts_on=starts_on, ends_on=ends_on)
    db.session.add(entry)
    db.session.flush()
    return entry


def terms(organisation: Organisation, start: date, end: date) -> list[CalendarEntry]:
    """The organisation's terms (or half terms) overlapping ``start``..``end``, in order."""
    return list(db.session.scalars(
        sa.select(CalendarEntry)
        .where(CalendarEntry.organisation_id == organisation.id, CalendarEntry.kind == "term",
               CalendarEntry.starts_on <= end, CalendarEntry.ends_on >= start)
        .order_by(CalendarEntry.starts_on)
    ))


@dataclass
class CalendarImport:
    added: int
    problems: list[str]


def import_calendar_csv(organisation: Organisation, text: str) -> CalendarImport:
    """Add entries from a CSV with the columns ``kind,name,start,end`` (dates as YYYY-MM-DD or
    DD/MM/YYYY; kind is term, holiday or inset). Rows with problems are reported by line and
    skipped; an exact duplicate of an existing entry is skipped silently."""
    reader = csv.DictReader(io.StringIO(text))
    fields = {f.strip().lower() for f in (reader.fieldnames or [])}
    if not {"kind", "name", "start", "end"} <= fields:
        return CalendarImport(0, ["The first line must name the columns: kind,name,start,end"])
    existing = {(e.kind, e.name, e.starts_on, e.ends_on) for e in entries(organisation)}
    added, problems = 0, []
    for line, raw in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
        kind = row.get("kind", "").lower()
        kind = {"inset day": "inset", "school holiday": "holiday", "half term": "holiday"}.get(kind, kind)
        try:
            start, end = _parse_date(row.get("start", "")), _parse_date(row.get("end", "") or row.get("start", ""))
        except ValueError:
            problems.append(f"Line {line}: dates must look like 2026-10-26 or 26/10/2026")
            continue
        if kind not in CALENDAR_KINDS:
            problems.append(f"Line {line}: kind must be term, holiday or inset, not '{row.get('kind', '')}'")
        elif not row.get("name"):
            problems.append(f"Line {line}: the name is missing")
        elif end < start:
            problems.append(f"Line {line}: the end is before the start")
        elif (kind, row["name"], start, end) not in existing:
            add_entry(organisation, kind, row["name"][:120], start, end)
            existing.add((kind, row["name"], start, end))
            added += 1
    return CalendarImport(added, problems)


def _parse_date(value: str) -> date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(value)
